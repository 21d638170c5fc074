"""Values of the custom lead fields (bot.custom_fields), inside a caller-framed transaction.

The store holds what `custom_fields.check_stored` accepts, whatever lead_fields.yml says
now: callers normalize against the current file, and a field removed from it keeps its
values. Every change is a `custom_field_changed` timeline event, like a built-in field's.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.engine import Connection

from bot.custom_fields import check_stored
from bot.errors import InvalidField
from bot.store import reads, writes
from bot.store.schema import contacts, custom_field_values
from bot.types import CHANNELS, ContactId

VALUES = custom_field_values.c


def check(values: Mapping[str, str], channel: str) -> None:
    """InvalidField before any transaction starts, so a bad value writes nothing."""
    if channel not in CHANNELS:
        raise ValueError(f"channel must be one of {', '.join(CHANNELS)}, not {channel!r}")
    check_stored(values)
    for name, value in values.items():
        # PostgreSQL refuses NUL in text; SQLite would keep it. Refuse it on both.
        if "\x00" in value:
            raise InvalidField(name, "contains a NUL character")


def set_values(
    conn: Connection,
    contact_id: str,
    values: Mapping[str, str],
    channel: str,
    conversation_id: str | None,
    now: datetime,
) -> ContactId:
    live = reads.lock_live(conn, contact_id)
    held = _held(conn, live)
    changed = {name: value for name, value in values.items() if held.get(name) != value}
    for name, value in sorted(changed.items()):
        row = {"value": value, "channel": channel, "conversation_id": conversation_id}
        key = (VALUES.contact_id == live) & (VALUES.field == name)
        if name in held:
            conn.execute(update(custom_field_values).where(key).values(**row, updated_at=now))
        else:
            conn.execute(
                insert(custom_field_values).values(
                    contact_id=live, field=name, **row, updated_at=now
                )
            )
        change = {"field": name, "old": held.get(name), "new": value, "channel": channel,
                  "conversation_id": conversation_id}  # fmt: skip
        writes.add_event(conn, live, "custom_field_changed", change, now)
    if changed:
        conn.execute(update(contacts).where(contacts.c.id == live).values(updated_at=now))
    return live


def clear_value(conn: Connection, contact_id: str, field: str, channel: str, now: datetime) -> bool:
    """Forget one value (a member of staff removing it); False when there was none."""
    live = reads.lock_live(conn, contact_id)
    key = (VALUES.contact_id == live) & (VALUES.field == field)
    old = conn.execute(select(VALUES.value).where(key)).scalar()
    if old is None:
        return False
    conn.execute(delete(custom_field_values).where(key))
    change = {"field": field, "old": old, "new": None, "channel": channel,
              "conversation_id": None}  # fmt: skip
    writes.add_event(conn, live, "custom_field_changed", change, now)
    conn.execute(update(contacts).where(contacts.c.id == live).values(updated_at=now))
    return True


def values_of(conn: Connection, contact_id: str) -> dict[str, str]:
    live = reads.require_id(conn, contact_id)
    return _held(conn, live)


def _held(conn: Connection, contact_id: str) -> dict[str, str]:
    return reads.custom_values_of(conn, [contact_id]).get(contact_id, {})


def records_of(conn: Connection, contact_id: str) -> list[dict[str, Any]]:
    """For a data-subject access request: each value with where and when it was given."""
    live = reads.require_id(conn, contact_id)
    query = select(custom_field_values).where(VALUES.contact_id == live).order_by(VALUES.field)
    return [
        {
            "field": row["field"],
            "value": row["value"],
            "channel": row["channel"],
            "conversation_id": row["conversation_id"],
            "updated_at": row["updated_at"].isoformat(),
        }
        for row in conn.execute(query).mappings()
    ]


def field_names(conn: Connection) -> list[str]:
    """Every field name some contact has a value for, sorted (exports add these)."""
    query = select(VALUES.field).distinct().order_by(VALUES.field)
    return [str(name) for name in conn.execute(query).scalars()]


def move(conn: Connection, loser: str, survivor: str) -> None:
    """A merge keeps the survivor's own values and takes the loser's others."""
    theirs = list(_held(conn, survivor))
    duplicate = (VALUES.contact_id == loser) & VALUES.field.in_(theirs)
    conn.execute(delete(custom_field_values).where(duplicate))
    conn.execute(
        update(custom_field_values).where(VALUES.contact_id == loser).values(contact_id=survivor)
    )
