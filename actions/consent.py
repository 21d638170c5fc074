"""Asking for consent, recording the answer, withdrawals and re-subscriptions."""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from datetime import datetime, timezone

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.answers import session_events
from actions.deps import StoreBacked, channel_of, conversation_id
from actions.open_question import ACTION_NAME as YES_NO_ANSWER
from actions.open_question import asking, consent_answers, settled
from actions.slots import REQUESTED_SLOT, lead_values, list_slot
from bot.consent import ConsentConfig, load_consent_config, purposes_mentioned, withdrawal_scope
from bot.double_opt_in import ask_to_confirm, can_confirm
from bot.errors import DeliveryFailed, StoreUnavailable
from bot.interruptions import states_opt_out
from bot.journal import ConsentJournal, PendingConsent, apply_consent
from bot.types import PURPOSES, Purpose

logger = logging.getLogger(__name__)

PURPOSE = "consent_purpose"
WORDING = "consent_wording"
VERSION = "consent_version"
ANSWERED = "consent_answered"
# The consent questions end the lead's confirmation; these actions lead up to the end.
QUALIFY_AFTER = frozenset({"action_record_consent", "action_confirm_lead", YES_NO_ANSWER})
PURPOSE_WORDS: dict[str, str] = {
    "email": "email", "sms": "text message", "whatsapp": "WhatsApp",
    "telegram": "Telegram", "phone": "phone call", "profiling": "lead scoring",
}  # fmt: skip


def describe(purposes: set[Purpose]) -> str:
    if set(PURPOSES) <= purposes:
        return "any channel"
    names = [PURPOSE_WORDS[p] for p in PURPOSES if p in purposes]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def evidence_of(tracker: Tracker) -> dict[str, str | None]:
    message = tracker.latest_message
    metadata = message.get("metadata") or {}
    return {
        "conversation_id": conversation_id(tracker),
        "message_id": message.get("message_id"),
        "text": metadata.get("original_text") or message.get("text"),
        "keyword": metadata.get("parley_keyword"),
    }


class ConsentAction(StoreBacked, Action, ABC):
    """Shared plumbing: the consent config and the journal of unsaved changes."""

    @abstractmethod
    def name(self) -> str: ...

    @property
    def config(self) -> ConsentConfig:
        return load_consent_config(self.settings.consent_file)

    @property
    def journal(self) -> ConsentJournal:
        return ConsentJournal.for_settings(self.settings)

    async def save(self, change: PendingConsent) -> bool:
        """Record the change; if the store is down, journal it for a later replay."""
        try:
            await self.call_store(self.journal.replay, self.store)
            await self.call_store(apply_consent, self.store, change)
            return True
        except StoreUnavailable as error:
            logger.error("consent change journaled, store unavailable: %s", error)
            await self.call_store(self.journal.append, change)
            return False

    async def consent_state(self, tracker: Tracker) -> dict[str, bool]:
        """Purpose -> currently granted, for the person in this conversation."""
        try:
            contact = await self.conversation_contact(tracker)
            if contact is None:
                return {}
            state = await self.call_store(self.store.consent.state, contact.id)
        except StoreUnavailable:
            return {}
        return {purpose: event.granted for purpose, event in state.items()}

    async def _restorable(self, tracker: Tracker) -> set[Purpose]:
        """Purposes once granted and then withdrawn: START may restore only those."""
        try:
            contact = await self.conversation_contact(tracker)
            if contact is None:
                return set()
            history = await self.call_store(self.store.consent.history, contact.id)
        except StoreUnavailable:
            return set()
        latest = {event.purpose: event.granted for event in history}
        ever_granted = {event.purpose for event in history if event.granted}
        return {p for p in ever_granted if latest.get(p) is False}

    async def _erased_already(self, tracker: Tracker) -> bool:
        """Whether this conversation's person was erased and no profile has started since."""
        try:
            if await self.conversation_contact(tracker) is not None:
                return False
            return await self.call_store(
                self.store.privacy.identity_erased,
                channel_of(tracker),
                tracker.sender_id,
                salt=self.settings.erasure_salt.value,
            )
        except StoreUnavailable:
            return False

    def change(
        self,
        tracker: Tracker,
        purposes: set[Purpose],
        granted: bool,
        wording: str,
        source: str = "conversation",
    ) -> PendingConsent:
        return PendingConsent(
            channel=channel_of(tracker), external_id=tracker.sender_id,
            purposes=tuple(p for p in PURPOSES if p in purposes), granted=granted,
            wording=wording, wording_version=self.config.version, source=source,  # type: ignore[arg-type]
            evidence=evidence_of(tracker), occurred_at=datetime.now(timezone.utc).isoformat(),
        )  # fmt: skip


