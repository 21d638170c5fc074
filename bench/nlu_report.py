"""NLU on the held-out set (run by hand: `.venv/bin/python bench/nlu_report.py`).

Loads the trained model (the one for the current training inputs, or `--model`), parses
every example of tests/data/nlu_holdout.yml through the whole NLU pipeline (DIET, the
fallback, the explicit-details and one-time-code overrides: what the bot acts on) and
prints Markdown: per-intent precision, recall, F1 and support with macro and weighted
averages, the most frequent confusions, and how well spaCy finds the people and
companies annotated in the held-out examples ([value](PERSON), [value](ORG)).

Intents the model knows but the held-out set has no examples for are listed with support
0, so a new intent shows up here before anyone writes held-out examples for it.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import re
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

HOLDOUT = ROOT / "tests" / "data" / "nlu_holdout.yml"
ENTITY_KINDS = ("PERSON", "ORG")
FALLBACK = "nlu_fallback"
# Rasa adds these to every domain; they have no training examples of ours.
RASA_DEFAULT_INTENTS = frozenset({"restart", "back", "session_start", FALLBACK})
_ANNOTATION = re.compile(r"\[(?P<value>[^\]]+)\]\((?P<kind>[A-Za-z_]+)\)")


@dataclass(frozen=True)
class Entity:
    kind: str
    value: str


@dataclass(frozen=True)
class Example:
    intent: str
    text: str
    entities: tuple[Entity, ...] = ()


def parse_annotated(line: str) -> tuple[str, tuple[Entity, ...]]:
    """Text and entities of one example in Rasa's `[value](ENTITY)` syntax."""
    entities = tuple(Entity(m["kind"], m["value"]) for m in _ANNOTATION.finditer(line))
    return _ANNOTATION.sub(lambda m: m["value"], line), entities


def nlu_examples(path: Path) -> list[Example]:
    """The intent examples of a Rasa NLU YAML file (other blocks, such as regexes, skipped)."""
    document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    examples: list[Example] = []
    for block in document.get("nlu") or []:
        if not isinstance(block, dict) or "intent" not in block:
            continue
        for line in str(block.get("examples") or "").splitlines():
            raw = line.strip().removeprefix("- ").strip()
            if raw:
                text, entities = parse_annotated(raw)
                examples.append(Example(str(block["intent"]), text, entities))
    return examples


def training_examples(data_dir: Path) -> list[Example]:
    return [e for path in sorted(data_dir.rglob("*.yml")) for e in nlu_examples(path)]


def normalise(text: str) -> str:
    """What two phrasings share when they are the same words: case, spacing and the
    punctuation around them aside."""
    return re.sub(r"\s+", " ", text.lower()).strip(" .,!?")


# ---------------------------------------------------------------- scores


@dataclass(frozen=True)
class Score:
    label: str
    precision: float | None  # None: never predicted
    recall: float | None  # None: no held-out examples
    support: int
    predicted: int

    @property
    def f1(self) -> float | None:
        if self.precision is None or self.recall is None:
            return None
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


def score(label: str, true_positive: int, predicted: int, support: int) -> Score:
    return Score(
        label,
        true_positive / predicted if predicted else None,
        true_positive / support if support else None,
        support,
        predicted,
    )


@dataclass(frozen=True)
class Averages:
    precision: float
    recall: float
    f1: float


def averages(scores: Sequence[Score], *, weighted: bool) -> Averages:
    """Over the labels with held-out examples; a label never predicted counts as 0 precision."""
    rows = [s for s in scores if s.support]
    weights = [s.support if weighted else 1 for s in rows]
    total = sum(weights) or 1

    def mean(values: Iterable[float | None]) -> float:
        return sum(w * (v or 0.0) for w, v in zip(weights, values, strict=True)) / total

    return Averages(
        mean(s.precision for s in rows), mean(s.recall for s in rows), mean(s.f1 for s in rows)
    )


@dataclass
class Prediction:
    example: Example
    intent: str
    entities: tuple[Entity, ...]


