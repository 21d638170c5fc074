"""The scoring rubric (scoring.yml): loading it, and refusing a rubric that can't be right.

Errors name the file and the line, because marketers edit this file by hand. A rubric
may only score what Parley stores about a lead's fit and behaviour; anything naming a
protected attribute (age, gender, race, ...) is refused outright, whatever field it is
under, so a score can never be built on one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from bot.errors import ParleyError
from bot.protected import PROTECTED_WORDS
from bot.qualification import load_qualification_config
from bot.types import GRADES, QUALIFICATION_VALUES, STAGES

# Fields a rule may use: the qualification answers and the free-text lead fields.
CHOICE_FIELDS: Mapping[str, tuple[str, ...]] = QUALIFICATION_VALUES
TEXT_FIELDS: tuple[str, ...] = ("role", "company", "need")
ENGAGEMENT_EVENTS: tuple[str, ...] = ("asked_pricing", "requested_demo", "replied_to_followup")


@dataclass
class RubricError(ParleyError):
    path: Path
    line: int | None
    reason: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else str(self.path)
        return f"{where}: {self.reason}"


@dataclass(frozen=True)
class ChoiceRule:
    field: str
    points: Mapping[str, int]


@dataclass(frozen=True)
class WordsRule:
    field: str
    # (words, points) in order; the first line with a matching word wins.
    lines: tuple[tuple[tuple[str, ...], int], ...]


@dataclass(frozen=True)
class Rubric:
    version: str
    grades: tuple[tuple[str, int], ...]  # highest first
    stages: tuple[tuple[str, int], ...]  # highest first
    fit: tuple[ChoiceRule | WordsRule, ...]
    half_life_days: float
    events: Mapping[str, int]
    predictive_weight: float

    def grade_for(self, score: int) -> str:
        return next((grade for grade, floor in self.grades if score >= floor), "D")

    def stage_for(self, score: int) -> str:
        return next((stage for stage, floor in self.stages if score >= floor), "new")


def load_rubric(path: Path, custom: Mapping[str, Sequence[str]] | None = None) -> Rubric:
    """The rubric in `path`; `custom` maps the questions a marketer added
    (qualification.yml) to their option ids, which `points:` rules may then score."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise RubricError(path, None, f"cannot read the rubric: {error}") from error
    try:
        root = yaml.compose(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise RubricError(
            path, mark.line + 1 if mark else None, f"not valid YAML: {error}"
        ) from error
    if not isinstance(root, MappingNode):
        raise RubricError(
            path, 1, "expected a mapping with version, grades, stages, fit, engagement"
        )
    _refuse_protected(path, root)
    choices = {**CHOICE_FIELDS, **{k: tuple(v) for k, v in (custom or {}).items()}}
    return _Reader(path, choices).rubric(root)


def load_content_rubric(scoring: Path, qualification: Path) -> Rubric:
    """The rubric as the bot uses it: scoring the custom questions of qualification.yml."""
    return load_rubric(scoring, load_qualification_config(qualification).custom_choices)


def _refuse_protected(path: Path, node: Node) -> None:
    """Any key or value naming a protected attribute, anywhere in the file."""
    if isinstance(node, ScalarNode):
        found = PROTECTED_WORDS.search(str(node.value))
        if found:
            raise RubricError(
                path,
                node.start_mark.line + 1,
                f"{found.group(0)!r} is a protected attribute; scoring must not use it",
            )
    elif isinstance(node, MappingNode):
        for key, value in node.value:
            _refuse_protected(path, key)
            _refuse_protected(path, value)
    elif isinstance(node, SequenceNode):
        for item in node.value:
            _refuse_protected(path, item)


class _Reader:
    def __init__(self, path: Path, choices: Mapping[str, tuple[str, ...]]) -> None:
        self.path = path
        self.choices = choices

    def fail(self, node: Node, reason: str) -> RubricError:
        return RubricError(self.path, node.start_mark.line + 1, reason)

    def mapping(self, node: Node, what: str) -> dict[str, Node]:
        if not isinstance(node, MappingNode):
            raise self.fail(node, f"{what} must be a mapping")
        result: dict[str, Node] = {}
        for key, value in node.value:
            name = str(key.value)
            if name in result:
                raise self.fail(key, f"{what}: {name!r} is listed twice")
            result[name] = value
        return result

    def scalar(self, node: Node, what: str) -> str:
        if not isinstance(node, ScalarNode):
            raise self.fail(node, f"{what} must be a single value")
        return str(node.value)

    def integer(self, node: Node, what: str, low: int = -100, high: int = 100) -> int:
        raw = self.scalar(node, what)
        try:
            value = int(raw)
        except ValueError:
            raise self.fail(node, f"{what} must be a whole number, not {raw!r}") from None
        if not low <= value <= high:
            raise self.fail(node, f"{what} must be between {low} and {high}, not {value}")
        return value

    def rubric(self, root: MappingNode) -> Rubric:
        top = self.mapping(root, "the rubric")
        known = {"version", "grades", "stages", "fit", "engagement", "predictive"}
        for key, node in top.items():
            if key not in known:
                raise self.fail(
                    node, f"unknown section {key!r}; sections: {', '.join(sorted(known))}"
                )
        for required in ("version", "grades", "fit"):
            if required not in top:
                raise RubricError(self.path, 1, f"the rubric needs a `{required}:` section")
        engagement = self.mapping(top["engagement"], "engagement") if "engagement" in top else {}
        return Rubric(
            version=self.scalar(top["version"], "version"),
            grades=self.thresholds(top["grades"], "grades", GRADES[:-1]),
            stages=self.thresholds(top["stages"], "stages", tuple(reversed(STAGES[1:])))
            if "stages" in top
            else (),
            fit=self.fit(top["fit"]),
            half_life_days=self.half_life(engagement),
            events=self.events(engagement),
            predictive_weight=self.weight(top.get("predictive")),
        )

    def thresholds(
        self, node: Node, what: str, allowed: tuple[str, ...]
    ) -> tuple[tuple[str, int], ...]:
        entries = self.mapping(node, what)
        result = []
        for name, value in entries.items():
            if name not in allowed:
                raise self.fail(value, f"{what}: unknown {name!r}; use {', '.join(allowed)}")
            result.append((name, self.integer(value, f"{what}.{name}", 0, 100)))
        ordered = sorted(result, key=lambda item: allowed.index(item[0]))
        floors = [floor for _, floor in ordered]
        if floors != sorted(floors, reverse=True) or len(set(floors)) != len(floors):
            raise self.fail(
                node, f"{what} must get strictly lower from {allowed[0]} down: {dict(ordered)}"
            )
        return tuple(ordered)

    def fit(self, node: Node) -> tuple[ChoiceRule | WordsRule, ...]:
        if not isinstance(node, SequenceNode):
            raise self.fail(node, "fit must be a list of rules")
        return tuple(self.fit_rule(item) for item in node.value)

    def fit_rule(self, node: Node) -> ChoiceRule | WordsRule:
        rule = self.mapping(node, "a fit rule")
        if "field" not in rule:
            raise self.fail(node, "a fit rule needs `field:`")
        field = self.scalar(rule["field"], "field")
        extra = set(rule) - {"field", "points", "words"}
        if extra:
            raise self.fail(node, f"fit rule for {field!r}: unknown keys {sorted(extra)}")
        if field in self.choices:
            if "points" not in rule:
                raise self.fail(node, f"fit rule for {field!r} needs `points:` per value")
            points = {}
            for value, amount in self.mapping(rule["points"], f"{field} points").items():
                if value not in self.choices[field]:
                    raise self.fail(
                        amount,
                        f"{field} has no value {value!r}; values: {', '.join(self.choices[field])}",
                    )
                points[value] = self.integer(amount, f"{field}.{value}")
            return ChoiceRule(field, points)
        if field in TEXT_FIELDS:
            if "words" not in rule or not isinstance(rule["words"], SequenceNode):
                raise self.fail(node, f"fit rule for {field!r} needs a `words:` list")
            return WordsRule(
                field, tuple(self.words_line(line, field) for line in rule["words"].value)
            )
        raise self.fail(
            rule["field"],
            f"unknown field {field!r}; fields: {', '.join([*self.choices, *TEXT_FIELDS])}",
        )

    def words_line(self, node: Node, field: str) -> tuple[tuple[str, ...], int]:
        line = self.mapping(node, f"{field} words")
        if set(line) != {"match", "points"} or not isinstance(line["match"], SequenceNode):
            raise self.fail(node, f"each {field} words line needs `match: [..]` and `points:`")
        words = tuple(self.scalar(w, "a word").lower() for w in line["match"].value)
        return words, self.integer(line["points"], f"{field} points")

    def half_life(self, engagement: dict[str, Node]) -> float:
        node = engagement.get("half_life_days")
        if node is None:
            return 30.0
        return float(self.integer(node, "half_life_days", 1, 3650))

    def events(self, engagement: dict[str, Node]) -> dict[str, int]:
        extra = set(engagement) - {"half_life_days", "events"}
        if extra:
            raise self.fail(
                engagement[sorted(extra)[0]], f"engagement: unknown keys {sorted(extra)}"
            )
        if "events" not in engagement:
            return {}
        result = {}
        for kind, amount in self.mapping(engagement["events"], "engagement events").items():
            if kind not in ENGAGEMENT_EVENTS:
                raise self.fail(
                    amount,
                    f"unknown engagement event {kind!r}; events: {', '.join(ENGAGEMENT_EVENTS)}",
                )
            result[kind] = self.integer(amount, f"events.{kind}")
        return result

    def weight(self, node: Node | None) -> float:
        if node is None:
            return 0.0
        section = self.mapping(node, "predictive")
        if set(section) - {"weight"}:
            raise self.fail(node, "predictive: only `weight:` is allowed")
        raw = self.scalar(section["weight"], "weight") if "weight" in section else "0"
        try:
            weight = float(raw)
        except ValueError:
            raise self.fail(section["weight"], f"weight must be a number, not {raw!r}") from None
        if not 0.0 <= weight <= 1.0:
            raise self.fail(section["weight"], f"weight must be between 0 and 1, not {weight}")
        return weight
