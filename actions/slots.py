"""Slot names, and moving lead details between slots and the profile store."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet

from bot.qualification import FIELDS as QUALIFYING_FIELDS
from bot.store import Contact
from bot.types import LEAD_FIELDS, ContactId, LeadField

REQUESTED_SLOT = "requested_slot"
SKIPPED = "skipped_fields"
UNSAVED = "unsaved_fields"
ATTEMPTS = "field_attempts"
NEEDS_HELP = "needs_help"
READ_UNTIL = "form_read_until"
# The qualifying questions set aside, and the tries at the one asked (actions/qualify.py).
QUAL_SKIPPED = "qual_skipped"
QUAL_ATTEMPTS = "qual_attempts"
# Which follow-up wording the qualifying question is asked in next (domain.yml), if any.
QUAL_FOLLOW_UP = "qual_follow_up"
CONTACT_ID = "contact_id"
LEAD_CAPTURED = "lead_captured"
# A person asked for before there were details: the handoff follows the lead form.
HANDOFF_REQUESTED = "handoff_requested"

SLOT_OF: dict[LeadField, str] = {field: f"lead_{field}" for field in LEAD_FIELDS}
FIELD_OF: dict[str, LeadField] = {slot: field for field, slot in SLOT_OF.items()}
# The built-in qualifying questions' slots (actions/qualify.py), and back.
QUAL_SLOT_OF: dict[str, str] = {f: f"qual_{f}" for f in QUALIFYING_FIELDS}
QUAL_FIELD_OF: dict[str, str] = {slot: f for f, slot in QUAL_SLOT_OF.items()}
CAPTURED_STATUSES = frozenset({"captured", "confirmed"})


def contact_slot(tracker: Tracker) -> ContactId | None:
    """The conversation's contact once it has one: where a contact id enters the actions."""
    value = tracker.get_slot(CONTACT_ID)
    return ContactId(value) if value else None


def lead_values(tracker: Tracker) -> dict[LeadField, str]:
    """The lead details the conversation holds so far."""
    values = {field: tracker.get_slot(slot) for field, slot in SLOT_OF.items()}
    return {field: value for field, value in values.items() if isinstance(value, str)}


def list_slot(tracker: Tracker, name: str) -> list[str]:
    value = tracker.get_slot(name)
    return [str(item) for item in value] if isinstance(value, list) else []


def slots_from_contact(
    contact: Contact, known: dict[LeadField, str], skipped: list[str]
) -> list[dict[str, Any]]:
    """SlotSets for what the store knows and the conversation does not yet."""
    events = [SlotSet(CONTACT_ID, contact.id)]
    for field in LEAD_FIELDS:
        value = getattr(contact, field)
        if value and field not in known and field not in skipped:
            events.append(SlotSet(SLOT_OF[field], value))
    return events
