"""Sender ids whose Rasa tracker rows still have to be erased."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import delete, insert, select
from sqlalchemy.engine import Connection

from bot.store.schema import pending_tracker_erasures as pending


def add(conn: Connection, sender_ids: Iterable[str], now: datetime) -> None:
    """Queue the sender ids not queued yet; a concurrent insert of the same id fails the
    unique key and the store's retry then finds it queued."""
    wanted = list(dict.fromkeys(sender_ids))
    if not wanted:
        return
    queued = select(pending.c.sender_id).where(pending.c.sender_id.in_(wanted))
    present = set(conn.execute(queued).scalars())
    rows = [{"sender_id": s, "queued_at": now} for s in wanted if s not in present]
    if rows:
        conn.execute(insert(pending), rows)


def queued(conn: Connection, before: datetime | None) -> list[str]:
    query = select(pending.c.sender_id).order_by(pending.c.queued_at, pending.c.sender_id)
    if before is not None:
        query = query.where(pending.c.queued_at < before)
    return list(conn.execute(query).scalars())


def clear(conn: Connection, sender_ids: Iterable[str]) -> None:
    done = list(sender_ids)
    if done:
        conn.execute(delete(pending).where(pending.c.sender_id.in_(done)))
