from __future__ import annotations

import pytest

from actions.help import only_announces_questions
from bot.typos import undictated, with_answer_words


@pytest.mark.parametrize(
    ("said", "written"),
    [
        ("My name is Luis Ortega period", "My name is Luis Ortega."),
        ("Yes that's fine period", "Yes that's fine."),
        ("What does it do question mark", "What does it do?"),
        # a period that is one
        ("we want a trial period", "we want a trial period"),
        ("the busy period", "the busy period"),
        ("Period Dramas Ltd", "Period Dramas Ltd"),
    ],
)
def test_dictated_punctuation(said: str, written: str) -> None:
    assert undictated(said) == written


@pytest.mark.parametrize(
    ("said", "read"),
    [
        ("befor febuary if posible", "before february if possible"),
        (
            "maybe 200 a munth, defanatly not more then that",
            "maybe 200 a month, definitely not more than that",
        ),
        ("$800 a moth", "$800 a month"),
        ("ok tq", "ok thanks"),
    ],
)
def test_the_words_of_qualifying_answers(said: str, read: str) -> None:
    assert with_answer_words(said) == read


def test_a_dictated_question_is_no_announcement_of_questions() -> None:
    assert not only_announces_questions(
        "Before we go on comma what exactly does it do question mark"
    )
    assert only_announces_questions("I have a few questions first")


def test_a_few_qs_announces_questions() -> None:
    assert only_announces_questions("hi. landscaping co in calgary. few qs 🙂")
