"""Handing a conversation to a person: at any time on request, and for grade-A leads.

A handoff is recorded durably in the store before the person is told anything; the
campaign worker delivers it (signed webhook, email to sales) through bot.handoff,
retrying until it lands.
"""

from __future__ import annotations

import logging
from datetime import datetime, timezone

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.deps import StoreBacked, channel_of, conversation_id
from actions.open_question import settled
from actions.qualify import GRADE, HANDOFF_REQUESTED
from actions.slots import CONTACT_ID, lead_values
from bot.errors import ParleyError, StoreUnavailable
from bot.handoff import request_handoff, transcript_from_events
from bot.store import Contact
from bot.types import Channel

logger = logging.getLogger(__name__)

HANDOFF_OPEN = "handoff_open"
# On these channels the team can answer the person where they are, without details.
REPLYABLE_CHANNELS = frozenset({"sms", "whatsapp", "voice", "telegram"})
TRANSCRIPT_TURNS = 60


class ActionHumanHandoff(StoreBacked, Action):
    def name(self) -> str:
        return "action_human_handoff"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        channel = channel_of(tracker)
        try:
            contact = await self._contact(tracker, channel)
        except StoreUnavailable as error:
            logger.error("handoff: store unavailable: %s", error)
            dispatcher.utter_message(response="utter_handoff_failed")
            return [SlotSet(HANDOFF_REQUESTED, True), *settled(), FollowupAction("action_listen")]
        if contact is None:
            # Nobody could get back to them yet: the lead form first, then the handoff.
            dispatcher.utter_message(response="utter_handoff")
            return [SlotSet(HANDOFF_REQUESTED, True), *settled(), FollowupAction("lead_form")]
        reason = "asked for a person" if self._asked(tracker) else "grade A lead"
        try:
            await self.call_store(self._request, contact, tracker, channel, reason)
        except (StoreUnavailable, ParleyError) as error:
            logger.error("handoff could not be recorded: %s", error)
            dispatcher.utter_message(response="utter_handoff_failed")
            return [SlotSet(HANDOFF_REQUESTED, True), *settled(), FollowupAction("action_listen")]
        dialled = channel == "voice" and self._sales_line()
        if channel == "voice" and not dialled:
            dispatcher.utter_message(
                response="utter_handoff_callback",
                company=self.settings.company_name,
                how=_callback_number(contact, _claimed(tracker)),
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
            SlotSet(HANDOFF_REQUESTED, False),
            *settled(),
            # Also when an offer's answer led here (actions/clarify.py): wait for the person.
            FollowupAction("action_listen"),
        ]

    def _sales_line(self) -> bool:
        return bool(self.settings.voice.sales_number)

    async def _contact(self, tracker: Tracker, channel: Channel) -> Contact | None:
        contact = await self.conversation_contact(tracker)
        if contact is not None and (contact.email or contact.phone or _claimed(tracker)):
            return contact
        # A caller reaches a person through the sales line; without one, somebody has to
        # call them back, so their details come first, as on web chat.
        replyable = channel in REPLYABLE_CHANNELS and (channel != "voice" or self._sales_line())
        if replyable:
            return await self.call_store(self.store.contacts.ensure, channel, tracker.sender_id)
        return None

    @staticmethod
    def _asked(tracker: Tracker) -> bool:
        return bool(tracker.get_slot(HANDOFF_REQUESTED)) or (
            (tracker.latest_message.get("intent") or {}).get("name") == "human_handoff"
            and tracker.get_slot(GRADE) != "A"
        )

    def _request(self, contact: Contact, tracker: Tracker, channel: str, reason: str) -> str:
        handoff_id, _ = request_handoff(
            self.store,
            self.settings,
            contact=contact,
            conversation_id=conversation_id(tracker),
            channel=channel,
            reason=reason,
            transcript=transcript_from_events(tracker.events, limit=TRANSCRIPT_TURNS),
            now=datetime.now(timezone.utc),
        )
        return handoff_id


def _claimed(tracker: Tracker) -> dict[str, str]:
    """The email and phone the person gave in this conversation (perhaps claims that
    another contact holds, and so not on their own contact)."""
    given = lead_values(tracker)
    return {field: given[field] for field in ("email", "phone") if given.get(field)}


def _callback_number(contact: Contact, given: dict[str, str]) -> str:
    phone = contact.phone or given.get("phone")
    return f" on {phone}" if phone else ""


def _how_they_reach_you(contact: Contact, channel: str, given: dict[str, str]) -> str:
    if channel in REPLYABLE_CHANNELS:
        return " right here"
    email, phone = contact.email or given.get("email"), contact.phone or given.get("phone")
    if email:
        return f" at {email}"
    return f" on {phone}" if phone else ""
