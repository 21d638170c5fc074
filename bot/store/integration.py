"""Integration events and their webhook deliveries, inside a caller-framed transaction.

An event is written in the same transaction as the change it reports, together with
one delivery row per subscription that wants it: nothing that happened can be missed by
a subscriber, and nothing is reported that did not happen (the outbox pattern).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, delete, func, insert, or_, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.sql import ColumnElement

from bot.store.records import WebhookDelivery, WebhookSubscription
from bot.store.schema import integration_events, webhook_deliveries, webhook_subscriptions

PENDING, SENDING, DELIVERED, FAILED = "pending", "sending", "delivered", "failed"
EVENT_TYPES = (
    "lead.captured", "lead.qualified", "consent.changed", "contact.merged", "contact.erased",
    "campaign.replied", "handoff.requested",
)  # fmt: skip

EV, SUB, DEL = integration_events.c, webhook_subscriptions.c, webhook_deliveries.c


def emit(
    conn: Connection, kind: str, contact_id: str, data: Mapping[str, Any], now: datetime
) -> str:
    """Record an event and queue it for every active subscription to its type."""
    assert kind in EVENT_TYPES, kind
    event_id = str(uuid.uuid4())
    conn.execute(insert(integration_events).values(
        event_id=event_id, type=kind, contact_id=contact_id, data=dict(data), occurred_at=now,
    ))  # fmt: skip
    rows = [
        {"subscription_id": sub_id, "event_id": event_id, "status": PENDING, "attempts": 0,
         "next_attempt_at": now, "created_at": now}
        for sub_id, events in conn.execute(select(SUB.id, SUB.events).where(SUB.active))
        if kind in events
    ]  # fmt: skip
    if rows:
        conn.execute(insert(webhook_deliveries), rows)
    return event_id


def subscribe(
    conn: Connection, url: str, events: Sequence[str], secret: str, now: datetime
) -> WebhookSubscription:
    values = {"url": url, "events": list(events), "secret": secret, "active": True,
              "created_at": now}  # fmt: skip
    new_id = conn.execute(insert(webhook_subscriptions).values(**values)).inserted_primary_key[0]
    return _subscription({"id": new_id, **values})


def deactivate(conn: Connection, subscription_id: int) -> bool:
    query = update(webhook_subscriptions).where(SUB.id == subscription_id, SUB.active)
    return bool(conn.execute(query.values(active=False)).rowcount)


def subscriptions(conn: Connection) -> list[WebhookSubscription]:
    rows = conn.execute(select(webhook_subscriptions).order_by(SUB.id)).mappings()
    return [_subscription(r) for r in rows]


def claim(conn: Connection, now: datetime, lease: timedelta, limit: int) -> list[WebhookDelivery]:
    """Due deliveries leased to the caller (SKIP LOCKED on PostgreSQL)."""
    due = _due(now)
    query = select(DEL.id).where(due).order_by(DEL.next_attempt_at, DEL.id).limit(limit)
    if conn.dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    claimed = [
        delivery_id
        for delivery_id in conn.execute(query).scalars()
        if conn.execute(
            update(webhook_deliveries).where(DEL.id == delivery_id, due)
            .values(status=SENDING, lease_until=now + lease, attempts=DEL.attempts + 1)
        ).rowcount == 1
    ]  # fmt: skip
    return _deliveries(conn, DEL.id.in_(claimed))


def count_due(conn: Connection, now: datetime) -> int:
    """Deliveries a worker would claim now (the same test as `claim`)."""
    query = select(func.count()).select_from(webhook_deliveries).where(_due(now))
    return int(conn.execute(query).scalar_one())


def finish(
    conn: Connection, delivery_id: int, status: str, error: str | None,
    retry_at: datetime | None, now: datetime,
) -> None:  # fmt: skip
    values: dict[str, Any] = {"status": status, "lease_until": None, "last_error": error}
    if status == DELIVERED:
        values["delivered_at"] = now
    if retry_at is not None:
        values["next_attempt_at"] = retry_at
    conn.execute(update(webhook_deliveries).where(DEL.id == delivery_id).values(**values))


def listed(conn: Connection, status: str | None) -> list[WebhookDelivery]:
    return _deliveries(conn, DEL.status == status if status else None)


def retry_failed(conn: Connection, delivery_id: int | None, now: datetime) -> int:
    query = update(webhook_deliveries).where(DEL.status == FAILED)
    if delivery_id is not None:
        query = query.where(DEL.id == delivery_id)
    values = {"status": PENDING, "next_attempt_at": now, "attempts": 0}
    return int(conn.execute(query.values(**values)).rowcount)


def forget_contact(conn: Connection, contact_id: str) -> None:
    """An erased person's events go, with their undelivered deliveries; what was
    delivered stays delivered (the receivers have it: their own erasure is theirs)."""
    ids = select(EV.event_id).where(EV.contact_id == contact_id).scalar_subquery()
    conn.execute(delete(webhook_deliveries).where(DEL.event_id.in_(ids)))
    conn.execute(delete(integration_events).where(EV.contact_id == contact_id))


def _due(now: datetime) -> ColumnElement[bool]:
    return or_(
        and_(DEL.status == PENDING, DEL.next_attempt_at <= now),
        and_(DEL.status == SENDING, DEL.lease_until < now),
    )


def _deliveries(conn: Connection, where: Any) -> list[WebhookDelivery]:
    query = (
        select(webhook_deliveries, SUB.url, SUB.secret, EV.type, EV.data, EV.occurred_at)
        .join(webhook_subscriptions, SUB.id == DEL.subscription_id)
        .join(integration_events, EV.event_id == DEL.event_id)
        .order_by(DEL.id)
    )
    if where is not None:
        query = query.where(where)
    return [
        WebhookDelivery(
            id=int(r["id"]), subscription_id=int(r["subscription_id"]), url=r["url"],
            secret=r["secret"], event_id=r["event_id"], type=r["type"], data=dict(r["data"]),
            occurred_at=r["occurred_at"], status=r["status"], attempts=int(r["attempts"]),
            last_error=r["last_error"], next_attempt_at=r["next_attempt_at"],
        )
        for r in conn.execute(query).mappings()
    ]  # fmt: skip


def _subscription(row: Mapping[str, Any]) -> WebhookSubscription:
    return WebhookSubscription(
        id=int(row["id"]), url=row["url"], events=tuple(row["events"]),
        active=bool(row["active"]), created_at=row["created_at"],
    )  # fmt: skip
