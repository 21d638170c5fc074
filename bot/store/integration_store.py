"""ProfileStore's integration methods: webhook subscriptions and their deliveries."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from bot.store import integration
from bot.store.checks import utc
from bot.store.outbox_store import OutboxCalls
from bot.store.records import WebhookDelivery, WebhookSubscription
from bot.store.transactions import Transactions


class IntegrationStore:
    """Mixed into ProfileStore; every method is one transaction, like the store's own."""

    _tx: Transactions

    def subscribe_webhook(
        self, url: str, events: Sequence[str], secret: str, now: datetime | None = None
    ) -> WebhookSubscription:
        """Events from now on are delivered to `url`, signed with `secret`."""
        at, wanted = utc(now), list(events)
        return self._tx.write(lambda conn: integration.subscribe(conn, url, wanted, secret, at))

    def unsubscribe_webhook(self, subscription_id: int) -> bool:
        """False when there was no active subscription with that id."""
        return self._tx.write(lambda conn: integration.deactivate(conn, subscription_id))

    def webhook_subscriptions(self) -> list[WebhookSubscription]:
        return self._tx.read(integration.subscriptions)

    def claim_webhook_deliveries(
        self, now: datetime, lease: timedelta = timedelta(minutes=2), limit: int = 50
    ) -> list[WebhookDelivery]:
        at = utc(now)
        return self._tx.write(lambda conn: integration.claim(conn, at, lease, limit))

    def count_due_webhook_deliveries(self, now: datetime) -> int:
        """How many webhook deliveries are waiting to go out now."""
        return OutboxCalls(self._tx, integration.DELIVERIES).count_due(now)

    def finish_webhook_delivery(
        self,
        delivery_id: int,
        status: str,
        *,
        error: str | None = None,
        retry_at: datetime | None = None,
        now: datetime | None = None,
    ) -> None:
        calls = OutboxCalls(self._tx, integration.DELIVERIES)
        calls.finish(delivery_id, status, error, retry_at, now)

    def webhook_deliveries(self, status: str | None = None) -> list[WebhookDelivery]:
        """`failed` ones are the dead letters."""
        return self._tx.read(lambda conn: integration.listed(conn, status))

    def retry_failed_webhooks(
        self, delivery_id: int | None = None, now: datetime | None = None
    ) -> int:
        return OutboxCalls(self._tx, integration.DELIVERIES).retry_failed(delivery_id, now)
