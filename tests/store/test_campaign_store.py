"""The store's campaign side: tags, enrollments and outbox rows through merges and
exports, and inbound activity that only moves forward."""

from __future__ import annotations

from bot.store import ProfileStore
from tests.store.conftest import NOW, at


def _enrolled(store: ProfileStore, external_id: str, phone: str, when: float = 0) -> str:
    contact = store.leads.update_fields(
        "sms", external_id, {"phone": phone}, external_id, now=at(when)
    )
    enrollment = store.campaigns.enroll("welcome", contact.id, "manual", NOW)
    assert enrollment is not None
    store.campaigns.queue_send(enrollment, "hello", "main", ["sms"], NOW)
    return contact.id


def test_merge_keeps_one_enrollment_per_campaign_and_every_send(store: ProfileStore) -> None:
    older = _enrolled(store, "+14155550101", "+14155550101")
    newer = _enrolled(store, "+14155550102", "+14155550102", when=1)
    store.campaigns.enroll("nurture", newer, "manual", NOW)
    store.campaigns.tag_contact(older, "vip", NOW)
    store.campaigns.tag_contact(newer, "vip", NOW)
    store.campaigns.tag_contact(newer, "webinar", NOW)
    survivor = store.contacts.link_identity(older, "sms", "+14155550102", now=at(2))
    assert survivor.id == older
    enrollments = store.campaigns.enrollments(contact_id=older)
    assert sorted(e.campaign for e in enrollments) == ["nurture", "welcome"]
    welcome = next(e for e in enrollments if e.campaign == "welcome")
    sends = store.campaigns.sends(contact_id=older)
    assert len(sends) == 2 and {s.enrollment_id for s in sends} == {welcome.id}
    assert store.campaigns.tags_of(older) == ["vip", "webinar"]


def test_enroll_twice_is_refused(store: ProfileStore) -> None:
    contact = _enrolled(store, "+14155550103", "+14155550103")
    assert store.campaigns.enroll("welcome", contact, "manual", at(5)) is None
    assert len(store.campaigns.enrollments("welcome")) == 1


def test_queue_send_is_once_per_enrollment_step_and_variant(store: ProfileStore) -> None:
    contact = _enrolled(store, "+14155550104", "+14155550104")
    [enrollment] = store.campaigns.enrollments("welcome", contact)
    assert not store.campaigns.queue_send(enrollment, "hello", "main", ["sms"], at(1))
    assert store.campaigns.queue_send(enrollment, "hello", "b", ["sms"], at(1))
    assert [s.send_key for s in store.campaigns.sends("welcome")] == [
        f"{enrollment.id}:hello:main",
        f"{enrollment.id}:hello:b",
    ]


def test_export_lists_tags_and_campaign_messages(store: ProfileStore) -> None:
    contact = _enrolled(store, "+14155550105", "+14155550105")
    store.campaigns.tag_contact(contact, "vip", NOW)
    [send] = store.outbox.claim_due_sends(["welcome"], NOW)
    assert store.outbox.start_send(send, "sms", NOW)
    assert store.outbox.finish_send(
        send, status="sent", channel="sms", provider_message_id="SM1", now=at(1)
    )
    exported = store.privacy.export(contact)
    assert exported["tags"] == ["vip"]
    assert exported["campaign_messages"] == [
        {"campaign": "welcome", "step": "hello", "variant": "main", "channel": "sms",
         "status": "sent", "reason": None, "sent_at": at(1).isoformat()},
    ]  # fmt: skip


def test_erasure_takes_enrollments_and_sends_with_it(store: ProfileStore) -> None:
    contact = _enrolled(store, "+14155550106", "+14155550106")
    store.privacy.erase(contact, salt="s" * 32, now=at(1))
    assert store.campaigns.enrollments("welcome") == []
    assert store.campaigns.sends("welcome") == []


def test_inbound_activity_only_moves_forward(store: ProfileStore) -> None:
    contact = store.contacts.ensure("telegram", "77", now=NOW)
    store.campaigns.record_inbound("telegram", "77", at(10))
    store.campaigns.record_inbound("telegram", "77", at(5))  # a late, out-of-order delivery
    assert store.campaigns.contact_snapshot(contact.id, at(20)).last_inbound == {"telegram": at(10)}