class ActionAskConsent(ConsentAction):
    """Ask the next configured consent question, in its exact words."""

    def name(self) -> str:
        return "action_ask_consent"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        answered = set(list_slot(tracker, ANSWERED)) | await self._granted(tracker)
        question = self.config.pending(answered, set(lead_values(tracker)))
        set_aside: list[EventType] = []
        company = self.settings.company_name
        while (
            question is not None
            and _times_asked(tracker, question.wording.format(company=company)) >= _MOST_ASKS
        ):
            # Asked three times already and never answered (a correction, then the summary,
            # then this again): no consent is recorded, and the question is not asked once
            # more round the same loop. (Asked again after each question the person puts
            # in between, it may come three times in a conversation that goes on.)
            answered.add(question.purpose)
            set_aside = [SlotSet(ANSWERED, sorted(answered))]
            question = self.config.pending(answered, set(lead_values(tracker)))
        if question is None:
            last = _last_action(tracker)
            if last == "action_record_consent":
                dispatcher.utter_message(response="utter_consent_done")
            events: list[EventType] = [
                *set_aside,
                SlotSet(PURPOSE, None),
                SlotSet(WORDING, None),
                *settled(),
            ]
            if last in QUALIFY_AFTER and not tracker.get_slot("qualification_done"):
                # The lead is confirmed and consent asked: qualification comes next.
                events.append(FollowupAction("action_start_qualification"))
            return events
        wording = question.wording.format(company=company)
        dispatcher.utter_message(response="utter_consent_question", wording=wording)
        events = [
            *set_aside,
            SlotSet(PURPOSE, question.purpose),
            SlotSet(WORDING, wording),
            SlotSet(VERSION, self.config.version),
            *asking("consent"),
        ]
        if tracker.active_loop_name is None:
            # Also when reached by a FollowupAction (actions/clarify.py): wait for the answer.
            events.append(FollowupAction("action_listen"))
        return events

    async def _granted(self, tracker: Tracker) -> set[str]:
        return {p for p, granted in (await self.consent_state(tracker)).items() if granted}


# A consent question asked this many times in a session without an answer is set aside.
_MOST_ASKS = 3


def _times_asked(tracker: Tracker, wording: str) -> int:
    """How many times this session the bot asked the question worded `wording`."""
    return sum(
        1
        for event in session_events(tracker)
        if event.get("event") == "bot" and wording in str(event.get("text") or "")
    )


class ActionRecordConsent(ConsentAction):
    """Only a clear yes to the question just asked is consent; anything else is not.

    A no to another purpose in the same answer ("emails yes, texts no") spares its
    question; a yes to one is not taken, since its own words have not been shown yet.
    """

    def name(self) -> str:
        return "action_record_consent"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        purpose, wording = tracker.get_slot(PURPOSE), tracker.get_slot(WORDING)
        if purpose not in PURPOSES or not wording:
            return []
        answers = consent_answers(tracker, purpose)
        refused = {p for p, granted in answers.items() if not granted}
        answered = SlotSet(ANSWERED, sorted({*list_slot(tracker, ANSWERED), purpose, *refused}))
        after = [answered, SlotSet(PURPOSE, None), FollowupAction("action_ask_consent")]
        if not answers.get(purpose):
            dispatcher.utter_message(response="utter_consent_not_given")
            return after
        saved = await self.save(self.change(tracker, {purpose}, True, wording))
        if not saved:
            dispatcher.utter_message(response="utter_opt_out_not_recorded")
        else:
            await self._confirm_or_thank(dispatcher, tracker, purpose)
        return after

    async def _confirm_or_thank(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, purpose: str
    ) -> None:
        """A grant for an unproven address waits: the address is asked to confirm it."""
        try:
            contact = await self.conversation_contact(tracker)
            waiting = (
                await self.call_store(self.store.consent.pending_grants, contact.id)
                if contact
                else []
            )
        except StoreUnavailable:
            waiting = []
        pending = next((e for e in waiting if e.purpose == purpose), None)
        if contact is None or pending is None:
            dispatcher.utter_message(response="utter_consent_recorded")
            return
        address = contact.email if purpose == "email" else contact.phone
        if address and can_confirm(self.settings, purpose):
            try:
                await self.call_store(ask_to_confirm, self.settings, pending, address)
                dispatcher.utter_message(response="utter_consent_confirm_sent", address=address)
                return
            except DeliveryFailed as error:
                logger.warning("could not ask %s to confirm consent: %s", purpose, error)
        dispatcher.utter_message(response="utter_consent_unconfirmed")


