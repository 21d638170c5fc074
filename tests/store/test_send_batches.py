"""Campaign sends marked `sending` and finished a batch at a time: only the claims that
still hold change, each kind of result is recorded as one send at a time would be."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from bot.store import CampaignSend, ProfileStore, SendOutcome
from tests.store.conftest import NOW, at

LEASE = timedelta(minutes=2)


def _queued(store: ProfileStore, count: int) -> None:
    for n in range(count):
        phone = f"+1415555{n:04d}"
        contact = store.leads.update_fields("sms", phone, {"phone": phone}, phone, now=NOW)
        enrollment = store.campaigns.enroll("welcome", contact.id, "manual", NOW)
        assert enrollment is not None
        store.campaigns.queue_send(enrollment, "hello", "main", ["sms"], NOW)


def _by_id(store: ProfileStore) -> dict[int, CampaignSend]:
    return {s.id: s for s in store.campaigns.sends("welcome")}


def test_start_sends_marks_only_the_claims_that_still_hold(store: ProfileStore) -> None:
    _queued(store, 3)
    lost = store.outbox.claim_due_sends(["welcome"], NOW, lease=LEASE, limit=1)
    retaken = store.outbox.claim_due_sends(["welcome"], at(121), lease=LEASE, limit=3)
    assert lost[0].id in {s.id for s in retaken}
    claims = [(s, "sms") for s in [*lost, *retaken]]
    started = store.outbox.start_sends(claims, at(122))
    assert started == {s.id for s in retaken}
    assert store.outbox.start_sends(claims, at(123)) == set()  # never handed over twice
    rows = _by_id(store)
    assert {(r.status, r.channel, r.attempts) for r in rows.values()} == {("sending", "sms", 1)}


def test_finish_sends_records_each_kind_of_result_in_one_batch(store: ProfileStore) -> None:
    _queued(store, 4)
    claimed = store.outbox.claim_due_sends(["welcome"], NOW, lease=LEASE, limit=4)
    assert len(store.outbox.start_sends([(s, "sms") for s in claimed], NOW)) == 4
    sent, retry, failed, lost = claimed
    outcomes = [
        SendOutcome(sent, "sent", None, "sms", "SM1"),
        SendOutcome(sent, "failed", "a second result for the same send", "sms"),
        SendOutcome(retry, "pending", "HTTP 503", "sms", retry_at=at(30)),
        SendOutcome(failed, "failed", "invalid number", "sms"),
        SendOutcome(replace(lost, claim_token="not-this-claim"), "sent", None, "sms", "SM4"),
    ]
    assert store.outbox.finish_sends(outcomes, at(1)) == 3
    rows = _by_id(store)
    assert (rows[sent.id].status, rows[sent.id].provider_message_id) == ("sent", "SM1")
    assert (rows[sent.id].sent_at, rows[sent.id].claim_token) == (at(1), None)
    assert (rows[retry.id].status, rows[retry.id].due_at) == ("pending", at(30))
    assert (rows[failed.id].status, rows[failed.id].reason) == ("failed", "invalid number")
    assert (rows[lost.id].status, rows[lost.id].provider_message_id) == ("sending", None)
    last_sent = {e.id: e.last_sent_at for e in store.campaigns.enrollments("welcome")}
    assert last_sent[sent.enrollment_id] == at(1)
    assert last_sent[retry.enrollment_id] is None


def test_finish_sends_twice_changes_nothing_the_second_time(store: ProfileStore) -> None:
    _queued(store, 2)
    claimed = store.outbox.claim_due_sends(["welcome"], NOW, lease=LEASE, limit=2)
    store.outbox.start_sends([(s, "sms") for s in claimed], NOW)
    outcomes = [SendOutcome(s, "sent", None, "sms", f"SM{s.id}") for s in claimed]
    assert store.outbox.finish_sends(outcomes, at(1)) == 2
    assert store.outbox.finish_sends(outcomes, at(2)) == 0
    assert {s.sent_at for s in _by_id(store).values()} == {at(1)}
