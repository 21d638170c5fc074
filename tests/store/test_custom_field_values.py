"""Custom lead field values (#19) in the profile store, on SQLite and PostgreSQL: saved,
read, changed with their timeline trace, refused whole when one is bad, kept by merges,
exported to the person, and gone with an erasure or a retention purge."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine

from bot.errors import ContactNotFound, InvalidField
from bot.store import ProfileStore
from bot.store.schema import custom_field_values
from tests.store.conftest import NOW, at
from tests.store.test_erasure import SALT, tables_holding


def _kinds(store: ProfileStore, contact_id: str) -> list[tuple[str, dict[str, object]]]:
    return [(e.kind, e.data) for e in store.contacts.timeline(contact_id)]


def test_custom_fields_are_saved_and_read_sorted_by_name(store: ProfileStore) -> None:
    contact = store.contacts.ensure("web", "s1", now=NOW)
    store.leads.set_custom_fields(
        contact.id, {"team_size": "40", "heard_from": "search"}, channel="web",
        conversation_id="s1", now=at(1),
    )  # fmt: skip
    assert list(store.leads.custom_fields(contact.id).items()) == [
        ("heard_from", "search"),
        ("team_size", "40"),
    ]
    again = store.contacts.get(contact.id)
    assert again.fields == {"heard_from": "search", "team_size": "40"}
    assert again.to_export()["fields"] == {"heard_from": "search", "team_size": "40"}
    assert again.updated_at == at(1)


def test_a_changed_custom_field_is_one_timeline_event_and_the_same_value_none(
    store: ProfileStore,
) -> None:
    contact = store.contacts.ensure("sms", "+15550100", now=NOW)
    store.leads.set_custom_fields(contact.id, {"heard_from": "search"}, channel="sms", now=at(1))
    store.leads.set_custom_fields(
        contact.id, {"heard_from": "friend"}, channel="staff", conversation_id="c9", now=at(2)
    )
    store.leads.set_custom_fields(contact.id, {"heard_from": "friend"}, channel="web", now=at(3))
    changes = [data for kind, data in _kinds(store, contact.id) if kind == "custom_field_changed"]
    assert changes == [
        {"field": "heard_from", "old": None, "new": "search", "channel": "sms",
         "conversation_id": None},
        {"field": "heard_from", "old": "search", "new": "friend", "channel": "staff",
         "conversation_id": "c9"},
    ]  # fmt: skip
    assert store.contacts.get(contact.id).updated_at == at(2)


@pytest.mark.parametrize(
    ("values", "field", "reason"),
    [
        ({"heard_from": "search", "Bad Name": "x"}, "Bad Name", "well-formed"),
        ({"heard_from": "search", "email": "a@b.io"}, "email", "well-formed"),
        ({"heard_from": "search", "notes": "   "}, "notes", "empty"),
        ({"heard_from": "search", "notes": "x" * 2001}, "notes", "longer than 2000"),
        ({"heard_from": "search", "notes": "a\x00b"}, "notes", "NUL"),
    ],
)
def test_a_bad_custom_value_is_refused_and_nothing_is_written(
    store: ProfileStore, values: dict[str, str], field: str, reason: str
) -> None:
    contact = store.contacts.ensure("web", "s1", now=NOW)
    before = store.contacts.timeline(contact.id)
    with pytest.raises(InvalidField, match=reason) as caught:
        store.leads.set_custom_fields(contact.id, values, channel="web", now=at(1))
    assert caught.value.field == field
    assert store.leads.custom_fields(contact.id) == {}
    assert store.contacts.timeline(contact.id) == before
    assert store.contacts.get(contact.id).updated_at == NOW


def test_custom_fields_need_a_known_contact_and_channel(store: ProfileStore) -> None:
    with pytest.raises(ContactNotFound):
        store.leads.set_custom_fields("nobody", {"heard_from": "search"}, channel="web")
    with pytest.raises(ContactNotFound):
        store.leads.custom_fields("nobody")
    contact = store.contacts.ensure("web", "s1", now=NOW)
    with pytest.raises(ValueError, match="channel"):
        store.leads.set_custom_fields(contact.id, {"a": "b"}, channel="pigeon")  # type: ignore[arg-type]


def test_clear_custom_field_forgets_one_value_with_its_trace(store: ProfileStore) -> None:
    contact = store.contacts.ensure("web", "s1", now=NOW)
    store.leads.set_custom_fields(
        contact.id, {"heard_from": "search", "team_size": "4"}, channel="web", now=at(1)
    )
    assert store.leads.clear_custom_field(contact.id, "heard_from", now=at(2)) is True
    assert store.leads.clear_custom_field(contact.id, "heard_from", now=at(3)) is False
    assert store.leads.custom_fields(contact.id) == {"team_size": "4"}
    last = store.contacts.timeline(contact.id)[-1]
    assert (last.kind, last.data["old"], last.data["new"]) == (
        "custom_field_changed",
        "search",
        None,
    )
    assert store.contacts.get(contact.id).updated_at == at(2)


def test_custom_field_names_lists_every_stored_name_once(store: ProfileStore) -> None:
    one = store.contacts.ensure("web", "s1", now=NOW)
    two = store.contacts.ensure("web", "s2", now=NOW)
    store.leads.set_custom_fields(one.id, {"b_field": "x", "a_field": "y"}, channel="web")
    store.leads.set_custom_fields(two.id, {"b_field": "z"}, channel="web")
    assert store.leads.custom_field_names() == ["a_field", "b_field"]


def test_a_merge_keeps_the_survivors_values_and_takes_the_others(store: ProfileStore) -> None:
    older = store.leads.update_fields("web", "s1", {"email": "ada@x.io"}, "s1", now=NOW)
    newer = store.contacts.ensure("telegram", "42", now=at(1))
    store.leads.set_custom_fields(older.id, {"heard_from": "search"}, channel="web", now=at(2))
    store.leads.set_custom_fields(
        newer.id, {"heard_from": "event", "team_size": "12"}, channel="telegram", now=at(3)
    )
    merged = store.leads.update_fields("telegram", "42", {"email": "ada@x.io"}, "t", now=at(4))
    assert merged.id == older.id
    assert merged.fields == {"heard_from": "search", "team_size": "12"}
    assert store.leads.custom_fields(newer.id) == merged.fields


def test_the_privacy_export_carries_each_value_with_where_and_when(store: ProfileStore) -> None:
    contact = store.contacts.ensure("voice", "call-1", now=NOW)
    store.leads.set_custom_fields(
        contact.id, {"heard_from": "friend"}, channel="voice", conversation_id="call-1",
        now=at(5),
    )  # fmt: skip
    exported = store.privacy.export(contact.id)
    assert exported["custom_fields"] == [
        {"field": "heard_from", "value": "friend", "channel": "voice",
         "conversation_id": "call-1", "updated_at": at(5).isoformat()},
    ]  # fmt: skip
    assert exported["profile"]["fields"] == {"heard_from": "friend"}


def test_erasure_and_a_retention_purge_delete_the_values(
    store: ProfileStore, engine: Engine
) -> None:
    erased = store.contacts.ensure("web", "s1", now=NOW)
    purged = store.contacts.ensure("web", "s2", now=NOW)
    kept = store.contacts.ensure("web", "s3", now=NOW)
    for contact, secret in ((erased, "Zanzibar"), (purged, "Timbuktu"), (kept, "Ottawa")):
        store.leads.set_custom_fields(contact.id, {"city_note": secret}, channel="web", now=NOW)
    store.privacy.erase(erased.id, SALT, now=at(60))
    store.privacy.delete(purged.id, now=at(60))
    assert tables_holding(engine, ["Zanzibar", "Timbuktu", "Ottawa"]) == {
        "custom_field_values": ["Ottawa"],
        "timeline_events": ["Ottawa"],
    }
    with engine.connect() as conn:
        owners = conn.execute(select(custom_field_values.c.contact_id)).scalars().all()
    assert owners == [kept.id]
