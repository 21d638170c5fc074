"""Handing a conversation to a person: at any time on request, and for grade-A leads.

A handoff is recorded durably in the store before the person is told anything; the
campaign worker delivers it (signed webhook, email to sales) through bot.handoff,
retrying until it lands. Outside the answering team's office hours (PARLEY_OFFICE_HOURS)
the person is told when the team is back and that a person answers then (on a call: a
callback, never a transfer to an empty line), and is offered a meeting instead.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timezone

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.answers import said_in_session, said_this_turn
from actions.deps import StoreBacked, caller_number, channel_of, conversation_id
from actions.handoff_in_form import CANNOT_REACH, FIRST_TIME, NEED_CONTACT, on_the_phone
from actions.open_question import asking, settled
from actions.qualify import (
    GRADE,
    QualificationBacked,
    question_put_to_the_person,
    resume_after_deferral,
)
from actions.slots import CONTACT_ID, HANDOFF_REQUESTED, lead_values
from bot.errors import ParleyError, StoreUnavailable
from bot.handoff import ReplyDue, reply_due, request_handoff, transcript_from_events
from bot.office_hours import phone_zone
from bot.settings import Settings
from bot.store import Contact, ProfileStore
from bot.types import Channel

logger = logging.getLogger(__name__)

HANDOFF_OPEN = "handoff_open"
# Outside office hours: when a person will answer, in the words the person was told.
HANDOFF_REPLY_DUE = "handoff_reply_due"
# On these channels the team can answer the person where they are, without details.
REPLYABLE_CHANNELS = frozenset({"sms", "whatsapp", "voice", "telegram"})
TRANSCRIPT_TURNS = 60
# "So they can reach you, I need a few details": the lead form comes before the person.
DETAILS_FIRST = "utter_handoff"


def _utc_now() -> datetime:
    return datetime.now(timezone.utc)


class ActionHumanHandoff(StoreBacked, Action):
    def __init__(
        self,
        store: ProfileStore | None = None,
        settings: Settings | None = None,
        clock: Callable[[], datetime] = _utc_now,
    ):
        super().__init__(store, settings)
        self._clock = clock

    def name(self) -> str:
        return "action_human_handoff"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        if (put_off := question_put_to_the_person(tracker)) is not None:
            # "I'd rather talk that over with your person" to the budget question: that
            # question is for the person who follows up, not a request for one now.
            qualifying = QualificationBacked(self._store, self._settings)
            return await resume_after_deferral(dispatcher, tracker, qualifying, put_off)
        channel = channel_of(tracker)
        now = self._clock()
        # Outside office hours nobody answers now: when they will, or None.
        due = reply_due(self.settings, channel, now)
        try:
            contact = await self._contact(tracker, channel, transfer=due is None)
        except StoreUnavailable as error:
            logger.error("handoff: store unavailable: %s", error)
            dispatcher.utter_message(response="utter_handoff_failed")
            return [SlotSet(HANDOFF_REQUESTED, True), *settled(), FollowupAction("action_listen")]
        if contact is None and said_this_turn(tracker, frozenset({DETAILS_FIRST})):
            # The details were just asked for on the way to a person and not given: the
            # form again would end at once and send them back here, round and round.
            dispatcher.utter_message(response=CANNOT_REACH)
            return [SlotSet(HANDOFF_REQUESTED, False), *settled(), FollowupAction("action_listen")]
        if contact is None:
            # Nobody could get back to them yet: the lead form first, then the handoff.
            dispatcher.utter_message(response=DETAILS_FIRST)
            return [SlotSet(HANDOFF_REQUESTED, True), *settled(), FollowupAction("lead_form")]
        reason = "asked for a person" if self._asked(tracker) else "grade A lead"
        if calls_back_the_caller(tracker) and not (contact.phone or _claimed(tracker)):
            reason += f"; call back on the number they called from, {caller_number(tracker)}"
        try:
            await self.call_store(self._request, contact, tracker, channel, reason, now)
        except (StoreUnavailable, ParleyError) as error:
            logger.error("handoff could not be recorded: %s", error)
            dispatcher.utter_message(response="utter_handoff_failed")
            return [SlotSet(HANDOFF_REQUESTED, True), *settled(), FollowupAction("action_listen")]
        if due is not None:
            return self._after_hours(dispatcher, tracker, contact, channel, due, now)
        dialled = channel == "voice" and self._sales_line()
        if channel == "voice" and not dialled:
            how = _callback_number(contact, _claimed(tracker))
            dispatcher.utter_message(
                response="utter_handoff_callback",
                company=self.settings.company_name,
                how=how or (CALLING_NUMBER if calls_back_the_caller(tracker) else ""),
            )
        else:
            dispatcher.utter_message(
                response="utter_handoff_sent",
                company=self.settings.company_name,
                how=_how_they_reach_you(contact, channel, _claimed(tracker)),
            )
        if dialled:
            # The voice channel turns this into a <Dial> to the sales line.
            dispatcher.utter_message(json_message={"parley": "transfer", "reason": reason})
        # A person has the conversation now: no yes/no question of the bot's stays open.
        return [
            SlotSet(CONTACT_ID, contact.id),
            SlotSet(HANDOFF_OPEN, True),
            SlotSet(HANDOFF_REPLY_DUE, None),
            SlotSet(HANDOFF_REQUESTED, False),
            *settled(),
            # Also when an offer's answer led here (actions/clarify.py): wait for the person.
            FollowupAction("action_listen"),
        ]

    def _after_hours(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        contact: Contact,
        channel: str,
        due: ReplyDue,
        now: datetime,
    ) -> list[EventType]:
        """Nobody answers now: say when someone will (in the person's time zone when their
        phone tells it), how (a callback on a call), and offer a meeting instead."""
        given = _claimed(tracker)
        person_zone = phone_zone(contact.phone or given.get("phone"), now)
        how = (
            _callback_number(contact, given)
            if channel == "voice"
            else _how_they_reach_you(contact, channel, given)
        )
        when = due.said(now, person_zone)
        dispatcher.utter_message(
            response="utter_handoff_after_hours",
            company=self.settings.company_name,
            when=when,
            how=how,
        )
        # No person holds the conversation yet: the bot keeps answering, and a yes or
        # "book a meeting" books one (while a person holds it, the bot holds the line).
        return [
            SlotSet(CONTACT_ID, contact.id),
            SlotSet(HANDOFF_OPEN, False),
            SlotSet(HANDOFF_REQUESTED, False),
            SlotSet(HANDOFF_REPLY_DUE, when),
            *asking("meeting"),
            FollowupAction("action_listen"),
        ]

    def _sales_line(self) -> bool:
        return bool(self.settings.voice.sales_number)

    async def _contact(
        self, tracker: Tracker, channel: Channel, *, transfer: bool = True
    ) -> Contact | None:
        contact = await self.conversation_contact(tracker)
        if contact is not None and (contact.email or contact.phone or _claimed(tracker)):
            return contact
        # A caller reaches a person through the sales line (within office hours); without
        # one, somebody has to call them back, so their details come first, as on web chat.
        # A caller who turned down giving them is called back on the number they called
        # from (the team sees it on the handoff), rather than not at all.
        put_through = self._sales_line() and transfer
        replyable = channel in REPLYABLE_CHANNELS and (
            channel != "voice" or put_through or calls_back_the_caller(tracker)
        )
        # A web chat visitor who would rather not give an email or a phone, even after
        # hearing one is needed: the team answers in the open chat (the inbox, #20).
        # Nor is anyone sent round the lead form a second time: the details were asked for
        # once on the way to a person and not given (the form would end at once, and the
        # handoff send it back there, turn after turn).
        replyable = replyable or (
            channel == "web"
            and (said_in_session(tracker, NEED_CONTACT) or said_in_session(tracker, DETAILS_FIRST))
        )
        if replyable:
            return await self.call_store(self.store.contacts.ensure, channel, tracker.sender_id)
        return None

    @staticmethod
    def _asked(tracker: Tracker) -> bool:
        return bool(tracker.get_slot(HANDOFF_REQUESTED)) or (
            (tracker.latest_message.get("intent") or {}).get("name") == "human_handoff"
            and tracker.get_slot(GRADE) != "A"
        )

    def _request(
        self, contact: Contact, tracker: Tracker, channel: str, reason: str, now: datetime
    ) -> str:
        handoff_id, _ = request_handoff(
            self.store,
            self.settings,
            contact=contact,
            conversation_id=conversation_id(tracker),
            channel=channel,
            reason=reason,
            transcript=transcript_from_events(tracker.events, limit=TRANSCRIPT_TURNS),
            now=now,
        )
        return handoff_id


def _claimed(tracker: Tracker) -> dict[str, str]:
    """The email and phone the person gave in this conversation (perhaps claims that
    another contact holds, and so not on their own contact)."""
    given = lead_values(tracker)
    return {field: given[field] for field in ("email", "phone") if given.get(field)}


CALLING_NUMBER = " on the number you're calling from"


def calls_back_the_caller(tracker: Tracker) -> bool:
    """A caller asked for a person again after hearing the details come first (or turned
    down giving an email or a phone after hearing one was needed): the calling number is
    how the team gets back to them."""
    return on_the_phone(tracker) and (
        said_in_session(tracker, NEED_CONTACT)
        or said_in_session(tracker, FIRST_TIME)
        or said_in_session(tracker, DETAILS_FIRST)
    )


def _callback_number(contact: Contact, given: dict[str, str]) -> str:
    phone = contact.phone or given.get("phone")
    return f" on {phone}" if phone else ""


def _how_they_reach_you(contact: Contact, channel: str, given: dict[str, str]) -> str:
    if channel in REPLYABLE_CHANNELS:
        return " right here"
    email, phone = contact.email or given.get("email"), contact.phone or given.get("phone")
    if email:
        return f" at {email}"
    if phone:
        return f" on {phone}"
    return " right here, in this chat" if channel == "web" else ""
