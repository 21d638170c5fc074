"""The marketers' own lead fields in the lead form, with real trackers and a real store."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.custom_fields import ActionAskCustomFieldValue
from actions.lead import ActionSubmitLead
from actions.lead_form import ValidateLeadForm
from bot.settings import Settings, load_settings
from bot.store import ProfileStore
from bot.types import ContactId
from tests.actions.conftest import make_tracker, responses, slot_events

LEAD_FIELDS = """
version: 1
fields:
  - name: heard_from
    label: How they heard of us
    type: choice
    question: How did you hear about us?
    channels: {voice: "How did you hear about us? Say search, a friend, or an event."}
    help: It tells us which of our channels work.
    optional: true
    options:
      - {id: search, label: Search engine, phrasings: [google, bing]}
      - {id: friend, label: A friend, phrasings: [word of mouth]}
      - {id: event, label: An event, phrasings: [conference, trade show]}
  - name: seats
    label: Seats
    type: number
    question: How many people would use it?
    optional: false
    min: 1
    max: 5000
  - name: newsletter
    label: Newsletter
    type: yes_no
    question: Would you like our monthly newsletter?
"""
BUILT_IN_DONE = {
    "lead_name": "Dana Reyes",
    "lead_email": "dana@acme.io",
    "lead_company": "Acme",
    "lead_role": "CMO",
    "skipped_fields": ["phone"],
}
DOMAIN: dict[str, Any] = {}


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    fields = tmp_path / "lead_fields.yml"
    fields.write_text(LEAD_FIELDS, encoding="utf-8")
    return load_settings(
        environ={
            "PARLEY_DATA_DIR": str(tmp_path),
            "PARLEY_COMPANY_NAME": "Acme Test Co",
            "PARLEY_LEAD_FIELDS_FILE": str(fields),
        },
        dotenv=tmp_path / "none.env",
    )


def _contact(store: ProfileStore) -> ContactId:
    contact = store.contacts.record_stated_details(
        "rest", "visitor-1", {"name": "Dana Reyes"}, conversation_id="visitor-1"
    )
    return contact.id


async def _validate(
    store: ProfileStore, settings: Settings, text: str, **kwargs: Any
) -> tuple[dict[str, Any], list[str], CollectingDispatcher]:
    dispatcher = CollectingDispatcher()
    action = ValidateLeadForm(store=store, settings=settings)
    events = await action.run(dispatcher, make_tracker(text, **kwargs), DOMAIN)
    return slot_events(events), responses(dispatcher), dispatcher


def _asking(field: str, contact: ContactId, **slots: Any) -> dict[str, Any]:
    return {
        **BUILT_IN_DONE,
        "requested_slot": "custom_field_value",
        "custom_field": field,
        "contact_id": contact,
        **slots,
    }


async def test_the_last_built_in_answer_leads_to_the_first_custom_field(
    store: ProfileStore, settings: Settings
) -> None:
    slots, _, _ = await _validate(
        store,
        settings,
        "follow up faster with web leads",
        slots={**BUILT_IN_DONE, "requested_slot": "lead_need"},
    )
    assert slots["lead_need"] == "follow up faster with web leads"
    assert (slots["requested_slot"], slots["custom_field"]) == ("custom_field_value", "heard_from")


async def test_the_form_is_told_only_of_the_custom_field_as_its_next_question(
    store: ProfileStore, settings: Settings
) -> None:
    # Rasa's form asks for the first requested slot the validation sets: an earlier
    # "nothing left" would make it ask the first empty built-in slot (a skipped phone).
    dispatcher = CollectingDispatcher()
    action = ValidateLeadForm(store=store, settings=settings)
    tracker = make_tracker(
        "follow up faster with web leads", slots={**BUILT_IN_DONE, "requested_slot": "lead_need"}
    )
    events = await action.run(dispatcher, tracker, DOMAIN)
    requested = [e["value"] for e in events if e.get("name") == "requested_slot"]
    assert requested == ["custom_field_value"]


async def test_a_field_known_from_an_earlier_conversation_is_not_asked_again(
    store: ProfileStore, settings: Settings
) -> None:
    contact = _contact(store)
    store.leads.set_custom_fields(contact, {"heard_from": "event"}, channel="web")
    slots, _, _ = await _validate(
        store,
        settings,
        "follow up faster with web leads",
        slots={**BUILT_IN_DONE, "requested_slot": "lead_need", "contact_id": contact},
    )
    assert slots["custom_field"] == "seats"
    assert slots["custom_values"] == {"heard_from": "event"}


async def test_the_question_has_a_button_per_option_and_skip(settings: Settings) -> None:
    dispatcher = CollectingDispatcher()
    tracker = make_tracker("Dana", slots=_asking("heard_from", ContactId("c")))
    action = ActionAskCustomFieldValue(settings=settings)
    await action.run(dispatcher, tracker, DOMAIN)
    [message] = dispatcher.messages
    assert message["text"] == "How did you hear about us?"
    titles = [b["title"] for b in message["buttons"]]
    assert titles == ["Search engine", "A friend", "An event", "Skip"]


async def test_a_caller_hears_the_voice_question_with_the_menu(settings: Settings) -> None:
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(
        "Dana", slots=_asking("heard_from", ContactId("c")), metadata={"parley_channel": "voice"}
    )
    await ActionAskCustomFieldValue(settings=settings).run(dispatcher, tracker, DOMAIN)
    [message] = dispatcher.messages
    assert message["text"] == "How did you hear about us? Say search, a friend, or an event."
    assert [b["payload"] for b in message["buttons"]][:3] == [
        "Search engine",
        "A friend",
        "An event",
    ]


async def test_the_second_ask_uses_other_words_than_the_first(settings: Settings) -> None:
    first, second = CollectingDispatcher(), CollectingDispatcher()
    action = ActionAskCustomFieldValue(settings=settings)
    await action.run(first, make_tracker("x", slots=_asking("seats", ContactId("c"))), DOMAIN)
    await action.run(
        second,
        make_tracker("x", slots=_asking("seats", ContactId("c"), field_attempts=1)),
        DOMAIN,
    )
    assert first.messages[0]["text"] == "How many people would use it?"
    assert first.messages[0]["buttons"] == []  # required: no Skip
    assert second.messages[0]["response"] == "utter_custom_field_again_number"
    assert second.messages[0]["question"] == "How many people would use it?"


async def test_a_good_answer_is_stored_and_the_next_field_asked(
    store: ProfileStore, settings: Settings
) -> None:
    contact = _contact(store)
    slots, said, _ = await _validate(
        store, settings, "a mate told me, word of mouth", slots=_asking("heard_from", contact)
    )
    assert store.leads.custom_fields(contact) == {"heard_from": "friend"}
    assert slots["custom_values"] == {"heard_from": "friend"}
    assert (slots["custom_field"], slots["requested_slot"]) == ("seats", "custom_field_value")
    assert said == []


async def test_a_caller_keys_the_option_and_it_is_stored(
    store: ProfileStore, settings: Settings
) -> None:
    # The phone channel turns "press 3" into the third button's payload.
    contact = _contact(store)
    await _validate(
        store,
        settings,
        "An event",
        slots=_asking("heard_from", contact),
        metadata={"parley_channel": "voice"},
    )
    assert store.leads.custom_fields(contact) == {"heard_from": "event"}


async def test_a_bad_answer_is_asked_again_then_set_aside(
    store: ProfileStore, settings: Settings
) -> None:
    contact = _contact(store)
    first, said_first, _ = await _validate(
        store, settings, "quite a lot of them", slots=_asking("seats", contact)
    )
    assert (first["field_attempts"], first["requested_slot"]) == (1, "custom_field_value")
    assert said_first == []  # the ask action words the second try
    answered = {"custom_values": {"heard_from": "search"}}
    second, said_second, _ = await _validate(
        store,
        settings,
        "hard to say really",
        slots=_asking("seats", contact, field_attempts=1, **answered),
    )
    assert said_second == ["utter_custom_field_set_aside"]
    assert second["custom_skipped"] == ["seats"]
    assert second["custom_field"] == "newsletter"  # on to the next field
    assert store.leads.custom_fields(contact) == {}  # nothing read, nothing stored


async def test_a_number_out_of_range_says_the_range(
    store: ProfileStore, settings: Settings
) -> None:
    contact = _contact(store)
    _, said, dispatcher = await _validate(
        store, settings, "about 9.000", slots=_asking("seats", contact)
    )
    assert said == ["utter_custom_field_out_of_range"]
    assert dispatcher.messages[0]["range"] == "from 1 to 5000"
    assert store.leads.custom_fields(contact) == {}


async def test_an_optional_field_is_skipped_on_a_refusal(
    store: ProfileStore, settings: Settings
) -> None:
    contact = _contact(store)
    slots, said, _ = await _validate(
        store, settings, "I'd rather not say", slots=_asking("heard_from", contact)
    )
    assert said == ["utter_field_skipped"]
    assert slots["custom_skipped"] == ["heard_from"]
    assert slots["custom_field"] == "seats"


async def test_a_required_field_refused_is_asked_once_more_saying_why(
    store: ProfileStore, settings: Settings
) -> None:
    contact = _contact(store)
    slots, _, _ = await _validate(store, settings, "skip", slots=_asking("seats", contact))
    assert (slots["needs_help"], slots["field_attempts"]) == (True, 1)
    dispatcher = CollectingDispatcher()
    tracker = make_tracker("skip", slots=_asking("seats", contact, **slots))
    await ActionAskCustomFieldValue(settings=settings).run(dispatcher, tracker, DOMAIN)
    assert responses(dispatcher) == ["utter_custom_field_needed"]
    again, said, _ = await _validate(
        store, settings, "skip", slots=_asking("seats", contact, **slots)
    )
    assert said == ["utter_custom_field_set_aside"]
    assert again["custom_skipped"] == ["seats"]


async def test_why_gets_the_fields_help_and_the_question_again(
    store: ProfileStore, settings: Settings
) -> None:
    contact = _contact(store)
    slots, _, dispatcher = await _validate(
        store,
        settings,
        "why do you need to know that?",
        intent="ask_why_needed",
        slots=_asking("heard_from", contact),
    )
    assert [m["text"] for m in dispatcher.messages] == ["It tells us which of our channels work."]
    assert slots["requested_slot"] == "custom_field_value"
    assert store.leads.custom_fields(contact) == {}


async def test_why_without_help_text_is_left_to_the_rules(
    store: ProfileStore, settings: Settings
) -> None:
    contact = _contact(store)
    events = await ValidateLeadForm(store=store, settings=settings).run(
        CollectingDispatcher(),
        make_tracker(
            "why do you need that?", intent="ask_why_needed", slots=_asking("seats", contact)
        ),
        DOMAIN,
    )
    assert events == []


async def test_a_question_mid_field_is_left_to_the_rules(
    store: ProfileStore, settings: Settings
) -> None:
    contact = _contact(store)
    events = await ValidateLeadForm(store=store, settings=settings).run(
        CollectingDispatcher(),
        make_tracker(
            "how much does it cost?", intent="ask_pricing", slots=_asking("heard_from", contact)
        ),
        DOMAIN,
    )
    assert events == []
    assert store.leads.custom_fields(contact) == {}


async def test_the_summary_shows_custom_fields_by_label(
    store: ProfileStore, settings: Settings
) -> None:
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(
        "12",
        slots={
            **BUILT_IN_DONE,
            "custom_values": {"heard_from": "friend"},
            "custom_skipped": ["seats"],
        },
    )
    await ActionSubmitLead(store=store, settings=settings).run(dispatcher, tracker, DOMAIN)
    summary = dispatcher.messages[0]["summary"]
    assert "- How they heard of us: A friend" in summary
    assert "- Seats: (skipped)" in summary


async def test_a_bare_no_answers_a_yes_no_field_rather_than_skipping_it(
    store: ProfileStore, settings: Settings
) -> None:
    contact = _contact(store)
    slots, said, _ = await _validate(
        store, settings, "no", intent="deny", slots=_asking("newsletter", contact)
    )
    assert store.leads.custom_fields(contact) == {"newsletter": "no"}
    assert said == [] and "newsletter" not in slots.get("custom_skipped", [])


async def test_the_skip_button_sets_an_optional_field_aside(
    store: ProfileStore, settings: Settings
) -> None:
    contact = _contact(store)
    slots, said, _ = await _validate(
        store, settings, "/skip", intent="skip", slots=_asking("newsletter", contact)
    )
    assert said == ["utter_field_skipped"]
    assert slots["custom_skipped"] == ["newsletter"]
    assert store.leads.custom_fields(contact) == {}