@dataclass
class Report:
    predictions: list[Prediction]
    model_intents: frozenset[str]
    header: dict[str, str] = field(default_factory=dict)

    @property
    def accuracy(self) -> float:
        right = sum(p.intent == p.example.intent for p in self.predictions)
        return right / len(self.predictions) if self.predictions else 0.0

    def intent_scores(self) -> list[Score]:
        labels = sorted(
            {p.example.intent for p in self.predictions}
            | (self.model_intents - RASA_DEFAULT_INTENTS)
        )
        support = Counter(p.example.intent for p in self.predictions)
        predicted = Counter(p.intent for p in self.predictions)
        right = Counter(p.intent for p in self.predictions if p.intent == p.example.intent)
        return [score(label, right[label], predicted[label], support[label]) for label in labels]

    def confusions(self, top: int = 15) -> list[tuple[str, str, int, str]]:
        """(held-out intent, predicted intent, count, one example) for the top mistakes."""
        wrong = [p for p in self.predictions if p.intent != p.example.intent]
        counts = Counter((p.example.intent, p.intent) for p in wrong)
        first: dict[tuple[str, str], str] = {}
        for p in wrong:
            first.setdefault((p.example.intent, p.intent), p.example.text)
        return [(t, g, n, first[(t, g)]) for (t, g), n in counts.most_common(top)]

    def entity_scores(self) -> list[Score]:
        """On the examples annotated with entities: each annotation names every person and
        company in its example, so anything else found there is a false positive."""
        annotated = [p for p in self.predictions if p.example.entities]
        scores = []
        for kind in ENTITY_KINDS:
            right = found = expected = 0
            for p in annotated:
                want = Counter(normalise(e.value) for e in p.example.entities if e.kind == kind)
                got = Counter(normalise(e.value) for e in p.entities if e.kind == kind)
                right += sum((want & got).values())
                found += sum(got.values())
                expected += sum(want.values())
            scores.append(score(kind, right, found, expected))
        return scores

    def entity_misses(self) -> list[tuple[str, str, str]]:
        """(text, expected, found) for annotated examples where spaCy got something wrong."""
        rows = []
        for p in self.predictions:
            if not p.example.entities:
                continue
            want = sorted(f"{e.value} ({e.kind})" for e in p.example.entities)
            got = sorted(f"{e.value} ({e.kind})" for e in p.entities if e.kind in ENTITY_KINDS)
            if [normalise(w) for w in want] != [normalise(g) for g in got]:
                rows.append((p.example.text, ", ".join(want), ", ".join(got) or "nothing"))
        return rows

    def unannotated_finds(self) -> list[tuple[str, str]]:
        """People and companies found in examples without annotations (often a greeting
        or a place read as a name): informative, not scored."""
        return [
            (p.example.text, ", ".join(f"{e.value} ({e.kind})" for e in found))
            for p in self.predictions
            if not p.example.entities
            and (found := [e for e in p.entities if e.kind in ENTITY_KINDS])
        ]


# ---------------------------------------------------------------- Markdown


