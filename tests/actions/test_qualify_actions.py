"""Qualifying questions and routing with real trackers, a real store and the real rubric."""

from __future__ import annotations

from typing import Any

from rasa_sdk.events import FollowupAction
from rasa_sdk.executor import CollectingDispatcher

from actions.qualify import ActionRouteLead, ActionStartQualification, ValidateQualifyForm
from bot.settings import Settings
from bot.store import ProfileStore
from tests.actions.conftest import make_tracker, responses, slot_events

DOMAIN: dict[str, Any] = {}


def _contact(store: ProfileStore) -> str:
    contact = store.update_lead_fields(
        "rest", "visitor-1", {"name": "Dana", "email": "dana@acme.io"}, "visitor-1"
    )
    return contact.id


async def _validate(
    store: ProfileStore, settings: Settings, text: str, requested: str, **slots: Any
) -> tuple[dict[str, Any], list[str]]:
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(
        text, intent=slots.pop("intent", "inform"), slots={"requested_slot": requested, **slots}
    )
    events = await ValidateQualifyForm(store=store, settings=settings).run(
        dispatcher, tracker, DOMAIN
    )
    return slot_events(events), responses(dispatcher)


async def test_free_text_answer_is_read_saved_and_next_question_asked(
    store: ProfileStore, settings: Settings
) -> None:
    contact_id = _contact(store)
    slots, said = await _validate(
        store, settings, "we're about 40 people", "qual_company_size", contact_id=contact_id
    )
    assert slots["qual_company_size"] == "11-50"
    assert slots["requested_slot"] == "qual_authority"
    assert said == []
    assert store.qualification_of(contact_id)["company_size"] == "11-50"


async def test_small_company_skips_the_budget_question(
    store: ProfileStore, settings: Settings
) -> None:
    contact_id = _contact(store)
    slots, _ = await _validate(
        store,
        settings,
        "I decide",
        "qual_authority",
        contact_id=contact_id,
        qual_company_size="1-10",
    )
    assert slots["qual_authority"] == "decides"
    assert slots["requested_slot"] == "qual_timeline"


async def test_unreadable_answer_is_asked_again_then_set_aside(
    store: ProfileStore, settings: Settings
) -> None:
    contact_id = _contact(store)
    slots, said = await _validate(
        store, settings, "purple elephants", "qual_budget", contact_id=contact_id
    )
    assert slots["requested_slot"] == "qual_budget"
    assert said == ["utter_qualify_not_understood"]
    slots, said = await _validate(
        store, settings, "purple elephants", "qual_budget", contact_id=contact_id, qual_attempts=1
    )
    assert "budget" in slots["qual_skipped"]
    assert said == ["utter_qualify_skipped"]
    assert "budget" not in store.qualification_of(contact_id)


async def test_not_sure_skips_at_once(store: ProfileStore, settings: Settings) -> None:
    contact_id = _contact(store)
    slots, said = await _validate(
        store,
        settings,
        "not sure",
        "qual_budget",
        contact_id=contact_id,
        qual_company_size="11-50",
        qual_authority="decides",
    )
    assert slots["qual_skipped"] == ["budget"]
    assert slots["requested_slot"] == "qual_timeline"
    assert said == ["utter_qualify_skipped"]


async def test_a_question_is_not_an_answer(store: ProfileStore, settings: Settings) -> None:
    contact_id = _contact(store)
    slots, _ = await _validate(
        store,
        settings,
        "are you a bot?",
        "qual_timeline",
        contact_id=contact_id,
        intent="bot_challenge",
    )
    assert slots == {}


async def test_start_asks_only_what_is_unknown(store: ProfileStore, settings: Settings) -> None:
    contact_id = _contact(store)
    store.record_qualification(
        contact_id,
        {"company_size": "51-200", "authority": "decides"},
        channel="rest",
        conversation_id="earlier",
    )
    dispatcher = CollectingDispatcher()
    tracker = make_tracker("yes", intent="affirm", slots={"contact_id": contact_id})
    events = await ActionStartQualification(store=store, settings=settings).run(
        dispatcher, tracker, DOMAIN
    )
    slots = slot_events(events)
    assert slots["qual_company_size"] == "51-200"
    assert slots["requested_slot"] == "qual_budget"
    assert FollowupAction("qualify_form") in events


async def test_start_routes_at_once_when_all_is_known(
    store: ProfileStore, settings: Settings
) -> None:
    contact_id = _contact(store)
    store.record_qualification(
        contact_id,
        {"company_size": "51-200", "authority": "decides", "budget": "over_50k", "timeline": "now"},
        channel="rest",
        conversation_id="earlier",
    )
    tracker = make_tracker("yes", intent="affirm", slots={"contact_id": contact_id})
    events = await ActionStartQualification(store=store, settings=settings).run(
        CollectingDispatcher(), tracker, DOMAIN
    )
    assert FollowupAction("action_route_lead") in events


async def test_a_strong_lead_is_offered_a_person_and_a_weak_one_a_close(
    store: ProfileStore, settings: Settings
) -> None:
    strong = _contact(store)
    store.update_lead_fields("rest", "visitor-1", {"role": "VP of Marketing"}, "visitor-1")
    store.record_qualification(
        strong,
        {
            "company_size": "201-1000",
            "authority": "decides",
            "budget": "over_50k",
            "timeline": "now",
        },
        channel="rest",
        conversation_id="visitor-1",
    )
    store.record_event(strong, "requested_demo", {})
    store.record_event(strong, "asked_pricing", {})
    dispatcher = CollectingDispatcher()
    events = await ActionRouteLead(store=store, settings=settings).run(
        dispatcher, make_tracker("x", slots={"contact_id": strong, "lead_name": "Dana"}), DOMAIN
    )
    assert slot_events(events)["lead_grade"] == "A"
    assert responses(dispatcher) == ["utter_route_hot"]

    weak = store.update_lead_fields("rest", "visitor-2", {"name": "Sam"}, "visitor-2").id
    store.record_qualification(
        weak,
        {"company_size": "1-10", "authority": "researching", "timeline": "later"},
        channel="rest",
        conversation_id="visitor-2",
    )
    dispatcher = CollectingDispatcher()
    events = await ActionRouteLead(store=store, settings=settings).run(
        dispatcher,
        make_tracker("x", sender="visitor-2", slots={"contact_id": weak, "lead_name": "Sam"}),
        DOMAIN,
    )
    assert slot_events(events)["lead_grade"] in ("C", "D")
    assert responses(dispatcher) == ["utter_route_close"]
