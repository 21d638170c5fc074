"""How well the bot understood people, read from Rasa's SQL tracker store.

A user message is a fallback when its intent is `nlu_fallback` or its confidence is
below the FallbackClassifier's threshold. Messages without NLU results (parse_data) are
left out. A tracker database without an `events` table has no messages yet.

The least understood list also holds the questions the bot understood but could not
answer: those it answered with "that's outside what I can help with" (neither a rule
nor the list of common questions had an answer). They are not fallbacks.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import datetime, time, timezone
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from bot.store.checks import utc
from bot.store.records import MisunderstoodMessage, UnderstandingDay, UnderstandingReport
from bot.store.trackers import _has_events, _in_tracker_db, events

FALLBACK_INTENT = "nlu_fallback"
# The bot's words for "I have no answer to that" (actions/knowledge.py says them when the
# list of common questions has none either).
UNANSWERED_RESPONSES = frozenset({"utter_out_of_scope"})
LEAST_UNDERSTOOD = 20


@dataclass(frozen=True)
class Parsed:
    at: datetime
    text: str
    intent: str | None  # the best guess: the top intent other than nlu_fallback
    confidence: float
    fallback: bool
    unanswered: bool = False


@dataclass
class _Group:
    text: str
    count: int = 0
    confidence: float = 0.0
    guesses: Counter[str] = field(default_factory=Counter)


def understanding_report(
    tracker_store_url: str,
    since: datetime | None,
    threshold: float,
    limit: int = LEAST_UNDERSTOOD,
) -> UnderstandingReport:
    """Fallback rate (overall and per UTC day) and the `limit` fallback messages seen
    most often, since `since` (None: ever)."""
    start = None if since is None else utc(since)

    def work(conn: Connection) -> list[Parsed]:
        return _user_messages(conn, start, threshold)

    parsed = _in_tracker_db(tracker_store_url, work, write=False)
    return summarise(parsed, start, threshold, limit)


def summarise(
    parsed: list[Parsed], since: datetime | None, threshold: float, limit: int
) -> UnderstandingReport:
    days: dict[datetime, list[int]] = {}
    groups: dict[str, _Group] = {}
    for message in parsed:
        day = datetime.combine(message.at.date(), time(), tzinfo=timezone.utc)
        counts = days.setdefault(day, [0, 0])
        counts[0] += 1
        if message.fallback:
            counts[1] += 1
        elif not message.unanswered:
            continue
        group = groups.setdefault(normalise(message.text), _Group(" ".join(message.text.split())))
        group.count += 1
        group.confidence += message.confidence
        if message.intent:
            group.guesses[message.intent] += 1
    ranked = sorted(groups.values(), key=lambda g: (-g.count, g.confidence / g.count, g.text))
    return UnderstandingReport(
        since=since,
        threshold=threshold,
        messages=len(parsed),
        fallbacks=sum(1 for m in parsed if m.fallback),
        days=tuple(UnderstandingDay(d, n, f) for d, (n, f) in sorted(days.items())),
        least_understood=tuple(_least(g) for g in ranked[:limit]),
    )


def normalise(text: str) -> str:
    return " ".join(text.split()).casefold()


def parse_event(timestamp: float, data: str | None, threshold: float) -> Parsed | None:
    """One user event's text and NLU result; None when it has neither."""
    try:
        event = json.loads(data) if data else {}
    except ValueError:
        return None
    text, parse = event.get("text"), event.get("parse_data")
    if not isinstance(text, str) or not text.strip() or not isinstance(parse, dict):
        return None
    top = parse.get("intent") or {}
    name = top.get("name") if isinstance(top, dict) else None
    confidence = _number(top.get("confidence")) if isinstance(top, dict) else 0.0
    guess, guessed = _best_guess(parse, name, confidence)
    fallback = name == FALLBACK_INTENT or name is None or confidence < threshold
    at = datetime.fromtimestamp(timestamp, tz=timezone.utc)
    return Parsed(at, text, guess, guessed, fallback)


def _best_guess(parse: dict[str, Any], name: Any, confidence: float) -> tuple[str | None, float]:
    """The FallbackClassifier puts nlu_fallback on top; the classifier's own guess
    is the next intent of the ranking."""
    if isinstance(name, str) and name != FALLBACK_INTENT:
        return name, confidence
    for ranked in parse.get("intent_ranking") or []:
        if isinstance(ranked, dict) and ranked.get("name") not in (None, FALLBACK_INTENT):
            return str(ranked["name"]), _number(ranked.get("confidence"))
    return None, 0.0


def _number(value: Any) -> float:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else 0.0


def _user_messages(conn: Connection, since: datetime | None, threshold: float) -> list[Parsed]:
    if not _has_events(conn):
        return []
    query = select(events.c.sender_id, events.c.type_name, events.c.timestamp, events.c.data).where(
        events.c.type_name.in_(("user", "bot"))
    )
    if since is not None:
        query = query.where(events.c.timestamp >= since.timestamp())
    found: list[Parsed] = []
    latest: dict[str, int] = {}  # each conversation's latest user message, by position
    for sender, kind, timestamp, data in conn.execute(
        query.order_by(events.c.timestamp, events.c.id)
    ):
        if kind == "bot":
            if sender in latest and _response_of(data) in UNANSWERED_RESPONSES:
                index = latest.pop(sender)
                found[index] = replace(found[index], unanswered=True)
            continue
        parsed = parse_event(float(timestamp or 0.0), data, threshold)
        if parsed is not None:
            latest[sender] = len(found)
            found.append(parsed)
    return found


def _response_of(data: str | None) -> str:
    try:
        event = json.loads(data) if data else {}
    except ValueError:
        return ""
    metadata = event.get("metadata") if isinstance(event, dict) else None
    return str(metadata.get("utter_action") or "") if isinstance(metadata, dict) else ""


def _least(group: _Group) -> MisunderstoodMessage:
    intent = group.guesses.most_common(1)[0][0] if group.guesses else None
    return MisunderstoodMessage(
        text=group.text,
        count=group.count,
        intent=intent,
        confidence=round(group.confidence / group.count, 3),
    )
