"""Chat personas replayed as callers: what a recognizer would write, nothing the judge
would then count against the bot."""

from __future__ import annotations

import pytest

from bench.evaluation.personas import load_split
from bench.evaluation.spoken import as_caller, transcribe


@pytest.mark.parametrize(
    ("typed", "heard"),
    [
        ("Hi! I'm Siobhan O'Neill 🙂", "hi i'm siobhan o'neill"),
        ("it's jo.kim_2@acme-co.com.", "it's jo dot kim underscore 2 at acme-co dot com"),
        ("cell is (503) 555-0118, after 5.", "cell is 503 555 0118 after 5"),
        ("Acme Pvt. Ltd. is the company", "acme pvt. ltd. is the company"),
        ("around €8k a year — maybe", "around €8k a year maybe"),
    ],
)
def test_words_as_a_recognizer_writes_them(typed: str, heard: str) -> None:
    assert transcribe(typed) == heard


def test_digits_can_be_spelled_out() -> None:
    assert transcribe("+44 7700 900123", spell_digits=True).startswith("plus four four seven")


def test_every_dev_chat_persona_becomes_a_caller_with_the_same_truth() -> None:
    chat = [p for p in load_split("dev") if p.channel == "chat"]
    callers = [as_caller(p) for p in chat]
    assert chat and all(c.channel == "voice" and c.id.endswith("~voice") for c in callers)
    assert [c.expect for c in callers] == [p.expect for p in chat]
    assert all(c.opener == c.opener.lower() for c in callers)
    # The same persona is transcribed the same way every run.
    assert [as_caller(p) for p in chat] == callers


def test_a_spoken_menu_gives_the_caller_its_options_to_say() -> None:
    from bench.evaluation.lines import _SPOKEN_OPTION

    heard = "What can I do? press 1 or say Book a demo, press 2 or say Pricing."
    assert _SPOKEN_OPTION.findall(heard) == ["Book a demo", "Pricing"]
