"""The one leased outbox behind campaign sends, handoff deliveries and event webhooks."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy.engine import Engine

from bot.store import ProfileStore, outbox, upgrade
from bot.store.handoffs import DELIVERIES
from tests.store.conftest import NOW, at, pg_engine

LEASE = timedelta(minutes=2)


def _deliveries(store: ProfileStore, count: int) -> list[str]:
    contact = store.leads.update_fields("web", "w1", {"email": "ada@acme.io"}, "w1", now=NOW)
    payload = {"to": "sales@acme.test", "subject": "s", "body": "b"}
    return [store.outbox.enqueue_delivery(contact.id, "email", payload, NOW) for _ in range(count)]


def _enrollment_send(store: ProfileStore) -> bool:
    contact = store.leads.update_fields(
        "sms", "+14155550100", {"phone": "+14155550100"}, "+14155550100", now=NOW
    )
    enrollment = store.campaigns.enroll("welcome", contact.id, "manual", NOW)
    assert enrollment is not None
    return store.campaigns.queue_send(enrollment, "hello", "main", ["sms"], NOW)


def test_outbox_lease_runs_out_and_the_row_is_claimed_again(store: ProfileStore) -> None:
    _deliveries(store, 1)
    [first] = store.outbox.claim_due_deliveries(NOW, lease=LEASE)
    assert store.outbox.claim_due_deliveries(at(60), lease=LEASE) == []  # still leased
    [again] = store.outbox.claim_due_deliveries(at(121), lease=LEASE)  # the claimer died
    assert again.id == first.id and (first.attempts, again.attempts) == (1, 2)
    assert store.outbox.count_due_deliveries(at(121)) == 0


def test_outbox_claim_token_of_a_lost_lease_changes_nothing(store: ProfileStore) -> None:
    _enrollment_send(store)
    [lost] = store.outbox.claim_due_sends(["welcome"], NOW, lease=LEASE)
    [taken] = store.outbox.claim_due_sends(["welcome"], at(121), lease=LEASE)
    assert taken.claim_token != lost.claim_token
    assert not store.outbox.start_send(lost, "sms", at(122))
    assert store.outbox.start_send(taken, "sms", at(122))


def test_outbox_retry_waits_for_its_time_and_failure_is_final_until_retried(
    store: ProfileStore,
) -> None:
    _deliveries(store, 1)
    [row] = store.outbox.claim_due_deliveries(NOW)
    store.outbox.finish_delivery(row.id, "pending", error="HTTP 503", retry_at=at(30), now=NOW)
    assert store.outbox.claim_due_deliveries(at(29)) == []
    [row] = store.outbox.claim_due_deliveries(at(30))
    store.outbox.finish_delivery(row.id, "failed", error="HTTP 400", now=at(30))
    assert store.outbox.claim_due_deliveries(at(3600)) == []
    [failed] = store.outbox.deliveries("failed")
    assert (failed.attempts, failed.last_error) == (2, "HTTP 400")
    assert store.outbox.retry_failed_deliveries(now=at(3600)) == 1
    [row] = store.outbox.claim_due_deliveries(at(3600))
    store.outbox.finish_delivery(row.id, "delivered", now=at(3600))
    [done] = store.outbox.deliveries("delivered")
    assert (done.attempts, done.delivered_at, done.last_error) == (1, at(3600), None)


def test_outbox_enqueue_is_idempotent_on_the_unique_key(
    store: ProfileStore, engine: Engine
) -> None:
    assert _enrollment_send(store)
    enrollment = store.campaigns.enrollments("welcome")[0]
    assert not store.campaigns.queue_send(enrollment, "hello", "main", ["sms"], NOW)
    assert len(store.campaigns.sends("welcome")) == 1
    [event_id] = _deliveries(store, 1)
    values = {"contact_id": enrollment.contact_id, "kind": "email", "payload": {}}
    with engine.begin() as conn:
        assert not outbox.enqueue(conn, DELIVERIES, {"event_id": event_id}, values, NOW)
    assert len(store.outbox.deliveries()) == 1


@pytest.mark.postgres
def test_outbox_two_claimers_on_postgres_take_each_row_once(pg_schema: str) -> None:
    store = ProfileStore(pg_engine(pg_schema))
    upgrade(store.engine)
    _deliveries(store, 120)
    taken: list[list[int]] = [[], []]
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def claimer(mine: list[int]) -> None:
        own = ProfileStore(pg_engine(pg_schema))  # its own pool, like another worker process
        try:
            own.outbox.count_due_deliveries(NOW)  # connected, so that both start claiming together
            start.wait(30)
            while batch := own.outbox.claim_due_deliveries(NOW, lease=LEASE, limit=7):
                mine.extend(d.id for d in batch)
        except BaseException as error:  # surfaced below: a thread's failure must fail the test
            errors.append(error)
        finally:
            own.dispose()

    threads = [threading.Thread(target=claimer, args=(mine,)) for mine in taken]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors, errors
    assert all(taken), "both claimers should have taken some"
    assert sorted(taken[0] + taken[1]) == sorted(d.id for d in store.outbox.deliveries())
    assert {d.attempts for d in store.outbox.deliveries()} == {1}
    store.dispose()
