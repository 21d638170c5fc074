"""Playing marketers' conversation tests (bot.conversation_tests) against a running bot.

Each test talks to the bot over its REST webhook as a sender of its own (unique per
run, so no test sees another's conversation or an earlier run's profile) and checks
its expectations against the bot's replies and the profile store that bot writes to.
A result names the step that failed, what it expected and what the bot actually said
or stored. Every test has a time limit: a bot that hangs fails the test, not the run.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import httpx

from bot.conversation_tests import ConversationTest, Step
from bot.settings import Settings
from bot.store import ProfileStore
from bot.types import LEAD_FIELDS, QUALIFICATION_FIELDS

TEST_SECONDS = 90.0
# The REST channel files a caller's sender under this conversation id (channels/rest.py);
# the store knows the person by it.
REST_NAMESPACE = "rest:"
SHOWN_REPLY = 600  # a greeting, its privacy notice and a question fit


class StepFailed(Exception):
    def __init__(self, actual: str) -> None:
        super().__init__(actual)
        self.actual = actual


@dataclass(frozen=True)
class TestResult:
    __test__ = False  # not a pytest test class, whatever its name

    name: str
    passed: bool
    seconds: float
    step: int | None = None  # 1-based: the step that failed
    expected: str = ""
    actual: str = ""

    def summary(self) -> str:
        if self.passed:
            return f"{self.name!r} passed"
        return (
            f"{self.name!r} failed at step {self.step}: expected {self.expected}, but {self.actual}"
        )

    def as_json(self) -> dict[str, Any]:
        return {
            "name": self.name, "passed": self.passed, "seconds": self.seconds,
            "step": self.step, "expected": self.expected, "actual": self.actual,
        }  # fmt: skip


@dataclass
class Conversation:
    """One test's talk with the bot: who it is, and what the bot said last."""

    bot: Settings
    store: ProfileStore
    sender: str
    deadline: float
    http: httpx.Client
    reply: str = ""  # the bot's last answer: its words and buttons, one string

    def say(self, text: str) -> None:
        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            raise StepFailed("the test ran out of time before this step")
        try:
            answer = self.http.post(
                f"{self.bot.rasa_url}/webhooks/rest/webhook",
                json={"sender": self.sender, "message": text},
                headers=self.bot.chat.rest_headers(),
                timeout=remaining,
            )
        except httpx.TimeoutException:
            raise StepFailed("the bot did not answer before the test's time ran out") from None
        except httpx.HTTPError as error:
            raise StepFailed(f"the bot could not be reached ({type(error).__name__})") from None
        if answer.status_code != 200:
            raise StepFailed(f"the bot answered HTTP {answer.status_code}")
        try:
            self.reply = reply_text(answer.json())
        except ValueError:
            raise StepFailed("the bot's answer was not JSON") from None

    def stored(self) -> dict[str, str]:
        """What the store holds for this person, by field ("" when nothing)."""
        contact = self.store.contacts.for_identity("rest", REST_NAMESPACE + self.sender)
        if contact is None:
            return {}
        found: dict[str, str] = {name: getattr(contact, name) or "" for name in LEAD_FIELDS}
        found["lead_status"] = contact.lead_status
        answers = self.store.leads.qualification(contact.id)
        found.update({name: answers.get(name, "") for name in QUALIFICATION_FIELDS})
        return found


def reply_text(messages: Any) -> str:
    """The bot's messages as one string: their texts and button titles."""
    parts: list[str] = []
    for message in messages if isinstance(messages, list) else []:
        if not isinstance(message, dict):
            continue
        if message.get("text"):
            parts.append(str(message["text"]))
        buttons = message.get("buttons") or []
        titles = [str(b.get("title", "")) for b in buttons if isinstance(b, dict)]
        if titles:
            parts.append("[" + " | ".join(titles) + "]")
    return " ".join(parts)


def run_tests(
    tests: Sequence[ConversationTest],
    bot: Settings,
    store: ProfileStore,
    *,
    seconds: float = TEST_SECONDS,
    on_result: Callable[[TestResult], None] | None = None,
) -> list[TestResult]:
    """Every test, one after another, against the bot `bot` describes (which writes to
    `store`). `on_result` hears each result as it comes, for a page that shows progress."""
    run = secrets.token_hex(4)
    results: list[TestResult] = []
    with httpx.Client() as http:
        for index, test in enumerate(tests, 1):
            sender = f"conversation-test-{run}-{index}"
            result = run_test(test, bot, store, sender, http, seconds)
            results.append(result)
            if on_result is not None:
                on_result(result)
    return results


def run_test(
    test: ConversationTest,
    bot: Settings,
    store: ProfileStore,
    sender: str,
    http: httpx.Client,
    seconds: float = TEST_SECONDS,
) -> TestResult:
    started = time.monotonic()
    talk = Conversation(bot, store, sender, started + seconds, http)
    for number, step in enumerate(test.steps, 1):
        try:
            check(talk, step)
        except StepFailed as failure:
            return TestResult(
                test.name, False, _since(started), number, step.describe(), failure.actual
            )
    return TestResult(test.name, True, _since(started))


def check(talk: Conversation, step: Step) -> None:
    """Play one step; a StepFailed says what happened instead."""
    if step.kind == "person":
        talk.say(step.text)
        return
    if step.kind == "stored":
        check_stored(step, talk.stored())
        return
    found = contains(talk.reply, step.text)
    if found != (step.kind == "bot_says"):
        raise StepFailed(f"the bot said {shown(talk.reply)}")


def check_stored(step: Step, stored: dict[str, str]) -> None:
    wrong = [name for name, value in step.stored.items() if not same(name, value, stored)]
    if not wrong:
        return
    if not stored:
        raise StepFailed("nothing is stored for this person")
    raise StepFailed(
        "the store has "
        + ", ".join(f"{n} = {stored[n]!r}" if stored.get(n) else f"no {n}" for n in wrong)
    )


def same(name: str, expected: str, stored: dict[str, str]) -> bool:
    """Case and spacing aside; a phone number by its digits (the bot stores +14155550134
    for "(415) 555-0134")."""
    actual = stored.get(name, "")
    if name == "phone" and expected:
        return _digits(actual).endswith(_digits(expected)) and bool(_digits(expected))
    return _plain(actual) == _plain(expected)


def contains(reply: str, words: str) -> bool:
    return _plain(words) in _plain(reply)


def shown(reply: str) -> str:
    if not reply:
        return "nothing"
    cut = reply if len(reply) <= SHOWN_REPLY else reply[:SHOWN_REPLY] + "…"
    return f'"{cut}"'  # always double quotes: replies are full of apostrophes


def failures(results: Iterable[TestResult]) -> list[TestResult]:
    return [r for r in results if not r.passed]


def _plain(text: str) -> str:
    return " ".join(text.casefold().split())


def _digits(text: str) -> str:
    return "".join(c for c in text if c.isdigit())


def _since(started: float) -> float:
    return round(time.monotonic() - started, 1)
