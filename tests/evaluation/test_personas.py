"""The persona sets: complete, well-formed, and the test split kept out of training data."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from bench.evaluation.personas import SPLITS, Persona, PersonaError, load_file, load_split

ROOT = Path(__file__).resolve().parents[2]


def _words(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[^\w\s@.]", " ", text.lower())).strip()


def _utterances(persona: Persona) -> list[str]:
    said = [persona.opener, *persona.closing, *(a.say for a in persona.asks)]
    said += [line for lines in persona.says.values() for line in lines]
    said += [m.first for m in persona.mistakes] + [m.fix for m in persona.mistakes]
    return said


def _training_examples() -> set[str]:
    data = yaml.safe_load((ROOT / "data" / "nlu.yml").read_text(encoding="utf-8"))
    examples: set[str] = set()
    for block in data.get("nlu", []):
        for line in str(block.get("examples") or "").splitlines():
            text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", line.strip().removeprefix("- "))
            if text:
                examples.add(_words(text))
    return examples


def test_both_splits_hold_at_least_300_personas_by_several_authors() -> None:
    personas = {split: load_split(split) for split in SPLITS}
    assert sum(len(p) for p in personas.values()) >= 300
    for split, found in personas.items():
        assert len({p.author for p in found}) >= 4, split
        assert {p.channel for p in found} == {"chat", "voice"}, split
    dev_ids = {p.id for p in personas["dev"]}
    assert not dev_ids & {p.id for p in personas["test"]}


def test_no_test_persona_sentence_was_copied_into_training_data() -> None:
    """Whoever edits data/nlu.yml never reads the test split; this catches a slip.

    Stock phrases ("bye for now") turn up everywhere, so only sentences of five words or
    more count; the failure names personas, never their words.
    """
    examples = _training_examples()
    copied = sorted(
        p.id
        for p in load_split("test")
        if any(len(w.split()) >= 5 and w in examples for w in map(_words, _utterances(p)))
    )
    assert not copied, f"test personas whose words are in data/nlu.yml: {copied}"


def test_each_author_wrote_dev_and_test_with_different_sentences() -> None:
    dev = {(p.author, _words(u)) for p in load_split("dev") for u in _utterances(p)}
    shared = sorted(
        p.id
        for p in load_split("test")
        if any(len(w.split()) >= 5 and (p.author, w) in dev for w in map(_words, _utterances(p)))
    )
    assert not shared, f"test personas repeating their author's dev sentences: {shared}"


def test_a_malformed_persona_is_refused_with_its_place(tmp_path: Path) -> None:
    path = tmp_path / "bad.yml"
    path.write_text("author: x\npersonas:\n  - id: x-1\n    opener: hi\n    goal: conquer\n")
    with pytest.raises(PersonaError, match=r"bad.yml persona 1: unknown goal 'conquer'"):
        load_file(path, "dev")


def test_every_author_wrote_both_a_dev_and_a_test_file() -> None:
    authors = {split: {p.author for p in load_split(split)} for split in SPLITS}
    assert authors["dev"] == authors["test"]


def test_the_fresh_dev_only_files_load_with_ids_of_their_own() -> None:
    fresh = sorted((ROOT / "bench" / "personas" / "fresh").glob("*.yml"))
    assert fresh, "bench/personas/fresh holds the dev-only files"
    ids = [p.id for path in fresh for p in load_file(path, "dev")]
    split_ids = {p.id for split in SPLITS for p in load_split(split)}
    assert len(ids) == len(set(ids)) and not set(ids) & split_ids