def _last_action(tracker: Tracker) -> str | None:
    for event in reversed(tracker.events):
        if event.get("event") == "action" and event.get("name") != "action_listen":
            return str(event.get("name"))
    return None


class ActionWithdrawConsent(ConsentAction):
    """Stop marketing on the channels the person names (all, if they say so)."""

    def name(self) -> str:
        return "action_withdraw_consent"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        metadata = tracker.latest_message.get("metadata") or {}
        text = tracker.latest_message.get("text") or ""
        keyword_kind = metadata.get("parley_keyword_kind")
        if keyword_kind is None and not states_opt_out(text):
            dispatcher.utter_message(response="utter_default")
            return []
        if await self._erased_already(tracker):
            # "Thank you. I expect that no more e-mails come." after their data was erased:
            # nothing of theirs is left to contact, and a withdrawal recorded now would
            # start a new profile for the person who just asked to have theirs deleted.
            dispatcher.utter_message(response="utter_opt_out_after_erasure")
            return [SlotSet(PURPOSE, None), *settled(), FollowupAction("action_listen")]
        scope = withdrawal_scope(text, channel_of(tracker), keyword_kind)
        source = "keyword" if keyword_kind else "conversation"
        wording = f"Withdrawal requested by the person: {metadata.get('original_text') or text}"
        saved = await self.save(self.change(tracker, scope, False, wording, source))
        if saved:
            dispatcher.utter_message(
                response="utter_opt_out_confirmed",
                scope=describe(scope),
                company=self.settings.company_name,
            )
        else:
            dispatcher.utter_message(response="utter_opt_out_not_recorded")
        # Whatever was going on (a form, a consent question) ends with the withdrawal. Said
        # to a consent question after the lead was confirmed, it refuses marketing, not the
        # team's follow-up: the qualifying questions still come.
        after = "action_start_qualification" if _qualifying_next(tracker) else "action_listen"
        return [
            SlotSet(PURPOSE, None),
            ActiveLoop(None),
            SlotSet(REQUESTED_SLOT, None),
            *settled(),
            FollowupAction(after),
        ]


def _qualifying_next(tracker: Tracker) -> bool:
    if not tracker.get_slot(PURPOSE) or tracker.get_slot("qualification_done"):
        return False
    return any(
        event.get("event") == "action" and event.get("name") == "action_confirm_lead"
        for event in session_events(tracker)
    )


class ActionResubscribe(ConsentAction):
    """START/UNSTOP (or YES on SMS) restores what was withdrawn; words ask first."""

    def name(self) -> str:
        return "action_resubscribe"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        metadata = tracker.latest_message.get("metadata") or {}
        if metadata.get("parley_keyword_kind") != "start":
            # Free text ("you can email me again") gets the proper question, in its words.
            named = purposes_mentioned(tracker.latest_message.get("text") or "")
            answered: list[str] = [p for p in PURPOSES if p not in named] if named else []
            return [SlotSet(ANSWERED, answered), SlotSet(PURPOSE, None)] + await ActionAskConsent(
                self._store, self._settings
            ).run(dispatcher, _with_answered(tracker, answered), domain)
        scope = withdrawal_scope("", channel_of(tracker), "stop") & await self._restorable(tracker)
        if not scope:
            dispatcher.utter_message(response="utter_nothing_to_resubscribe")
            return []
        wording = f"Re-subscribed with the keyword {metadata.get('parley_keyword')}"
        if await self.save(self.change(tracker, scope, True, wording, "keyword")):
            dispatcher.utter_message(
                response="utter_resubscribed",
                scope=describe(scope),
                company=self.settings.company_name,
            )
        else:
            dispatcher.utter_message(response="utter_opt_out_not_recorded")
        return []


def _with_answered(tracker: Tracker, answered: list[str]) -> Tracker:
    copy = tracker.copy()
    copy.slots[ANSWERED] = answered
    return copy