def _number(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def markdown(report: Report) -> str:
    scores = report.intent_scores()
    lines = [f"- {key}: {value}" for key, value in report.header.items()]
    held_out = {p.example.intent for p in report.predictions}
    missing = [s.label for s in scores if not s.support]
    fell_back = sum(p.intent == FALLBACK for p in report.predictions)
    lines += [
        f"- examples: {len(report.predictions)} in {len(held_out)} intents; "
        f"accuracy {report.accuracy:.3f}; fell back (`{FALLBACK}`): {fell_back}",
        "",
        "| intent | precision | recall | F1 | support |",
        "|---|---:|---:|---:|---:|",
    ]
    for s in scores:
        note = " (no held-out examples)" if not s.support else ""
        lines.append(
            f"| {s.label}{note} | {_number(s.precision)} | {_number(s.recall)} "
            f"| {_number(s.f1)} | {s.support} |"
        )
    support = sum(s.support for s in scores)
    for name, weighted in (("macro avg", False), ("weighted avg", True)):
        avg = averages(scores, weighted=weighted)
        lines.append(
            f"| **{name}** | {avg.precision:.2f} | {avg.recall:.2f} | {avg.f1:.2f} | {support} |"
        )
    if missing:
        lines += ["", f"Intents in the model with no held-out examples: {', '.join(missing)}."]
    lines += ["", "**Top confusions**", ""]
    confusions = report.confusions()
    if confusions:
        lines += ["| held-out intent | predicted | count | example |", "|---|---|---:|---|"]
        lines += [f"| {t} | {g} | {n} | {_cell(x)} |" for t, g, n, x in confusions]
    else:
        lines.append("None.")
    annotated = sum(bool(p.example.entities) for p in report.predictions)
    lines += [
        "",
        f"**Entities** (spaCy, on the {annotated} examples annotated with people and companies;"
        " exact value, case and surrounding punctuation aside)",
        "",
        "| entity | precision | recall | F1 | support | found |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    lines += [
        f"| {s.label} | {_number(s.precision)} | {_number(s.recall)} | {_number(s.f1)} "
        f"| {s.support} | {s.predicted} |"
        for s in report.entity_scores()
    ]
    misses = report.entity_misses()
    if misses:
        lines += ["", "| example | annotated | found |", "|---|---|---|"]
        lines += [f"| {_cell(t)} | {_cell(w)} | {_cell(g)} |" for t, w, g in misses]
    finds = report.unannotated_finds()
    lines += [
        "",
        f"Found in the {len(report.predictions) - annotated} examples without annotations: "
        f"{len(finds)}" + (":" if finds else "."),
    ]
    lines += [f"- {_cell(t)}: {_cell(found)}" for t, found in finds]
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- running the model


def _entities(parsed: dict[str, Any]) -> tuple[Entity, ...]:
    return tuple(Entity(str(e["entity"]), str(e["value"])) for e in parsed.get("entities") or [])


async def evaluate(model: Path, examples: Sequence[Example]) -> Report:
    from rasa.core.agent import Agent
    from rasa.utils.common import configure_logging_and_warnings
    from rasa.utils.log_utils import configure_structlog

    # Rasa logs every parse at debug level, on stdout: the report is the output here.
    configure_logging_and_warnings(logging.WARNING)
    configure_structlog(logging.WARNING)
    agent = Agent.load(str(model))
    predictions = []
    for example in examples:
        parsed = await agent.parse_message(example.text)
        intent = str((parsed.get("intent") or {}).get("name"))
        predictions.append(Prediction(example, intent, _entities(parsed)))
    intents = frozenset(agent.domain.intents) if agent.domain else frozenset()
    return Report(predictions, intents)


def main(argv: Sequence[str] | None = None) -> int:
    from bot import rasa_model as models

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, help="a trained model (default: the current one)")
    parser.add_argument("--holdout", type=Path, default=HOLDOUT)
    parser.add_argument("--train", action="store_true", help="train first when it is stale")
    parser.add_argument("--out", type=Path, help="also write the Markdown here")
    args = parser.parse_args(argv)

    path: Path = args.model or models.model_path(ROOT)
    if args.model is None and not path.is_file():
        if not args.train:
            parser.error(f"{path.name} is not trained yet: pass --train, or --model PATH")
        path = models.train(ROOT)
    current = models.model_path(ROOT).name == path.name
    report = asyncio.run(evaluate(path, nlu_examples(args.holdout)))
    report.header = {
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%d"),
        "model": f"`{path.name}`"
        + (" (the current training inputs)" if current else " (not the current inputs)"),
        "fingerprint": path.name.removeprefix(models.MODEL_PREFIX).removesuffix(".tar.gz"),
        "rasa": metadata.version("rasa"),
        "held-out set": f"`{args.holdout.resolve().relative_to(ROOT)}`",
    }
    text = markdown(report)
    print(text)
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
