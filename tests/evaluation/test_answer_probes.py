"""The answer probes (bench/answer_probes.py): well-formed, and the test split kept out of
the training data and out of the tests that pin the readers."""

from __future__ import annotations

import re
from pathlib import Path

from bench.answer_probes import LEAD_FIELDS, QUALIFYING, load
from bot.types import QUALIFICATION_VALUES
from tests.evaluation.test_personas import _training_examples, _words

ROOT = Path(__file__).resolve().parents[2]


def test_both_splits_are_well_formed_and_apart() -> None:
    dev, test = load("dev"), load("test")
    assert len(dev) >= 200 and len(test) >= 200
    for probe in (*dev, *test):
        assert probe.field in (*QUALIFYING, *LEAD_FIELDS), probe
        assert probe.channel in ("chat", "voice"), probe
        if probe.field in QUALIFYING and probe.expect is not None:
            assert probe.expect in QUALIFICATION_VALUES[probe.field], probe
    assert not {_words(p.answer) for p in dev} & {_words(p.answer) for p in test}


def test_no_test_probe_was_copied_into_training_data_or_reader_tests() -> None:
    """Only counts are reported, never the answers. Short answers ("first half of next
    year") turn up anywhere people talk about time, so only six words or more count."""
    examples = _training_examples()
    pinned = {
        _words(literal)
        for path in (ROOT / "tests" / "unit").glob("*.py")
        for literal in re.findall(r'"([^"\n]+)"', path.read_text(encoding="utf-8"))
    }
    copied = [
        n
        for n, probe in enumerate(load("test"))
        if len(_words(probe.answer).split()) >= 6 and _words(probe.answer) in examples | pinned
    ]
    assert not copied, f"{len(copied)} test probes are in data/nlu.yml or tests/unit"
