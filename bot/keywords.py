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
# Courtesies people add around a keyword, in the languages customers mix in.
_COURTESY = re.compile(
    r"^(?:please|pls|plz|now|thanks|thank you|thx|por favor|gracias|bitte|danke|merci|s'il vous plait|svp|"
    r"grazie|per favore|obrigado|obrigada|alstublieft|dank je|kiitos|tack|takk|dziekuje)$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Keyword:
    kind: KeywordKind
    word: str


def match_keyword(text: str, channel: Channel) -> Keyword | None:
    """The keyword this whole message is, on this channel, or None."""
    if len(text) > 60:
        return None
    bare = _PUNCTUATION.sub("", _strip_courtesy(_PUNCTUATION.sub("", text)))
    word = bare.replace(" ", "").replace("-", "").upper()
    if len(word) > 12:
        return None
    kind = _EVERYWHERE.get(word)
    if kind is None and channel in _CARRIER_CHANNELS:
        kind = _CARRIER_ONLY.get(word)
    return Keyword(kind, word) if kind else None


def _strip_courtesy(text: str) -> str:
    """'STOP please' and 'bitte STOP' are STOP; 'stop the demo' is not."""
    words = text.split()
    for cut in range(1, min(3, len(words))):
        head, tail = " ".join(words[:cut]), " ".join(words[cut:])
        if _COURTESY.match(_PUNCTUATION.sub("", tail)):
            return head
        head, tail = " ".join(words[:-cut]), " ".join(words[-cut:])
        if _COURTESY.match(_PUNCTUATION.sub("", head)):
            return tail
    return text


INTENT_OF: dict[KeywordKind, str] = {
    "stop": "opt_out",
    "stop_all": "opt_out",
    "start": "opt_in",
    "help": "ask_capabilities",
}
