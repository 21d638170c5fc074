"""Ending the lead form: the summary, the confirmation, corrections and cancelling."""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.custom_fields import summary_lines as custom_summary_lines
from actions.deps import StoreBacked, caller_number, channel_of, conversation_id
from actions.open_question import asking, previous_action, settled
from actions.slots import (
    ATTEMPTS,
    CONTACT_ID,
    LEAD_CAPTURED,
    NEEDS_HELP,
    REQUESTED_SLOT,
    SKIPPED,
    SLOT_OF,
    UNSAVED,
    lead_values,
    list_slot,
)
from bot.errors import StoreUnavailable
from bot.leads import read_message
from bot.types import LEAD_FIELDS, LeadField, LeadStatus
from bot.yes_no import Correction, read_correction, respelt_detail

logger = logging.getLogger(__name__)

CONFIRMED = frozenset({"confirmed"})
# The intents that ask for a person (asking for sales is asking for one).
PERSON_INTENTS = frozenset({"talk_to_sales", "human_handoff"})
MEETING_INTENTS = frozenset({"request_demo", "book_meeting"})

FIELD_LABELS: dict[LeadField, str] = {
    "name": "Name",
    "email": "Email",
    "phone": "Phone",
    "company": "Company",
    "role": "Role",
    "need": "Looking to solve",
}


def summary_lines(values: dict[LeadField, str], skipped: list[str]) -> str:
    """One line per lead field, in the order the form asks them."""
    lines = []
    for field in LEAD_FIELDS:
        shown = values.get(field) or ("(skipped)" if field in skipped else "(not given)")
        lines.append(f"- {FIELD_LABELS[field]}: {shown}")
    return "\n".join(lines)


class LeadStatusAction(StoreBacked, Action, ABC):
    """Base for actions that move the lead to a new status in the store."""

    @abstractmethod
    def name(self) -> str: ...

    async def save_status(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        status: LeadStatus,
        unless: frozenset[str] = frozenset(),
    ) -> list[EventType]:
        """Save what an outage held back and move the lead to `status` (but not from a
        status in `unless`)."""
        values = lead_values(tracker)
        unsaved = {f: v for f, v in values.items() if f in list_slot(tracker, UNSAVED)}
        try:
            contact = await self.call_store(
                self.store.contacts.record_stated_details,
                channel_of(tracker),
                tracker.sender_id,
                unsaved,
                conversation_id=conversation_id(tracker),
            )
            if contact.lead_status not in unless:
                await self.call_store(
                    self.store.leads.set_status, contact.id, status, conversation_id(tracker)
                )
        except StoreUnavailable as error:
            logger.error("could not record lead status %s: %s", status, error)
            dispatcher.utter_message(response="utter_store_unavailable")
            return [SlotSet(UNSAVED, sorted(values))]
        return [SlotSet(CONTACT_ID, contact.id), SlotSet(UNSAVED, [])]


class ActionSubmitLead(LeadStatusAction):
    def name(self) -> str:
        return "action_submit_lead"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        if await self._confirmed_and_asking_for(tracker, PERSON_INTENTS):
            # The details were confirmed already: asking for sales again is asking for a
            # person, not for the same summary once more.
            return [FollowupAction("action_human_handoff")]
        if await self._confirmed_and_asking_for(tracker, MEETING_INTENTS):
            # "I only wish to arrange the demo session" with the details confirmed: the
            # times, not the summary again (which looped with the consent question).
            return [*settled(), FollowupAction("action_start_booking")]
        # A correction after the lead was confirmed shows the summary again; the lead
        # stays confirmed (the change is on its timeline) until the person says otherwise.
        events = await self.save_status(dispatcher, tracker, "captured", CONFIRMED)
        summary = "\n".join(
            [
                summary_lines(lead_values(tracker), list_slot(tracker, SKIPPED)),
                *custom_summary_lines(tracker, self.settings),
            ]
        )
        dispatcher.utter_message(response="utter_lead_summary", summary=summary)
        return [
            *events,
            SlotSet(LEAD_CAPTURED, True),
            *asking("summary"),
            FollowupAction("action_listen"),
        ]

    async def _confirmed_and_asking_for(self, tracker: Tracker, intents: frozenset[str]) -> bool:
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        if intent not in intents or list_slot(tracker, UNSAVED):
            return False
        try:
            contact = await self.conversation_contact(tracker)
        except StoreUnavailable:
            return False
        return contact is not None and contact.lead_status in CONFIRMED


class ActionConfirmLead(LeadStatusAction):
    def name(self) -> str:
        return "action_confirm_lead"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        events = await self.save_status(dispatcher, tracker, "confirmed")
        name = lead_values(tracker).get("name", "there")
        dispatcher.utter_message(response="utter_lead_confirmed", name=name)
        return [*events, *settled(), FollowupAction("action_ask_consent")]


class ActionCancelLead(StoreBacked, Action):
    """Leave the form; whatever was given is already in the store and stays there."""

    def name(self) -> str:
        return "action_cancel_lead"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        await self.note_on_timeline(tracker, "lead_form_cancelled")
        dispatcher.utter_message(response="utter_lead_cancelled")
        return [
            *settled(),
            ActiveLoop(None),
            SlotSet(REQUESTED_SLOT, None),
            SlotSet(ATTEMPTS, 0),
            SlotSet(NEEDS_HELP, False),
        ]


