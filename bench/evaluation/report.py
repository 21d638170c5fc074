"""The evaluation's figures: per split, and broken down by author, channel and goal."""

from __future__ import annotations

import re
import statistics
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

from bench.evaluation.judge import Verdict


def figures(verdicts: Sequence[Verdict]) -> dict[str, Any]:
    """The issue's measures for a set of conversations (empty sets give None)."""
    if not verdicts:
        return {"conversations": 0}
    stored = sum(v.stored for v in verdicts)
    wrong = sum(len(v.wrong) for v in verdicts)
    shown = sum(v.summaries_shown for v in verdicts)
    corrected = sum(v.summaries_corrected for v in verdicts)
    times = [ms for v in verdicts for ms in v.turn_ms]
    to_lead = [v.turns_to_goal for v in verdicts if v.goal == "lead" and v.turns_to_goal]
    return {
        "conversations": len(verdicts),
        "succeeded": sum(v.success for v in verdicts),
        "success_rate": round(sum(v.success for v in verdicts) / len(verdicts), 4),
        "values_stored": stored,
        "values_wrong": wrong,
        "wrong_value_rate": round(wrong / stored, 4) if stored else 0.0,
        "values_missed": sum(len(v.missed) for v in verdicts),
        "values_held_as_claims": sum(len(v.held_as_claims) for v in verdicts),
        "summaries_shown": shown,
        "summaries_corrected": corrected,
        "options_pressed": sum(v.options_pressed for v in verdicts),
        "fallbacks_per_conversation": round(sum(v.fallbacks for v in verdicts) / len(verdicts), 3),
        "turns_to_lead_median": statistics.median(to_lead) if to_lead else None,
        "turn_ms_p50": round(statistics.median(times), 1) if times else None,
    }


def breakdown(verdicts: Sequence[Verdict], key: Callable[[Verdict], str]) -> dict[str, Any]:
    groups: dict[str, list[Verdict]] = {}
    for verdict in verdicts:
        groups.setdefault(key(verdict), []).append(verdict)
    return {name: figures(group) for name, group in sorted(groups.items())}


def _field(entry: str) -> str:
    """'company (said ...)', 'company: ...' or 'consent email ...' -> the field's name."""
    words = entry.replace(":", " ").split()
    return " ".join(words[:2]) if words[0] == "consent" else words[0]


def field_counts(verdicts: Sequence[Verdict]) -> dict[str, dict[str, int]]:
    """Wrong and missed values per field: counts only, so the test split's can be read too."""
    counts: dict[str, dict[str, int]] = {}
    for verdict in verdicts:
        for kind, entries in (("wrong", verdict.wrong), ("missed", verdict.missed)):
            for entry in entries:
                row = counts.setdefault(_field(entry), {"wrong": 0, "missed": 0})
                row[kind] += 1
    return dict(sorted(counts.items()))


# Fields whose values are a few fixed bands: how they were confused can be counted without
# showing a word anyone said, so the test split's confusions can be read too.
BANDED_FIELDS = ("authority", "budget", "company_size", "timeline")
_ENTRY = re.compile(r"^(\w+)(?:: '([^']*)')? \(said '([^']*)'\)$")


def band_confusions(verdicts: Sequence[Verdict]) -> dict[str, dict[str, int]]:
    """Per banded field, 'said -> stored' counts of its wrong and missed values."""
    counts: dict[str, Counter[str]] = {}
    for verdict in verdicts:
        for entry in (*verdict.wrong, *verdict.missed):
            match = _ENTRY.match(entry)
            if match is None or match.group(1) not in BANDED_FIELDS:
                continue
            name, stored, said = match.groups()
            counts.setdefault(name, Counter())[f"{said} -> {stored or 'nothing'}"] += 1
    return {name: dict(counts[name].most_common()) for name in sorted(counts)}


def failure_kinds(verdicts: Sequence[Verdict]) -> dict[str, int]:
    """How many failed conversations show each kind of reason (one may show several)."""
    kinds: Counter[str] = Counter()
    for verdict in verdicts:
        if not verdict.success:
            kinds.update({_kind(reason) for reason in verdict.reasons})
    return dict(kinds.most_common())


def _kind(reason: str) -> str:
    if reason.endswith("question(s) not answered"):
        return "question not answered"
    return reason.split(":")[0] if not reason.startswith("goal not reached") else reason


def split_report(verdicts: Sequence[Verdict], *, with_failures: bool) -> dict[str, Any]:
    report: dict[str, Any] = {
        **figures(verdicts),
        "by_channel": breakdown(verdicts, lambda v: v.channel),
        "by_goal": breakdown(verdicts, lambda v: v.goal),
        "by_author": breakdown(verdicts, lambda v: v.author),
        "by_field": field_counts(verdicts),
        "failure_kinds": failure_kinds(verdicts),
        "band_confusions": band_confusions(verdicts),
    }
    if with_failures:
        # Only the dev split's failures are shown: the test split is scores only.
        report["failures"] = [{"id": v.id, "reasons": v.reasons} for v in verdicts if not v.success]
    return report


def markdown(name: str, report: dict[str, Any]) -> str:
    rows = [
        ("conversations", report["conversations"]),
        ("succeeded", f"{report['succeeded']} ({report['success_rate']:.1%})"),
        (
            "wrong values",
            f"{report['values_wrong']} of {report['values_stored']} stored"
            f" ({report['wrong_value_rate']:.2%})",
        ),
        ("missed values", report["values_missed"]),
        ("held as claims (another persona holds them)", report["values_held_as_claims"]),
        (
            "summaries corrected",
            f"{report['summaries_corrected']} of {report['summaries_shown']} shown",
        ),
        ("fallbacks per conversation", report["fallbacks_per_conversation"]),
        (
            "qualifying answers pressed after not being understood",
            report.get("options_pressed", 0),
        ),
        ("turns to a confirmed lead (median)", report["turns_to_lead_median"]),
        ("turn time p50 (ms)", report["turn_ms_p50"]),
    ]
    lines = [f"| {name} | |", "|---|---|", *(f"| {k} | {v} |" for k, v in rows)]
    for group in ("by_channel", "by_goal"):
        parts = ", ".join(
            f"{k} {g['succeeded']}/{g['conversations']}" for k, g in report[group].items()
        )
        lines.append(f"| success {group.removeprefix('by_')} | {parts} |")
    if report.get("failure_kinds"):
        kinds = ", ".join(f"{k} {n}" for k, n in report["failure_kinds"].items())
        lines.append(f"| failures by kind | {kinds} |")
    if report.get("by_field"):
        fields = ", ".join(f"{k} {c['wrong']}/{c['missed']}" for k, c in report["by_field"].items())
        lines.append(f"| wrong/missed by field | {fields} |")
    for name, confused in report.get("band_confusions", {}).items():
        parts = ", ".join(f"{k} {n}" for k, n in confused.items())
        lines.append(f"| {name} said -> stored | {parts} |")
    return "\n".join(lines)
