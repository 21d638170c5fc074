"""Handoffs, the delivery outbox and bookings, inside a caller-framed transaction."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, insert, or_, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from bot.errors import SlotTaken
from bot.store import integration, reads, writes
from bot.store.records import Booking, Delivery
from bot.store.schema import BOOKED, bookings, deliveries, handoffs
from bot.types import ContactId

PENDING, SENDING, DELIVERED, FAILED = "pending", "sending", "delivered", "failed"
# A repeated request within this window (a retried action, a double click) is the same.
SAME_REQUEST_WINDOW = timedelta(minutes=10)


def request(
    conn: Connection,
    contact_id: str,
    conversation_id: str,
    channel: str,
    reason: str,
    transcript: list[dict[str, Any]],
    outbox: list[tuple[str, dict[str, Any]]],
    now: datetime,
) -> tuple[str, bool]:
    """Record a handoff and its deliveries; (id, False) if the same one was just recorded."""
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
        )
    )
    for kind, payload in outbox:
        enqueue(conn, live, kind, {**payload, "handoff_id": handoff_id}, now)
    writes.add_event(
        conn, live, "handoff_requested",
        {"handoff_id": handoff_id, "conversation_id": conversation_id, "reason": reason}, now,
    )  # fmt: skip
    integration.emit(conn, "handoff.requested", live, {
        "contact_id": live, "handoff_id": handoff_id, "channel": channel, "reason": reason,
        "conversation_id": conversation_id,
    }, now)  # fmt: skip
    return handoff_id, True


def enqueue(
    conn: Connection, contact_id: ContactId, kind: str, payload: Mapping[str, Any], now: datetime
) -> str:
    event_id = str(uuid.uuid4())
    conn.execute(
        insert(deliveries).values(
            event_id=event_id,
            contact_id=contact_id,
            kind=kind,
            payload=dict(payload),
            status=PENDING,
            attempts=0,
            next_attempt_at=now,
            created_at=now,
        )
    )
    return event_id


def claim_due(conn: Connection, now: datetime, lease: timedelta, limit: int) -> list[Delivery]:
    """Due deliveries, each leased to this caller alone (a conditional UPDATE decides)."""
    due = or_(
        and_(deliveries.c.status == PENDING, deliveries.c.next_attempt_at <= now),
        and_(deliveries.c.status == SENDING, deliveries.c.lease_until < now),
    )
    candidates = (
        conn.execute(
            select(deliveries.c.id).where(due).order_by(deliveries.c.next_attempt_at).limit(limit)
        )
        .scalars()
        .all()
    )
    claimed = []
    for delivery_id in candidates:
        taken = conn.execute(
            update(deliveries)
            .where(deliveries.c.id == delivery_id)
            .where(due)
            .values(status=SENDING, lease_until=now + lease, attempts=deliveries.c.attempts + 1)
        ).rowcount
        if taken == 1:
            claimed.append(delivery_id)
    return [_delivery(r) for r in _rows(conn, claimed)]


def finish(
    conn: Connection, delivery_id: int, status: str, error: str | None, retry_at: datetime | None,
    now: datetime,
) -> None:  # fmt: skip
    values: dict[str, Any] = {"status": status, "lease_until": None, "last_error": error}
    if status == DELIVERED:
        values["delivered_at"] = now
    if retry_at is not None:
        values["next_attempt_at"] = retry_at
    conn.execute(update(deliveries).where(deliveries.c.id == delivery_id).values(**values))


def retry_failed(conn: Connection, delivery_id: int | None, now: datetime) -> int:
    query = update(deliveries).where(deliveries.c.status == FAILED)
    if delivery_id is not None:
        query = query.where(deliveries.c.id == delivery_id)
    return int(conn.execute(query.values(status=PENDING, next_attempt_at=now, attempts=0)).rowcount)


def list_deliveries(conn: Connection, status: str | None) -> list[Delivery]:
    query = select(deliveries).order_by(deliveries.c.id)
    if status is not None:
        query = query.where(deliveries.c.status == status)
    return [_delivery(row) for row in conn.execute(query).mappings()]


def book(
    conn: Connection, contact_id: str, starts_at: datetime, ends_at: datetime, now: datetime
) -> Booking:
    live = reads.require_id(conn, contact_id)
    booking_id = uuid.uuid4().hex
    row = {"id": booking_id, "contact_id": live, "starts_at": starts_at, "ends_at": ends_at,
           "status": BOOKED, "created_at": now}  # fmt: skip
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
    """A person's handoffs as exported to them: when, why, where, and the transcript."""
    query = select(handoffs).where(handoffs.c.contact_id == reads.require_id(conn, contact_id))
    return [
        {"requested_at": row["requested_at"].isoformat(), "reason": row["reason"],
         "channel": row["channel"], "transcript": row["transcript"]}
        for row in conn.execute(query.order_by(handoffs.c.requested_at)).mappings()
    ]  # fmt: skip


def bookings_of(conn: Connection, contact_id: str | None) -> list[Booking]:
    query = select(bookings).order_by(bookings.c.starts_at)
    if contact_id is not None:
        query = query.where(bookings.c.contact_id == reads.require_id(conn, contact_id))
    return [_booking(row) for row in conn.execute(query).mappings()]


def _rows(conn: Connection, ids: list[int]) -> list[Mapping[str, Any]]:
    if not ids:
        return []
    query = select(deliveries).where(deliveries.c.id.in_(ids)).order_by(deliveries.c.id)
    return list(conn.execute(query).mappings())


def _delivery(row: Mapping[str, Any]) -> Delivery:
    return Delivery(
        id=int(row["id"]), event_id=row["event_id"], contact_id=ContactId(row["contact_id"]),
        kind=row["kind"], payload=dict(row["payload"]), status=row["status"],
        attempts=int(row["attempts"]), next_attempt_at=row["next_attempt_at"],
        last_error=row["last_error"], created_at=row["created_at"], delivered_at=row["delivered_at"],
    )  # fmt: skip


def _booking(row: Mapping[str, Any]) -> Booking:
    return Booking(
        id=row["id"], contact_id=ContactId(row["contact_id"]), starts_at=row["starts_at"],
        ends_at=row["ends_at"], status=row["status"], created_at=row["created_at"],
    )  # fmt: skip
