from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest

from bot.errors import ContactNotFound
from bot.store import Identity, ProfileStore
from tests.store.conftest import NOW, at


def test_ensure_contact_creates_contact_with_identity(store: ProfileStore) -> None:
    contact = store.contacts.ensure("telegram", "4242", now=NOW)
    assert contact.channels == (Identity("telegram", "4242"),)
    assert (contact.lead_status, contact.created_at, contact.updated_at) == ("new", NOW, NOW)
    assert len(contact.id) == 32


def test_ensure_contact_returns_the_known_contact(store: ProfileStore) -> None:
    first = store.contacts.ensure("web", "session-1", now=NOW)
    again = store.contacts.ensure("web", "session-1", now=at(60))
    assert again == first
    assert store.contacts.count() == 1


def test_ensure_contact_records_creation_on_timeline(store: ProfileStore) -> None:
    contact = store.contacts.ensure("sms", "+15550100", now=NOW)
    events = [(e.kind, e.data, e.occurred_at) for e in store.contacts.timeline(contact.id)]
    assert events == [
        ("contact_created", {}, NOW),
        ("identity_linked", {"channel": "sms", "external_id": "+15550100"}, NOW),
    ]


def test_contact_for_identity_finds_only_that_channel(store: ProfileStore) -> None:
    contact = store.contacts.ensure("telegram", "77", now=NOW)
    assert store.contacts.for_identity("telegram", "77") == contact
    assert store.contacts.for_identity("sms", "77") is None


def test_get_contact_unknown_raises_contact_not_found(store: ProfileStore) -> None:
    with pytest.raises(ContactNotFound) as caught:
        store.contacts.get("nope")
    assert caught.value.key == "nope"


def test_find_contact_by_id_email_any_case_and_phone_with_spacing(
    store: ProfileStore,
) -> None:
    contact = store.leads.update_fields(
        "web", "s1", {"email": "ada@example.com", "phone": "+4915112345678"}, "s1", now=NOW
    )
    for key in (contact.id, "Ada@Example.COM", " ada@example.com ", "+49 151 1234-5678"):
        found = store.contacts.find(key)
        assert found is not None and found.id == contact.id, key
    assert store.contacts.find("+4915112345679") is None
    assert store.contacts.find("") is None


def test_list_contacts_orders_by_creation_and_pages(store: ProfileStore) -> None:
    ids = [store.contacts.ensure("web", f"s{i}", now=at(-i)).id for i in range(5)]
    oldest_first = list(reversed(ids))
    assert [c.id for c in store.contacts.page()] == oldest_first
    assert [c.id for c in store.contacts.page(limit=2, offset=1)] == oldest_first[1:3]
    assert store.contacts.count() == 5


def test_iter_contacts_walks_every_contact_in_batches(store: ProfileStore) -> None:
    ids = {store.contacts.ensure("web", f"s{i}", now=at(i // 2)).id for i in range(7)}
    walked = [c.id for c in store.contacts.iterate(batch=2)]
    assert walked == [c.id for c in store.contacts.page()]
    assert set(walked) == ids


def test_contact_to_export_has_the_public_keys_and_iso_times(store: ProfileStore) -> None:
    store.leads.update_fields("telegram", "9", {"name": "Ada"}, "9", now=NOW)
    exported = store.contacts.ensure("telegram", "9").to_export()
    assert list(exported) == [
        "id", "name", "email", "phone", "company", "role", "need",
        "channels", "lead_status", "created_at", "updated_at", "fields",
    ]  # fmt: skip
    assert exported["channels"] == [{"channel": "telegram", "external_id": "9"}]
    assert exported["created_at"] == "2024-05-01T12:00:00+00:00"
    assert datetime.fromisoformat(exported["updated_at"]) == NOW
    assert json.loads(json.dumps(exported)) == exported


def test_contact_times_round_trip_as_aware_utc(store: ProfileStore) -> None:
    berlin = timezone(timedelta(hours=2))
    given = datetime(2024, 5, 1, 14, 0, 0, 123456, tzinfo=berlin)
    contact = store.contacts.ensure("web", "tz", now=given)
    assert contact.created_at == given
    assert contact.created_at.tzinfo == timezone.utc
    assert contact.created_at.hour == 12 and contact.created_at.microsecond == 123456


def test_ensure_contact_rejects_naive_now(store: ProfileStore) -> None:
    with pytest.raises(ValueError, match="naive"):
        store.contacts.ensure("web", "naive", now=datetime(2024, 5, 1, 12))


AWKWARD_TEXT = [
    "Zoë 🚀👩‍💻 — “quoted” ☃",
    "<script>alert('x')</script><b>bold</b> &amp;",
    "Robert'); DROP TABLE contacts;-- \" OR 1=1 -- %s %(x)s ?",
    "line one\nline two\r\n\ttabbed \\ backslash",
    "x" * 10_000 + "ü" * 240,
]


@pytest.mark.parametrize("value", AWKWARD_TEXT, ids=["emoji", "html", "sql", "control", "10k"])
def test_stored_text_round_trips_exactly(store: ProfileStore, value: str) -> None:
    fields = {"name": value, "company": value, "need": value}
    contact = store.leads.update_fields("web", value[:200], fields, value[:200], now=NOW)
    again = store.contacts.get(contact.id)
    assert (again.name, again.company, again.need) == (value, value, value)
    assert again.channels == (Identity("web", value[:200]),)
    assert [a.value for a in store.leads.for_contact(contact.id)[0].answers] == [value] * 3
    event = store.contacts.record_event(
        contact.id, "note", {"text": value, "n": [1, None]}, now=NOW
    )
    assert store.contacts.timeline(contact.id)[-1] == event
    assert event.data == {"text": value, "n": [1, None]}


def test_record_event_unknown_contact_raises_contact_not_found(store: ProfileStore) -> None:
    with pytest.raises(ContactNotFound):
        store.contacts.record_event("nope", "note", {}, now=NOW)


def test_record_event_rejects_data_that_is_not_json(store: ProfileStore) -> None:
    contact = store.contacts.ensure("web", "s1", now=NOW)
    with pytest.raises(ValueError):
        store.contacts.record_event(contact.id, "note", {"x": float("nan")}, now=NOW)
    with pytest.raises(TypeError):
        store.contacts.record_event(contact.id, "note", {"x": {1, 2}}, now=NOW)
