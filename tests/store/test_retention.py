from __future__ import annotations

from bot.store import ProfileStore
from bot.types import Purpose
from tests.store.conftest import NOW, at

CUTOFF = at(100)


def consent(
    store: ProfileStore, contact_id: str, purpose: Purpose, granted: bool, when: float
) -> None:
    store.consent.record(
        contact_id,
        purpose,
        granted,
        channel="web",
        wording=f"May we contact you by {purpose}?",
        wording_version="v1",
        source="conversation",
        evidence={},
        now=at(when),
    )


def test_contacts_for_purge_finds_stale_contacts_without_consent(store: ProfileStore) -> None:
    def new(name: str) -> str:
        return store.contacts.ensure("web", name, now=NOW).id

    silent, granted, withdrawn, late_withdrawal = new("a"), new("b"), new("c"), new("d")
    late_event, late_change, mixed, tie = new("e"), new("f"), new("g"), new("h")
    consent(store, granted, "email", True, 10)
    consent(store, withdrawn, "email", True, 10)
    consent(store, withdrawn, "email", False, 20)
    consent(store, late_withdrawal, "sms", False, 200)
    store.contacts.record_event(late_event, "note", {"text": "called"}, now=at(150))
    store.leads.update_fields("web", "f", {"company": "Acme"}, "f", now=at(150))
    consent(store, mixed, "email", True, 10)
    consent(store, mixed, "email", False, 20)
    consent(store, mixed, "profiling", True, 30)
    consent(store, tie, "email", True, 40)
    consent(store, tie, "email", False, 40)

    assert set(store.privacy.contacts_for_purge(CUTOFF)) == {silent, withdrawn, tie}
    assert late_change not in store.privacy.contacts_for_purge(CUTOFF)
    assert store.privacy.contacts_for_purge(NOW) == []


def test_contacts_for_purge_at_the_cutoff_instant_is_recent(store: ProfileStore) -> None:
    contact = store.contacts.ensure("web", "a", now=CUTOFF)
    assert store.privacy.contacts_for_purge(CUTOFF) == []
    assert store.privacy.contacts_for_purge(at(101)) == [contact.id]
