from __future__ import annotations

import pytest

from bot.errors import ContactNotFound
from bot.store import LeadAnswer, ProfileStore
from tests.store.conftest import NOW, at


def kinds_and_data(store: ProfileStore, contact_id: str) -> list[tuple[str, object]]:
    return [(e.kind, e.data) for e in store.contacts.timeline(contact_id)]


def test_update_lead_fields_sets_fields_and_records_changes(store: ProfileStore) -> None:
    contact = store.leads.update_fields(
        "web", "s1", {"name": "Ada", "company": "Analytical"}, "conv-1", now=at(5)
    )
    assert (contact.name, contact.company, contact.lead_status) == ("Ada", "Analytical", "partial")
    assert contact.updated_at == at(5)
    assert kinds_and_data(store, contact.id)[2:] == [
        ("field_changed", {"field": "name", "old": None, "new": "Ada"}),
        ("field_changed", {"field": "company", "old": None, "new": "Analytical"}),
        ("lead_status_changed", {"old": "new", "new": "partial"}),
    ]


def test_update_lead_fields_records_old_value_on_change(store: ProfileStore) -> None:
    store.leads.update_fields("web", "s1", {"role": "CTO"}, "conv-1", now=NOW)
    contact = store.leads.update_fields("web", "s1", {"role": "CEO"}, "conv-1", now=at(1))
    assert contact.role == "CEO"
    assert kinds_and_data(store, contact.id)[-1] == (
        "field_changed",
        {"field": "role", "old": "CTO", "new": "CEO"},
    )


def test_update_lead_fields_unchanged_values_record_no_events(store: ProfileStore) -> None:
    first = store.leads.update_fields("web", "s1", {"name": "Ada"}, "conv-1", now=NOW)
    events_before = store.contacts.timeline(first.id)
    again = store.leads.update_fields("web", "s1", {"name": "Ada"}, "conv-1", now=at(60))
    assert store.contacts.timeline(first.id) == events_before
    assert again.updated_at == NOW


def test_update_lead_fields_appends_every_answer_to_one_lead(store: ProfileStore) -> None:
    store.leads.update_fields("telegram", "7", {"name": "Ada", "need": "CRM"}, "c1", now=NOW)
    contact = store.leads.update_fields("telegram", "7", {"name": "Ada"}, "c1", now=at(1))
    [lead] = store.leads.for_contact(contact.id)
    assert (lead.status, lead.channel, lead.conversation_id) == ("partial", "telegram", "c1")
    assert (lead.started_at, lead.updated_at) == (NOW, at(1))
    assert lead.answers == (
        LeadAnswer("name", "Ada", NOW),
        LeadAnswer("need", "CRM", NOW),
        LeadAnswer("name", "Ada", at(1)),
    )


def test_update_lead_fields_opens_one_lead_per_conversation(store: ProfileStore) -> None:
    store.leads.update_fields("web", "s1", {"name": "Ada"}, "conv-1", now=NOW)
    contact = store.leads.update_fields("web", "s1", {"need": "CRM"}, "conv-2", now=at(1))
    assert [lead.conversation_id for lead in store.leads.for_contact(contact.id)] == [
        "conv-1",
        "conv-2",
    ]


def test_update_lead_fields_without_fields_only_ensures_contact(store: ProfileStore) -> None:
    contact = store.leads.update_fields("web", "s1", {}, "conv-1", now=NOW)
    assert contact.lead_status == "new"
    assert store.leads.for_contact(contact.id) == []


def test_update_lead_fields_rejects_unknown_field(store: ProfileStore) -> None:
    with pytest.raises(ValueError, match="lead_status"):
        store.leads.update_fields("web", "s1", {"lead_status": "x"}, "c", now=NOW)  # type: ignore[dict-item]
    assert store.contacts.count() == 0


def test_set_lead_status_updates_contact_lead_and_timeline(store: ProfileStore) -> None:
    contact = store.leads.update_fields("web", "s1", {"email": "a@b.co"}, "conv-1", now=NOW)
    updated = store.leads.set_status(contact.id, "confirmed", "conv-1", now=at(9))
    assert (updated.lead_status, updated.updated_at) == ("confirmed", at(9))
    [lead] = store.leads.for_contact(contact.id)
    assert (lead.status, lead.updated_at) == ("confirmed", at(9))
    assert kinds_and_data(store, contact.id)[-1] == (
        "lead_status_changed",
        {"old": "partial", "new": "confirmed"},
    )


def test_set_lead_status_same_status_records_nothing(store: ProfileStore) -> None:
    contact = store.leads.update_fields("web", "s1", {"name": "Ada"}, "conv-1", now=NOW)
    events = store.contacts.timeline(contact.id)
    store.leads.set_status(contact.id, "partial", "conv-1", now=at(1))
    assert store.contacts.timeline(contact.id) == events


def test_set_lead_status_without_conversation_leaves_leads_alone(store: ProfileStore) -> None:
    contact = store.leads.update_fields("web", "s1", {"name": "Ada"}, "conv-1", now=NOW)
    assert store.leads.set_status(contact.id, "captured", now=at(1)).lead_status == "captured"
    assert [lead.status for lead in store.leads.for_contact(contact.id)] == ["partial"]


def test_set_lead_status_closed_lead_lets_the_next_answer_open_another(
    store: ProfileStore,
) -> None:
    contact = store.leads.update_fields("web", "s1", {"name": "Ada"}, "conv-1", now=NOW)
    store.leads.set_status(contact.id, "cancelled", "conv-1", now=at(1))
    store.leads.update_fields("web", "s1", {"need": "CRM"}, "conv-1", now=at(2))
    assert [lead.status for lead in store.leads.for_contact(contact.id)] == ["cancelled", "partial"]


def test_set_lead_status_unknown_contact_raises_contact_not_found(store: ProfileStore) -> None:
    with pytest.raises(ContactNotFound):
        store.leads.set_status("nope", "captured", now=NOW)
