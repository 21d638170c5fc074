"""Questions interrupt the form; bare answers that merely confuse the classifier do not."""

from __future__ import annotations

import pytest

from bot.interruptions import interrupts_form

CANDIDATES = frozenset({"cancel", "out_of_scope", "chitchat", "bot_challenge", "human_handoff"})


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("are you a bot?", "bot_challenge"),
        ("never mind, forget it", "cancel"),
        ("I don't want to continue", "cancel"),
        ("can I talk to a real person", "human_handoff"),
        ("what's the capital of peru", "out_of_scope"),
        ("tell me a joke", "chitchat"),
        ("wait, am I talking to a real person?", "nlu_fallback"),
    ],
)
def test_confident_interruptions_interrupt(text: str, intent: str) -> None:
    assert interrupts_form(text, intent, 0.95, CANDIDATES)


@pytest.mark.parametrize(
    ("text", "intent", "confidence"),
    [
        ("chief revenue officer", "cancel", 0.97),
        ("Bartholomew Finch", "out_of_scope", 0.99),
        ("Acme Corp", "chitchat", 0.5),
        ("Globex", "nlu_fallback", 0.3),
        ("Acme Corp", "inform", 0.99),
    ],
)
def test_answers_and_unsure_guesses_do_not(text: str, intent: str, confidence: float) -> None:
    assert not interrupts_form(text, intent, confidence, CANDIDATES)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I'd rather not get texts from you", True),
        ("no more marketing emails please", True),
        ("unsubscribe", True),
        ("don't stop the demo", False),
        ("stop, I meant Acme", False),
        ("no, my company is Acme", False),
    ],
)
def test_states_opt_out(text: str, expected: bool) -> None:
    from bot.interruptions import states_opt_out

    assert states_opt_out(text) is expected
