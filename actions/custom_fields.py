"""The marketers' own lead fields (lead_fields.yml), asked after the built-in ones.

Fields are added in the studio and published without training, so the domain holds only
generic parts, added once: the lead form requests the slot `custom_field_value` while
`custom_field` names the field being asked; `action_ask_custom_field_value` says that
field's question for the channel (buttons for a choice or a yes/no, a Skip button for an
optional field); the lead form's validation reads the answer (bot/custom_answers.py) and
saves it at once. Values known this conversation (and from earlier ones, read from the
store) are in `custom_values`; set-aside fields in `custom_skipped`.
"""

from __future__ import annotations

import logging
import re
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.deps import StoreBacked, caller_number, channel_of, conversation_id
from actions.slots import (
    ATTEMPTS,
    CONTACT_ID,
    NEEDS_HELP,
    READ_UNTIL,
    REQUESTED_SLOT,
    contact_slot,
    lead_values,
    list_slot,
)
from bot import custom_fields
from bot.custom_answers import Context, CustomAnswer, read_answer
from bot.custom_fields import CustomField, LeadFields
from bot.errors import InvalidField, StoreUnavailable
from bot.settings import Settings
from bot.types import ContactId

logger = logging.getLogger(__name__)

CUSTOM_VALUE = "custom_field_value"
CUSTOM_FIELD = "custom_field"
CUSTOM_VALUES = "custom_values"
CUSTOM_SKIPPED = "custom_skipped"
# One failed answer is asked again in other words; after the second the field is set
# aside, as the conversation rules want (never the same words twice, then a way out).
SET_ASIDE_AFTER = 2
SKIP_BUTTON = {"title": "Skip", "payload": "/skip"}
_WHY = re.compile(
    r"\bwhy\b.*\b(?:need|want|ask|asking|matter|care|relevant|important|use)\b|"
    r"\bwhat(?:'s| is| do you need)? (?:it|that|this) for\b|\bwhat for\b",
    re.IGNORECASE,
)
_FILES: dict[Path, custom_fields.LeadFieldsFile] = {}


# Each type asked a second time in its own other words (domain.yml).
ASKED_AGAIN: dict[str, str] = {
    "text": "utter_custom_field_again_text",
    "choice": "utter_custom_field_again_choice",
    "number": "utter_custom_field_again_number",
    "date": "utter_custom_field_again_date",
    "email": "utter_custom_field_again_email",
    "phone": "utter_custom_field_again_phone",
    "yes_no": "utter_custom_field_again_yes_no",
}


def current_fields(settings: Settings) -> LeadFields:
    """The published fields; a file someone broke by hand asks nothing (and says so in
    the log) rather than breaking the lead form."""
    path = settings.lead_fields_file
    source = _FILES.setdefault(path, custom_fields.LeadFieldsFile(path))
    try:
        return source.current()
    except custom_fields.FieldsError as error:
        logger.error("%s is not a valid list of lead fields: %s", path, error)
        return custom_fields.EMPTY


def custom_values(tracker: Tracker) -> dict[str, str]:
    value = tracker.get_slot(CUSTOM_VALUES)
    if not isinstance(value, dict):
        return {}
    return {str(k): str(v) for k, v in value.items() if isinstance(v, str) and v}


def summary_lines(tracker: Tracker, settings: Settings) -> list[str]:
    """A line per current field, after the built-in ones: its label and its value as
    people read it."""
    values = custom_values(tracker)
    skipped = list_slot(tracker, CUSTOM_SKIPPED)
    lines = []
    for field in current_fields(settings):
        value = values.get(field.name)
        shown = field.shown(value) if value else None
        shown = shown or ("(skipped)" if field.name in skipped else "(not given)")
        lines.append(f"- {field.label}: {shown}")
    return lines


def buttons_for(field: CustomField) -> list[dict[str, str]]:
    """A button per option (its payload is its label, read back as that option), Yes and
    No for a yes/no, and Skip when the field may be left out."""
    buttons: list[dict[str, str]] = []
    if field.type == "choice":
        buttons = [{"title": o.label, "payload": o.label} for o in field.options]
    elif field.type == "yes_no":
        buttons = [{"title": "Yes", "payload": "yes"}, {"title": "No", "payload": "no"}]
    return [*buttons, SKIP_BUTTON] if field.optional else buttons


def asks_why(text: str, intent: str | None) -> bool:
    return intent == "ask_why_needed" or bool(_WHY.search(text))


class ActionAskCustomFieldValue(StoreBacked, Action):
    """The question of the field being asked: the field's own words the first time, then
    other words naming what a good answer looks like."""

    def name(self) -> str:
        return "action_ask_custom_field_value"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        field = current_fields(self.settings).get(str(tracker.get_slot(CUSTOM_FIELD) or ""))
        if field is None:
            return []  # removed by a publish since: the form moves on at the next message
        question = field.question_for(channel_of(tracker))
        buttons = buttons_for(field)
        if tracker.get_slot(NEEDS_HELP):
            dispatcher.utter_message(
                response="utter_custom_field_needed", question=question, buttons=buttons
            )
        elif int(tracker.get_slot(ATTEMPTS) or 0):
            dispatcher.utter_message(
                response=ASKED_AGAIN[field.type],
                question=question,
                buttons=buttons,
            )
        else:
            dispatcher.utter_message(text=question, buttons=buttons)
        return []


