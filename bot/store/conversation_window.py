"""The recent part of a conversation, read and appended in Rasa's SQL tracker store.

Rasa 3.6 reads every event of the current session on every turn, and Rasa, its policies
and the action server then walk all of them: turn 200 cost four times turn 1 (#21).
Here a read returns the events of the last few turns only, with a snapshot of the state
(slots, active loop) the conversation was in just before them; a write appends the new
events and, at the end of a turn, a snapshot of the state after it. The events table
keeps every event, so exports, erasure and Rasa's full-tracker reads see everything.

Rasa owns the events table (SQLTrackerStore.SQLEvent); the snapshots table is ours and
lives beside it, created on first use as Rasa creates its own.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, delete, func, insert, inspect, select
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError, OperationalError, ProgrammingError

from bot.store.trackers import events, snapshots
from bot.store.transactions import Transactions

LISTEN = "action_listen"


@dataclass(frozen=True)
class StoredWindow:
    """The current session's last turns. With `snapshot` None, `events` is the whole session."""

    snapshot: dict[str, Any] | None
    snapshot_event_id: int | None
    events: list[dict[str, Any]]
    last_event_id: int


@dataclass(frozen=True)
class NewEvent:
    """One event as Rasa's SQLTrackerStore stores it."""

    type_name: str
    timestamp: float | None
    intent_name: str | None
    action_name: str | None
    data: str


class ConversationWindows:
    """Windowed reads and appending writes on Rasa's events table, through `engine`."""

    def __init__(self, engine: Engine, turns: int) -> None:
        if turns < 2:
            # A fallback takes back the latest message: the window must hold the turn before.
            raise ValueError("a conversation window holds at least 2 turns")
        self._transactions = Transactions(engine)
        self.turns = turns
        try:
            snapshots.metadata.create_all(engine, checkfirst=True)
        except (IntegrityError, OperationalError, ProgrammingError):
            # Servers starting together: another one created it between check and create.
            if not inspect(engine).has_table(snapshots.name):
                raise

    def dispose(self) -> None:
        self._transactions.engine.dispose()

    def read(self, sender_id: str) -> StoredWindow | None:
        """The last `turns` turns of the current session, or all of it when no snapshot
        fits (a short session, or one recorded before snapshots); None if no events."""
        return self._transactions.read(lambda conn: self._read(conn, sender_id))

    def append(
        self,
        sender_id: str,
        after_event_id: int,
        new_events: Sequence[NewEvent],
        snapshot: dict[str, Any] | None,
        keep_from_event_id: int | None,
    ) -> int:
        """Store the events that came after `after_event_id` (those not stored yet: a retry
        after an unacknowledged commit skips what got in), and `snapshot`, the state after
        the last of them; snapshots older than `keep_from_event_id` go. Returns the id of
        the conversation's newest event."""
        return self._transactions.write(
            lambda conn: _append(
                conn, sender_id, after_event_id, new_events, snapshot, keep_from_event_id
            )
        )

    def _read(self, conn: Connection, sender_id: str) -> StoredWindow | None:
        started_at, started_id = _session_start(conn, sender_id)
        # Rasa's own test for "in the latest session": at or after its SessionStarted.
        mine = and_(
            events.c.sender_id == sender_id,
            *([events.c.timestamp >= started_at] if started_at is not None else []),
        )
        boundary = conn.execute(
            select(events.c.id)
            .where(mine, events.c.type_name == "action", events.c.action_name == LISTEN)
            .order_by(events.c.id.desc())
            .offset(self.turns)
            .limit(1)
        ).scalar()
        found = None if boundary is None else _snapshot_at(conn, sender_id, boundary, started_id)
        after = found[0] if found else None
        rows = conn.execute(
            select(events.c.id, events.c.data)
            .where(mine, *([events.c.id > after] if after is not None else []))
            .order_by(events.c.id)
        ).all()
        if not rows and found is None:
            return None
        return StoredWindow(
            snapshot=found[1] if found else None,
            snapshot_event_id=after,
            events=[json.loads(data) for _, data in rows],
            last_event_id=rows[-1][0] if rows else after or 0,
        )


def _session_start(conn: Connection, sender_id: str) -> tuple[float | None, int | None]:
    """The latest SessionStarted's timestamp (Rasa's session test) and row id."""
    row = conn.execute(
        select(func.max(events.c.timestamp), func.max(events.c.id)).where(
            events.c.sender_id == sender_id, events.c.type_name == "session_started"
        )
    ).one()
    return row[0], row[1]


def _snapshot_at(
    conn: Connection, sender_id: str, boundary: int, session_start: int | None
) -> tuple[int, dict[str, Any]] | None:
    """The newest snapshot taken at or before `boundary`, in the current session."""
    query = (
        select(snapshots.c.event_id, snapshots.c.state)
        .where(
            snapshots.c.sender_id == sender_id,
            snapshots.c.event_id <= boundary,
            *([snapshots.c.event_id > session_start] if session_start is not None else []),
        )
        .order_by(snapshots.c.event_id.desc())
        .limit(1)
    )
    row = conn.execute(query).first()
    return (row[0], json.loads(row[1])) if row else None


def _append(
    conn: Connection,
    sender_id: str,
    after_event_id: int,
    new_events: Sequence[NewEvent],
    snapshot: dict[str, Any] | None,
    keep_from_event_id: int | None,
) -> int:
    # Events already in after `after_event_id`: this write's own, from a try whose commit was
    # not acknowledged, or another writer's (a second server that took the conversation's
    # turn meanwhile). Only this write's own are skipped, by what they are: counting rows
    # skipped as many of this write's events as the other writer had stored, and lost them.
    stored = Counter(
        (row.type_name, row.timestamp, row.data)
        for row in conn.execute(
            select(events.c.type_name, events.c.timestamp, events.c.data).where(
                events.c.sender_id == sender_id, events.c.id > after_event_id
            )
        )
    )
    pending = []
    for event in new_events:
        key = (event.type_name, event.timestamp, event.data)
        if stored[key] > 0:
            stored[key] -= 1
        else:
            pending.append(event)
    if pending:
        conn.execute(
            insert(events),
            [{"sender_id": sender_id, **vars(event)} for event in pending],
        )
    newest = conn.execute(
        select(func.max(events.c.id)).where(events.c.sender_id == sender_id)
    ).scalar()
    last = int(newest or 0)
    if snapshot is not None and last:
        conn.execute(
            insert(snapshots),
            {"sender_id": sender_id, "event_id": last, "state": json.dumps(snapshot)},
        )
    if keep_from_event_id is not None:
        conn.execute(
            delete(snapshots).where(
                snapshots.c.sender_id == sender_id, snapshots.c.event_id < keep_from_event_id
            )
        )
    return last
