"""Session start: say what the bot is, and recognise people it already knows."""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, EventType, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.deps import StoreBacked
from actions.slots import CAPTURED_STATUSES, LEAD_CAPTURED, lead_values, slots_from_contact
from bot.errors import StoreUnavailable
from bot.store import Contact

logger = logging.getLogger(__name__)


# Conversation state that must not outlive the session: a new session after a handoff
# means the bot answers again, and half-finished offers start afresh. A lead completed in
# an earlier session (qualification_done) may come back for a new demo: only within the
# session does a complete lead mean the end of the conversation (data/rules.yml).
SESSION_ONLY_SLOTS = frozenset(
    {
        "session_started_metadata",
        "handoff_open",
        "qualification_done",
        "handoff_requested",
        "handoff_reply_due",
        "offered_meetings",
        "meeting_slot",
        "qual_attempts",
        "booking_attempts",
        # A yes/no question is answered in the session that asked it.
        "yes_no_pending",
        "yes_no_question",
        "yes_no_unclear",
    }
)


def carried_over_slots(tracker: Tracker, domain: DomainDict) -> list[EventType]:
    """Keep what the previous session learned, as Rasa's default session start does."""
    if not domain.get("session_config", {}).get("carry_over_slots_to_new_session", True):
        return []
    return [
        SlotSet(name, value)
        for name, value in tracker.current_slot_values().items()
        if value is not None and name not in SESSION_ONLY_SLOTS
    ]


class ActionSessionStart(StoreBacked, Action):
    def name(self) -> str:
        return "action_session_start"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        metadata: Any = tracker.get_slot("session_started_metadata")
        events: list[EventType] = [SessionStarted(), *carried_over_slots(tracker, domain)]
        if metadata is not None:
            events.append(SlotSet("session_started_metadata", metadata))
        contact = await self._known_contact(tracker)
        texts = {
            "company": self.settings.company_name,
            "privacy_url": self.settings.privacy_url,
            "privacy_version": self.settings.privacy_version,
        }
        if contact is None:
            dispatcher.utter_message(response="utter_disclosure", **texts)
        else:
            events += self._recognise(dispatcher, tracker, contact, texts)
        return [*events, ActionExecuted("action_listen")]

    async def _known_contact(self, tracker: Tracker) -> Contact | None:
        try:
            return await self.conversation_contact(tracker)
        except StoreUnavailable as error:
            logger.error("could not look up the returning contact: %s", error)
            return None

    @staticmethod
    def _recognise(
        dispatcher: CollectingDispatcher, tracker: Tracker, contact: Contact, texts: dict[str, str]
    ) -> list[EventType]:
        if contact.name:
            dispatcher.utter_message(response="utter_welcome_back", name=contact.name, **texts)
        else:
            dispatcher.utter_message(response="utter_disclosure", **texts)
        events = slots_from_contact(contact, lead_values(tracker), [])
        if contact.lead_status in CAPTURED_STATUSES:
            events.append(SlotSet(LEAD_CAPTURED, True))
        return events
