"""Consent: what to ask for, in which words, and what a withdrawal means.

The rules live here; the ledger itself (append-only consent events) lives in the store.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import get_args

import yaml

from bot.errors import ParleyError
from bot.types import PURPOSES, Channel, LeadField, Purpose

# Marketing reaches people on these channels; the others have no purpose of their own.
PURPOSE_OF_CHANNEL: dict[str, Purpose] = {
    "sms": "sms",
    "whatsapp": "whatsapp",
    "telegram": "telegram",
    "voice": "phone",
}
CHANNEL_OF_PURPOSE: dict[Purpose, Channel] = {
    "email": "web",
    "sms": "sms",
    "whatsapp": "whatsapp",
    "telegram": "telegram",
    "phone": "voice",
    "profiling": "web",
}
_MENTIONS: tuple[tuple[Purpose, re.Pattern[str]], ...] = (
    (
        "email",
        re.compile(r"\b(?:e-?mails?|e-?mailing|newsletters?|mailing list|inbox|mails?)\b", re.I),
    ),
    ("sms", re.compile(r"\b(?:sms|texts?|texting|text messages?|txt|short messages?)\b", re.I)),
    ("whatsapp", re.compile(r"\bwhats ?app\b", re.I)),
    ("telegram", re.compile(r"\btelegram\b", re.I)),
    ("phone", re.compile(r"\b(?:calls?|calling|ring(?:ing)?|phone me|phoning)\b", re.I)),
)
_EVERYTHING = re.compile(
    r"\b(?:every ?thing|all|any(?:thing| more| marketing)?|again|at all)\b", re.I
)


@dataclass
class ConsentConfigError(ParleyError):
    path: Path
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


@dataclass(frozen=True)
class ConsentQuestion:
    purpose: Purpose
    wording: str
    requires: LeadField | None = None


@dataclass(frozen=True)
class ConsentConfig:
    version: str
    questions: tuple[ConsentQuestion, ...]

    def pending(self, answered: set[str], known: set[str]) -> ConsentQuestion | None:
        """The next question to ask, given purposes already answered and known fields."""
        for question in self.questions:
            if question.purpose in answered:
                continue
            if question.requires is None or question.requires in known:
                return question
        return None

    def wording_for(self, purpose: str, company: str) -> str | None:
        for question in self.questions:
            if question.purpose == purpose:
                return question.wording.format(company=company)
        return None


def load_consent_config(path: Path) -> ConsentConfig:
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise ConsentConfigError(path, f"cannot be read: {error}") from error
    if not isinstance(document, dict) or not document.get("version"):
        raise ConsentConfigError(path, "needs a top-level 'version'")
    questions = tuple(
        _question(path, i, entry) for i, entry in enumerate(document.get("ask") or [])
    )
    return ConsentConfig(str(document["version"]), questions)


def _question(path: Path, index: int, entry: object) -> ConsentQuestion:
    where = f"ask[{index}]"
    if not isinstance(entry, dict):
        raise ConsentConfigError(path, f"{where} must be a mapping")
    purpose, wording, requires = entry.get("purpose"), entry.get("wording"), entry.get("requires")
    if purpose not in PURPOSES:
        raise ConsentConfigError(
            path, f"{where}.purpose {purpose!r} is not one of {list(PURPOSES)}"
        )
    if not isinstance(wording, str) or not wording.strip():
        raise ConsentConfigError(path, f"{where}.wording is missing: consent needs exact words")
    if requires is not None and requires not in get_args(LeadField):
        raise ConsentConfigError(path, f"{where}.requires {requires!r} is not a lead field")
    try:
        wording.format(company="x")
    except (KeyError, IndexError) as error:
        raise ConsentConfigError(
            path, f"{where}.wording has an unknown placeholder {error}"
        ) from error
    return ConsentQuestion(purpose, " ".join(wording.split()), requires)


def purposes_mentioned(text: str) -> set[Purpose]:
    """Which marketing purposes a sentence names ("stop texting me" names sms)."""
    return {purpose for purpose, pattern in _MENTIONS if pattern.search(text)}


_KEPT = re.compile(
    r"\b(?:only|just)\s+(?:by\s+|via\s+|the\s+)?(?P<a>[\w-]+(?:\s+messages?)?)|"
    r"(?P<b>[\w-]+(?:\s+messages?)?)\s+(?:only|is fine|are fine|is ok(?:ay)?|are ok(?:ay)?|"
    r"still fine|are still fine|is still fine)\b|"
    r"\bkeep (?:the |sending (?:me )?)?(?P<c>[\w-]+(?:\s+messages?)?)",
    re.I,
)


def purposes_kept(text: str) -> set[Purpose]:
    """The purposes a withdrawal keeps: "don't text me, email only", "emails are fine"."""
    kept: set[Purpose] = set()
    for match in _KEPT.finditer(text):
        said = match["a"] or match["b"] or match["c"] or ""
        kept |= purposes_mentioned(said)
    return kept


def withdrawal_scope(text: str, channel: Channel, keyword_kind: str | None) -> set[Purpose]:
    """The purposes a withdrawal covers.

    STOPALL or "stop everything" covers all; a named channel covers that channel; a bare
    STOP covers the channel it was sent on, or everything where that channel carries no
    marketing of its own (web chat).
    """
    everything = set(PURPOSES)
    if keyword_kind == "stop_all":
        return everything
    if keyword_kind is None:
        kept = purposes_kept(text)
        named = purposes_mentioned(text) - kept
        if named:
            return named  # "please don't text me, email only": the texts
        if kept:
            return everything - kept  # "emails only from now on"
        if _EVERYTHING.search(text):
            return everything
    own = PURPOSE_OF_CHANNEL.get(channel)
    return {own} if own else everything
