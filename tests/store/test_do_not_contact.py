from __future__ import annotations

import pytest
from sqlalchemy import insert
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from bot.errors import ContactNotFound
from bot.store import DoNotContact, ProfileStore
from bot.store.schema import do_not_contact
from tests.store.conftest import NOW, at


def test_block_contact_records_an_active_entry(store: ProfileStore) -> None:
    contact = store.contacts.ensure("sms", "+15550100", now=NOW)
    entry = store.consent.block_contact(contact.id, "sms", "withdrawn", "replied STOP", now=at(1))
    assert entry == DoNotContact(
        entry.id, contact.id, "sms", "withdrawn", "replied STOP", at(1), None
    )
    assert entry.active
    assert store.consent.do_not_contact(contact.id) == [entry]
    assert store.consent.is_do_not_contact(contact.id, "sms")
    assert not store.consent.is_do_not_contact(contact.id, "email")


def test_block_contact_twice_returns_the_active_entry(store: ProfileStore) -> None:
    contact = store.contacts.ensure("web", "s1", now=NOW)
    first = store.consent.block_contact(contact.id, "email", "withdrawn", now=at(1))
    again = store.consent.block_contact(contact.id, "email", "undeliverable", "bounced", now=at(2))
    assert again == first
    assert store.consent.do_not_contact(contact.id) == [first]


def test_lift_block_lifts_once(store: ProfileStore) -> None:
    contact = store.contacts.ensure("web", "s1", now=NOW)
    store.consent.block_contact(contact.id, "email", "withdrawn", now=at(1))
    assert store.consent.lift_block(contact.id, "email", now=at(2))
    assert not store.consent.lift_block(contact.id, "email", now=at(3))
    assert not store.consent.is_do_not_contact(contact.id, "email")
    assert store.consent.do_not_contact(contact.id) == []


def test_block_contact_after_lifting_opens_a_new_entry(store: ProfileStore) -> None:
    contact = store.contacts.ensure("web", "s1", now=NOW)
    first = store.consent.block_contact(contact.id, "whatsapp", "blocked", now=at(1))
    store.consent.lift_block(contact.id, "whatsapp", now=at(2))
    second = store.consent.block_contact(
        contact.id, "whatsapp", "staff", "asked by phone", now=at(3)
    )
    assert second.id != first.id
    assert store.consent.do_not_contact(contact.id) == [second]
    exported = store.privacy.export(contact.id)["do_not_contact"]
    assert [(e["reason"], e["lifted_at"]) for e in exported] == [
        ("blocked", at(2).isoformat()),
        ("staff", None),
    ]


def test_do_not_contact_is_per_channel(store: ProfileStore) -> None:
    contact = store.contacts.ensure("web", "s1", now=NOW)
    sms = store.consent.block_contact(contact.id, "sms", "carrier_block", now=at(1))
    phone = store.consent.block_contact(contact.id, "phone", "withdrawn", now=at(2))
    store.consent.lift_block(contact.id, "sms", now=at(3))
    assert store.consent.do_not_contact(contact.id) == [phone]
    assert sms.channel == "sms"


def test_block_contact_rejects_unknown_channel_and_reason(store: ProfileStore) -> None:
    contact = store.contacts.ensure("web", "s1", now=NOW)
    with pytest.raises(ValueError, match="channel"):
        store.consent.block_contact(contact.id, "fax", "withdrawn")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="reason"):
        store.consent.block_contact(contact.id, "sms", "bored")  # type: ignore[arg-type]
    with pytest.raises(ContactNotFound):
        store.consent.block_contact("nope", "sms", "withdrawn")


def test_database_allows_one_active_entry_per_channel(store: ProfileStore, engine: Engine) -> None:
    contact = store.contacts.ensure("web", "s1", now=NOW)
    store.consent.block_contact(contact.id, "sms", "withdrawn", now=at(1))
    row = {"contact_id": contact.id, "channel": "sms", "reason": "staff", "note": ""}
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(insert(do_not_contact).values(**row, added_at=at(2)))
    with engine.begin() as conn:
        conn.execute(insert(do_not_contact).values(**row, added_at=at(2), lifted_at=at(3)))


def test_merge_moves_do_not_contact_keeping_one_active_per_channel(store: ProfileStore) -> None:
    older = store.leads.update_fields("web", "s1", {"phone": "+15550100"}, "s1", now=NOW)
    newer = store.contacts.ensure("sms", "+15550100", now=at(1))
    kept = store.consent.block_contact(older.id, "sms", "withdrawn", now=at(2))
    store.consent.block_contact(newer.id, "sms", "carrier_block", now=at(3))
    moved = store.consent.block_contact(newer.id, "email", "undeliverable", now=at(4))
    store.leads.update_fields("sms", "+15550100", {"phone": "+15550100"}, "p1", now=at(5))
    assert store.contacts.get(newer.id).id == older.id
    active = store.consent.do_not_contact(older.id)
    assert [(e.id, e.channel, e.contact_id) for e in active] == [
        (kept.id, "sms", older.id),
        (moved.id, "email", older.id),
    ]
    history = store.privacy.export(older.id)["do_not_contact"]
    assert [(e["reason"], e["lifted_at"]) for e in history] == [
        ("withdrawn", None),
        ("carrier_block", at(5).isoformat()),
        ("undeliverable", None),
    ]
