"""Asking to hear the last words again, or to hear them put another way."""

from __future__ import annotations

import pytest

from bot.repair import asks_to_repeat, asks_to_rephrase, checks_the_question


@pytest.mark.parametrize(
    "text",
    ["sorry?", "come again", "you what?", "could you repeat that please", "you broke up there"],
)
def test_asking_to_hear_it_again(text: str) -> None:
    assert asks_to_repeat(text) and not asks_to_rephrase(text)


@pytest.mark.parametrize(
    "text",
    [
        "Sorry, could you rephrase that?",
        "what do you mean?",
        "hm, I don't understand the question",
        "can you put it more simply please",
        "i didn't get that",
        "in other words?",
    ],
)
def test_asking_for_other_words(text: str) -> None:
    assert asks_to_rephrase(text)


@pytest.mark.parametrize(
    "text",
    [
        "what do you mean by pricing per seat, is it monthly?",
        "I don't understand why you need my phone",
        "/request_demo",
        "my name is Dana",
        "",
    ],
)
def test_questions_and_answers_are_neither(text: str) -> None:
    assert not asks_to_rephrase(text)


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("like my job title?", "role"),
        ("my position?", "role"),
        ("Sorry, do you mean our office or the whole group?", "company_size"),
        ("per month or per year?", "budget"),
        ("is that my work email?", "email"),
        ("the parent company or the branch?", "company"),
        ("you mean do I sign the contract?", "authority"),
    ],
)
def test_a_question_about_the_question_is_a_check_not_an_answer(text: str, field: str) -> None:
    assert checks_the_question(text, field)


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("CEO?", "role"),
        ("Head of marketing?", "role"),
        ("Acme Inc?", "company"),
        ("about 50?", "company_size"),
        ("I am the CEO", "role"),
        ("dana@acme.io?", "email"),
        # Questions of their own, answered as such.
        ("Before I type my email in, why exactly do you need it?", "email"),
        ("Why do you need my phone? Won't email do?", "phone"),
        ("is my email safe with you?", "email"),
    ],
)
def test_an_answer_with_a_rising_voice_is_still_an_answer(text: str, field: str) -> None:
    assert not checks_the_question(text, field)


def test_a_question_about_a_topic_is_not_a_check_of_the_question() -> None:
    assert not checks_the_question("is that about what a plan costs?", "timeline")
    assert not checks_the_question("does that mean it connects to Zoho?", "company_size")
    # At the budget question, money words ask what the question itself means.
    assert checks_the_question("is that the monthly price or yearly?", "budget")


@pytest.mark.parametrize(
    "said", ["perdón, can repeat please?", "sorry po could you say that again", "maaf, can repeat"]
)
def test_asking_to_hear_it_again_in_second_language_english(said: str) -> None:
    assert asks_to_repeat(said)


def test_asking_to_clarify_is_asking_to_hear_it_again() -> None:
    assert asks_to_repeat("sorry, could you clarify?")
    assert not asks_to_repeat("can you clarify how the pricing works")


@pytest.mark.parametrize(
    "said",
    [
        "sorry you've lost me there",
        "I'm sorry, dear, I don't quite follow.",
        "not with you, mate",
        "that went over my head",
    ],
)
def test_being_lost_asks_for_other_words(said: str) -> None:
    assert asks_to_rephrase(said)


@pytest.mark.parametrize(
    "said",
    ["Sorry, I'm hopeless with these things, what do you need?", "what should I put?"],
)
def test_asking_what_to_answer_asks_for_other_words(said: str) -> None:
    assert asks_to_rephrase(said)


def test_what_a_product_needs_is_no_request_for_other_words() -> None:
    assert not asks_to_rephrase("what do you need to set it up on our site?")


def test_what_to_put_asked_in_other_words() -> None:
    assert asks_to_rephrase("Sorry, I'm not great at these things. What is it you need me to put?")
    assert asks_to_rephrase("what am I supposed to type here?")
    assert not asks_to_rephrase("what do you need my email for?")


def test_a_check_said_without_its_mark_and_an_amount_said_with_one() -> None:
    assert checks_the_question("you are asking who will decide is it", "authority")
    assert not checks_the_question("Maybe fifty bucks a month?", "budget")
    assert checks_the_question("per month or per year?", "budget")


@pytest.mark.parametrize(
    "text",
    [
        "sorry i'm going through a tunnel say again",
        "the line is bad, say that again",
        "its noisy here sorry what was that",
    ],
)
def test_why_it_was_missed_then_say_again_asks_to_repeat(text: str) -> None:
    assert asks_to_repeat(text)


@pytest.mark.parametrize("text", ["i'm driving", "i'm in the car"])
def test_where_someone_is_alone_asks_nothing(text: str) -> None:
    assert not asks_to_repeat(text)


@pytest.mark.parametrize("text", ["Is that required?", "is it mandatory?", "necessary?"])
def test_whether_it_is_required_asks_why_not_what_is_meant(text: str) -> None:
    assert not checks_the_question(text, "phone")
