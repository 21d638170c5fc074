"""The held-out NLU set stays held out, and the report's arithmetic is right."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import yaml

from bench.nlu_report import (
    HOLDOUT,
    Entity,
    Example,
    Prediction,
    Report,
    averages,
    markdown,
    nlu_examples,
    normalise,
    parse_annotated,
    training_examples,
)

ROOT = Path(__file__).resolve().parents[2]
MIN_PER_INTENT = 15


def test_no_held_out_example_is_in_the_training_data() -> None:
    trained = {normalise(e.text): e.intent for e in training_examples(ROOT / "data")}
    leaked = [e.text for e in nlu_examples(HOLDOUT) if normalise(e.text) in trained]
    assert not leaked, f"held-out examples found in data/: {leaked}"


def test_every_held_out_intent_is_known_and_has_enough_examples() -> None:
    domain = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
    counts = Counter(e.intent for e in nlu_examples(HOLDOUT))
    assert set(counts) <= set(domain["intents"]), set(counts) - set(domain["intents"])
    assert min(counts.values()) >= MIN_PER_INTENT, counts


def test_held_out_examples_are_not_repeated() -> None:
    texts = Counter(normalise(e.text) for e in nlu_examples(HOLDOUT))
    assert [t for t, n in texts.items() if n > 1] == []


def test_annotations_are_read_and_stripped() -> None:
    text, entities = parse_annotated("i'm [Róisín Byrne](PERSON) at [Pebble & Co](ORG)")
    assert text == "i'm Róisín Byrne at Pebble & Co"
    assert entities == (Entity("PERSON", "Róisín Byrne"), Entity("ORG", "Pebble & Co"))
    annotated = [e for e in nlu_examples(HOLDOUT) if e.entities]
    assert annotated and all("[" not in e.text for e in annotated)
    assert {e.kind for x in annotated for e in x.entities} == {"PERSON", "ORG"}


def _report() -> Report:
    def said(intent: str, text: str, *entities: Entity) -> Example:
        return Example(intent, text, entities)

    person, org = Entity("PERSON", "Ana Lima"), Entity("ORG", "Verde")
    predictions = [
        Prediction(said("greet", "hi"), "greet", ()),
        Prediction(said("greet", "hello"), "greet", ()),
        Prediction(said("greet", "oi"), "goodbye", ()),
        Prediction(said("goodbye", "bye"), "goodbye", ()),
        Prediction(said("inform", "Ana Lima from Verde", person, org), "inform", (person,)),
        Prediction(said("inform", "ana lima", person), "nlu_fallback", (Entity("PERSON", "ana lima"),)),
        Prediction(said("thank", "ta, Maria"), "thank", (Entity("PERSON", "Maria"),)),
    ]  # fmt: skip
    return Report(
        predictions, frozenset({"greet", "goodbye", "inform", "thank", "ask_product", "restart"})
    )


def test_intent_scores_count_every_label_and_the_model_s_unseen_intents() -> None:
    scores = {s.label: s for s in _report().intent_scores()}
    assert set(scores) == {"greet", "goodbye", "inform", "thank", "ask_product"}
    assert (scores["greet"].precision, scores["greet"].recall) == (1.0, pytest.approx(2 / 3))
    assert (scores["goodbye"].precision, scores["goodbye"].recall) == (0.5, 1.0)
    assert scores["goodbye"].f1 == pytest.approx(2 / 3)
    assert (scores["inform"].recall, scores["inform"].support) == (0.5, 2)
    unseen = scores["ask_product"]
    assert (unseen.support, unseen.precision, unseen.recall, unseen.f1) == (0, None, None, None)


def test_averages_weigh_by_support_or_not() -> None:
    scores = _report().intent_scores()
    macro, weighted = averages(scores, weighted=False), averages(scores, weighted=True)
    assert macro.recall == pytest.approx((2 / 3 + 1 + 0.5 + 1) / 4)
    assert weighted.recall == pytest.approx((2 + 1 + 1 + 1) / 7)


def test_confusions_and_entities() -> None:
    report = _report()
    assert report.confusions() == [
        ("greet", "goodbye", 1, "oi"),
        ("inform", "nlu_fallback", 1, "ana lima"),
    ]
    people, orgs = report.entity_scores()
    assert (people.support, people.predicted, people.recall) == (2, 2, 1.0)
    assert (orgs.support, orgs.predicted, orgs.recall) == (1, 0, 0.0)
    assert report.unannotated_finds() == [("ta, Maria", "Maria (PERSON)")]
    text = markdown(report)
    assert "| ask_product (no held-out examples) | – | – | – | 0 |" in text
    assert "| **weighted avg** |" in text and "fell back (`nlu_fallback`): 1" in text
