"""Which domain response a bot message is: questions are recognised by name, not wording.

Each response's texts become patterns (a `{placeholder}` matches anything), so a marketer's
rewording in domain.yml changes nothing here. Voice joins and trims what is said, so a
message is matched by search, not by a whole-string match.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
_PLACEHOLDER = re.compile(r"\\\{[a-z_]+\\\}")


def _words(text: str) -> str:
    """Lower case, one space, no punctuation: how chat and speech compare."""
    return re.sub(r"\s+", " ", re.sub(r"[^\w\s{}$@.+-]", " ", text.lower())).strip()


@dataclass(frozen=True)
class Pattern:
    name: str
    regex: re.Pattern[str]
    literal_chars: int  # longer literal text wins when two patterns match


def _pattern(name: str, text: str) -> Pattern | None:
    normalized = _words(text)
    literal = re.sub(r"\{[a-z_]+\}", "", normalized)
    if len(literal.replace(" ", "")) < 4:
        return None  # "{wording}" alone says nothing about which question this is
    body = _PLACEHOLDER.sub(".+?", re.escape(normalized)).replace(r"\ ", " ")
    return Pattern(name, re.compile(body, re.DOTALL), len(literal))


class ResponseBook:
    """The project's responses and consent wordings, for recognising bot messages."""

    def __init__(self, patterns: Iterable[Pattern]) -> None:
        self.patterns = sorted(patterns, key=lambda p: -p.literal_chars)

    @classmethod
    def load(cls, root: Path = ROOT) -> ResponseBook:
        domain = yaml.safe_load((root / "domain.yml").read_text(encoding="utf-8"))
        patterns: list[Pattern] = []
        for name, variants in (domain.get("responses") or {}).items():
            for variant in variants or []:
                found = _pattern(name, str(variant.get("text") or ""))
                if found:
                    patterns.append(found)
        consent = yaml.safe_load((root / "consent.yml").read_text(encoding="utf-8")) or {}
        for item in consent.get("ask") or []:
            found = _pattern(f"consent_{item['purpose']}", str(item.get("wording") or ""))
            if found:
                patterns.append(found)
        # The common questions' answers (knowledge.yml): "does it work on WhatsApp?" is
        # answered by the channels entry, not the integrations response.
        knowledge = yaml.safe_load((root / "knowledge.yml").read_text(encoding="utf-8")) or {}
        for entry in knowledge.get("answers") or []:
            texts = [entry.get("answer"), *(entry.get("channels") or {}).values()]
            for text in texts:
                found = _pattern(f"knowledge_{entry['id']}", str(text or ""))
                if found:
                    patterns.append(found)
        return cls(patterns)

    def names_in(self, text: str) -> list[str]:
        """The responses a text carries, in the order they appear in it."""
        normalized = _words(text)
        hits: list[tuple[int, str]] = []
        taken: list[tuple[int, int]] = []
        for pattern in self.patterns:
            for match in pattern.regex.finditer(normalized):
                span = match.span()
                if any(span[0] < end and start < span[1] for start, end in taken):
                    continue
                taken.append(span)
                hits.append((span[0], pattern.name))
        return [name for _, name in sorted(hits)]


@dataclass(frozen=True)
class BotMessage:
    text: str
    buttons: tuple[tuple[str, str], ...]  # (title, payload)
    names: tuple[str, ...]

    @classmethod
    def from_rest(cls, message: dict[str, Any], book: ResponseBook) -> BotMessage:
        text = str(message.get("text") or "")
        buttons = tuple(
            (str(b.get("title") or ""), str(b.get("payload") or ""))
            for b in message.get("buttons") or []
        )
        return cls(text, buttons, tuple(book.names_in(text)))
