"""The list of common questions (knowledge.yml) in whole conversations over the REST
channel, against a real Rasa and action server: answered wherever they are asked, and the
conversation goes on where it was. The phrasings are not the list's own."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import Stack

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

MOBILE = "works on phones and tablets"
LANGUAGES = "today parley talks in english"


def test_a_common_question_as_the_first_message(stack: Stack, sender: str) -> None:
    assert MOBILE in stack.text(sender, "hi there! does your chat widget work on an iphone?")


def test_a_common_question_in_place_of_a_name_then_the_form_goes_on(
    stack: Stack, sender: str
) -> None:
    stack.say(sender, "I'd like to book a demo")
    assert stack.slots(sender)["requested_slot"] == "lead_name"
    assert LANGUAGES in stack.text(sender, "quick one first, do you speak spanish?")
    slots = stack.slots(sender)
    assert slots["requested_slot"] == "lead_name" and not slots.get("lead_name")
    stack.say(sender, "Marisol Ortega")
    assert stack.slots(sender)["lead_name"] == "Marisol Ortega"


def test_an_off_topic_question_not_on_the_list_gets_the_usual_answer(
    stack: Stack, sender: str
) -> None:
    reply = stack.text(sender, "what's the capital of australia?")
    assert MOBILE not in reply and LANGUAGES not in reply
