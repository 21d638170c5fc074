"""Single answers to single questions, read as the forms read them: a fast check of the
readers on answers written apart from them.

Each probe in `bench/probes/<split>*.yml` is one answer to one question ("Will you be the
one making the decision on this?") with what a careful person would file from it (or
null: nothing may be stored). The answer goes through the trained model's NLU (intent and
entities, corrections included) and then through the reader the form uses for that
field: `read_answer` and the volunteered details for the qualifying questions,
`read_message` for the lead form's. A value stored that differs from the expected one is
wrong; none where one was expected is missed. The `test` split is kept like the persona
test split (bench/personas/README.md): whoever edits the readers does not open it.

    .venv/bin/python bench/answer_probes.py --split dev [--show] [--model PATH]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field as default
from pathlib import Path
from typing import Any

import structlog
import yaml

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

PROBES = ROOT / "bench" / "probes"
QUALIFYING = ("company_size", "authority", "budget", "timeline")
LEAD_FIELDS = ("name", "email", "phone", "company", "role", "need")


@dataclass(frozen=True)
class Probe:
    field: str
    channel: str
    answer: str
    expect: str | None
    also: dict[str, str] = default(default_factory=dict)


@dataclass
class Outcome:
    probe: Probe
    intent: str
    stored: dict[str, str]

    def verdicts(self) -> list[tuple[str, str]]:
        """(field, "wrong" | "missed" | "extra") for each field that is not as expected."""
        # Only what the form asking this question would store: the lead form does not
        # file qualifying answers said in passing (they are asked later), nor the
        # qualifying form lead details.
        same_form = QUALIFYING if self.probe.field in QUALIFYING else LEAD_FIELDS
        also = {k: v for k, v in self.probe.also.items() if k in same_form}
        expected = {self.probe.field: self.probe.expect, **also}
        found: list[tuple[str, str]] = []
        for name, value in self.stored.items():
            want = expected.get(name)
            if want is None:
                found.append((name, "extra" if name != self.probe.field else "wrong"))
            elif not _same(name, value, want):
                found.append((name, "wrong"))
        for name, want in expected.items():
            if want is not None and name not in self.stored:
                found.append((name, "missed"))
        return found


def _same(name: str, stored: str, expected: str) -> bool:
    if name in QUALIFYING:
        return stored == expected
    return " ".join(stored.casefold().split()) == " ".join(str(expected).casefold().split())


def load(split: str) -> list[Probe]:
    """Every author's probes of a split: `dev.yml`, `dev-b.yml`, ..."""
    return [
        Probe(
            field=str(item["field"]),
            channel=str(item.get("channel") or "chat"),
            answer=str(item["answer"]),
            expect=None if item.get("expect") is None else str(item["expect"]),
            also={str(k): str(v) for k, v in (item.get("also") or {}).items()},
        )
        for path in sorted(PROBES.glob(f"{split}*.yml"))
        for item in yaml.safe_load(path.read_text(encoding="utf-8"))["probes"]
    ]


def stored_values(
    probe: Probe, parsed: dict[str, Any], region: str, company: str
) -> dict[str, str]:
    from bot.leads import read_message
    from bot.qualification import read_answer, read_volunteered

    intent = str((parsed.get("intent") or {}).get("name") or "")
    entities = parsed.get("entities") or []
    if probe.field in QUALIFYING:
        answer = read_answer(probe.field, probe.answer, intent)
        stored = dict(read_volunteered(probe.answer, requested=probe.field))
        if answer.value is not None:
            stored[probe.field] = answer.value
        return stored
    reading = read_message(
        probe.answer,
        region=region,
        requested=probe.field,  # type: ignore[arg-type]
        persons=[str(e["value"]) for e in entities if e.get("entity") == "PERSON"],
        organizations=[str(e["value"]) for e in entities if e.get("entity") == "ORG"],
        excluded=(company,),
    )
    return {str(k): v for k, v in reading.values.items()}


async def run(model: Path, probes: Sequence[Probe]) -> list[Outcome]:
    from rasa.core.agent import Agent

    from bot.settings import load_settings
    from channels import model_loading

    logging.disable(logging.INFO)
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))
    model_loading.install()
    agent = Agent.load(str(model))
    settings = load_settings()
    outcomes = []
    for probe in probes:
        parsed = await agent.parse_message(probe.answer)
        stored = stored_values(probe, parsed, settings.default_region, settings.company_name)
        intent = str((parsed.get("intent") or {}).get("name") or "")
        outcomes.append(Outcome(probe, intent, stored))
    return outcomes


def report(outcomes: Sequence[Outcome], *, show: bool) -> dict[str, Any]:
    per_field: dict[str, Counter[str]] = {}
    for outcome in outcomes:
        counts = per_field.setdefault(outcome.probe.field, Counter())
        counts["answers"] += 1
        verdicts = outcome.verdicts()
        counts["right"] += not verdicts
        for _name, kind in verdicts:
            counts[kind] += 1
        if show and verdicts:
            kinds = ", ".join(f"{n} {k}" for n, k in verdicts)
            print(
                f"{kinds:<28} {outcome.probe.field}: {outcome.probe.answer!r} -> {outcome.stored}"
                f" (expected {outcome.probe.expect!r} {outcome.probe.also or ''}, {outcome.intent})"
            )
    print(f"\n{'field':<14}{'answers':>8}{'right':>7}{'wrong':>7}{'missed':>8}{'extra':>7}")
    for name, counts in sorted(per_field.items()):
        print(
            f"{name:<14}{counts['answers']:>8}{counts['right']:>7}{counts['wrong']:>7}"
            f"{counts['missed']:>8}{counts['extra']:>7}"
        )
    total = sum((c for c in per_field.values()), Counter())
    print(
        f"{'all':<14}{total['answers']:>8}{total['right']:>7}{total['wrong']:>7}"
        f"{total['missed']:>8}{total['extra']:>7}"
    )
    return {name: dict(counts) for name, counts in per_field.items()}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="dev", choices=("dev", "test"))
    parser.add_argument("--model", type=Path, help="default: the model for the current inputs")
    parser.add_argument("--only", help="only probes for this field")
    parser.add_argument("--show", action="store_true", help="print each probe not read right")
    parser.add_argument("--json", type=Path, help="write the per-field counts here")
    args = parser.parse_args(argv)
    if args.show and args.split == "test":
        parser.error("the test split's answers are not shown; only its counts")
    from bot import rasa_model

    model = args.model or rasa_model.train(ROOT)
    probes = [p for p in load(args.split) if args.only in (None, p.field)]
    outcomes = asyncio.run(run(model, probes))
    counts = report(outcomes, show=args.show)
    if args.json:
        args.json.write_text(json.dumps(counts, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
