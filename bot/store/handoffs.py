"""Handoffs, their deliveries (a leased outbox) and bookings, inside a caller-framed
transaction."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError
from sqlalchemy.sql import ColumnElement

from bot.errors import SlotTaken
from bot.store import inbox, integration, outbox, reads, writes
from bot.store.records import Booking, Delivery
from bot.store.schema import BOOKED, bookings, deliveries, handoffs
from bot.types import ContactId

DELIVERIES = outbox.Outbox(deliveries)
# A repeated request within this window (a retried action, a double click) is the same.
SAME_REQUEST_WINDOW = timedelta(minutes=10)


def request(
    conn: Connection,
    contact_id: str,
    conversation_id: str,
    channel: str,
    reason: str,
    transcript: list[dict[str, Any]],
    targets: list[tuple[str, dict[str, Any]]],
    now: datetime,
    reply_due_at: datetime | None = None,
) -> tuple[str, bool]:
    """Record a handoff and its deliveries; (id, False) if the same one was just recorded.
    `reply_due_at`: it came outside office hours, and a person answers from then."""
    live = reads.require_id(conn, contact_id)
    reads.lock_contact(conn, live)
    recent = conn.execute(
        select(handoffs.c.id)
        .where(handoffs.c.conversation_id == conversation_id)
        .where(handoffs.c.requested_at >= now - SAME_REQUEST_WINDOW)
        .limit(1)
    ).first()
    if recent is not None:
        return str(recent.id), False
    handoff_id = uuid.uuid4().hex
    conn.execute(
        insert(handoffs).values(
            id=handoff_id,
            contact_id=live,
            conversation_id=conversation_id,
            channel=channel,
            reason=reason,
            transcript=transcript,
            requested_at=now,
            out_of_hours=reply_due_at is not None,
            reply_due_at=reply_due_at,
        )
    )
    due: dict[str, Any] = {"out_of_hours": reply_due_at is not None}
    if reply_due_at is not None:
        due["reply_due_at"] = reply_due_at.isoformat()
    inbox.open_handoff(conn, live, conversation_id, channel, handoff_id, reason, now)
    for kind, payload in targets:
        enqueue(conn, live, kind, {**payload, "handoff_id": handoff_id}, now)
    writes.add_event(
        conn,
        live,
        "handoff_requested",
        {"handoff_id": handoff_id, "conversation_id": conversation_id, "reason": reason, **due},
        now,
    )
    integration.emit(
        conn,
        "handoff.requested",
        live,
        {
            "contact_id": live,
            "handoff_id": handoff_id,
            "channel": channel,
            "reason": reason,
            "conversation_id": conversation_id,
            **due,
        },
        now,
    )
    return handoff_id, True


def enqueue(
    conn: Connection, contact_id: ContactId, kind: str, payload: Mapping[str, Any], now: datetime
) -> str:
    event_id = str(uuid.uuid4())
    values = {"contact_id": contact_id, "kind": kind, "payload": dict(payload)}
    outbox.enqueue(conn, DELIVERIES, {"event_id": event_id}, values, now)
    return event_id


def claim_due(conn: Connection, now: datetime, lease: timedelta, limit: int) -> list[Delivery]:
    """Due deliveries, each leased to this caller alone."""
    claimed = outbox.claim(conn, DELIVERIES, now, lease, limit)
    return list_deliveries(conn, None, deliveries.c.id.in_(claimed))


def list_deliveries(
    conn: Connection, status: str | None, where: ColumnElement[bool] | None = None
) -> list[Delivery]:
    query = select(deliveries).where(outbox.in_status(DELIVERIES, status))
    if where is not None:
        query = query.where(where)
    return [_delivery(row) for row in conn.execute(query.order_by(deliveries.c.id)).mappings()]


def book(
    conn: Connection, contact_id: str, starts_at: datetime, ends_at: datetime, now: datetime
) -> Booking:
    live = reads.require_id(conn, contact_id)
    booking_id = uuid.uuid4().hex
    row = {
        "id": booking_id,
        "contact_id": live,
        "starts_at": starts_at,
        "ends_at": ends_at,
        "status": BOOKED,
        "created_at": now,
    }
    try:
        with conn.begin_nested():
            conn.execute(insert(bookings).values(**row))
    except IntegrityError as error:
        raise SlotTaken(starts_at) from error
    writes.add_event(
        conn,
        live,
        "meeting_booked",
        {"booking_id": booking_id, "starts_at": starts_at.isoformat()},
        now,
    )
    return Booking(booking_id, live, starts_at, ends_at, BOOKED, now)


def cancel_booking(conn: Connection, booking_id: str, now: datetime) -> bool:
    row = conn.execute(select(bookings).where(bookings.c.id == booking_id)).mappings().first()
    if row is None or row["status"] != BOOKED:
        return False
    conn.execute(update(bookings).where(bookings.c.id == booking_id).values(status="cancelled"))
    writes.add_event(conn, row["contact_id"], "meeting_cancelled", {"booking_id": booking_id}, now)
    return True


def booked_between(conn: Connection, start: datetime, end: datetime) -> list[Booking]:
    query = (
        select(bookings)
        .where(bookings.c.status == BOOKED)
        .where(bookings.c.starts_at < end)
        .where(bookings.c.ends_at > start)
        .order_by(bookings.c.starts_at)
    )
    return [_booking(row) for row in conn.execute(query).mappings()]


def handoffs_of(conn: Connection, contact_id: str) -> list[dict[str, Any]]:
    """A person's handoffs as exported to them: when, why, where, the transcript, and
    when a reply was due if it came outside office hours."""
    query = select(handoffs).where(handoffs.c.contact_id == reads.require_id(conn, contact_id))
    return [
        {"requested_at": row["requested_at"].isoformat(), "reason": row["reason"],
         "channel": row["channel"], "transcript": row["transcript"],
         "out_of_hours": bool(row["out_of_hours"]),
         "reply_due_at": row["reply_due_at"].isoformat() if row["reply_due_at"] else None}
        for row in conn.execute(query.order_by(handoffs.c.requested_at)).mappings()
    ]  # fmt: skip


def bookings_of(conn: Connection, contact_id: str | None) -> list[Booking]:
    query = select(bookings).order_by(bookings.c.starts_at)
    if contact_id is not None:
        query = query.where(bookings.c.contact_id == reads.require_id(conn, contact_id))
    return [_booking(row) for row in conn.execute(query).mappings()]


def _delivery(row: Mapping[str, Any]) -> Delivery:
    return Delivery(
        id=int(row["id"]), event_id=row["event_id"], contact_id=ContactId(row["contact_id"]),
        kind=row["kind"], payload=dict(row["payload"]), status=row["status"],
        attempts=int(row["attempts"]), next_attempt_at=row["next_attempt_at"],
        last_error=row["last_error"], created_at=row["created_at"], delivered_at=row["delivered_at"],
    )  # fmt: skip


def _booking(row: Mapping[str, Any]) -> Booking:
    return Booking(
        id=row["id"],
        contact_id=ContactId(row["contact_id"]),
        starts_at=row["starts_at"],
        ends_at=row["ends_at"],
        status=row["status"],
        created_at=row["created_at"],
    )
