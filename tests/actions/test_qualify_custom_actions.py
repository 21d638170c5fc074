"""Custom qualifying questions with real trackers, a real store and the real rubric: asked
with buttons (read out on a call), answered in free text or by button, not understood
then set aside, stored, and scored."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.qualify import ActionStartQualification, ValidateQualifyForm
from actions.qualify_custom import ActionAskQualCustom
from bot.scoring import load_content_rubric, score_contact
from bot.settings import Settings
from bot.store import ProfileStore
from tests.actions.conftest import make_tracker, responses, slot_events

DOMAIN: dict[str, Any] = {}
NOW = datetime(2026, 12, 1, tzinfo=timezone.utc)
QUESTIONS = """\
questions:
  - field: company_size
  - id: crm
    text: Which CRM does your team use today?
    voice: Which CRM does your team use at the moment?
    options:
      - id: hubspot
        label: HubSpot
        phrasings: [hubspot, we are on hubspot]
      - id: salesforce
        label: Salesforce
        phrasings: [salesforce, sales cloud, SFDC]
      - id: none
        label: No CRM yet
        voice: None yet
        phrasings: ["we don't have one", no crm, nothing at the moment]
    skip_when:
      company_size: ["1-10"]
  - field: budget
    skip_when:
      crm: [none]
