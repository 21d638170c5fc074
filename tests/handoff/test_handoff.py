"""Handoffs delivered to a real signed-webhook receiver and a real SMTP server."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from bot.errors import InvalidSetting
from bot.handoff import deliver_due, request_handoff, sign, transcript_from_events, verify
from bot.office_hours import OfficeHours, parse_week
from bot.settings import OfficeHoursSettings, Settings, load_settings
from bot.store import Contact, ProfileStore
from tests.handoff.conftest import SECRET, Inbox, Receiver

NOW = datetime.now(timezone.utc).replace(microsecond=0)
EVENTS = [
    {"event": "user", "text": "/human_handoff", "timestamp": NOW.timestamp() - 60,
     "metadata": {"original_text": "can I talk to a person?"}},
    {"event": "bot", "text": "I'll pass this to a person.", "timestamp": NOW.timestamp() - 59},
    {"event": "slot", "name": "x", "value": 1},
]  # fmt: skip


def _lead(store: ProfileStore) -> Contact:
    contact = store.leads.update_fields(
        "web",
        "conv-1",
        {"name": "Dana Reyes", "email": "dana@acme.io", "company": "Acme"},
        "conv-1",
    )
    store.leads.record_qualification(
        contact.id, {"budget": "over_50k"}, channel="web", conversation_id="conv-1"
    )
    return contact


def _request(
    store: ProfileStore, settings: Settings, conversation: str = "conv-1"
) -> tuple[str, bool]:
    return request_handoff(
        store,
        settings,
        contact=_lead(store),
        conversation_id=conversation,
        channel="web",
        reason="asked for a person",
        transcript=transcript_from_events(EVENTS),
        now=NOW,
    )


def test_transcript_keeps_words_in_order_and_what_the_person_typed() -> None:
    turns = transcript_from_events(EVENTS)
    assert [(t["who"], t["text"]) for t in turns] == [
        ("person", "can I talk to a person?"),
        ("bot", "I'll pass this to a person."),
    ]


def test_handoff_reaches_the_webhook_signed_and_sales_by_email(
    store: ProfileStore, settings: Settings, receiver: Receiver, smtp: tuple[Inbox, int]
) -> None:
    _, new = _request(store, settings)
    assert new
    report = deliver_due(store, settings, NOW)
    assert (report.delivered, report.retrying, report.failed) == (2, 0, 0)
    (event,) = receiver.received
    assert receiver.rejected == 0
    assert event["type"] == "handoff.requested" and event["reason"] == "asked for a person"
    assert event["contact"]["email"] == "dana@acme.io"
    assert event["contact"]["qualification"] == {"budget": "over_50k"}
    assert event["transcript"][0]["text"] == "can I talk to a person?"
    # No office hours set: the team is always open, a person answers at once.
    assert (event["out_of_hours"], event["team"]) == (False, "default")
    assert event["reply_due_at"] == event["requested_at"]
    (mail,) = smtp[0].messages
    assert mail["To"] == "sales@acme.test" and "Dana Reyes" in mail["Subject"]
    body = mail.get_payload(decode=True).decode()
    assert "can I talk to a person?" in body and "budget: over_50k" in body
    assert "1 Main St" in body  # the sender's postal address
    kinds = [e.kind for e in store.contacts.timeline(event["contact"]["id"])]
    assert "handoff_requested" in kinds
    assert deliver_due(store, settings, NOW + timedelta(hours=1)).delivered == 0  # nothing twice


def test_outside_office_hours_the_handoff_says_when_the_reply_is_due(
    store: ProfileStore, settings: Settings, receiver: Receiver, smtp: tuple[Inbox, int]
) -> None:
    week = OfficeHours("Europe/London", parse_week("mon-fri 09:00-17:30"))
    after_hours = replace(settings, office_hours=OfficeHoursSettings(default=week))
    saturday = datetime(2026, 12, 5, 12, 0, tzinfo=timezone.utc)
    monday_nine = datetime(2026, 12, 7, 9, 0, tzinfo=timezone.utc)  # GMT in December
    contact = _lead(store)
    _, new = request_handoff(
        store, after_hours, contact=contact, conversation_id="conv-1", channel="web",
        reason="asked for a person", transcript=[], now=saturday,
    )  # fmt: skip
    assert new and deliver_due(store, after_hours, saturday).delivered == 2
    (event,) = receiver.received
    assert (event["out_of_hours"], event["team"]) == (True, "default")
    assert event["reply_due_at"] == monday_nine.isoformat()
    (mail,) = smtp[0].messages
    assert "out of hours" in mail["Subject"]
    body = mail.get_payload(decode=True).decode()
    assert (
        "outside office hours" in body and "Monday 07 December 2026 at 09:00 (London time)" in body
    )
    (record,) = store.privacy.export(contact.id)["handoffs"]
    assert (record["out_of_hours"], record["reply_due_at"]) == (True, monday_nine.isoformat())
    noted = [e for e in store.contacts.timeline(contact.id) if e.kind == "handoff_requested"]
    assert noted[0].data["reply_due_at"] == monday_nine.isoformat()
    # Within the hours nothing changes: a person answers at once.
    monday_ten = monday_nine + timedelta(hours=1)
    _, new = request_handoff(
        store, after_hours, contact=contact, conversation_id="conv-2", channel="web",
        reason="asked for a person", transcript=[], now=monday_ten,
    )  # fmt: skip
    assert new and deliver_due(store, after_hours, monday_ten).delivered == 2
    assert receiver.received[1]["out_of_hours"] is False
    assert receiver.received[1]["reply_due_at"] == monday_ten.isoformat()


def test_a_repeated_request_is_the_same_handoff(store: ProfileStore, settings: Settings) -> None:
    first, _ = _request(store, settings)
    again, new = _request(store, settings)
    assert (again, new) == (first, False)
    assert len(store.outbox.deliveries()) == 2


def test_server_errors_are_retried_with_backoff(
    store: ProfileStore, settings: Settings, receiver: Receiver
) -> None:
    receiver.script = [500, 503]
    _request(store, settings)
    assert deliver_due(store, settings, NOW).retrying == 1
    assert deliver_due(store, settings, NOW).delivered == 0  # not due yet: backing off
    (webhook,) = [d for d in store.outbox.deliveries() if d.kind == "handoff_webhook"]
    assert webhook.status == "pending" and "HTTP 500" in (webhook.last_error or "")
    assert timedelta(seconds=30) <= webhook.next_attempt_at - NOW <= timedelta(seconds=36)
    assert deliver_due(store, settings, NOW + timedelta(minutes=1)).retrying == 1
    assert deliver_due(store, settings, NOW + timedelta(minutes=5)).delivered == 1
    assert len(receiver.received) == 1


def test_server_errors_fail_for_good_after_the_last_attempt(
    store: ProfileStore, tmp_path: Path, environ: dict[str, str], receiver: Receiver
) -> None:
    more = {**environ, "PARLEY_HANDOFF_MAX_ATTEMPTS": "2"}
    limited = load_settings(environ=more, dotenv=tmp_path / "none.env")
    receiver.script = [500, 500]
    _request(store, limited)
    assert deliver_due(store, limited, NOW).retrying == 1
    assert deliver_due(store, limited, NOW + timedelta(minutes=5)).failed == 1
    (dead,) = [d for d in store.outbox.deliveries("failed") if d.kind == "handoff_webhook"]
    assert dead.attempts == 2 and "HTTP 500" in (dead.last_error or "")
    assert deliver_due(store, limited, NOW + timedelta(hours=2)).delivered == 0


def test_a_refusal_fails_for_good_stays_visible_and_can_be_retried(
    store: ProfileStore, settings: Settings, receiver: Receiver
) -> None:
    receiver.script = [400]
    _request(store, settings)
    assert deliver_due(store, settings, NOW).failed == 1
    (failed,) = store.outbox.deliveries("failed")
    assert "HTTP 400" in (failed.last_error or "")
    assert store.outbox.retry_failed_deliveries(failed.id, now=NOW) == 1
    assert deliver_due(store, settings, NOW).delivered == 1


def test_an_unreachable_receiver_is_retried(
    store: ProfileStore, tmp_path: Path, settings: Settings
) -> None:
    moved = load_settings(
        environ={"PARLEY_DATA_DIR": str(tmp_path), "PARLEY_HANDOFF_URL": "http://127.0.0.1:9/x",
                 "PARLEY_HANDOFF_SECRET": SECRET},
        dotenv=tmp_path / "none.env",
    )  # fmt: skip
    _request(store, moved)
    assert deliver_due(store, moved, NOW).retrying == 1


def test_two_dispatchers_deliver_each_handoff_once(
    store: ProfileStore, settings: Settings, receiver: Receiver, smtp: tuple[Inbox, int]
) -> None:
    for n in range(5):
        _request(store, settings, conversation=f"conv-{n}")
    threads = [threading.Thread(target=deliver_due, args=(store, settings, NOW)) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(receiver.received) == 5 and len(smtp[0].messages) == 5
    assert {d.status for d in store.outbox.deliveries()} == {"delivered"}


def test_receivers_can_check_signatures_and_reject_replays() -> None:
    body = b'{"a": 1}'
    header = sign(SECRET, int(NOW.timestamp()), body)
    assert verify(SECRET, header, body, NOW)
    assert not verify(SECRET, header, body + b" ", NOW)
    assert not verify("another-secret-entirely", header, body, NOW)
    assert not verify(SECRET, header, body, NOW + timedelta(minutes=6))


def test_a_handoff_url_needs_a_secret(tmp_path: Path) -> None:
    with pytest.raises(InvalidSetting, match="PARLEY_HANDOFF_SECRET"):
        load_settings(
            environ={
                "PARLEY_DATA_DIR": str(tmp_path),
                "PARLEY_HANDOFF_URL": "https://crm.example/h",
            },
            dotenv=tmp_path / "none.env",
        )


def test_erasure_removes_handoffs_and_their_deliveries(
    store: ProfileStore, settings: Settings
) -> None:
    _request(store, settings)
    contact = store.contacts.find("dana@acme.io")
    assert contact is not None
    store.privacy.erase(contact.id, salt="pepper")
    assert store.outbox.deliveries() == []
