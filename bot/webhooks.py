"""Outbound event webhooks: signed POSTs of integration events to subscribers.

Each delivery carries the event id (`X-Parley-Event-Id`, also in the body) and an
HMAC-SHA256 signature over timestamp and body (`X-Parley-Signature: t=...,v1=...`, the
scheme of handoff webhooks: `bot.handoff.verify` is what a receiver does, rejecting
anything older than five minutes). Failures retry with backoff; after the last try a
delivery is `failed`, listed by `parley webhooks failed` until `parley webhooks retry`.
The same event may arrive twice (a timeout after the receiver saved it): its id makes
the second one safe to ignore.
"""

from __future__ import annotations

import json
import logging
import secrets
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

import httpx

from bot.errors import DeliveryFailed, InvalidField
from bot.handoff import backoff, post_signed
from bot.store import EVENT_TYPES, ProfileStore, WebhookDelivery

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8


@dataclass(frozen=True)
class RelayReport:
    delivered: int = 0
    retrying: int = 0
    failed: int = 0


def check_subscription(url: str, events: list[str]) -> None:
    if urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).netloc:
        raise InvalidField("url", f"{url!r} is not an http(s) URL")
    unknown = sorted(set(events) - set(EVENT_TYPES))
    if unknown or not events:
        raise InvalidField("events", f"{', '.join(unknown) or 'none given'}: choose from "
                           f"{', '.join(EVENT_TYPES)}")  # fmt: skip


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def body_of(delivery: WebhookDelivery) -> bytes:
    return json.dumps({
        "id": delivery.event_id, "type": delivery.type,
        "occurred_at": delivery.occurred_at.isoformat(), "data": delivery.data,
    }, separators=(",", ":")).encode()  # fmt: skip


def post(delivery: WebhookDelivery, client: httpx.Client) -> tuple[bool, bool, str]:
    """(delivered, worth retrying, what happened)."""
    try:
        post_signed(delivery.url, delivery.secret, delivery.event_id, body_of(delivery), client)
    except DeliveryFailed as failure:
        return False, failure.retryable, failure.reason
    return True, False, "delivered"


def deliver_due(store: ProfileStore, now: datetime, client: httpx.Client | None = None,
                limit: int = 50) -> RelayReport:  # fmt: skip
    """Send every due delivery once; retries are scheduled, last failures kept."""
    due = store.claim_webhook_deliveries(now, limit=limit)
    if not due:
        return RelayReport()
    if client is not None:
        return _deliver(store, due, client, now)
    with httpx.Client() as own:
        return _deliver(store, due, own, now)


def _deliver(
    store: ProfileStore, due: list[WebhookDelivery], client: httpx.Client, now: datetime
) -> RelayReport:
    delivered = retrying = failed = 0
    for delivery in due:
        ok, retryable, what = post(delivery, client)
        if ok:
            store.finish_webhook_delivery(delivery.id, "delivered", now=now)
            delivered += 1
            continue
        logger.warning("webhook %s to %s (try %d): %s", delivery.event_id, delivery.url,
                       delivery.attempts, what)  # fmt: skip
        if retryable and delivery.attempts < MAX_ATTEMPTS:
            retry_at = now + backoff(delivery.attempts)
            store.finish_webhook_delivery(delivery.id, "pending", error=what, retry_at=retry_at,
                                          now=now)  # fmt: skip
            retrying += 1
        else:
            store.finish_webhook_delivery(delivery.id, "failed", error=what, now=now)
            failed += 1
    return RelayReport(delivered, retrying, failed)
