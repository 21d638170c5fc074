"""The leased outbox, inside a caller-framed transaction.

Campaign sends, handoff deliveries and event webhook deliveries wait in their own tables,
and every one of those tables is worked the same way, described by an `Outbox`: a row is
queued once under its unique key, waits `pending` until it is due, is leased to one
claimer, and ends done or failed, or goes back to pending for a later try. A claimer that
dies leaves a lease that runs out, and the row is claimed again.

Claiming is the heart of exactly-once: on PostgreSQL the candidates are locked with
`FOR UPDATE SKIP LOCKED`, so two workers never wait on or take the same row; on SQLite
writes are serialized and the conditional UPDATE alone decides. An outbox with a token
column gives each claim a fresh token that later changes must present, so a claimer
whose lease ran out can no longer act on the row.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Column, Table, and_, func, insert, or_, select, true, update
from sqlalchemy.engine import Connection
from sqlalchemy.sql import ColumnElement, Select

PENDING, FAILED = "pending", "failed"


@dataclass(frozen=True)
class Outbox:
    """A table used as a leased outbox, and which of its columns play which part."""

    table: Table
    due: str = "next_attempt_at"
    leased: str = "sending"  # the status of a row while a claimer holds it
    done: str = "delivered"
    done_at: str = "delivered_at"
    error: str = "last_error"
    token: str | None = None
    # Campaign sends count an attempt when handed to the provider, not when claimed.
    attempt_on_claim: bool = True

    def __getitem__(self, name: str) -> Column[Any]:
        return self.table.c[name]


def enqueue(
    conn: Connection,
    box: Outbox,
    key: Mapping[str, Any],
    values: Mapping[str, Any],
    now: datetime,
) -> bool:
    """Queue a row due now unless one with `key` (its unique columns) is queued already.

    Two racing callers both see no row; the unique key fails the second insert and the
    store's transaction retry then finds the row queued."""
    found = select(box["id"]).where(*(box[name] == value for name, value in key.items()))
    if conn.execute(found.limit(1)).first() is not None:
        return False
    row = {**key, **values, "status": PENDING, "attempts": 0, box.due: now, "created_at": now}
    conn.execute(insert(box.table).values(**row))
    return True


def claim(
    conn: Connection,
    box: Outbox,
    now: datetime,
    lease: timedelta,
    limit: int,
    wanted: ColumnElement[bool] | None = None,
) -> list[int]:
    """Ids of due rows (and `wanted`), each now leased to the caller alone."""
    pending, expired = _pending(box, now, wanted), _expired(box, now, wanted)
    # Two index range scans instead of one OR that makes SQLite sort every due row.
    ids = _candidates(conn, box, expired, limit)
    if len(ids) < limit:
        ids += _candidates(conn, box, pending, limit - len(ids))
    due = or_(pending, expired)
    values = _lease(box, now, lease)
    if box.token is None:
        return [row_id for row_id in ids if take(conn, box.table, row_id, due, values)]
    # One statement for the lot. The candidates are still due: PostgreSQL holds their row
    # locks, SQLite this transaction's write lock. Testing `due` again made SQLite walk
    # the status index past every pending row instead of looking the keys up.
    conn.execute(update(box.table).where(box["id"].in_(ids)).values(**values))
    taken = select(box["id"]).where(box["id"].in_(ids), box[box.token] == values[box.token])
    return sorted(int(i) for i in conn.execute(taken).scalars())


def count_due(
    conn: Connection, box: Outbox, now: datetime, wanted: ColumnElement[bool] | None = None
) -> int:
    """Rows a claimer would take now: the same test as `claim`."""
    due = or_(_pending(box, now, wanted), _expired(box, now, wanted))
    return int(conn.execute(select(func.count()).select_from(box.table).where(due)).scalar_one())


def finish(
    conn: Connection,
    box: Outbox,
    row_id: int,
    status: str,
    *,
    error: str | None,
    retry_at: datetime | None,
    now: datetime,
    token: str | None = None,
    also: Mapping[str, Any] | None = None,
) -> bool:
    """Release the lease, recording how the try ended (pending again from `retry_at`,
    done or failed); False when `token` no longer holds the row."""
    values = {"status": status, "lease_until": None, box.error: error, **(also or {})}
    if status == box.done:
        values[box.done_at] = now
    if retry_at is not None:
        values[box.due] = retry_at
    query = update(box.table).where(box["id"] == row_id)
    if box.token is not None:
        values[box.token] = None
        if token is not None:
            query = query.where(box[box.token] == token)
    return bool(conn.execute(query.values(**values)).rowcount == 1)


def retry_failed(conn: Connection, box: Outbox, row_id: int | None, now: datetime) -> int:
    """Failed rows (all, or the one with `row_id`) queued again from scratch; how many."""
    query = update(box.table).where(box["status"] == FAILED)
    if row_id is not None:
        query = query.where(box["id"] == row_id)
    values = {"status": PENDING, box.due: now, "attempts": 0}
    return int(conn.execute(query.values(**values)).rowcount)


def in_status(box: Outbox, status: str | None) -> ColumnElement[bool]:
    """A filter for listing: rows in `status`, or every row."""
    return true() if status is None else box["status"] == status


def locked_ids(conn: Connection, query: Select, limit: int) -> list[int]:
    """The first `limit` ids `query` selects, locked until the transaction ends; on
    PostgreSQL rows another transaction holds are skipped rather than waited for."""
    query = query.limit(limit)
    if conn.dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    return [int(i) for i in conn.execute(query).scalars()]


def take(conn: Connection, table: Table, row_id: int, due: Any, lease: Mapping[str, Any]) -> bool:
    """Lease the row unless another claimer took it since it was selected."""
    query = update(table).where(table.c.id == row_id, due).values(**lease)
    return bool(conn.execute(query).rowcount == 1)


def _pending(box: Outbox, now: datetime, wanted: ColumnElement[bool] | None) -> Any:
    return and_(box["status"] == PENDING, box[box.due] <= now, _and(wanted))


def _expired(box: Outbox, now: datetime, wanted: ColumnElement[bool] | None) -> Any:
    return and_(
        box["status"] == box.leased, box["lease_until"] < now, box[box.due] <= now, _and(wanted)
    )


def _and(wanted: ColumnElement[bool] | None) -> ColumnElement[bool]:
    return true() if wanted is None else wanted


def _candidates(conn: Connection, box: Outbox, due: Any, limit: int) -> list[int]:
    return locked_ids(conn, select(box["id"]).where(due).order_by(box[box.due], box["id"]), limit)


def _lease(box: Outbox, now: datetime, lease: timedelta) -> dict[str, Any]:
    values: dict[str, Any] = {"status": box.leased, "lease_until": now + lease}
    if box.attempt_on_claim:
        values["attempts"] = box["attempts"] + 1
    if box.token is not None:
        values[box.token] = uuid.uuid4().hex
    return values
