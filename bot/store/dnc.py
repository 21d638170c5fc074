"""Do-not-contact entries: at most one active (not lifted) per contact and channel."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, cast

from sqlalchemy import insert, select, update
from sqlalchemy.engine import Connection

from bot.store.records import DoNotContact
from bot.store.schema import do_not_contact
from bot.types import ContactId, DncChannel, DncReason

_ACTIVE = do_not_contact.c.lifted_at.is_(None)


def add(
    conn: Connection,
    contact_id: ContactId,
    channel: DncChannel,
    reason: DncReason,
    note: str,
    now: datetime,
) -> DoNotContact:
    """The active entry, added unless there already is one.

    The caller holds the contact's row lock, so no one adds another meanwhile; the
    partial unique index backs that up.
    """
    found = active(conn, contact_id, channel)
    if found is not None:
        return found
    values = {
        "contact_id": contact_id,
        "channel": channel,
        "reason": reason,
        "note": note,
        "added_at": now,
        "lifted_at": None,
    }
    entry_id = conn.execute(insert(do_not_contact).values(**values)).inserted_primary_key[0]
    return _entry({"id": entry_id, **values})


def lift(conn: Connection, contact_id: ContactId, channel: DncChannel, now: datetime) -> bool:
    query = update(do_not_contact).where(
        do_not_contact.c.contact_id == contact_id, do_not_contact.c.channel == channel, _ACTIVE
    )
    return bool(conn.execute(query.values(lifted_at=now)).rowcount)


def active(conn: Connection, contact_id: str, channel: DncChannel) -> DoNotContact | None:
    query = select(do_not_contact).where(
        do_not_contact.c.contact_id == contact_id, do_not_contact.c.channel == channel, _ACTIVE
    )
    row = conn.execute(query).mappings().first()
    return None if row is None else _entry(row)


def entries(conn: Connection, contact_id: str, *, active_only: bool) -> list[DoNotContact]:
    query = (
        select(do_not_contact)
        .where(do_not_contact.c.contact_id == contact_id)
        .order_by(do_not_contact.c.added_at, do_not_contact.c.id)
    )
    if active_only:
        query = query.where(_ACTIVE)
    return [_entry(row) for row in conn.execute(query).mappings()]


def move(conn: Connection, loser: str, survivor: str, now: datetime) -> None:
    """Give the survivor the loser's entries; where both are active on one channel, the
    survivor's stays and the loser's is lifted."""
    for entry in entries(conn, loser, active_only=True):
        if active(conn, survivor, entry.channel) is not None:
            lift(conn, entry.contact_id, entry.channel, now)
    moved = update(do_not_contact).where(do_not_contact.c.contact_id == loser)
    conn.execute(moved.values(contact_id=survivor))


def _entry(row: Mapping[str, Any]) -> DoNotContact:
    return DoNotContact(
        id=row["id"],
        contact_id=ContactId(row["contact_id"]),
        channel=cast(DncChannel, row["channel"]),
        reason=cast(DncReason, row["reason"]),
        note=row["note"],
        added_at=row["added_at"],
        lifted_at=row["lifted_at"],
    )
