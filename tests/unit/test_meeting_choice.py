from __future__ import annotations

from datetime import datetime, timezone

import pytest

from bot.meeting_choice import (
    asks_for_meeting,
    label,
    match_choice,
    wants_other_times,
    wants_time_first,
)

TZ = "Europe/Berlin"
# Tue 1 Dec 2026 10:00 and 14:00 Berlin, Wed 2 Dec 10:00 Berlin.
OPTIONS = [
    datetime(2026, 12, 1, 9, 0, tzinfo=timezone.utc),
    datetime(2026, 12, 1, 13, 0, tzinfo=timezone.utc),
    datetime(2026, 12, 2, 9, 0, tzinfo=timezone.utc),
]


def test_label_is_local_time() -> None:
    assert label(OPTIONS[0], TZ) == "Tue 01 Dec, 10:00"


@pytest.mark.parametrize(
    ("text", "index"),
    [
        ("Tue 01 Dec, 10:00", 0),
        ("2", 1),
        ("the second one", 1),
        ("last", 2),
        ("wednesday works", 2),
        ("tuesday at 2pm", 1),
        ("14:00 please", 1),
        ("the 2 pm slot", 1),
        # The choice left to us: the earliest offered.
        ("earliest", 0),
        ("the soonest please", 0),
        ("any of them is fine", 0),
        ("I don't mind", 0),
        # in the speaker's first language
        ("die zweite bitte", 1),
        ("la primera está bien", 0),
        ("Pehla wala theek hai", 0),
        ("yung pangalawa po", 1),
        # a part of the day that one offered time is in
        ("Tuesday afternoon works", 1),
        ("wednesday morning please", 2),
        ("any morning is fine", 0),
    ],
)
def test_picks(text: str, index: int) -> None:
    assert match_choice(text, OPTIONS, TZ) == OPTIONS[index]


@pytest.mark.parametrize(
    "text",
    [
        "tuesday",
        "7",
        "friday",
        "whenever",
        "10am",
        "none of them work",
        "any time after 5",
        "the morning one",
        "not the afternoon one",
    ],
)
def test_ambiguous_or_unknown_picks_nothing(text: str) -> None:
    assert match_choice(text, OPTIONS, TZ) is None


def test_no_options() -> None:
    assert match_choice("1", [], TZ) is None


@pytest.mark.parametrize(
    "text",
    [
        "sorry can we just sort out a time first",
        "Could we sort out a time first? I'll give you my details after.",
        "can we pick a slot first",
        "book the call first then I'll give my details",
        "let's set a date first",
    ],
)
def test_a_time_before_the_details_is_asked_for(text: str) -> None:
    assert wants_time_first(text)


@pytest.mark.parametrize(
    "text",
    [
        "the first time is good",
        "the first one",
        "I want to book a demo",
        "I need to check with my team first",
        "it collects their details so our counsellors can call first thing",
    ],
)
def test_picking_the_first_time_or_booking_is_not_time_first(text: str) -> None:
    assert not wants_time_first(text)


@pytest.mark.parametrize(
    "text",
    [
        "Kindly arrange a demo call with your sales team.",
        "g'day, can we do a zoom tuesday?",
        "I'd love to see yours live before we decide",
        "Hi, I'd like to set up a call with sales please",
        "Good afternoon, we would like to book a free consultation with an adviser",
        "busy today, can we pencil something in for friday?",
        "could you find us a slot after the holidays",
        "i only need the demostration, nothing else",
    ],
)
def test_a_meeting_asked_for_in_words(text: str) -> None:
    assert asks_for_meeting(text)


@pytest.mark.parametrize(
    "text",
    [
        "no demo needed, just pricing",
        "we miss calls all day",
        "our sales calls take forever",
        "last year we had to set up a call centre for the peak",
        "the team will find a time to look at it internally",
    ],
)
def test_calls_talked_about_or_turned_down_ask_for_no_meeting(text: str) -> None:
    assert not asks_for_meeting(text)


def test_other_times_asked_for_are_no_pick() -> None:
    assert wants_other_times("none of those work i'm afraid do you have anything next week")
    assert wants_other_times("different day please")
    assert not wants_other_times("the second one")


def test_the_later_one_is_the_last_but_anything_later_picks_none() -> None:
    assert match_choice("the later one is fine", OPTIONS, TZ) == OPTIONS[-1]
    assert match_choice("anything later?", OPTIONS, TZ) is None


@pytest.mark.parametrize(
    "text", ["we're after a quick call with sales", "scheduling a demo for thursday if possible"]
)
def test_a_meeting_asked_for_with_other_verb_forms(text: str) -> None:
    assert asks_for_meeting(text)


def test_a_call_that_happened_is_no_meeting_asked_for() -> None:
    assert not asks_for_meeting("after a call with our bank we changed plans")


def test_lets_just_pick_a_time_is_the_time_first() -> None:
    assert wants_time_first("fine, use this phone, can we just book a slot")
    assert not wants_time_first("we just pick a time each week for stand-ups")


@pytest.mark.parametrize(
    ("text", "asks"),
    [
        ("my sister says you guys do a chat thing for shops", False),
        ("we'd want a chat bot for our site", False),
        ("could we have a chat next Tuesday", True),
        ("not today, I'm on a job, can we book something in?", True),
        ("could you squeeze us in friday", True),
    ],
)
def test_the_product_s_chat_is_no_meeting(text: str, asks: bool) -> None:
    from bot.meeting_choice import asks_for_meeting

    assert asks_for_meeting(text) is asks


@pytest.mark.parametrize(
    "text",
    [
        "Hello, I would need a short online presentation of your system for me and our owner",
        "can we book a quick online demo next week",
    ],
)
def test_a_presentation_asked_for_is_a_meeting(text: str) -> None:
    assert asks_for_meeting(text)
