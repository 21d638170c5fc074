"""`store.outbox`: the leased outboxes (`bot.store.outbox`) worked the same way: campaign
sends, handoff and booking deliveries, event webhook deliveries. Each is claimed, finished
and counted by calls named alike: `claim_due_X`, `finish_X`, `count_due_X`,
`retry_failed_X`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from bot.store import campaigns, handoffs, integration, outbox, reads
from bot.store.checks import check_json, utc
from bot.store.records import CampaignSend, Delivery, SendOutcome, WebhookDelivery
from bot.store.transactions import Transactions
from bot.types import ContactId


class OutboxPart:
    def __init__(self, tx: Transactions) -> None:
        self._tx = tx

    # ------------------------------------------------------------------ campaign sends

    def claim_due_sends(
        self,
        campaign_names: Sequence[str],
        now: datetime,
        lease: timedelta = timedelta(minutes=2),
        limit: int = 50,
    ) -> list[CampaignSend]:
        at = utc(now)
        return self._tx.write(
            lambda conn: campaigns.claim_sends(conn, campaign_names, at, lease, limit)
        )

    def start_send(self, send: CampaignSend, channel: str, now: datetime) -> bool:
        """Commit to handing the send to a provider; False if the claim was lost."""
        token, at = send.claim_token or "", utc(now)
        return self._tx.write(lambda conn: campaigns.start_send(conn, send.id, token, channel, at))

    def start_sends(self, claims: Sequence[tuple[CampaignSend, str]], now: datetime) -> set[int]:
        """`start_send` for each (send, channel) in one transaction: the ids whose claim
        still held, now committed as handed to the provider."""
        at = utc(now)
        rows = [(send.id, send.claim_token or "", channel) for send, channel in claims]
        return self._tx.write(lambda conn: campaigns.start_sends(conn, rows, at))

    def finish_sends(self, outcomes: Sequence[SendOutcome], now: datetime) -> int:
        """`finish_send` for each, in one transaction; how many claims still held."""
        at = utc(now)
        utc_outcomes = [
            o if o.retry_at is None else replace(o, retry_at=utc(o.retry_at)) for o in outcomes
        ]
        return self._tx.write(lambda conn: campaigns.finish_sends(conn, utc_outcomes, at))

    def finish_send(
        self,
        send: CampaignSend,
        *,
        status: str,
        reason: str | None = None,
        channel: str | None = None,
        provider_message_id: str | None = None,
        retry_at: datetime | None = None,
        now: datetime,
    ) -> bool:
        token, at = send.claim_token or "", utc(now)
        retry = None if retry_at is None else utc(retry_at)
        return self._tx.write(
            lambda conn: campaigns.finish_send(
                conn, send.id, token, status=status, reason=reason, channel=channel,
                provider_message_id=provider_message_id, retry_at=retry, now=at,
            )
        )  # fmt: skip

    def count_due_sends(self, now: datetime) -> int:
        """How many outbox sends are due and unclaimed: the worker's backlog."""
        at = utc(now)
        return self._tx.read(lambda conn: campaigns.count_due_sends(conn, at))

    def reap_abandoned_sends(self, now: datetime, lease: timedelta = timedelta(minutes=2)) -> int:
        at = utc(now)
        return self._tx.write(lambda conn: campaigns.reap_abandoned(conn, at, lease))

    # ------------------------------------------------------------------ handoff deliveries

    def enqueue_delivery(
        self,
        contact_id: ContactId,
        kind: str,
        payload: Mapping[str, Any],
        now: datetime | None = None,
    ) -> str:
        check_json(payload)
        at = utc(now)
        return self._tx.write(
            lambda conn: handoffs.enqueue(
                conn, reads.require_id(conn, contact_id), kind, payload, at
            )
        )

    def claim_due_deliveries(
        self, now: datetime, lease: timedelta = timedelta(minutes=2), limit: int = 20
    ) -> list[Delivery]:
        """Due deliveries leased to the caller; a crashed sender's lease runs out and the
        delivery is claimed again."""
        return self._tx.write(lambda conn: handoffs.claim_due(conn, utc(now), lease, limit))

    def finish_delivery(
        self,
        delivery_id: int,
        status: str,
        *,
        error: str | None = None,
        retry_at: datetime | None = None,
        now: datetime | None = None,
    ) -> None:
        self._finish(handoffs.DELIVERIES, delivery_id, status, error, retry_at, now)

    def count_due_deliveries(self, now: datetime) -> int:
        """How many handoff and booking deliveries are waiting to go out now."""
        return self._count_due(handoffs.DELIVERIES, now)

    def retry_failed_deliveries(
        self, delivery_id: int | None = None, now: datetime | None = None
    ) -> int:
        return self._retry_failed(handoffs.DELIVERIES, delivery_id, now)

    def deliveries(self, status: str | None = None) -> list[Delivery]:
        return self._tx.read(lambda conn: handoffs.list_deliveries(conn, status))

    # ------------------------------------------------------------------ webhook deliveries

    def claim_due_webhooks(
        self, now: datetime, lease: timedelta = timedelta(minutes=2), limit: int = 50
    ) -> list[WebhookDelivery]:
        at = utc(now)
        return self._tx.write(lambda conn: integration.claim(conn, at, lease, limit))

    def finish_webhook(
        self,
        delivery_id: int,
        status: str,
        *,
        error: str | None = None,
        retry_at: datetime | None = None,
        now: datetime | None = None,
    ) -> None:
        self._finish(integration.DELIVERIES, delivery_id, status, error, retry_at, now)

    def count_due_webhooks(self, now: datetime) -> int:
        """How many webhook deliveries are waiting to go out now."""
        return self._count_due(integration.DELIVERIES, now)

    def retry_failed_webhooks(
        self, delivery_id: int | None = None, now: datetime | None = None
    ) -> int:
        return self._retry_failed(integration.DELIVERIES, delivery_id, now)

    def webhook_deliveries(self, status: str | None = None) -> list[WebhookDelivery]:
        """`failed` ones are the dead letters."""
        return self._tx.read(lambda conn: integration.listed(conn, status))

    # ------------------------------------------------------------------ any outbox

    def _count_due(self, box: outbox.Outbox, now: datetime) -> int:
        at = utc(now)
        return self._tx.read(lambda conn: outbox.count_due(conn, box, at))

    def _finish(
        self,
        box: outbox.Outbox,
        row_id: int,
        status: str,
        error: str | None,
        retry_at: datetime | None,
        now: datetime | None,
    ) -> None:
        at, retry = utc(now), None if retry_at is None else utc(retry_at)
        self._tx.write(
            lambda conn: outbox.finish(
                conn, box, row_id, status, error=error, retry_at=retry, now=at
            )
        )

    def _retry_failed(self, box: outbox.Outbox, row_id: int | None, now: datetime | None) -> int:
        at = utc(now)
        return self._tx.write(lambda conn: outbox.retry_failed(conn, box, row_id, at))
