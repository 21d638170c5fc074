"""Bot output as plain text messages: buttons become numbered lines, long texts are split.

SMS and WhatsApp show neither buttons nor very long messages, so a reply like
"Reply 1 for Book a demo" stands in for a button, and a reply of just "1" is read back
as that button's payload.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

SMS_LIMIT = 1600
WHATSAPP_LIMIT = 4096
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+|\n+")


@dataclass(frozen=True)
class Option:
    title: str
    payload: str


@dataclass(frozen=True)
class Rendered:
    texts: list[str]
    options: list[Option]


def render(messages: Iterable[Mapping[str, Any]], limit: int) -> Rendered:
    """Rasa's collected messages as texts of at most `limit` characters; the options are
    the buttons of the last message that had any."""
    texts: list[str] = []
    options: list[Option] = []
    for message in messages:
        buttons = [
            Option(str(b.get("title", "")), str(b.get("payload", "")))
            for b in message.get("buttons") or []
        ]
        if buttons:
            options = buttons
        body = "\n\n".join(part for part in (message.get("text") or "", _menu(buttons)) if part)
        texts.extend(split_text(body, limit))
    return Rendered(texts, options)


def _menu(options: list[Option]) -> str:
    return "\n".join(f"Reply {n} for {o.title}" for n, o in enumerate(options, start=1))


def split_text(text: str, limit: int) -> list[str]:
    """Pieces of at most `limit` characters, cut after a sentence if possible, else
    between words, else (one endless word) anywhere."""
    text = text.strip()
    pieces: list[str] = []
    while len(text) > limit:
        cut = _cut_point(text, limit)
        pieces.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    return [*pieces, text] if text else pieces


def _cut_point(text: str, limit: int) -> int:
    window = text[: limit + 1]
    sentence_ends = [m.end() for m in _SENTENCE_END.finditer(window) if m.start() <= limit]
    if sentence_ends and sentence_ends[-1] > limit // 2:
        return min(sentence_ends[-1], limit)
    space = window.rfind(" ")
    return space if space > 0 else limit


class ChosenOptions:
    """The options last offered to each sender, so that "2" can mean the second one.

    Kept in memory for the most recent senders only: after a restart a bare number is
    just a number again, which the conversation handles like any other text.
    """

    def __init__(self, max_senders: int = 10_000) -> None:
        self._offered: OrderedDict[str, list[Option]] = OrderedDict()
        self._max = max_senders

    def offer(self, sender: str, options: list[Option]) -> None:
        self._offered.pop(sender, None)
        if options:
            self._offered[sender] = options
            while len(self._offered) > self._max:
                self._offered.popitem(last=False)

    def resolve(self, sender: str, text: str) -> str:
        """The payload of the option `text` picks, or `text` itself."""
        choice = text.strip().rstrip(".)")
        options = self._offered.get(sender, [])
        if choice.isdigit() and 1 <= int(choice) <= len(options):
            return options[int(choice) - 1].payload
        return text
