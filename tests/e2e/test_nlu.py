"""The trained NLU understands phrasings it never saw, and spaCy finds people and companies."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import yaml

from tests.e2e.conftest import Stack

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

HOLDOUT = Path(__file__).resolve().parent.parent / "data" / "nlu_holdout.yml"
OVERALL_FLOOR = 0.85
PER_INTENT_FLOOR = 0.6


def holdout_examples() -> list[tuple[str, str]]:
    document = yaml.safe_load(HOLDOUT.read_text(encoding="utf-8"))
    pairs = []
    for block in document["nlu"]:
        for line in block["examples"].splitlines():
            text = line.strip().removeprefix("- ").strip()
            if text:
                pairs.append((block["intent"], text))
    return pairs


def test_holdout_phrasings_are_classified(stack: Stack) -> None:
    examples = holdout_examples()
    wrong: list[tuple[str, str, str]] = []
    totals: Counter[str] = Counter()
    for intent, text in examples:
        totals[intent] += 1
        predicted = stack.parse(text)["intent"]["name"]
        if predicted != intent:
            wrong.append((intent, predicted, text))
    accuracy = 1 - len(wrong) / len(examples)
    misses = Counter(intent for intent, _, _ in wrong)
    weakest = {
        i: 1 - misses[i] / totals[i] for i in totals if 1 - misses[i] / totals[i] < PER_INTENT_FLOOR
    }
    assert accuracy >= OVERALL_FLOOR, f"accuracy {accuracy:.2f}; misses: {wrong}"
    assert not weakest, f"intents below {PER_INTENT_FLOOR}: {weakest}; misses: {wrong}"


@pytest.mark.parametrize(
    ("sentence", "person", "organization"),
    [
        ("Last week Maria Gonzalez moved from Siemens to a startup", "Maria Gonzalez", "Siemens"),
        (
            "Please ask Oliver Bennett at Deutsche Bank to call me back",
            "Oliver Bennett",
            "Deutsche Bank",
        ),
    ],
)
def test_spacy_finds_person_and_company_in_unseen_sentences(
    stack: Stack, sentence: str, person: str, organization: str
) -> None:
    entities = {(e["entity"], e["value"]) for e in stack.parse(sentence)["entities"]}
    assert ("PERSON", person) in entities
    assert ("ORG", organization) in entities
