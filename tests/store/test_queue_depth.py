"""What the worker reports as queue depth: outbox sends and webhook deliveries due now."""

from __future__ import annotations

from datetime import timedelta

from bot.store import ProfileStore
from tests.store.conftest import NOW, at


def _queued(store: ProfileStore, phone: str, campaign: str = "welcome") -> None:
    contact = store.leads.update_fields("sms", phone, {"phone": phone}, phone, now=NOW)
    enrollment = store.campaigns.enroll(campaign, contact.id, "manual", NOW)
    assert enrollment is not None
    store.campaigns.queue_send(enrollment, "hello", "main", ["sms"], NOW)


def test_due_sends_count_pending_and_expired_claims_only(store: ProfileStore) -> None:
    for n in range(3):
        _queued(store, f"+1415555010{n}")
    assert store.outbox.count_due_sends(at(-1)) == 0  # not due yet
    assert store.outbox.count_due_sends(NOW) == 3
    [claimed] = store.outbox.claim_due_sends(["welcome"], NOW, limit=1)
    assert store.outbox.count_due_sends(NOW) == 2
    assert store.outbox.count_due_sends(NOW + timedelta(minutes=10)) == 3  # its lease ran out
    assert store.outbox.start_send(claimed, "sms", NOW)
    assert store.outbox.count_due_sends(NOW + timedelta(minutes=10)) == 2  # sending is not waiting


def test_due_sends_leave_out_paused_campaigns(store: ProfileStore) -> None:
    _queued(store, "+14155550111", campaign="welcome")
    _queued(store, "+14155550112", campaign="nurture")
    store.campaigns.set_paused("nurture", True, NOW)
    assert store.outbox.count_due_sends(NOW) == 1


def test_due_webhook_deliveries_count_what_would_be_claimed(store: ProfileStore) -> None:
    store.integrations.subscribe_webhook(
        "https://hooks.example.test/a", ["lead.captured"], "s" * 32, now=NOW
    )
    assert store.outbox.count_due_webhooks(NOW) == 0
    for n in range(2):
        contact = store.leads.update_fields("web", f"w{n}", {"name": "Ada"}, f"w{n}", now=NOW)
        store.leads.set_status(contact.id, "captured", f"w{n}", now=NOW)
    assert store.outbox.count_due_webhooks(NOW) == 2
    [taken] = store.outbox.claim_due_webhooks(NOW, limit=1)
    assert store.outbox.count_due_webhooks(NOW) == 1
    store.outbox.finish_webhook(taken.id, "delivered", now=NOW)
    assert store.outbox.count_due_webhooks(NOW + timedelta(hours=1)) == 1
