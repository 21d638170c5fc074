"""Scoring one lead against the rubric: a pure function of the profile and `now`."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.scoring.rubric import ChoiceRule, Rubric, WordsRule


@dataclass(frozen=True)
class Engagement:
    kind: str
    occurred_at: datetime


@dataclass(frozen=True)
class Profile:
    """What scoring may look at: stated fit and observed behaviour, nothing else."""

    fields: Mapping[str, str]
    engagements: tuple[Engagement, ...] = ()


@dataclass(frozen=True)
class Reason:
    rule: str
    points: float
    detail: str

    def as_dict(self) -> dict[str, Any]:
        return {"rule": self.rule, "points": round(self.points, 1), "detail": self.detail}


@dataclass(frozen=True)
class ScoreResult:
    score: int
    grade: str
    stage: str
    rubric_version: str
    reasons: tuple[Reason, ...]
    model_version: str | None = None
    predicted: float | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def explanation(self) -> list[dict[str, Any]]:
        return [reason.as_dict() for reason in self.reasons]


def score(profile: Profile, rubric: Rubric, now: datetime) -> ScoreResult:
    reasons = [*_fit(profile.fields, rubric), *_engagement(profile.engagements, rubric, now)]
    total = _clamp(sum(reason.points for reason in reasons))
    return ScoreResult(
        score=total,
        grade=rubric.grade_for(total),
        stage=rubric.stage_for(total),
        rubric_version=rubric.version,
        reasons=tuple(reasons),
    )


def blend(
    result: ScoreResult, rubric: Rubric, probability: float, model_version: str
) -> ScoreResult:
    """Mix the model's probability (as 0-100) into the rubric score with the rubric's weight."""
    weight = rubric.predictive_weight
    blended = _clamp((1 - weight) * result.score + weight * 100 * probability)
    reason = Reason(
        "predictive",
        blended - result.score,
        f"model {model_version}: {probability:.0%} likely to buy, weight {weight:g}",
    )
    return ScoreResult(
        score=blended,
        grade=rubric.grade_for(blended),
        stage=rubric.stage_for(blended),
        rubric_version=rubric.version,
        reasons=(*result.reasons, reason),
        model_version=model_version,
        predicted=probability,
    )


def _clamp(points: float) -> int:
    return max(0, min(100, round(points)))


def _fit(fields: Mapping[str, str], rubric: Rubric) -> Iterable[Reason]:
    for rule in rubric.fit:
        value = fields.get(rule.field)
        if not value:
            continue
        if isinstance(rule, ChoiceRule):
            points = rule.points.get(value, 0)
            if points:
                yield Reason(rule.field, points, f"{points:+d} {rule.field} {value}")
        elif isinstance(rule, WordsRule):
            found = _words_points(rule, value)
            if found:
                word, points = found
                yield Reason(rule.field, points, f'{points:+d} {rule.field} "{value}" ({word})')


def _words_points(rule: WordsRule, text: str) -> tuple[str, int] | None:
    lowered = text.lower()
    for words, points in rule.lines:
        for word in words:
            if re.search(rf"\b{re.escape(word)}\b", lowered):
                return word, points
    return None


def _engagement(events: Iterable[Engagement], rubric: Rubric, now: datetime) -> Iterable[Reason]:
    totals: dict[str, float] = {}
    counts: dict[str, int] = {}
    for event in events:
        worth = rubric.events.get(event.kind)
        if not worth:
            continue
        age_days = max(0.0, (now - event.occurred_at).total_seconds() / 86_400)
        totals[event.kind] = totals.get(event.kind, 0.0) + worth * math.pow(
            0.5, age_days / rubric.half_life_days
        )
        counts[event.kind] = counts.get(event.kind, 0) + 1
    for kind, total in totals.items():
        # Repeats add up but one kind of engagement is capped at twice its points.
        capped = min(total, 2.0 * rubric.events[kind])
        times = f" x{counts[kind]}" if counts[kind] > 1 else ""
        yield Reason(kind, capped, f"{capped:+.1f} {kind.replace('_', ' ')}{times} (fading)")
