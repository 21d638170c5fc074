"""Marketers' conversation tests played against a real bot: one that passes, and ones
that fail, each report naming the step, what it expected and what the bot did."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot import conversation_tests
from bot.conversation_runs import run_tests
from bot.conversation_tests import ConversationTest, Step
from bot.settings import PROJECT_ROOT
from tests.e2e.conftest import Stack

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

PASSING = ConversationTest(
    "A demo request asks for the name and keeps it",
    (
        Step("person", "hi, I'd like a demo"),
        Step("bot_says", "YOUR NAME"),  # any case
        Step("person", "Odile Ferrand"),
        Step("stored", stored={"name": "odile  ferrand", "email": ""}),
        Step("bot_says", "email"),
        Step("bot_not_says", "sorry"),
        Step("person", "odile.ferrand@ferrand-atelier.fr"),
        Step("person", "(415) 555-0187"),
        Step("stored", stored={"phone": "415 555 0187", "lead_status": "partial"}),
    ),
)
WRONG_WORDS = ConversationTest(
    "The bot is expected to ask for a fax number",
    (
        Step("person", "hi, I'd like a demo"),
        Step("bot_not_says", "fax"),
        Step("bot_says", "fax number"),
        Step("person", "never reached"),
    ),
)
WRONG_STORE = ConversationTest(
    "The name is expected as someone else's",
    (
        Step("person", "I'd like a demo"),
        Step("person", "Dana Reyes"),
        Step("stored", stored={"name": "Dana Reyes", "company": "Acme"}),
    ),
)
NOTHING_STORED = ConversationTest(
    "A greeting stores no name", (Step("person", "hello"), Step("stored", stored={"name": "X"}))
)


def test_a_passing_and_failing_tests_against_a_real_bot(stack: Stack) -> None:
    tests = [PASSING, WRONG_WORDS, WRONG_STORE, NOTHING_STORED]
    heard: list[str] = []
    results = run_tests(
        tests, stack.settings, stack.store, on_result=lambda r: heard.append(r.name)
    )
    assert heard == [t.name for t in tests]
    passed, words, store, nothing = results
    assert passed.passed, passed.summary()
    assert not words.passed and words.step == 3
    assert words.expected == "the bot says 'fax number'"
    assert words.actual.startswith('the bot said "') and "your name" in words.actual.lower()
    assert "failed at step 3: expected the bot says 'fax number', but the bot said" in (
        words.summary()
    )
    assert not store.passed and store.step == 3
    assert store.expected == "stored name = 'Dana Reyes', company = 'Acme'"
    assert store.actual == "the store has no company"
    assert (nothing.step, nothing.actual) == (2, "nothing is stored for this person")


def test_a_bot_that_does_not_answer_in_time_fails_the_test(stack: Stack) -> None:
    [result] = run_tests([PASSING], stack.settings, stack.store, seconds=0.001)
    assert not result.passed and result.step == 1
    assert result.actual in (
        "the test ran out of time before this step",
        "the bot did not answer before the test's time ran out",
    )


def test_the_shipped_tests_pass_on_the_shipped_bot(stack: Stack) -> None:
    shipped = conversation_tests.load(Path(PROJECT_ROOT) / conversation_tests.FILE)
    results = run_tests(shipped, stack.settings, stack.store)
    assert [r.summary() for r in results if not r.passed] == []
