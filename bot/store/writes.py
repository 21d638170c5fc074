"""Single-table writes, each leaving its trace on the timeline."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import insert, update
from sqlalchemy.engine import Connection

from bot.store import integration, reads
from bot.store.records import TimelineEvent
from bot.store.schema import channel_identities, contacts, timeline_events
from bot.types import LEAD_FIELDS, Channel, ContactId, LeadField, LeadStatus


def new_id() -> str:
    return uuid.uuid4().hex


def add_event(
    conn: Connection, contact_id: str, kind: str, data: Mapping[str, Any], now: datetime
) -> TimelineEvent:
    values = {"contact_id": contact_id, "kind": kind, "data": dict(data), "occurred_at": now}
    event_id = conn.execute(insert(timeline_events).values(**values)).inserted_primary_key[0]
    return reads.timeline_event({"id": event_id, **values})


def add_identity(
    conn: Connection, contact_id: str, channel: Channel, external_id: str, now: datetime
) -> None:
    conn.execute(
        insert(channel_identities).values(
            contact_id=contact_id, channel=channel, external_id=external_id, created_at=now
        )
    )
    identity = {"channel": channel, "external_id": external_id}
    add_event(conn, contact_id, "identity_linked", identity, now)


def ensure_contact_id(
    conn: Connection, channel: Channel, external_id: str, now: datetime
) -> ContactId:
    """The contact behind an identity, created with it when unknown.

    Two transactions racing here both insert; the unique (channel, external_id) makes
    the slower one fail with IntegrityError, and the store's retry then finds the winner.
    """
    found = reads.id_for_identity(conn, channel, external_id)
    if found is not None:
        return reads.lock_contact(conn, found)
    contact_id = ContactId(new_id())
    conn.execute(
        insert(contacts).values(id=contact_id, lead_status="new", created_at=now, updated_at=now)
    )
    add_event(conn, contact_id, "contact_created", {}, now)
    add_identity(conn, contact_id, channel, external_id, now)
    return contact_id


def apply_fields(
    conn: Connection, contact_id: str, fields: Mapping[LeadField, str | None], now: datetime
) -> None:
    """Set lead fields, one `field_changed` event for each value that really changes."""
    row = reads.contact_row(conn, contact_id)
    assert row is not None, contact_id
    changed = {field: value for field, value in fields.items() if row[field] != value}
    if not changed:
        return
    conn.execute(
        update(contacts).where(contacts.c.id == contact_id).values(**changed, updated_at=now)
    )
    for field, value in changed.items():
        change = {"field": field, "old": row[field], "new": value}
        add_event(conn, contact_id, "field_changed", change, now)


def change_lead_status(
    conn: Connection,
    contact_id: str,
    status: LeadStatus,
    now: datetime,
    only_from: LeadStatus | None = None,
) -> None:
    """Set the contact's lead status (if it is `only_from`, when given)."""
    row = reads.contact_row(conn, contact_id)
    assert row is not None, contact_id
    if row["lead_status"] == status or only_from not in (None, row["lead_status"]):
        return
    conn.execute(
        update(contacts)
        .where(contacts.c.id == contact_id)
        .values(lead_status=status, updated_at=now)
    )
    change = {"old": row["lead_status"], "new": status}
    add_event(conn, contact_id, "lead_status_changed", change, now)
    if status in ("captured", "confirmed") and row["lead_status"] not in ("captured", "confirmed"):
        profile: dict[str, Any] = {field: row[field] for field in LEAD_FIELDS}
        integration.emit(
            conn,
            "lead.captured",
            contact_id,
            {"contact_id": contact_id, **profile, "lead_status": status},
            now,
        )


def check_fields(fields: Mapping[LeadField, str]) -> None:
    unknown = sorted(set(fields) - set(LEAD_FIELDS))
    if unknown:
        raise ValueError(f"not lead fields: {', '.join(unknown)}")