"""


@pytest.fixture
def custom(settings: Settings, tmp_path: Path) -> Settings:
    questions = tmp_path / "qualification.yml"
    questions.write_text(QUESTIONS, encoding="utf-8")
    scoring = tmp_path / "scoring.yml"
    rubric = settings.scoring_file.read_text(encoding="utf-8")
    scoring.write_text(
        rubric.replace(
            "fit:\n", "fit:\n  - field: crm\n    points: {salesforce: 30, hubspot: 20, none: 0}\n"
        ),
        encoding="utf-8",
    )
    return replace(settings, qualification_file=questions, scoring_file=scoring)


def _contact(store: ProfileStore) -> str:
    contact = store.leads.update_fields(
        "rest", "visitor-1", {"name": "Dana", "email": "dana@acme.io"}, "visitor-1"
    )
    return contact.id


async def _validate(
    store: ProfileStore, settings: Settings, text: str, **slots: Any
) -> tuple[dict[str, Any], list[str]]:
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(
        text,
        intent=slots.pop("intent", "inform"),
        slots={"requested_slot": "qual_custom", "qual_custom_question": "crm", **slots},
    )
    events = await ValidateQualifyForm(store=store, settings=settings).run(
        dispatcher, tracker, DOMAIN
    )
    return slot_events(events), responses(dispatcher)


async def _ask(settings: Settings, channel: str, attempts: int = 0) -> dict[str, Any]:
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(
        "11-50",
        slots={"qual_custom_question": "crm", "qual_attempts": attempts},
        metadata={"parley_channel": channel},
    )
    assert await ActionAskQualCustom(settings=settings).run(dispatcher, tracker, DOMAIN) == []
    [message] = dispatcher.messages
    return message


async def test_the_answer_before_a_custom_question_asks_it(
    store: ProfileStore, custom: Settings
) -> None:
    contact_id = _contact(store)
    dispatcher = CollectingDispatcher()
    tracker = make_tracker("about 40 of us", slots={"requested_slot": "qual_company_size"})
    tracker.slots["contact_id"] = contact_id
    events = await ValidateQualifyForm(store=store, settings=custom).run(
        dispatcher, tracker, DOMAIN
    )
    slots = slot_events(events)
    assert slots["qual_company_size"] == "11-50"
    assert slots["requested_slot"] == "qual_custom"
    assert slots["qual_custom_question"] == "crm"
    assert slots["qual_custom"] is None


async def test_a_skip_condition_on_a_built_in_answer_leaves_the_custom_question_out(
    store: ProfileStore, custom: Settings
) -> None:
    dispatcher = CollectingDispatcher()
    tracker = make_tracker("just me", slots={"requested_slot": "qual_company_size"})
    events = await ValidateQualifyForm(store=store, settings=custom).run(
        dispatcher, tracker, DOMAIN
    )
    assert slot_events(events)["requested_slot"] == "qual_budget"


async def test_the_question_is_asked_with_its_options_as_buttons(custom: Settings) -> None:
    message = await _ask(custom, "web")
    assert message["response"] == "utter_ask_qual_custom"
    assert message["question"] == "Which CRM does your team use today?"
    assert [b["title"] for b in message["buttons"]] == ["HubSpot", "Salesforce", "No CRM yet"]


async def test_a_caller_hears_the_voice_wording_and_menu(custom: Settings) -> None:
    message = await _ask(custom, "voice")
    assert message["question"] == "Which CRM does your team use at the moment?"
    assert [b["title"] for b in message["buttons"]] == ["HubSpot", "Salesforce", "None yet"]
    # Pressing 3 or saying "none yet" sends the payload, which reads as that option.
    assert message["buttons"][2]["payload"] == "No CRM yet"


async def test_the_second_asking_is_in_other_words(custom: Settings) -> None:
    message = await _ask(custom, "web", attempts=1)
    assert message["response"] == "utter_ask_qual_custom_again"
    assert message["options"] == "HubSpot, Salesforce or No CRM yet"
    assert len(message["buttons"]) == 3


@pytest.mark.parametrize(
    ("said", "option"),
    [("No CRM yet", "none"), ("we're mostly running on salesforce", "salesforce")],
)
async def test_a_button_or_free_text_is_stored_and_the_next_question_asked(
    store: ProfileStore, custom: Settings, said: str, option: str
) -> None:
    contact_id = _contact(store)
    slots, said_back = await _validate(
        store, custom, said, contact_id=contact_id, qual_company_size="11-50"
    )
    assert slots["qual_custom"] == option
    assert slots["qual_custom_answers"] == {"crm": option}
    assert said_back == []
    assert store.leads.qualification(contact_id)["crm"] == option
    # "No CRM yet" leaves the budget out (its skip names the custom question).
    assert slots["requested_slot"] == (None if option == "none" else "qual_budget")


async def test_not_understood_is_asked_again_then_set_aside_and_nothing_stored(
    store: ProfileStore, custom: Settings
) -> None:
    contact_id = _contact(store)
    known = {"contact_id": contact_id, "qual_company_size": "11-50"}
    slots, said = await _validate(store, custom, "purple elephants", **known)
    assert said == ["utter_qualify_not_understood"]
    assert slots["requested_slot"] == "qual_custom"
    assert slots["qual_custom_question"] == "crm"
    assert slots["qual_attempts"] == 1
    slots, said = await _validate(
        store, custom, "hubspot or salesforce, it depends", qual_attempts=1, **known
    )
    assert said == ["utter_qualify_skipped"]
    assert slots["qual_skipped"] == ["crm"]
    assert slots["requested_slot"] == "qual_budget"
    assert "crm" not in store.leads.qualification(contact_id)


async def test_not_sure_sets_it_aside_at_once(store: ProfileStore, custom: Settings) -> None:
    slots, said = await _validate(store, custom, "not sure, to be honest")
    assert said == ["utter_qualify_skipped"]
    assert slots["qual_skipped"] == ["crm"]


async def test_start_knows_stored_custom_answers_and_asks_what_is_left(
    store: ProfileStore, custom: Settings
) -> None:
    contact_id = _contact(store)
    store.leads.record_qualification(
        contact_id, {"company_size": "51-200"}, channel="rest", conversation_id="earlier"
    )
    dispatcher = CollectingDispatcher()
    tracker = make_tracker("yes", slots={"contact_id": contact_id})
    events = await ActionStartQualification(store=store, settings=custom).run(
        dispatcher, tracker, DOMAIN
    )
    slots = slot_events(events)
    assert slots["requested_slot"] == "qual_custom"
    assert slots["qual_custom_question"] == "crm"
    store.leads.record_qualification(
        contact_id, {"crm": "salesforce"}, channel="rest", conversation_id="earlier"
    )
    events = await ActionStartQualification(store=store, settings=custom).run(
        CollectingDispatcher(), tracker, DOMAIN
    )
    slots = slot_events(events)
    assert slots["qual_custom_answers"] == {"crm": "salesforce"}
    assert slots["requested_slot"] == "qual_budget"


async def test_a_custom_answer_gets_its_rubric_points(
    store: ProfileStore, custom: Settings
) -> None:
    contact_id = _contact(store)
    await _validate(store, custom, "Salesforce", contact_id=contact_id)
    rubric = load_content_rubric(custom.scoring_file, custom.qualification_file)
    result = score_contact(store, contact_id, rubric=rubric, now=NOW)
    assert "+30 crm salesforce" in [r.detail for r in result.reasons]
