"""Whole conversations from the lead form through qualification to each routing outcome."""

from __future__ import annotations

import pytest

from bot.store import Contact
from tests.e2e.conftest import Stack, rest_id

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def contact_of(stack: Stack, sender: str) -> Contact:
    contact = stack.store.contacts.for_identity("rest", rest_id(sender))
    assert contact is not None, f"nothing stored for {sender}"
    return contact


def capture_lead(stack: Stack, sender: str, opening: str, details: dict[str, str]) -> str:
    """Run the lead form, confirm it and answer the consent questions; return the last reply."""
    reply = stack.text(sender, opening)
    for _ in range(8):
        requested = stack.slots(sender).get("requested_slot")
        if not requested or not requested.startswith("lead_"):
            break
        reply = stack.text(sender, details[requested.removeprefix("lead_")])
    assert "here's what i have" in reply, reply
    reply = stack.text(sender, "yes that's right")
    for _ in range(3):
        if "email you" not in reply and "text you" not in reply:
            break
        reply = stack.text(sender, "yes")
    return reply


def answer_questions(stack: Stack, sender: str, answers: dict[str, str], first: str) -> str:
    reply = first
    for _ in range(6):
        requested = stack.slots(sender).get("requested_slot") or ""
        if not requested.startswith("qual_"):
            break
        reply = stack.text(sender, answers[requested.removeprefix("qual_")])
    return reply


HOT = {
    "name": "Dana Reyes",
    "email": "dana@bigco-widgets.com",
    "phone": "skip",
    "company": "BigCo Widgets",
    "role": "VP of Marketing",
    "need": "we lose web leads because nobody follows up quickly",
}


def test_a_strong_lead_is_qualified_offered_a_person_and_handed_off(
    stack: Stack, sender: str
) -> None:
    reply = capture_lead(stack, sender, "Hi, can I get a demo? And what does it cost?", HOT)
    assert "how many people work at your company" in reply, reply
    reply = answer_questions(
        stack,
        sender,
        {
            "company_size": "we're around 400 people",
            "authority": "it's my call",
            "budget": "somewhere around 60k a year",
            "timeline": "asap",
        },
        reply,
    )
    assert "talk to someone from our team now" in reply, reply
    contact = contact_of(stack, sender)
    assert stack.store.leads.qualification(contact.id) == {
        "company_size": "201-1000",
        "authority": "decides",
        "budget": "over_50k",
        "timeline": "now",
    }
    score = stack.store.leads.latest_score(contact.id)
    assert score is not None and score.grade == "A"

    reply = stack.text(sender, "/human_handoff")
    assert "passed our conversation" in reply and "dana@bigco-widgets.com" in reply
    assert "has your conversation" in stack.text(sender, "hello? anyone there?")
    # Opting out still works while a person has the conversation.
    assert "won't contact you" in stack.text(sender, "unsubscribe me from everything")


def test_a_weak_lead_who_asked_for_a_demo_is_asked_everything_and_offered_a_time(
    stack: Stack, sender: str
) -> None:
    details = {
        **HOT,
        "email": "sam@tinyshop.io",
        "name": "Sam Lee",
        "company": "Tiny Shop",
        "role": "intern",
    }
    reply = capture_lead(stack, sender, "book a demo", details)
    answers = {
        "qual_company_size": ["just me"],
        "qual_authority": ["just researching for now"],
        "qual_budget": ["no budget really"],
        # next year or later, in December: asked which is closer, once, with buttons
        "qual_timeline": ["no rush, maybe next year or later", "More than a year away"],
    }
    asked: list[str] = []
    for _ in range(6):
        requested = stack.slots(sender).get("requested_slot") or ""
        if not requested.startswith("qual_"):
            break
        asked.append(requested)
        if asked.count(requested) == 2:
            assert "which is closer" in reply, reply
        reply = stack.text(sender, answers[requested][asked.count(requested) - 1])
    assert asked[0] == "qual_company_size" and "qual_budget" in asked
    assert asked.count("qual_timeline") == 2, asked
    # Not a hot lead, but they asked for a demo: the close offers the booking.
    assert "that's everything i need" in reply and "find you a time" in reply, reply
    score = stack.store.leads.latest_score(contact_of(stack, sender).id)
    assert score is not None and score.grade in ("C", "D")


def test_asking_for_a_person_first_takes_details_and_questions_then_hands_off(
    stack: Stack, sender: str
) -> None:
    reply = stack.text(sender, "can I talk to a real person please")
    assert "what's your name" in reply, reply
    reply = capture_lead(
        stack, sender, "Priya Raman", {**HOT, "email": "priya.raman@globex-hq.com"}
    )
    # The person taking over gets the answers too; every question can be skipped.
    assert "so they can prepare" in reply and "how many people" in reply, reply
    reply = answer_questions(
        stack,
        sender,
        {"company_size": "about 80", "authority": "skip", "budget": "skip", "timeline": "skip"},
        reply,
    )
    assert "passed our conversation" in reply, reply
    contact = contact_of(stack, sender)
    assert stack.store.contacts.timeline(contact.id)  # the handoff and the lead are on record


def test_asking_again_for_a_person_skips_the_questions(stack: Stack, sender: str) -> None:
    reply = stack.text(sender, "I want to speak to a human")
    assert "what's your name" in reply, reply
    reply = capture_lead(stack, sender, "Priya Raman", {**HOT, "email": "priya2@globex.com"})
    assert "how many people" in reply, reply
    reply = stack.text(sender, "just connect me")
    assert "passed our conversation" in reply, reply


def test_a_meeting_is_booked_by_free_text(stack: Stack, sender: str) -> None:
    reply = capture_lead(stack, sender, "demo please", {**HOT, "email": "lee@bookers.io"})
    # Booking can start in the middle of the qualifying questions.
    assert "how many people" in reply, reply
    reply = stack.text(sender, "can we book a meeting?")
    assert "next free times" in reply, reply
    reply = stack.text(sender, "the second one")
    assert "booked:" in reply, reply
