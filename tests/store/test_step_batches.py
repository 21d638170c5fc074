"""A batch of `advance` written at once: enrollments claimed together, sends queued once
per (enrollment, step, variant), enrollments moved on in groups, replies still emitted."""

from __future__ import annotations

from datetime import timedelta

from bot.store import Enrollment, ProfileStore, Progress, QueuedSend
from tests.store.conftest import NOW, at

LEASE = timedelta(minutes=2)


def _enrolled(store: ProfileStore, count: int) -> list[Enrollment]:
    for n in range(count):
        phone = f"+1415555{n:04d}"
        contact = store.leads.update_fields("sms", phone, {"phone": phone}, phone, now=NOW)
        store.campaigns.enroll("welcome", contact.id, "manual", NOW)
    return store.campaigns.enrollments("welcome")


def test_claim_due_enrollments_leases_a_page_once(store: ProfileStore) -> None:
    _enrolled(store, 3)
    first = store.campaigns.claim_due_enrollments(["welcome"], NOW, lease=LEASE, limit=2)
    rest = store.campaigns.claim_due_enrollments(["welcome"], NOW, lease=LEASE, limit=5)
    assert (len(first), len(rest)) == (2, 1)
    assert not {e.id for e in first} & {e.id for e in rest}
    assert store.campaigns.claim_due_enrollments(["welcome"], at(60), lease=LEASE) == []
    again = store.campaigns.claim_due_enrollments(["welcome"], at(121), lease=LEASE)
    assert len(again) == 3  # the claimer died: every lease ran out


def test_save_steps_queues_each_send_once_and_moves_groups_on(store: ProfileStore) -> None:
    one, two, three = _enrolled(store, 3)
    store.campaigns.queue_send(one, "hello", "main", ["sms"], NOW)  # queued before
    sends = [QueuedSend(e, "hello", "main", ("sms",)) for e in (one, two, two, three)]
    moves = [
        Progress(one.id, 1, NOW, "completed"),
        Progress(two.id, 1, NOW, "completed"),
        Progress(three.id, 2, at(3600), "active"),
    ]
    store.campaigns.save_steps(sends, moves, at(1))
    keys = sorted(s.send_key for s in store.campaigns.sends("welcome"))
    assert keys == sorted(f"{e.id}:hello:main" for e in (one, two, three))
    found = {e.id: e for e in store.campaigns.enrollments("welcome")}
    assert (found[one.id].status, found[one.id].step) == ("completed", 1)
    assert (found[three.id].status, found[three.id].next_run_at) == ("active", at(3600))


def test_save_steps_still_reports_a_reply(store: ProfileStore) -> None:
    [enrollment] = _enrolled(store, 1)
    exited = Progress(enrollment.id, 0, NOW, "exited", "replied")
    store.campaigns.save_steps([], [exited], at(1))
    [found] = store.campaigns.enrollments("welcome")
    assert (found.status, found.exit_reason) == ("exited", "replied")
    events = store.integrations.events_after(0, ["campaign.replied"])
    assert [e.contact_id for e in events] == [enrollment.contact_id]
