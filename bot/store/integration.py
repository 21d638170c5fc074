"""Integration events and their webhook deliveries, inside a caller-framed transaction.

An event is written in the same transaction as the change it reports, together with
one delivery row per subscription that wants it, queued in a leased outbox
(`bot.store.outbox`): nothing that happened can be missed by a subscriber, and nothing
is reported that did not happen (the outbox pattern).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.sql import ColumnElement

from bot.store import outbox
from bot.store.records import WebhookDelivery, WebhookSubscription
from bot.store.schema import integration_events, webhook_deliveries, webhook_subscriptions

EVENT_TYPES = (
    "lead.captured", "lead.qualified", "consent.changed", "contact.merged", "contact.erased",
    "campaign.replied", "handoff.requested", "lead.outcome",
)  # fmt: skip

EV, SUB, DEL = integration_events.c, webhook_subscriptions.c, webhook_deliveries.c
DELIVERIES = outbox.Outbox(webhook_deliveries)


def emit(
    conn: Connection, kind: str, contact_id: str, data: Mapping[str, Any], now: datetime
) -> str:
    """Record an event and queue it for every active subscription to its type."""
    assert kind in EVENT_TYPES, kind
    event_id = str(uuid.uuid4())
    conn.execute(
        insert(integration_events).values(
            event_id=event_id,
            type=kind,
            contact_id=contact_id,
            data=dict(data),
            occurred_at=now,
        )
    )
    active = conn.execute(select(SUB.id, SUB.events).where(SUB.active)).all()
    for sub_id, events in active:
        if kind in events:
            outbox.enqueue(
                conn, DELIVERIES, {"subscription_id": sub_id, "event_id": event_id}, {}, now
            )
    return event_id


def subscribe(
    conn: Connection, url: str, events: Sequence[str], secret: str, now: datetime
) -> WebhookSubscription:
    values = {
        "url": url,
        "events": list(events),
        "secret": secret,
        "active": True,
        "created_at": now,
    }
    new_id = conn.execute(insert(webhook_subscriptions).values(**values)).inserted_primary_key[0]
    return _subscription({"id": new_id, **values})


def deactivate(conn: Connection, subscription_id: int) -> bool:
    query = update(webhook_subscriptions).where(SUB.id == subscription_id, SUB.active)
    return bool(conn.execute(query.values(active=False)).rowcount)


def subscriptions(conn: Connection) -> list[WebhookSubscription]:
    rows = conn.execute(select(webhook_subscriptions).order_by(SUB.id)).mappings()
    return [_subscription(r) for r in rows]


def claim(conn: Connection, now: datetime, lease: timedelta, limit: int) -> list[WebhookDelivery]:
    """Due deliveries leased to the caller."""
    return _deliveries(conn, DEL.id.in_(outbox.claim(conn, DELIVERIES, now, lease, limit)))


def listed(conn: Connection, status: str | None) -> list[WebhookDelivery]:
    return _deliveries(conn, outbox.in_status(DELIVERIES, status))


def forget_contact(conn: Connection, contact_id: str) -> None:
    """An erased person's events go, with their undelivered deliveries; what was
    delivered stays delivered (the receivers have it: their own erasure is theirs)."""
    ids = select(EV.event_id).where(EV.contact_id == contact_id).scalar_subquery()
    conn.execute(delete(webhook_deliveries).where(DEL.event_id.in_(ids)))
    conn.execute(delete(integration_events).where(EV.contact_id == contact_id))


def _deliveries(conn: Connection, where: ColumnElement[bool]) -> list[WebhookDelivery]:
    query = (
        select(webhook_deliveries, SUB.url, SUB.secret, EV.type, EV.data, EV.occurred_at)
        .join(webhook_subscriptions, SUB.id == DEL.subscription_id)
        .join(integration_events, EV.event_id == DEL.event_id)
        .where(where)
        .order_by(DEL.id)
    )
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
        id=int(row["id"]),
        url=row["url"],
        events=tuple(row["events"]),
        active=bool(row["active"]),
        created_at=row["created_at"],
    )
