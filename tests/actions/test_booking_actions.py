"""Picking a meeting time in the booking form, with a real store and calendar settings."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

from rasa_sdk.executor import CollectingDispatcher

from actions.answers import RESPONSE_KEY as RESPONSE
from actions.booking import (
    ATTEMPTS,
    CHOSEN,
    OFFERED,
    ActionAskMeetingSlot,
    ActionStartBooking,
    ValidateBookingForm,
)
from bot.settings import Settings
from bot.store import ProfileStore
from tests.actions.conftest import make_tracker, responses, slot_events

START = datetime(2030, 1, 8, 10, 0, tzinfo=timezone.utc)
TIMES = [(START + timedelta(minutes=30 * i)).isoformat() for i in range(3)]


async def _pick(
    store: ProfileStore,
    settings: Settings,
    text: str,
    attempts: int = 0,
    *,
    intent: str = "inform",
    before: tuple[dict[str, Any], ...] = (),
) -> tuple[dict[str, Any], list[str]]:
    """The booking form's reading of `text` to the times offered (`before`: earlier events)."""
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(
        text,
        intent=intent,
        slots={OFFERED: TIMES, ATTEMPTS: attempts, "requested_slot": CHOSEN},
    )
    tracker.events[:0] = list(before)
    events = await ValidateBookingForm(store=store, settings=settings).run(dispatcher, tracker, {})
    return slot_events(events), responses(dispatcher)


async def test_the_earliest_is_picked_when_the_choice_is_left_to_us(
    store: ProfileStore, settings: Settings
) -> None:
    slots, said = await _pick(store, settings, "earliest is fine")
    assert slots[CHOSEN] == TIMES[0] and said == []


async def test_a_reply_matching_no_time_is_never_answered_with_the_same_words_twice(
    store: ProfileStore, settings: Settings
) -> None:
    _, first = await _pick(store, settings, "the blue one")
    _, second = await _pick(store, settings, "the blue one", attempts=1)
    assert first == ["utter_meeting_not_understood"]
    assert second == ["utter_meeting_how_to_pick"]
    slots, third = await _pick(store, settings, "the blue one", attempts=2)
    assert third == ["utter_route_declined"] and slots[CHOSEN] is None


async def test_none_of_those_offers_the_next_free_times_without_counting_a_failure(
    store: ProfileStore, settings: Settings
) -> None:
    action = ValidateBookingForm(store=store, settings=settings)
    first = await action.free_times()
    assert len(first) == 3
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(
        "none of those work i'm afraid, do you have anything later?",
        slots={OFFERED: [t.isoformat() for t in first], ATTEMPTS: 0, "requested_slot": CHOSEN},
    )
    slots = slot_events(await action.run(dispatcher, tracker, {}))
    assert responses(dispatcher) == ["utter_meeting_times"]
    later = [datetime.fromisoformat(t) for t in slots[OFFERED]]
    assert later and min(later) > max(first)
    assert ATTEMPTS not in slots and slots.get(CHOSEN) is None


async def test_none_of_those_past_the_last_free_time_says_so(
    store: ProfileStore, settings: Settings
) -> None:
    slots, said = await _pick(store, settings, "none of those, anything next week?")
    assert said == ["utter_no_later_meeting_slots"] and ATTEMPTS not in slots


async def test_the_later_times_offered_are_not_taken_back_by_the_forms_question(
    store: ProfileStore, settings: Settings
) -> None:
    ask = ActionAskMeetingSlot(store=store, settings=settings)
    tracker = make_tracker("none of these suit me", slots={OFFERED: TIMES})
    tracker.events.append(
        {
            "event": "bot",
            "text": "Here are the next free times",
            "metadata": {RESPONSE: "utter_meeting_times"},
        }
    )
    dispatcher = CollectingDispatcher()
    assert await ask.run(dispatcher, tracker, {}) == [] and dispatcher.messages == []
    # At the start of the form, nothing offered yet this turn: the times are offered.
    fresh = make_tracker("book a meeting", slots={OFFERED: None})
    dispatcher = CollectingDispatcher()
    events = await ask.run(dispatcher, fresh, {})
    assert responses(dispatcher) == ["utter_meeting_times"] and slot_events(events)[OFFERED]


async def test_no_way_to_send_the_invitation_after_the_details_were_asked_says_so_once(
    store: ProfileStore, settings: Settings
) -> None:
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(
        "let's just pick a time", intent="book_meeting", slots={"lead_captured": True}
    )
    events = await ActionStartBooking(store=store, settings=settings).run(dispatcher, tracker, {})
    assert responses(dispatcher) == ["utter_booking_needs_a_way_back"]
    assert [e["name"] for e in events if e["event"] == "followup"] == ["action_listen"]


async def test_a_day_asked_for_that_was_not_offered_is_no_refusal_of_the_times(
    store: ProfileStore, settings: Settings
) -> None:
    _, said = await _pick(store, settings, "the one on the 29th, if you have it", intent="deny")
    assert said == ["utter_meeting_not_understood"]
    _, said = await _pick(store, settings, "no thanks, not for now", intent="deny")
    assert said == ["utter_route_declined"]


async def test_a_small_talk_reply_said_again_to_the_times_counts_as_a_try(
    store: ProfileStore, settings: Settings
) -> None:
    earlier = ({"event": "user", "text": "k?"}, {"event": "bot", "text": "I'm just a bot."})
    _, said = await _pick(store, settings, "k?", intent="chitchat", before=earlier)
    assert said == ["utter_meeting_not_understood"]


async def test_asked_to_say_it_again_the_times_come_once_more_then_how_to_pick(
    store: ProfileStore, settings: Settings
) -> None:
    said_again = "sorry, not sure what you mean, could you repeat that?"
    slots, first = await _pick(store, settings, said_again)
    assert first == ["utter_meeting_times"] and slots[ATTEMPTS] == 1
    _, second = await _pick(store, settings, said_again, attempts=1)
    assert second == ["utter_meeting_how_to_pick"]
