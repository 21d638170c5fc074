"""Persona files (bench/personas/README.md is the format) as typed, validated records."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml

PERSONAS_DIR = Path(__file__).resolve().parent.parent / "personas"
Split = Literal["dev", "test"]
SPLITS: tuple[Split, ...] = ("dev", "test")
GOALS = frozenset({"lead", "handoff", "book", "show_data", "erase", "questions", "leave"})
TOPICS = frozenset(
    {"what_it_does", "pricing", "integrations", "data_use", "bot", "why_needed", "next_steps"}
)
LEAD_FIELDS = ("name", "email", "phone", "company", "role", "need")
QUAL_FIELDS = ("company_size", "authority", "budget", "timeline")
CONSENT_PURPOSES = ("email", "sms")
CONSENT_ANSWERS = frozenset({"yes", "no", "none"})


class PersonaError(ValueError):
    """A persona file that does not follow bench/personas/README.md."""


@dataclass(frozen=True)
class Ask:
    say: str
    topic: str
    at_start: bool
    after: str | None


@dataclass(frozen=True)
class Mistake:
    field: str
    first: str
    fix: str


@dataclass(frozen=True)
class Persona:
    id: str
    split: Split
    author: str
    channel: Literal["chat", "voice"]
    goal: str
    opener: str
    says: Mapping[str, tuple[str, ...]]
    asks: tuple[Ask, ...]
    mistakes: tuple[Mistake, ...]
    closing: tuple[str, ...]
    expect: Mapping[str, str | None]
    consent: Mapping[str, str] = field(default_factory=dict)

    def answer(self, key: str, times_asked: int) -> str | None:
        """What they say the `times_asked`-th time (0-based) the bot asks for `key`."""
        said = self.says.get(key)
        if not said:
            return None
        return said[min(times_asked, len(said) - 1)]

    def mistake(self, field_name: str) -> Mistake | None:
        return next((m for m in self.mistakes if m.field == field_name), None)


def load_split(split: Split, root: Path = PERSONAS_DIR) -> list[Persona]:
    """Every persona of one split, in file then file order (stable across runs)."""
    personas: list[Persona] = []
    for path in sorted((root / split).glob("*.yml")):
        personas.extend(load_file(path, split))
    ids = [p.id for p in personas]
    duplicated = sorted({i for i in ids if ids.count(i) > 1})
    if duplicated:
        raise PersonaError(f"{split}: persona ids used twice: {', '.join(duplicated)}")
    return personas


def load_file(path: Path, split: Split) -> list[Persona]:
    document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(document, dict) or not isinstance(document.get("personas"), list):
        raise PersonaError(f"{path}: needs `author`, `brief` and a `personas` list")
    author = str(document.get("author") or path.stem)
    return [_persona(path, split, author, n, item) for n, item in enumerate(document["personas"])]


def _persona(path: Path, split: Split, author: str, number: int, item: Any) -> Persona:
    where = f"{path.name} persona {number + 1}"
    if not isinstance(item, dict) or not item.get("id") or not item.get("opener"):
        raise PersonaError(f"{where}: needs an `id` and an `opener`")
    goal = str(item.get("goal") or "lead")
    channel = str(item.get("channel") or "chat")
    if goal not in GOALS:
        raise PersonaError(f"{where}: unknown goal {goal!r}")
    if channel not in ("chat", "voice"):
        raise PersonaError(f"{where}: channel must be chat or voice, not {channel!r}")
    expect = dict(item.get("expect") or {})
    consent = expect.pop("consent", None) or {}
    if not isinstance(consent, dict) or not set(consent) <= set(CONSENT_PURPOSES):
        raise PersonaError(f"{where}: expect.consent maps email/sms to yes, no or none")
    return Persona(
        id=str(item["id"]),
        split=split,
        author=author,
        channel="voice" if channel == "voice" else "chat",
        goal=goal,
        opener=str(item["opener"]),
        says={str(k): _lines(v) for k, v in (item.get("says") or {}).items() if v is not None},
        asks=tuple(_ask(where, a) for a in item.get("asks") or []),
        mistakes=tuple(_mistake(where, m) for m in item.get("mistakes") or []),
        closing=_lines(item.get("closing") or []),
        expect={str(k): None if v is None else str(v) for k, v in expect.items()},
        consent={p: _consent_answer(where, v) for p, v in consent.items()},
    )


def _lines(value: Any) -> tuple[str, ...]:
    items: Iterable[Any] = value if isinstance(value, list) else [value]
    return tuple(_said(v) for v in items if v is not None and str(v).strip())


def _said(value: Any) -> str:
    """YAML reads an unquoted yes or no as a boolean; the person said the word."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _consent_answer(where: str, value: Any) -> str:
    answer = {True: "yes", False: "no", None: "none"}.get(value, str(value).lower())
    if answer not in CONSENT_ANSWERS:
        raise PersonaError(f"{where}: consent answers are yes, no or none, not {value!r}")
    return answer


def _ask(where: str, item: Any) -> Ask:
    if not isinstance(item, dict) or not item.get("say"):
        raise PersonaError(f"{where}: each of `asks` needs `say` and `topic`")
    topic = str(item.get("topic") or "")
    if topic not in TOPICS:
        raise PersonaError(f"{where}: unknown topic {topic!r}")
    after = item.get("after")
    return Ask(str(item["say"]), topic, item.get("at") == "start" or after is None, after)


def _mistake(where: str, item: Any) -> Mistake:
    if not isinstance(item, dict) or not all(item.get(k) for k in ("field", "first", "fix")):
        raise PersonaError(f"{where}: each of `mistakes` needs `field`, `first` and `fix`")
    return Mistake(str(item["field"]), str(item["first"]), str(item["fix"]))
