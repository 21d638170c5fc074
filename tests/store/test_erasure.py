from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy import MetaData, select
from sqlalchemy.engine import Engine

from bot.errors import ContactNotFound
from bot.store import Contact, ErasureReceipt, Identity, ProfileStore, erase_conversations
from bot.store.schema import erasure_log
from tests.store.conftest import NOW, at
from tests.store.rasa_tracker import add_tracker_events, tracker_rows, user_event

SALT = "pepper-for-tests"
ADA = {
    "name": "Ada Lovelace",
    "email": "ada@example.com",
    "phone": "+4915112345678",
    "company": "Analytical Engines Ltd",
    "need": "A difference engine for our ledgers",
}


@dataclass(frozen=True)
class People:
    ada: Contact
    grace: Contact
    merged_id: str


def consent_of(store: ProfileStore, contact_id: str, recognized_text: str) -> None:
    store.consent.record(
        contact_id,
        "sms",
        True,
        channel="voice",
        wording="Say yes if we may text you.",
        wording_version="ivr-1",
        source="voice",
        evidence={"call_id": "CA-ada", "recognized_text": recognized_text},
        now=at(6),
    )


def make_people(store: ProfileStore) -> People:
    """Ada with every kind of data and a contact merged into her; Grace beside her."""
    ada = store.leads.update_fields("web", "sess-ada", ADA, "sess-ada", now=NOW)
    merged = store.leads.update_fields(
        "whatsapp", "wa-ada", {"role": "Countess"}, "wa-1", now=at(1)
    )
    store.leads.update_fields("whatsapp", "wa-ada", {"phone": ADA["phone"]}, "wa-1", now=at(2))
    store.contacts.link_identity(ada.id, "sms", ADA["phone"], now=at(3))
    store.contacts.link_identity(ada.id, "telegram", "ada-tg-77", now=at(4))
    store.contacts.record_event(ada.id, "note", {"text": "Ada Lovelace called back"}, now=at(5))
    consent_of(store, ada.id, "yes text me, this is Ada Lovelace")
    store.consent.block_contact(ada.id, "email", "withdrawn", "Ada Lovelace asked", now=at(7))
    store.privacy.record_audit("staff:7", "view_profile", ada.id, {"fields": 5}, now=at(8))
    grace = store.leads.update_fields(
        "telegram", "grace-tg", {"name": "Grace Hopper", "email": "grace@navy.mil"}, "g", now=NOW
    )
    consent_of(store, grace.id, "yes")
    return People(store.contacts.get(ada.id), grace, merged.id)


def ada_secrets() -> list[str]:
    return [*ADA.values(), "Lovelace", "Countess", "wa-ada", "ada-tg-77", "sess-ada"]


def tables_holding(engine: Engine, secrets: list[str]) -> dict[str, list[str]]:
    """Every table of the database, every row, stringified: which secrets appear where."""
    reflected = MetaData()
    reflected.reflect(bind=engine)
    found: dict[str, list[str]] = {}
    with engine.connect() as conn:
        for table in reflected.sorted_tables:
            dump = " ".join(str(tuple(row)) for row in conn.execute(select(table))).lower()
            hits = [secret for secret in secrets if secret.lower() in dump]
            if hits:
                found[table.name] = hits
    return found


def test_erase_contact_returns_what_lives_elsewhere(store: ProfileStore) -> None:
    people = make_people(store)
    receipt = store.privacy.erase(people.merged_id, SALT, now=at(60))
    assert receipt == ErasureReceipt(
        contact_id=people.ada.id,
        conversation_ids=("sess-ada", "wa-1"),
        identities=(
            Identity("web", "sess-ada"),
            Identity("whatsapp", "wa-ada"),
            Identity("sms", ADA["phone"]),
            Identity("telegram", "ada-tg-77"),
        ),
        suppressed=2,
    )
    assert sorted(store.privacy.pending_tracker_erasures()) == sorted(
        ["sess-ada", "wa-1", "wa-ada", ADA["phone"], "ada-tg-77"]
    )


def test_erase_contact_leaves_no_personal_data_in_any_table(
    store: ProfileStore, engine: Engine, tracker_url: str
) -> None:
    people = make_people(store)
    grace_export = store.privacy.export(people.grace.id)
    tracker_before = [
        user_event(sender_id, float(i), f"hi from {sender_id}")
        for i, sender_id in enumerate(["sess-ada", "grace-tg", "wa-1", ADA["phone"], "g"])
    ]
    add_tracker_events(tracker_url, tracker_before)

    store.privacy.erase(people.ada.id, SALT, now=at(60))
    # Until Rasa's tracker store has been cleaned, the queue needs the raw sender ids.
    assert tables_holding(engine, ada_secrets()) == {
        "pending_tracker_erasures": [ADA["phone"], "wa-ada", "ada-tg-77", "sess-ada"]
    }
    pending = store.privacy.pending_tracker_erasures()
    assert erase_conversations(tracker_url, pending) == 3
    store.privacy.clear_tracker_erasure(pending)

    assert tables_holding(engine, ada_secrets()) == {}
    assert tracker_rows(tracker_url) == [
        (row["sender_id"], row["data"])
        for row in tracker_before
        if row["sender_id"] in ("grace-tg", "g")
    ]
    assert store.privacy.export(people.grace.id) == grace_export


