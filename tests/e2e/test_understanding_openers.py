"""Openers about the business's trouble, asking to hear it again, names that are words (#18).

Whole conversations over the REST channel against a real Rasa and action server, judged
from the profile store. The phrasings are written for these tests, apart from the
training data and the personas.
"""

from __future__ import annotations

import pytest

from tests.e2e.conftest import Stack
from tests.e2e.test_understanding_yes_no import (
    EMAIL_QUESTION,
    SMS_QUESTION,
    SUMMARY,
    contact_of,
    granted,
    to_summary,
)

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

WHAT_IT_DOES = "conversational marketing assistant"
ASKS_NAME = "what's your name"


@pytest.mark.parametrize(
    "opener",
    [
        "we're a small opticians and people who book online never get a reminder call",
        "would something like this suit a family-run campsite?",
        "hi there, my physio practice keeps losing enquiries from the contact page",
    ],
)
def test_a_business_problem_or_a_fit_question_hears_what_parley_does(
    stack: Stack, sender: str, opener: str
) -> None:
    reply = stack.text(sender, opener)
    assert WHAT_IT_DOES in reply and ASKS_NAME in reply, reply
    assert "outside what i can help with" not in reply


def test_wanting_to_see_the_system_is_a_demo_not_an_erasure(stack: Stack, sender: str) -> None:
    reply = stack.text(sender, "hiya, I'm keen to see how your system works")
    assert "delete" not in reply and ASKS_NAME in reply, reply


def test_asking_to_hear_a_consent_question_again_is_no_answer(stack: Stack, sender: str) -> None:
    to_summary(stack, sender, "Tadhg Moran", "tadhg@moranbikes.ie", phone="+353 87 123 4567")
    assert EMAIL_QUESTION in stack.text(sender, "that's all correct")
    again = stack.text(sender, "sorry, come again?")
    assert "email" in again and "yes or a no" in again, again  # explained again, no yes
    assert granted(stack, sender) == {}
    assert SMS_QUESTION in stack.text(sender, "go on so, emails are fine")
    assert "won't send" in stack.text(sender, "nah I don't do texts")  # it read as a yes
    assert granted(stack, sender) == {"email": True}


def test_a_surname_that_is_a_word_is_the_name_not_a_question(stack: Stack, sender: str) -> None:
    stack.say(sender, "can I book a demo")
    assert "what's the best email" in stack.text(sender, "gwen price")
    assert stack.slots(sender)["lead_name"] == "gwen price"


def test_an_answer_taken_for_a_question_is_the_answer_when_said_again(
    stack: Stack, sender: str
) -> None:
    reply = to_summary(
        stack, sender, "Ines Duarte", "ines@duarte-tiles.pt", company="Duarte Tiles",
        role="pricing analyst",
    )  # fmt: skip
    assert SUMMARY in reply and "pricing analyst" in reply, reply
    contact = contact_of(stack, sender)
    assert contact.role == "pricing analyst" and contact.company == "Duarte Tiles"
