"""Ending the lead form: the summary, the confirmation and cancelling."""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.deps import StoreBacked, channel_of, conversation_id
from actions.slots import (
    ATTEMPTS,
    CONTACT_ID,
    LEAD_CAPTURED,
    NEEDS_HELP,
    REQUESTED_SLOT,
    SKIPPED,
    UNSAVED,
    lead_values,
    list_slot,
)
from bot.errors import StoreUnavailable
from bot.types import LEAD_FIELDS, LeadField, LeadStatus

logger = logging.getLogger(__name__)

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
        self, dispatcher: CollectingDispatcher, tracker: Tracker, status: LeadStatus
    ) -> list[EventType]:
        values = lead_values(tracker)
        unsaved = {f: v for f, v in values.items() if f in list_slot(tracker, UNSAVED)}
        try:
            contact = await self.call_store(
                self.store.record_stated_details,
                channel_of(tracker),
                tracker.sender_id,
                unsaved,
                conversation_id=conversation_id(tracker),
            )
            await self.call_store(
                self.store.set_lead_status, contact.id, status, conversation_id(tracker)
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
        events = await self.save_status(dispatcher, tracker, "captured")
        summary = summary_lines(lead_values(tracker), list_slot(tracker, SKIPPED))
        dispatcher.utter_message(response="utter_lead_summary", summary=summary)
        return [*events, SlotSet(LEAD_CAPTURED, True)]


class ActionConfirmLead(LeadStatusAction):
    def name(self) -> str:
        return "action_confirm_lead"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        events = await self.save_status(dispatcher, tracker, "confirmed")
        name = lead_values(tracker).get("name", "there")
        dispatcher.utter_message(response="utter_lead_confirmed", name=name)
        return events


class ActionCancelLead(StoreBacked, Action):
    """Leave the form; whatever was given is already in the store and stays there."""

    def name(self) -> str:
        return "action_cancel_lead"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        contact_id = tracker.get_slot(CONTACT_ID)
        if contact_id:
            try:
                await self.call_store(
                    self.store.record_event,
                    contact_id,
                    "lead_form_cancelled",
                    {"conversation_id": conversation_id(tracker)},
                )
            except StoreUnavailable as error:
                logger.error("could not record the cancellation: %s", error)
        dispatcher.utter_message(response="utter_lead_cancelled")
        return [
            ActiveLoop(None),
            SlotSet(REQUESTED_SLOT, None),
            SlotSet(ATTEMPTS, 0),
            SlotSet(NEEDS_HELP, False),
        ]
