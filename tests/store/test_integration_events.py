"""Integration events are written with the change they report, and fan out to the
subscriptions that want them."""

from __future__ import annotations

from bot.store import ProfileStore
from tests.store.conftest import NOW, at

EVERYTHING = [
    "lead.captured", "lead.qualified", "consent.changed", "contact.merged", "contact.erased",
    "campaign.replied", "handoff.requested",
]  # fmt: skip


def _types(store: ProfileStore) -> list[str]:
    return [d.type for d in store.outbox.webhook_deliveries()]


def _grant(store: ProfileStore, contact_id: str, granted: bool = True) -> None:
    store.consent.record(
        contact_id,
        "email",
        granted,
        channel="web",
        wording="Email me?",
        wording_version="v1",
        source="conversation",
        evidence={"conversation_id": "c"},
        now=NOW,
    )


def test_each_change_emits_its_event_to_subscribers(store: ProfileStore) -> None:
    store.integrations.subscribe_webhook(
        "https://hooks.example.test/a", EVERYTHING, "s" * 32, now=NOW
    )
    contact = store.leads.update_fields(
        "web", "w1", {"name": "Ada", "email": "ada@acme.io"}, "w1", now=NOW
    )
    store.leads.set_status(contact.id, "captured", "w1", now=at(1))
    store.leads.set_status(contact.id, "confirmed", "w1", now=at(2))  # not captured twice
    _grant(store, contact.id)
    store.leads.save_score(
        contact.id,
        score=80,
        grade="A",
        stage="sql",
        rubric_version="r",
        model_version=None,
        explanation=[],
        now=at(3),
    )
    store.leads.request_handoff(
        contact.id,
        conversation_id="w1",
        channel="web",
        reason="asked",
        transcript=[],
        outbox=[],
        now=at(4),
    )
    other = store.leads.update_fields(
        "sms", "+14155550199", {"phone": "+14155550199"}, "s", now=at(5)
    )
    store.leads.update_fields("sms", "+14155550199", {"email": "ada@acme.io"}, "s", now=at(6))
    assert _types(store) == [
        "lead.captured",
        "consent.changed",
        "lead.qualified",
        "handoff.requested",
        "contact.merged",
    ]
    captured = store.outbox.webhook_deliveries()[0]
    assert captured.data["email"] == "ada@acme.io" and captured.data["contact_id"] == contact.id
    merged = store.outbox.webhook_deliveries()[-1]
    assert merged.data == {"contact_id": contact.id, "merged_id": other.id}


def test_a_subscriber_gets_only_the_types_it_asked_for(store: ProfileStore) -> None:
    store.integrations.subscribe_webhook(
        "https://hooks.example.test/consent", ["consent.changed"], "s" * 32
    )
    contact = store.contacts.ensure("web", "w2", now=NOW)
    store.leads.set_status(contact.id, "captured", "w2", now=NOW)
    _grant(store, contact.id)
    _grant(store, contact.id, granted=False)
    assert [d.data["granted"] for d in store.outbox.webhook_deliveries()] == [True, False]


def test_without_subscribers_nothing_is_queued(store: ProfileStore) -> None:
    contact = store.contacts.ensure("web", "w3", now=NOW)
    _grant(store, contact.id)
    assert store.outbox.webhook_deliveries() == []


def test_events_of_someone_erased_go_with_them_and_erasure_is_reported(
    store: ProfileStore,
) -> None:
    store.integrations.subscribe_webhook(
        "https://hooks.example.test/a", EVERYTHING, "s" * 32, now=NOW
    )
    contact = store.leads.update_fields("web", "w4", {"email": "gone@acme.io"}, "w4", now=NOW)
    store.leads.set_status(contact.id, "captured", "w4", now=at(1))
    store.privacy.erase(contact.id, salt="x" * 32, now=at(2))
    [left] = store.outbox.webhook_deliveries()
    assert (left.type, left.data) == ("contact.erased", {"contact_id": contact.id})


def test_stopped_subscription_gets_no_new_events(store: ProfileStore) -> None:
    sub = store.integrations.subscribe_webhook("https://hooks.example.test/a", EVERYTHING, "s" * 32)
    assert store.integrations.unsubscribe_webhook(sub.id)
    assert not store.integrations.unsubscribe_webhook(sub.id)
    contact = store.contacts.ensure("web", "w5", now=NOW)
    _grant(store, contact.id)
    assert store.outbox.webhook_deliveries() == []
    assert [s.active for s in store.integrations.webhook_subscriptions()] == [False]