class ActionCorrectDetail(LeadStatusAction):
    """ "No, my company is Globex", "the email is wrong", or a bare no to the summary.

    A new value is read like the form reads it, saved and shown in the summary again; a
    detail named without one is asked for again by the lead form; a bare no asks what to
    change, with a button per detail.
    """

    def name(self) -> str:
        return "action_correct_detail"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        text = str(tracker.latest_message.get("text") or "")
        correction = read_correction(text, at_summary=True) or respelt_detail(
            text, lead_values(tracker)
        )
        if correction is None:
            if previous_action(tracker) == "action_correct_detail":
                # Asked what to change and still nothing named: leave the details be.
                dispatcher.utter_message(response="utter_summary_unconfirmed")
                return [*settled(), FollowupAction("action_ask_consent")]
            dispatcher.utter_message(response="utter_ask_correction", buttons=CHANGE_BUTTONS)
            return [SlotSet(REQUESTED_SLOT, None), FollowupAction("action_listen")]
        if correction.remove:
            return await self._forget(dispatcher, tracker, correction.field)
        if correction.value is not None:
            events = await self._replace(dispatcher, tracker, correction)
            if events is not None:
                return events
        return self._ask_again(dispatcher, tracker, correction.field)

    async def _replace(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, correction: Correction
    ) -> list[EventType] | None:
        """Read the new value as the form would; None when it cannot be read."""
        assert correction.value is not None
        entities = tracker.latest_message.get("entities") or []
        reading = read_message(
            correction.value,
            region=self.settings.default_region,
            requested=correction.field,
            persons=_entities_in(entities, "PERSON", correction.value),
            organizations=_entities_in(entities, "ORG", correction.value),
            excluded=(self.settings.company_name,),
            # "No, the number is ...": read where the person's email says they are, as
            # the form read it ("030..." from someone at a .de address is German).
            email_hint=lead_values(tracker).get("email"),
            caller=caller_number(tracker),
        )
        value = reading.values.get(correction.field)
        if (
            value is None
            or value.casefold() == str(tracker.get_slot(SLOT_OF[correction.field]) or "").casefold()
        ):
            # Read as what the summary already showed: showing it again would be the same
            # words twice, so the question is asked afresh.
            return None
        events: list[EventType] = [SlotSet(SLOT_OF[correction.field], value)]
        try:
            contact = await self.call_store(
                self.store.contacts.record_stated_details,
                channel_of(tracker),
                tracker.sender_id,
                {correction.field: value},
                conversation_id=conversation_id(tracker),
            )
            events.append(SlotSet(CONTACT_ID, contact.id))
        except StoreUnavailable as error:
            logger.error("could not save the corrected %s: %s", correction.field, error)
            dispatcher.utter_message(response="utter_store_unavailable")
            unsaved = sorted({*list_slot(tracker, UNSAVED), correction.field})
            events.append(SlotSet(UNSAVED, unsaved))
        skipped = [f for f in list_slot(tracker, SKIPPED) if f != correction.field]
        return [*events, SlotSet(SKIPPED, skipped), FollowupAction("action_submit_lead")]

    @staticmethod
    def _ask_again(
        dispatcher: CollectingDispatcher, tracker: Tracker, field: LeadField
    ) -> list[EventType]:
        """The form asks for the detail again; its answer replaces the stored one."""
        dispatcher.utter_message(response="utter_correction_noted")
        skipped = [f for f in list_slot(tracker, SKIPPED) if f != field]
        return [
            *settled(),
            SlotSet(SLOT_OF[field], None),
            SlotSet(SKIPPED, skipped),
            SlotSet(ATTEMPTS, 0),
            SlotSet(NEEDS_HELP, False),
            SlotSet(REQUESTED_SLOT, SLOT_OF[field]),
            FollowupAction("lead_form"),
        ]

    async def _forget(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, field: LeadField
    ) -> list[EventType]:
        """ "I never gave you a phone": the detail leaves the summary and the profile."""
        skipped = sorted({*list_slot(tracker, SKIPPED), field})
        unsaved = [f for f in list_slot(tracker, UNSAVED) if f != field]
        try:
            await self.call_store(
                self.store.contacts.withdraw_stated_detail,
                channel_of(tracker),
                tracker.sender_id,
                field,
            )
        except StoreUnavailable as error:
            logger.error("could not forget the %s: %s", field, error)
            dispatcher.utter_message(response="utter_store_unavailable")
        return [
            SlotSet(SLOT_OF[field], None),
            SlotSet(SKIPPED, skipped),
            SlotSet(UNSAVED, unsaved),
            FollowupAction("action_submit_lead"),
        ]


# Each button says in words which detail is wrong (read by bot/yes_no.read_correction).
CHANGE_BUTTONS: list[dict[str, str]] = [
    *({"title": FIELD_LABELS[f], "payload": f"the {f} is wrong"} for f in LEAD_FIELDS),
    {"title": "Nothing, it's all right", "payload": "/affirm"},
]


def _entities_in(entities: list[dict[str, object]], kind: str, text: str) -> tuple[str, ...]:
    return tuple(
        str(e["value"])
        for e in entities
        if e.get("entity") == kind and e.get("value") and str(e["value"]) in text
    )
