"""Carrier keywords (STOP, START, HELP) turned into intents before NLU, on every channel."""

from __future__ import annotations

from typing import Any

from bot.keywords import INTENT_OF, match_keyword
from bot.types import Channel

__all__ = ["apply_keywords"]


def apply_keywords(
    text: str, metadata: dict[str, Any] | None, channel: Channel
) -> tuple[str, dict[str, Any]]:
    """Turn a STOP/START/HELP message into its intent before NLU, keeping the original.

    The channel, not the caller, also says where the message came from.
    """
    stamped = {
        key: value for key, value in (metadata or {}).items() if not key.startswith("parley_")
    }
    stamped["parley_channel"] = channel
    keyword = match_keyword(text, channel)
    if keyword is None:
        return text, stamped
    stamped |= {
        "parley_keyword": keyword.word,
        "parley_keyword_kind": keyword.kind,
        "original_text": text,
    }
    return f"/{INTENT_OF[keyword.kind]}", stamped
