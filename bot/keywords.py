"""Carrier-style keywords: a whole message that is STOP, START, HELP and their kin.

Only a message that is nothing but the keyword counts ("STOP", " stop! "), so "don't stop
the demo" never withdraws anything. Which keywords apply depends on the channel: on SMS
and WhatsApp the full carrier set; elsewhere words like CANCEL or YES keep their
ordinary meaning in the conversation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from bot.types import Channel

KeywordKind = Literal["stop", "stop_all", "start", "help"]

_CARRIER_CHANNELS = frozenset({"sms", "whatsapp"})
_EVERYWHERE: dict[str, KeywordKind] = {
    "STOP": "stop",
    "STOPALL": "stop_all",
    "UNSUBSCRIBE": "stop",
    "REVOKE": "stop",
    "OPTOUT": "stop",
    "START": "start",
    "UNSTOP": "start",
    "HELP": "help",
    "INFO": "help",
}
_CARRIER_ONLY: dict[str, KeywordKind] = {
    "CANCEL": "stop",
    "END": "stop",
    "QUIT": "stop",
    "YES": "start",
}
_PUNCTUATION = re.compile(r"^[\s\W_]+|[\s\W_]+$")


@dataclass(frozen=True)
class Keyword:
    kind: KeywordKind
    word: str


def match_keyword(text: str, channel: Channel) -> Keyword | None:
    """The keyword this whole message is, on this channel, or None."""
    word = _PUNCTUATION.sub("", text).replace(" ", "").replace("-", "").upper()
    if len(word) > 12 or len(text) > 40:
        return None
    kind = _EVERYWHERE.get(word)
    if kind is None and channel in _CARRIER_CHANNELS:
        kind = _CARRIER_ONLY.get(word)
    return Keyword(kind, word) if kind else None


INTENT_OF: dict[KeywordKind, str] = {
    "stop": "opt_out",
    "stop_all": "opt_out",
    "start": "opt_in",
    "help": "ask_capabilities",
}