def _plain(number: Decimal) -> str:
    text = format(number.normalize(), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _range_of(field: CustomField) -> str:
    low, high = field.minimum, field.maximum
    if low is not None and high is not None:
        return f"from {_plain(low)} to {_plain(high)}"
    if low is not None:
        return f"at least {_plain(low)}"
    return f"at most {_plain(high)}" if high is not None else ""


class CustomFieldStep:
    """Reading, saving and moving on through the custom fields, for the lead form's
    validation (actions/lead_form.py), which decides first whether a message is an
    answer at all (interruptions, leaving, a code)."""

    def __init__(self, action: StoreBacked) -> None:
        self.action = action

    @property
    def fields(self) -> LeadFields:
        return current_fields(self.action.settings)

    def asked(self, tracker: Tracker) -> CustomField | None:
        return self.fields.get(str(tracker.get_slot(CUSTOM_FIELD) or ""))

    def read(self, tracker: Tracker, field: CustomField) -> CustomAnswer:
        settings = self.action.settings
        context = Context(
            today=datetime.now(timezone.utc).date(),
            region=settings.default_region,
            email_hint=lead_values(tracker).get("email"),
            caller=caller_number(tracker),
        )
        return read_answer(field, str(tracker.latest_message.get("text") or ""), context)

    async def next_events(
        self, tracker: Tracker, contact_id: ContactId | None = None
    ) -> list[EventType]:
        """Ask the first field not yet known for this contact nor set aside, or end the
        form. Values stored from earlier conversations count as known (and are shown in
        the summary)."""
        if not len(self.fields):
            return [SlotSet(REQUESTED_SLOT, None)]
        known = {
            **await self._stored(contact_id or contact_slot(tracker)),
            **custom_values(tracker),
        }
        skipped = set(list_slot(tracker, CUSTOM_SKIPPED))
        upcoming = next(
            (f for f in self.fields if f.name not in known and f.name not in skipped), None
        )
        events: list[EventType] = []
        if known != custom_values(tracker):
            events.append(SlotSet(CUSTOM_VALUES, known))
        if upcoming is None:
            return [*events, SlotSet(CUSTOM_FIELD, None), SlotSet(REQUESTED_SLOT, None)]
        return [
            *events,
            SlotSet(CUSTOM_FIELD, upcoming.name),
            SlotSet(ATTEMPTS, 0),
            SlotSet(NEEDS_HELP, False),
            SlotSet(REQUESTED_SLOT, CUSTOM_VALUE),
        ]

    async def answered(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        field: CustomField,
        answer: CustomAnswer,
    ) -> list[EventType]:
        """Events for an answer that is no interruption: saved, skipped or asked again."""
        read_until = SlotSet(READ_UNTIL, tracker.latest_message.get("message_id"))
        if answer.value is not None:
            return [read_until, *await self._save(dispatcher, tracker, field, answer.value)]
        if answer.declined and field.optional:
            dispatcher.utter_message(response="utter_field_skipped")
            return [read_until, *await self._set_aside(tracker, field)]
        attempts = int(tracker.get_slot(ATTEMPTS) or 0) + 1
        if attempts >= SET_ASIDE_AFTER:
            dispatcher.utter_message(response="utter_custom_field_set_aside")
            return [read_until, *await self._set_aside(tracker, field)]
        if answer.problem == "out_of_range":
            dispatcher.utter_message(
                response="utter_custom_field_out_of_range", range=_range_of(field)
            )
        # A required field turned down is asked once more, saying why it matters.
        return [
            read_until,
            SlotSet(ATTEMPTS, attempts),
            SlotSet(NEEDS_HELP, answer.declined),
            SlotSet(REQUESTED_SLOT, CUSTOM_VALUE),
        ]

    def help(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, field: CustomField
    ) -> list[EventType]:
        """The field's own reason, then its question again (the form asks it)."""
        dispatcher.utter_message(text=field.help)
        return [
            SlotSet(READ_UNTIL, tracker.latest_message.get("message_id")),
            SlotSet(REQUESTED_SLOT, CUSTOM_VALUE),
        ]

    async def _set_aside(self, tracker: Tracker, field: CustomField) -> list[EventType]:
        skipped = [*list_slot(tracker, CUSTOM_SKIPPED), field.name]
        tracker.slots[CUSTOM_SKIPPED] = skipped
        return [SlotSet(CUSTOM_SKIPPED, skipped), *await self.next_events(tracker)]

    async def _save(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, field: CustomField, value: str
    ) -> list[EventType]:
        values = {**custom_values(tracker), field.name: value}
        tracker.slots[CUSTOM_VALUES] = values
        events: list[EventType] = [SlotSet(CUSTOM_VALUES, values)]
        action = self.action
        try:
            contact_id = contact_slot(tracker) or await self._contact(tracker)
            await action.call_store(
                action.store.leads.set_custom_fields,
                contact_id,
                {field.name: value},
                channel=channel_of(tracker),
                conversation_id=conversation_id(tracker),
            )
            events.append(SlotSet(CONTACT_ID, contact_id))
        except StoreUnavailable as error:
            # Kept in the conversation (and its summary); the team still sees it there.
            logger.error("could not save custom field %s: %s", field.name, error)
            dispatcher.utter_message(response="utter_store_unavailable")
        except InvalidField as error:
            logger.error("the store refused custom field %s: %s", field.name, error)
        return [*events, *await self.next_events(tracker)]

    async def _contact(self, tracker: Tracker) -> ContactId:
        """The conversation's contact, made now if no detail made it yet."""
        action = self.action
        contact = await action.call_store(
            action.store.contacts.record_stated_details,
            channel_of(tracker),
            tracker.sender_id,
            {},
            conversation_id=conversation_id(tracker),
        )
        tracker.slots[CONTACT_ID] = contact.id
        return contact.id

    async def _stored(self, contact_id: ContactId | None) -> dict[str, str]:
        if not contact_id:
            return {}
        action = self.action
        try:
            return await action.call_store(action.store.leads.custom_fields, contact_id)
        except (StoreUnavailable, LookupError) as error:
            logger.warning("could not read stored custom fields: %s", error)
            return {}
