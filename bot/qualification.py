"""Qualifying questions: which to ask, in which order, and reading the answers.

Pure functions: no I/O, no Rasa. Answers are read from free text ("we're about 40
people", "ASAP", "roughly 2k a month") as well as from button payloads, and map onto the
canonical values in `bot.types.QUALIFICATION_VALUES` that scoring and segments use.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bot.errors import ParleyError
from bot.types import QUALIFICATION_VALUES

# The order questions are asked in when qualification.yml says nothing else.
FIELDS: tuple[str, ...] = ("company_size", "authority", "budget", "timeline")
VALUES = QUALIFICATION_VALUES
# How answers are shown back to people (summaries, the handoff to sales).
LABELS: dict[str, dict[str, str]] = {
    "budget": {
        "under_1k": "under $1k a year",
        "1k_10k": "$1k-10k a year",
        "10k_50k": "$10k-50k a year",
        "over_50k": "over $50k a year",
    },
    "authority": {
        "decides": "makes the decision",
        "influences": "influences the decision",
        "researching": "researching",
    },
    "timeline": {
        "now": "within a month",
        "quarter": "within 3 months",
        "year": "within a year",
        "later": "no set timeline",
    },
    "company_size": {v: f"{v} people" for v in VALUES["company_size"]},
}


@dataclass
class QualificationConfigError(ParleyError):
    path: Path
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


@dataclass(frozen=True)
class Question:
    field: str
    # Skip this question when another answer is one of these values.
    skip_when: Mapping[str, frozenset[str]] = dataclasses.field(default_factory=dict)

    def applies(self, answers: Mapping[str, str]) -> bool:
        return not any(answers.get(other) in values for other, values in self.skip_when.items())


@dataclass(frozen=True)
class QualificationConfig:
    questions: tuple[Question, ...]

    def next_question(self, answers: Mapping[str, str], skipped: set[str]) -> str | None:
        """The field to ask about next, or None when nothing is left to ask."""
        for question in self.questions:
            if question.field in answers or question.field in skipped:
                continue
            if question.applies(answers):
                return question.field
        return None


DEFAULT_CONFIG = QualificationConfig(tuple(Question(f) for f in FIELDS))


def load_qualification_config(path: Path) -> QualificationConfig:
    """Read qualification.yml; a missing file means every question in the default order."""
    if not path.exists():
        return DEFAULT_CONFIG
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise QualificationConfigError(path, f"not valid YAML: {error}") from error
    if not isinstance(raw, dict) or not isinstance(raw.get("questions"), list):
        raise QualificationConfigError(path, "expected a mapping with a `questions:` list")
    questions = tuple(_question(path, i, item) for i, item in enumerate(raw["questions"], 1))
    seen = [q.field for q in questions]
    duplicates = sorted({f for f in seen if seen.count(f) > 1})
    if duplicates:
        raise QualificationConfigError(path, f"questions asked twice: {', '.join(duplicates)}")
    return QualificationConfig(questions)


def _question(path: Path, number: int, item: Any) -> Question:
    where = f"question {number}"
    if not isinstance(item, dict) or "field" not in item:
        raise QualificationConfigError(path, f"{where}: expected `field: <one of {FIELDS}>`")
    name = item["field"]
    if name not in VALUES:
        raise QualificationConfigError(
            path, f"{where}: unknown field {name!r}; known fields: {', '.join(FIELDS)}"
        )
    unknown_keys = set(item) - {"field", "skip_when"}
    if unknown_keys:
        raise QualificationConfigError(path, f"{where}: unknown keys {sorted(unknown_keys)}")
    skip_when = item.get("skip_when") or {}
    if not isinstance(skip_when, dict):
        raise QualificationConfigError(path, f"{where}: skip_when must map fields to values")
    conditions: dict[str, frozenset[str]] = {}
    for other, values in skip_when.items():
        if other not in VALUES:
            raise QualificationConfigError(
                path, f"{where}: skip_when names unknown field {other!r}"
            )
        listed = values if isinstance(values, list) else [values]
        bad = [str(v) for v in listed if str(v) not in VALUES[other]]
        if bad:
            raise QualificationConfigError(
                path,
                f"{where}: skip_when {other} has unknown values {bad}; "
                f"allowed: {', '.join(VALUES[other])}",
            )
        conditions[other] = frozenset(str(v) for v in listed)
    return Question(name, conditions)


# ---------------------------------------------------------------- reading answers

_NOT_SURE = re.compile(
    r"\b(?:not sure|unsure|no idea|don'?t know|dunno|can'?t say|rather not say|"
    r"prefer not to say|no comment|depends)\b",
    re.I,
)
_NUMBER = re.compile(
    r"(?P<num>\d{1,3}(?:[,\s]\d{3})+|\d+(?:\.\d+)?)\s*(?P<mult>k\b|m\b|thousand|million|grand)?",
    re.I,
)
_WORD_NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "a dozen": 12, "dozen": 12, "a couple": 2,
    "couple": 2, "a few": 3, "few": 3, "twenty": 20, "thirty": 30, "forty": 40,
    "fifty": 50, "a hundred": 100, "hundred": 100, "a thousand": 1000,
}  # fmt: skip
_MULTIPLIER = {"k": 1_000, "thousand": 1_000, "grand": 1_000, "m": 1_000_000, "million": 1_000_000}


def _numbers(text: str) -> list[float]:
    found: list[float] = []
    for match in _NUMBER.finditer(text):
        value = float(re.sub(r"[,\s]", "", match["num"]))
        mult = (match["mult"] or "").lower()
        found.append(value * _MULTIPLIER.get(mult, 1))
    if not found:
        lowered = text.lower()
        for word, value in sorted(_WORD_NUMBERS.items(), key=lambda kv: -len(kv[0])):
            if re.search(rf"\b{word}\b", lowered):
                multiplier = 1_000 if re.search(rf"\b{word}\s+thousand\b", lowered) else 1
                found.append(value * multiplier)
                break
    return found


def _exact(field_name: str, text: str) -> str | None:
    """A canonical value or its label, as a button or a literal reply sends it."""
    cleaned = text.strip().lower().rstrip(".!")
    for value in VALUES[field_name]:
        if cleaned in (value.lower(), LABELS[field_name][value].lower()):
            return value
    return None


def _size_bucket(people: float) -> str:
    if people <= 10:
        return "1-10"
    if people <= 50:
        return "11-50"
    if people <= 200:
        return "51-200"
    if people <= 1000:
        return "201-1000"
    return "1000+"


_SIZE_WORDS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\b(?:just me|only me|myself|solo|one[- ]person|freelanc\w*|sole trader)\b", re.I), "1-10"),
    (re.compile(r"\b(?:thousands|tens of thousands|enterprise|multinational|fortune 500|global corporation)\b", re.I), "1000+"),
    (re.compile(r"\b(?:a few hundred|several hundred|hundreds)\b", re.I), "201-1000"),
    (re.compile(r"\b(?:dozens|a few dozen)\b", re.I), "11-50"),
    (re.compile(r"\b(?:tiny|very small|small team|a handful|handful)\b", re.I), "1-10"),
)  # fmt: skip


def read_company_size(text: str) -> str | None:
    exact = _exact("company_size", text)
    if exact:
        return exact
    for pattern, value in _SIZE_WORDS:
        if pattern.search(text):
            return value
    numbers = _numbers(text)
    if not numbers:
        return None
    # "50 to 100 people" sits in the bucket of its middle.
    return _size_bucket(sum(numbers[:2]) / len(numbers[:2]))


_MONTHLY = re.compile(r"\b(?:a|per|each|every|/)\s*month\b|\bmonthly\b|/\s*mo\b|\bpm\b", re.I)
_NO_BUDGET = re.compile(
    r"\b(?:no budget|zero budget|nothing|free (?:plan|tier|version)|no money|"
    r"can'?t spend anything)\b",
    re.I,
)
_BUDGET_WORDS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\bsix[- ]figures?|seven[- ]figures?|\bbig budget\b|\bwhatever it takes\b", re.I), "over_50k"),
    (re.compile(r"\bfive[- ]figures?\b", re.I), "10k_50k"),
    (re.compile(r"\bfour[- ]figures?\b", re.I), "1k_10k"),
    (re.compile(r"\b(?:very )?(?:small|tight|limited|tiny|shoestring) budget\b|\bnot much\b", re.I), "under_1k"),
)  # fmt: skip


def _budget_bucket(per_year: float) -> str:
    if per_year < 1_000:
        return "under_1k"
    if per_year < 10_000:
        return "1k_10k"
    if per_year <= 50_000:
        return "10k_50k"
    return "over_50k"


def read_budget(text: str) -> str | None:
    exact = _exact("budget", text)
    if exact:
        return exact
    button = re.fullmatch(
        r"\s*(under \$?1k|\$?1k\s*-\s*\$?10k|\$?10k\s*-\s*\$?50k|over \$?50k)\s*", text, re.I
    )
    if button:
        numbers = _numbers(button[1])
        return _budget_bucket(
            max(numbers) - 1 if "under" in button[1].lower() else min(numbers) + 1
        )
    for pattern, value in _BUDGET_WORDS:
        if pattern.search(text):
            return value
    if _NO_BUDGET.search(text):
        return "under_1k"
    numbers = _numbers(text)
    if not numbers:
        return None
    amount = sum(numbers[:2]) / len(numbers[:2])
    if _MONTHLY.search(text):
        amount *= 12
    return _budget_bucket(amount)


_AUTHORITY: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\b(?:just|only|simply)?\s*(?:researching|looking around|browsing|exploring|curious|"
                r"gathering info\w*|comparing options|not buying)\b", re.I), "researching"),
    # Negations first: "not my call" must not read as "my call".
    (re.compile(r"\b(?:not (?:me|my call|my decision|up to me)|someone else|"
                r"i don'?t (?:decide|sign|approve)|need (?:approval|sign[- ]off))\b", re.I), "influences"),
    (re.compile(r"\b(?:i (?:decide|do|make (?:the|that) (?:call|decision)|sign(?: off)?|approve|"
                r"have the final say|own the budget|hold the budget|am the decision[- ]maker)|"
                r"i'?m the (?:decision[- ]maker|owner|founder|co-?founder|ceo|boss|one who decides|buyer)|"
                r"it'?s (?:my|all my) (?:call|decision)|up to me|my call|my decision|"
                r"that'?s me|final say|decision[- ]maker)\b", re.I), "decides"),
    (re.compile(r"\b(?:my (?:boss|manager|ceo|cto|cfo|vp|director|team lead|board)|"
                r"(?:the|our) (?:boss|ceo|cto|cfo|board|owner|founder|management|director|"
                r"committee|procurement|leadership)|"
                r"(?:i )?(?:influence|recommend|advise|suggest|make the case|shortlist)\w*|"
                r"we decide together|as a team|(?:a )?team decision|jointly|part of the decision)\b",
                re.I), "influences"),
)  # fmt: skip


def read_authority(text: str, intent: str | None = None) -> str | None:
    exact = _exact("authority", text)
    if exact:
        return exact
    for pattern, value in _AUTHORITY:
        if pattern.search(text):
            return value
    # The question is "will you be the one deciding?": a bare yes or no answers it.
    if intent == "affirm":
        return "decides"
    if intent == "deny":
        return "influences"
    return None


_UNIT_MONTHS = {"day": 1 / 30, "week": 0.25, "month": 1.0, "quarter": 3.0, "year": 12.0}
_IN_N_UNITS = re.compile(
    r"(?P<n>\d+(?:\.\d+)?|a|an|one|two|three|four|five|six|nine|twelve|a few|a couple of|couple of|few)"
    r"\s+(?P<unit>day|week|month|quarter|year)s?\b",
    re.I,
)
_COUNT_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "nine": 9, "twelve": 12, "a few": 3, "few": 3, "a couple of": 2, "couple of": 2,
}  # fmt: skip
_TIMELINE_WORDS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\b(?:asap|a\.s\.a\.p|right away|immediately|urgent\w*|now|today|tomorrow|"
                r"this week|next week|this month|straight away|yesterday|as soon as possible)\b", re.I), "now"),
    (re.compile(r"\b(?:next month|this quarter|next quarter|soon|shortly|in the coming weeks|"
                r"before (?:the )?(?:summer|end of (?:the )?quarter))\b", re.I), "quarter"),
    (re.compile(r"\b(?:this year|later this year|next year|end of (?:the )?year|this fiscal year|"
                r"next fiscal year|in (?:the )?(?:spring|summer|autumn|fall|winter)|h[12])\b", re.I), "year"),
    (re.compile(r"\b(?:no (?:rush|hurry|timeline|plans?|deadline)|not (?:yet|soon|any time soon)|"
                r"someday|some day|eventually|at some point|just (?:looking|exploring|browsing)|"
                r"no specific|no fixed|long[- ]term|far off)\b", re.I), "later"),
)  # fmt: skip


def _months_bucket(months: float) -> str:
    if months <= 1:
        return "now"
    if months <= 3:
        return "quarter"
    if months <= 12:
        return "year"
    return "later"


def read_timeline(text: str) -> str | None:
    exact = _exact("timeline", text)
    if exact:
        return exact
    match = _IN_N_UNITS.search(text)
    if match:
        raw = match["n"].lower()
        count = float(raw) if raw[0].isdigit() else float(_COUNT_WORDS.get(raw, 1))
        return _months_bucket(count * _UNIT_MONTHS[match["unit"].lower()])
    # "later" first: "not any time soon" is not "soon".
    for pattern, value in (_TIMELINE_WORDS[3], *_TIMELINE_WORDS[:3]):
        if pattern.search(text):
            return value
    return None


READERS = {
    "company_size": read_company_size,
    "budget": read_budget,
    "timeline": read_timeline,
}


@dataclass(frozen=True)
class Answer:
    value: str | None
    # The person said they don't know or would rather not say: don't ask again.
    declined: bool = False


def read_answer(field_name: str, text: str, intent: str | None = None) -> Answer:
    """Read the answer to the qualifying question about `field_name`."""
    value = read_authority(text, intent) if field_name == "authority" else READERS[field_name](text)
    if value is not None:
        return Answer(value)
    if _NOT_SURE.search(text) or intent in ("skip", "deny"):
        return Answer(None, declined=True)
    return Answer(None)


_SIZE_CUE = re.compile(
    r"(?:team of|headcount (?:is|of)|staff of)\s+(?P<a>[\w,.+ ]{1,20}?)(?:\s+people)?\b(?=$|[,.;!?]|\s+and\b)"
    r"|(?P<b>\b[\w,.+]+(?:\s+(?:to|-)\s+[\w,.+]+)?)\s+(?:people|employees|staff|person company|strong)\b",
    re.I,
)
_BUDGET_CUE = re.compile(
    r"\b(?:budget|spend)\w*\s+(?:(?:is|of|around|about|roughly|maybe|up to|~)\s*)*(?P<a>[$€£]?\s*[\d.,]+\s*(?:k|m|thousand|million|grand)?(?:\s*(?:a|per|/)\s*month)?)"
    r"|(?P<b>[$€£]\s*[\d.,]+\s*(?:k|m|thousand|million|grand)?(?:\s*(?:a|per|/)\s*month)?)",
    re.I,
)


def read_volunteered(text: str) -> dict[str, str]:
    """Qualifying details said unprompted with clear cue words ("we're 200 people")."""
    found: dict[str, str] = {}
    size_match = _SIZE_CUE.search(text)
    if size_match:
        size = read_company_size(size_match["a"] or size_match["b"])
        if size:
            found["company_size"] = size
    budget_match = _BUDGET_CUE.search(text)
    if budget_match:
        budget = read_budget(budget_match["a"] or budget_match["b"])
        if budget:
            found["budget"] = budget
    return found
