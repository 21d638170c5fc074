"""What each public store method does, inside the one transaction the store framed."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy.engine import Connection

from bot.store import leads, reads, writes
from bot.store.merging import merge, merge_matching
from bot.store.records import TimelineEvent
from bot.types import Channel, ContactId, LeadField, LeadStatus


def update_lead_fields(
    conn: Connection,
    channel: Channel,
    external_id: str,
    fields: Mapping[LeadField, str],
    conversation_id: str,
    now: datetime,
) -> ContactId:
    contact_id = writes.ensure_contact_id(conn, channel, external_id, now)
    if not fields:
        return contact_id
    contact_id = merge_matching(conn, contact_id, fields, now)
    writes.apply_fields(conn, contact_id, fields, now)
    leads.record_answers(conn, contact_id, channel, conversation_id, fields, now)
    writes.change_lead_status(conn, contact_id, "partial", now, only_from="new")
    return contact_id


def set_lead_status(
    conn: Connection,
    key: str,
    status: LeadStatus,
    conversation_id: str | None,
    now: datetime,
) -> ContactId:
    contact_id = reads.lock_contact(conn, reads.require_id(conn, key))
    if conversation_id is not None:
        leads.set_status(conn, contact_id, conversation_id, status, now)
    writes.change_lead_status(conn, contact_id, status, now)
    return contact_id


def link_identity(
    conn: Connection, key: str, channel: Channel, external_id: str, now: datetime
) -> ContactId:
    contact_id = reads.lock_contact(conn, reads.require_id(conn, key))
    holder = reads.id_for_identity(conn, channel, external_id)
    if holder is None:
        writes.add_identity(conn, contact_id, channel, external_id, now)
        return contact_id
    return contact_id if holder == contact_id else merge(conn, contact_id, holder, now)


def record_event(
    conn: Connection, key: str, kind: str, data: Mapping[str, Any], now: datetime
) -> TimelineEvent:
    contact_id = reads.lock_contact(conn, reads.require_id(conn, key))
    return writes.add_event(conn, contact_id, kind, data, now)
