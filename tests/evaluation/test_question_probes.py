"""The question probes (bench/question_probes.py): well-formed, every author in both
splits, and the test split kept out of the training data and out of the tests."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bench.question_probes import MOMENTS, QuestionProbeError, load
from tests.evaluation.test_personas import _training_examples, _words

ROOT = Path(__file__).resolve().parents[2]


def test_both_splits_are_well_formed_apart_and_by_the_same_authors() -> None:
    dev, test = load("dev"), load("test")
    assert len(dev) >= 200 and len(test) >= 200
    assert {p.author for p in dev} == {p.author for p in test}
    assert {p.at for p in dev} == set(MOMENTS) == {p.at for p in test}
    assert not {_words(p.say) for p in dev} & {_words(p.say) for p in test}


def test_no_test_question_was_copied_into_training_data_or_tests() -> None:
    """Only counts are reported, never the questions; short ones ("how much is it") are
    asked everywhere, so only five words or more count."""
    examples = _training_examples()
    pinned = {
        _words(literal)
        for path in (ROOT / "tests").rglob("*.py")
        for literal in re.findall(r'"([^"\n]+)"', path.read_text(encoding="utf-8"))
    }
    copied = [
        n
        for n, probe in enumerate(load("test"))
        if len(_words(probe.say).split()) >= 5 and _words(probe.say) in examples | pinned
    ]
    assert not copied, f"{len(copied)} test questions are in data/nlu.yml or tests/"


def test_a_probe_with_an_unknown_moment_or_topic_is_refused(tmp_path: Path) -> None:
    (tmp_path / "dev-someone.yml").write_text(
        "questions:\n  - at: lunch\n    say: how much is it\n    topic: pricing\n",
        encoding="utf-8",
    )
    with pytest.raises(QuestionProbeError, match="`at` is one of"):
        load("dev", tmp_path)
    (tmp_path / "dev-someone.yml").write_text(
        "questions:\n  - at: start\n    say: how much is it\n    topic: weather\n",
        encoding="utf-8",
    )
    with pytest.raises(QuestionProbeError, match="unknown topic 'weather'"):
        load("dev", tmp_path)