def test_erase_contact_removes_the_contact_and_its_aliases(store: ProfileStore) -> None:
    people = make_people(store)
    store.privacy.erase(people.ada.id, SALT, now=at(60))
    for key in (people.ada.id, people.merged_id, ADA["email"], ADA["phone"]):
        assert store.contacts.find(key) is None
    assert store.contacts.for_identity("sms", ADA["phone"]) is None
    assert store.contacts.count() == 1
    with pytest.raises(ContactNotFound):
        store.consent.history(people.ada.id)


def test_erase_contact_logs_without_personal_data(store: ProfileStore, engine: Engine) -> None:
    people = make_people(store)
    store.privacy.erase(people.ada.id, SALT, now=at(60))
    with engine.connect() as conn:
        rows = conn.execute(select(erasure_log)).mappings().all()
    assert [dict(row) for row in rows] == [
        {"id": rows[0]["id"], "contact_id": people.ada.id, "identity_count": 4, "erased_at": at(60)}
    ]
    assert [entry.target for entry in store.privacy.audit_entries()] == [people.ada.id]


def test_is_suppressed_matches_email_in_any_case_and_phone(store: ProfileStore) -> None:
    people = make_people(store)
    store.privacy.erase(people.ada.id, SALT, now=at(60))
    assert store.privacy.is_suppressed(email="ADA@Example.com", salt=SALT)
    assert store.privacy.is_suppressed(email=" ada@example.com ", salt=SALT)
    assert store.privacy.is_suppressed(phone=ADA["phone"], salt=SALT)
    assert store.privacy.is_suppressed(phone="+49 151 1234-5678", salt=SALT)
    assert store.privacy.is_suppressed(email="someone@else.io", phone=ADA["phone"], salt=SALT)
    assert not store.privacy.is_suppressed(email="grace@navy.mil", salt=SALT)
    assert not store.privacy.is_suppressed(phone="+4915112345679", salt=SALT)
    assert not store.privacy.is_suppressed(email=ADA["email"], salt="another salt")
    assert not store.privacy.is_suppressed(salt=SALT)


def test_erase_contact_same_email_twice_suppresses_once(store: ProfileStore) -> None:
    first = store.leads.update_fields("web", "a", {"email": "x@y.io"}, "a", now=NOW)
    store.privacy.erase(first.id, SALT, now=at(1))
    second = store.leads.update_fields("web", "b", {"email": "x@y.io"}, "b", now=at(2))
    assert store.privacy.erase(second.id, SALT, now=at(3)).suppressed == 1
    assert store.privacy.is_suppressed(email="x@y.io", salt=SALT)


def test_erase_contact_needs_a_salt_and_a_contact(store: ProfileStore) -> None:
    contact = store.contacts.ensure("web", "s1", now=NOW)
    with pytest.raises(ValueError, match="salt"):
        store.privacy.erase(contact.id, "")
    with pytest.raises(ContactNotFound):
        store.privacy.erase("nope", SALT)
    assert store.contacts.count() == 1


def test_delete_contact_deletes_without_suppressing(store: ProfileStore) -> None:
    contact = store.leads.update_fields("web", "s1", {"email": "x@y.io"}, "c1", now=NOW)
    receipt = store.privacy.delete(contact.id, now=at(1))
    assert (receipt.conversation_ids, receipt.suppressed) == (("c1",), 0)
    assert store.contacts.find(contact.id) is None
    assert not store.privacy.is_suppressed(email="x@y.io", salt=SALT)
    assert sorted(store.privacy.pending_tracker_erasures()) == ["c1", "s1"]


def test_tracker_erasure_queue_is_idempotent_and_ordered(store: ProfileStore) -> None:
    store.privacy.queue_tracker_erasure(["b", "a", "b"], now=at(2))
    store.privacy.queue_tracker_erasure(["c", "a"], now=at(1))
    assert store.privacy.pending_tracker_erasures() == ["c", "a", "b"]
    assert store.privacy.pending_tracker_erasures(queued_before=at(2)) == ["c"]
    store.privacy.clear_tracker_erasure(["a", "zzz"])
    store.privacy.clear_tracker_erasure([])
    assert store.privacy.pending_tracker_erasures() == ["c", "b"]
