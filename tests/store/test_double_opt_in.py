"""A grant for an unproven address is on record but sends nothing until confirmed (#17)."""

from __future__ import annotations

from bot.segments import Consent
from bot.store import ProfileStore
from tests.store.conftest import at
from tests.store.test_consent import grant


def _visitor(store: ProfileStore) -> str:
    return store.contacts.record_stated_details("web", "w1", {"email": "new@example.com"}, "w1").id


def test_an_unproven_email_needs_confirmation_a_proven_one_does_not(store: ProfileStore) -> None:
    visitor = _visitor(store)
    assert store.consent.needs_confirmation(visitor, "email")
    assert not store.consent.needs_confirmation(visitor, "telegram")
    proven = store.contacts.verify_detail("web", "w2", "email", "mine@example.com", "site_token")
    assert not store.consent.needs_confirmation(proven.id, "email")


def test_a_number_texted_from_is_proven_for_sms(store: ProfileStore) -> None:
    texter = store.leads.update_fields("sms", "+15550001234", {"phone": "+15550001234"}, "s1")
    assert not store.consent.needs_confirmation(texter.id, "sms")
    typed = store.contacts.record_stated_details("web", "w3", {"phone": "+15550009999"}, "w3")
    assert store.consent.needs_confirmation(typed.id, "sms")


def test_a_pending_grant_is_in_the_ledger_but_not_in_force(store: ProfileStore) -> None:
    visitor = _visitor(store)
    event = grant(store, visitor, "email", pending=True, now=at(1))
    assert event.granted and event.pending and not event.in_force
    assert not store.consent.is_granted(visitor, "email")
    assert [e.id for e in store.consent.pending_grants(visitor)] == [event.id]
    assert not store.campaigns.contact_snapshot(visitor, at(2)).granted("email")
    assert not store.campaigns.in_segment(visitor, Consent("email"), at(2))
    assert store.consent.history(visitor)[0].to_export()["pending"] is True


def test_a_confirmation_puts_the_grant_in_force_and_keeps_both_steps(
    store: ProfileStore,
) -> None:
    visitor = _visitor(store)
    store.consent.block_contact(visitor, "email", "withdrawn", now=at(0))
    pending = grant(store, visitor, "email", pending=True, now=at(1))
    confirmed = store.consent.confirm(pending.id, "email_link", {"user_agent": "x"}, now=at(2))
    assert confirmed is not None and confirmed.in_force and confirmed.source == "confirmation"
    assert confirmed.evidence["confirms_event"] == str(pending.id)
    assert [e.id for e in store.consent.history(visitor)] == [pending.id, confirmed.id]
    assert store.consent.is_granted(visitor, "email") and store.campaigns.in_segment(
        visitor, Consent("email"), at(3)
    )
    assert not store.consent.is_do_not_contact(visitor, "email")
    assert store.contacts.is_detail_verified(visitor, "email")
    assert store.consent.pending_grants(visitor) == []


def test_a_withdrawn_or_confirmed_grant_cannot_be_confirmed_again(store: ProfileStore) -> None:
    visitor = _visitor(store)
    first = grant(store, visitor, "email", pending=True, now=at(1))
    grant(store, visitor, "email", granted=False, now=at(2))
    assert store.consent.confirm(first.id, "email_link", {}, now=at(3)) is None
    assert not store.consent.is_granted(visitor, "email")
    second = grant(store, visitor, "email", pending=True, now=at(4))
    assert store.consent.confirm(second.id, "email_link", {}, now=at(5)) is not None
    assert store.consent.confirm(second.id, "email_link", {}, now=at(6)) is None
    assert len(store.consent.history(visitor)) == 4
    assert store.consent.confirm(10**9, "email_link", {}) is None


def test_a_withdrawal_is_never_pending(store: ProfileStore) -> None:
    visitor = _visitor(store)
    event = grant(store, visitor, "email", granted=False, pending=True, now=at(1))
    assert not event.pending


def test_a_texter_who_typed_no_number_is_proven_one_who_typed_another_is_not(
    store: ProfileStore,
) -> None:
    texter = store.contacts.ensure("sms", "+15550004321")
    assert not store.consent.needs_confirmation(texter.id, "sms")
    other = store.contacts.record_stated_details(
        "sms", "+15550004322", {"phone": "+15550009876"}, "s2"
    )
    assert store.consent.needs_confirmation(other.id, "sms")
