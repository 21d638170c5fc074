"""Rasa's SQL tracker store, for privacy's sake: erase, read and age conversations.

Rasa owns that database and its schema; this module only reads and deletes rows of its
`events` table (Rasa 3.6's SQLTrackerStore.SQLEvent), and a missing table means no
conversations yet.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import Column, Float, Integer, MetaData, String, Table, Text, delete, func, select
from sqlalchemy import inspect as inspect_db
from sqlalchemy.engine import Connection

from bot.store.checks import utc
from bot.store.engine import make_engine
from bot.store.transactions import Transactions

T = TypeVar("T")

# Rasa's layout, declared apart from the profile store's metadata: not ours to migrate.
events = Table(
    "events",
    MetaData(),
    Column("id", Integer, primary_key=True),
    Column("sender_id", String(255), nullable=False),
    Column("type_name", String(255), nullable=False),
    Column("timestamp", Float),
    Column("intent_name", String(255)),
    Column("action_name", String(255)),
    Column("data", Text),
)

# Parley's snapshots of a conversation's state (bot/store/conversation_window.py).
SNAPSHOTS_TABLE = "parley_tracker_snapshots"
snapshots = Table(
    SNAPSHOTS_TABLE,
    MetaData(),
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("sender_id", String(255), nullable=False, index=True),
    # The events row (always an action_listen, the end of a turn) the state is taken after.
    Column("event_id", Integer, nullable=False),
    Column("state", Text, nullable=False),
)

_CHUNK = 500  # bound parameters per statement stay far below every backend's limit


def erase_conversations(tracker_store_url: str, sender_ids: Iterable[str]) -> int:
    """Delete every tracker event of these sender ids; returns how many rows went."""
    wanted = list(dict.fromkeys(sender_ids))
    if not wanted:
        return 0
    return _in_tracker_db(tracker_store_url, lambda conn: _delete(conn, wanted), write=True)


def conversations_idle_since(tracker_store_url: str, cutoff: datetime) -> list[str]:
    """Sender ids whose newest event is older than `cutoff`."""
    before = utc(cutoff).timestamp()
    return _in_tracker_db(tracker_store_url, lambda conn: _idle(conn, before), write=False)


def conversation_events(
    tracker_store_url: str, sender_ids: Iterable[str]
) -> dict[str, list[dict[str, Any]]]:
    """Each sender id's events as Rasa stored them (its `data` JSON), oldest first."""
    wanted = list(dict.fromkeys(sender_ids))
    if not wanted:
        return {}
    return _in_tracker_db(tracker_store_url, lambda conn: _events_of(conn, wanted), write=False)


def _in_tracker_db(url: str, work: Callable[[Connection], T], *, write: bool) -> T:
    engine = make_engine(url)
    try:
        transactions = Transactions(engine)
        return transactions.write(work) if write else transactions.read(work)
    finally:
        engine.dispose()


def _has_events(conn: Connection) -> bool:
    return bool(inspect_db(conn).has_table(events.name))


def _delete(conn: Connection, sender_ids: list[str]) -> int:
    if not _has_events(conn):
        return 0
    # The state snapshots beside the events hold slot values (names, emails, phones).
    has_snapshots = inspect_db(conn).has_table(SNAPSHOTS_TABLE)
    deleted = 0
    for chunk in _chunks(sender_ids):
        deleted += conn.execute(delete(events).where(events.c.sender_id.in_(chunk))).rowcount
        if has_snapshots:
            conn.execute(delete(snapshots).where(snapshots.c.sender_id.in_(chunk)))
    return deleted


def _idle(conn: Connection, before: float) -> list[str]:
    if not _has_events(conn):
        return []
    query = (
        select(events.c.sender_id)
        .group_by(events.c.sender_id)
        .having(func.max(events.c.timestamp) < before)
        .order_by(events.c.sender_id)
    )
    return list(conn.execute(query).scalars())


def _events_of(conn: Connection, sender_ids: list[str]) -> dict[str, list[dict[str, Any]]]:
    found: dict[str, list[dict[str, Any]]] = {sender_id: [] for sender_id in sender_ids}
    if not _has_events(conn):
        return found
    for chunk in _chunks(sender_ids):
        query = (
            select(events.c.sender_id, events.c.data)
            .where(events.c.sender_id.in_(chunk))
            .order_by(events.c.timestamp, events.c.id)
        )
        for sender_id, data in conn.execute(query):
            found[sender_id].append(json.loads(data) if data else {})
    return found


def _chunks(items: list[str]) -> Iterator[list[str]]:
    for start in range(0, len(items), _CHUNK):
        yield items[start : start + _CHUNK]
