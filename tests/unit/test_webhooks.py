"""Outbound webhooks to a real receiver on loopback: signatures it can verify, retries
with backoff, dead letters after the last try, and `parley webhooks retry`."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from bot import webhooks
from bot.delivery import DeliveryReport
from bot.handoff import verify
from bot.store import ProfileStore, upgrade

NOW = datetime(2026, 3, 3, 12, 0, tzinfo=timezone.utc)
SECRET = "webhook-test-secret-0123456789abcdef"


@dataclass
class Receiver:
    url: str
    script: list[int] = field(default_factory=list)  # statuses to answer, then 200
    seen: list[tuple[dict[str, str], bytes]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    state = Receiver(f"http://127.0.0.1:{server.server_address[1]}/events")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            with state.lock:
                state.seen.append((dict(self.headers), body))
                status = state.script.pop(0) if state.script else 200
            self.send_response(status)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            return None

    server.RequestHandlerClass = Handler
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield state
    server.shutdown()
    server.server_close()


@pytest.fixture
def store(tmp_path: Path) -> Iterator[ProfileStore]:
    url = f"sqlite:///{tmp_path / 'parley.db'}"
    upgrade(url)
    profile_store = ProfileStore.from_url(url)
    yield profile_store
    profile_store.dispose()


def _relay(store: ProfileStore, at: datetime) -> DeliveryReport:
    # The receiver is on loopback, which subscriptions may reach only when allowed.
    return webhooks.deliver_due(store, at, allow_private=True)


def _capture(store: ProfileStore, receiver: Receiver, external_id: str = "w1") -> str:
    store.integrations.subscribe_webhook(receiver.url, ["lead.captured"], SECRET, now=NOW)
    contact = store.leads.update_fields("web", external_id, {"name": "Ada"}, external_id, now=NOW)
    store.leads.set_status(contact.id, "captured", external_id, now=NOW)
    return contact.id


def test_delivery_is_signed_and_carries_the_event_id(
    store: ProfileStore, receiver: Receiver
) -> None:
    contact_id = _capture(store, receiver)
    assert _relay(store, NOW).delivered == 1
    [(headers, body)] = receiver.seen
    event = json.loads(body)
    assert event["type"] == "lead.captured" and event["data"]["contact_id"] == contact_id
    assert headers["X-Parley-Event-Id"] == event["id"]
    assert verify(SECRET, headers["X-Parley-Signature"], body, datetime.now(timezone.utc))
    assert not verify(
        "another-secret", headers["X-Parley-Signature"], body, datetime.now(timezone.utc)
    )
    # A replay more than five minutes later is refused by the receiver's check.
    later = datetime.now(timezone.utc) + timedelta(minutes=6)
    assert not verify(SECRET, headers["X-Parley-Signature"], body, later)
    assert _relay(store, NOW + timedelta(hours=1)).delivered == 0


def test_server_errors_retry_with_backoff_until_delivered(
    store: ProfileStore, receiver: Receiver
) -> None:
    _capture(store, receiver)
    receiver.script = [500, 503]
    assert _relay(store, NOW).retrying == 1
    assert _relay(store, NOW).retrying == 0  # not due yet
    [pending] = store.outbox.webhook_deliveries("pending")
    assert NOW + timedelta(seconds=30) <= pending.next_attempt_at <= NOW + timedelta(seconds=36)
    _relay(store, pending.next_attempt_at)
    [pending] = store.outbox.webhook_deliveries("pending")
    assert _relay(store, pending.next_attempt_at).delivered == 1
    ids = {json.loads(body)["id"] for _, body in receiver.seen}
    assert len(receiver.seen) == 3 and len(ids) == 1  # one event, redelivered: same id


def test_last_failure_is_a_dead_letter_until_retried(
    store: ProfileStore, receiver: Receiver
) -> None:
    _capture(store, receiver)
    receiver.script = [500] * webhooks.MAX_ATTEMPTS
    at = NOW
    for _ in range(webhooks.MAX_ATTEMPTS):
        _relay(store, at)
        at += timedelta(hours=2)
    [dead] = store.outbox.webhook_deliveries("failed")
    assert dead.attempts == webhooks.MAX_ATTEMPTS and dead.last_error.startswith("HTTP 500")
    assert store.outbox.retry_failed_webhooks(now=at) == 1
    assert _relay(store, at).delivered == 1
    assert store.outbox.webhook_deliveries("failed") == []


def test_a_client_error_is_not_retried(store: ProfileStore, receiver: Receiver) -> None:
    _capture(store, receiver)
    receiver.script = [404]
    assert _relay(store, NOW).failed == 1
    assert store.outbox.webhook_deliveries("failed")[0].last_error == "HTTP 404: "


def test_an_unreachable_receiver_is_retried(store: ProfileStore) -> None:
    store.integrations.subscribe_webhook(
        "http://127.0.0.1:9/nothing", ["lead.captured"], SECRET, now=NOW
    )
    contact = store.contacts.ensure("web", "w9", now=NOW)
    store.leads.set_status(contact.id, "captured", "w9", now=NOW)
    assert _relay(store, NOW).retrying == 1


@pytest.mark.parametrize(
    ("url", "events"),
    [
        ("ftp://example.test/x", ["lead.captured"]),
        ("https://example.test/x", ["lead.exploded"]),
        ("https://example.test/x", []),
    ],
)
def test_bad_subscriptions_are_refused(url: str, events: list[str]) -> None:
    from bot.errors import InvalidField

    with pytest.raises(InvalidField):
        webhooks.check_subscription(url, events, allow_private=True)


def test_a_recorded_outcome_reaches_subscribers_as_a_signed_lead_outcome(
    store: ProfileStore, receiver: Receiver
) -> None:
    store.integrations.subscribe_webhook(receiver.url, ["lead.outcome"], SECRET, now=NOW)
    contact = store.leads.update_fields("web", "w1", {"name": "Ada"}, "w1", now=NOW)
    store.leads.record_outcome(
        contact.id, "won", source="api", recorded_by="api-token:t1", value="4200",
        currency="GBP", reason="renewed", now=NOW,
    )  # fmt: skip
    receiver.script = [503]  # the receiver is down: the event waits in the outbox
    assert _relay(store, NOW).retrying == 1
    [pending] = store.outbox.webhook_deliveries("pending")
    assert _relay(store, pending.next_attempt_at).delivered == 1
    (_, first), (headers, body) = receiver.seen
    event = json.loads(body)
    assert first == body and event["type"] == "lead.outcome"
    assert verify(SECRET, headers["X-Parley-Signature"], body, datetime.now(timezone.utc))
    assert {k: event["data"][k] for k in ("contact_id", "outcome", "value", "currency")} == {
        "contact_id": contact.id, "outcome": "won", "value": "4200.00", "currency": "GBP",
    }  # fmt: skip
    assert event["data"]["reason"] == "renewed" and event["data"]["previous_outcome"] is None
