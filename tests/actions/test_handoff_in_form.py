"""Asking for a person mid-form: once to be told, twice to be passed on (no repeats)."""

from __future__ import annotations

from typing import Any

from rasa_sdk.executor import CollectingDispatcher

from actions.handoff_in_form import ActionHandoffInForm
from tests.actions.conftest import make_tracker

EMAIL_GIVEN = {
    "lead_name": "Grace Kim",
    "lead_email": "grace@northpeak.com",
    "skipped_fields": ["phone"],
    "requested_slot": "lead_company",
}


def told_before(tracker: Any) -> Any:
    said = {"event": "bot", "text": "...", "metadata": {"utter_action": "utter_handoff_in_form"}}
    tracker.events.insert(0, said)
    return tracker


async def run(tracker: Any) -> tuple[list[dict[str, Any]], list[str]]:
    dispatcher = CollectingDispatcher()
    events = await ActionHandoffInForm().run(dispatcher, tracker, {})
    return events, [m["response"] for m in dispatcher.messages]


async def test_the_first_request_is_answered_and_the_form_goes_on() -> None:
    events, said = await run(
        make_tracker("just get me a person", intent="human_handoff", slots=EMAIL_GIVEN)
    )
    assert said == ["utter_handoff_in_form"] and events == []


async def test_asked_again_the_questions_left_are_skipped_in_other_words() -> None:
    tracker = told_before(
        make_tracker("just get me a person", intent="human_handoff", slots=EMAIL_GIVEN)
    )
    events, said = await run(tracker)
    assert said == ["utter_handoff_insisted"]
    [skipped] = [e["value"] for e in events if e.get("name") == "skipped_fields"]
    assert skipped == ["phone", "company", "role", "need"]


async def test_without_a_way_to_reach_them_only_that_is_asked_for() -> None:
    tracker = told_before(
        make_tracker("a human please", intent="human_handoff", slots={"lead_name": "Grace Kim"})
    )
    events, said = await run(tracker)
    assert said == ["utter_handoff_need_contact"]
    # "An email or a phone is all I still need": nothing else is asked before them.
    [skipped] = [e["value"] for e in events if e.get("name") == "skipped_fields"]
    assert skipped == ["company", "role", "need"]


def told_twice(tracker: Any) -> Any:
    """Told a person would follow up, then that an email or a phone is needed."""
    need = {
        "event": "bot",
        "text": "...",
        "metadata": {"utter_action": "utter_handoff_need_contact"},
    }
    told_before(tracker).events.insert(1, need)
    return tracker


async def test_refused_a_third_time_the_form_ends_saying_why_not_the_same_words() -> None:
    tracker = told_twice(make_tracker("I'll tell the person, not you", intent="human_handoff"))
    events, said = await run(tracker)
    assert said == ["utter_handoff_cannot_reach"]
    assert {"event": "active_loop", "name": None} in [
        {k: e.get(k) for k in ("event", "name")} for e in events
    ]


async def test_refused_a_third_time_on_web_chat_the_team_answers_in_the_chat() -> None:
    tracker = told_twice(
        make_tracker(
            "I'll tell the person, not you",
            intent="human_handoff",
            metadata={"parley_channel": "web"},
        )
    )
    events, said = await run(tracker)
    # The inbox (#20) puts the team's reply into the open widget: no email needed.
    assert said == []
    assert {"event": "followup", "name": "action_human_handoff"} in [
        {k: e.get(k) for k in ("event", "name")} for e in events
    ]


async def test_a_caller_asking_again_is_put_through_on_the_number_they_call_from() -> None:
    tracker = told_before(
        make_tracker(
            "can i just talk to someone",
            intent="human_handoff",
            slots={"lead_name": "Grace Kim"},
            metadata={"parley_channel": "voice", "caller": "+447700900341"},
        )
    )
    events, said = await run(tracker)
    assert said == []
    assert {"event": "followup", "name": "action_human_handoff"} in [
        {k: e.get(k) for k in ("event", "name")} for e in events
    ]


async def test_the_email_turned_down_while_asking_for_a_person_asks_the_phone_then_the_rest() -> (
    None
):
    events, said = await run(
        make_tracker(
            "no you don't need my email just get somebody to ring me",
            intent="human_handoff",
            slots={"requested_slot": "lead_email", "lead_name": "Gary Pilkington"},
        )
    )
    assert said == ["utter_handoff_reach_you"]
    slots = {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
    assert slots["requested_slot"] == "lead_phone"
    assert "email" in slots["skipped_fields"]
    assert not {"company", "role", "need"} & set(slots["skipped_fields"])


async def test_a_person_asked_for_without_turning_the_question_down_is_the_first_request() -> None:
    _, said = await run(
        make_tracker(
            "just get someone to call me",
            intent="human_handoff",
            slots={"requested_slot": "lead_email", "lead_name": "Gary Pilkington"},
        )
    )
    assert said == ["utter_handoff_in_form"]


async def test_a_name_given_with_the_request_is_kept() -> None:
    events, said = await run(
        make_tracker(
            "it's wade lindqvist now can i get a person",
            intent="human_handoff",
            slots={"requested_slot": "lead_name"},
        )
    )
    assert said == ["utter_handoff_in_form"]
    assert {"event": "slot", "name": "lead_name", "value": "wade lindqvist"} in [
        {k: e.get(k) for k in ("event", "name", "value")} for e in events
    ]


async def test_no_name_is_read_from_a_bare_request() -> None:
    events, _ = await run(
        make_tracker(
            "can i just talk to a person",
            intent="human_handoff",
            slots={"requested_slot": "lead_name"},
        )
    )
    assert not [e for e in events if e.get("name") == "lead_name"]
