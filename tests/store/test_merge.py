from __future__ import annotations

from bot.store import Identity, ProfileStore
from tests.store.conftest import NOW, at


def test_update_lead_fields_merges_on_matching_email(store: ProfileStore) -> None:
    older = store.leads.update_fields(
        "web", "s1", {"name": "Ada", "email": "ada@example.com"}, "web-1", now=NOW
    )
    newer = store.leads.update_fields("telegram", "42", {"company": "AE"}, "tg-1", now=at(10))
    merged = store.leads.update_fields(
        "telegram", "42", {"name": "Ada L.", "email": "ada@example.com"}, "tg-1", now=at(20)
    )
    assert merged.id == older.id
    assert merged.channels == (Identity("web", "s1"), Identity("telegram", "42"))
    assert (merged.name, merged.email, merged.company) == ("Ada L.", "ada@example.com", "AE")
    assert store.contacts.count() == 1
    assert store.contacts.get(newer.id) == merged
    assert store.contacts.find(newer.id) == merged
    assert store.contacts.for_identity("telegram", "42") == merged


def test_update_lead_fields_merges_on_matching_phone(store: ProfileStore) -> None:
    older = store.leads.update_fields("sms", "+15550100", {"phone": "+15550100"}, "p", now=NOW)
    store.leads.update_fields(
        "whatsapp", "wa-9", {"name": "Grace", "phone": "+15550100"}, "w", now=at(5)
    )
    [merged] = store.contacts.page()
    assert merged.id == older.id
    assert (merged.name, merged.phone) == ("Grace", "+15550100")
    assert {i.channel for i in merged.channels} == {"sms", "whatsapp"}


def test_merge_keeps_survivor_values_except_given_fields(store: ProfileStore) -> None:
    store.leads.update_fields("web", "old", {"name": "Ada", "role": "CTO"}, "a", now=NOW)
    store.leads.update_fields(
        "telegram", "new", {"role": "CEO", "email": "ada@example.com"}, "b", now=at(1)
    )
    merged = store.leads.update_fields(
        "web", "old", {"email": "ada@example.com", "need": "CRM"}, "a", now=at(2)
    )
    assert (merged.name, merged.role, merged.need) == ("Ada", "CTO", "CRM")
    assert merged.created_at == NOW


def test_merge_moves_leads_and_timeline_to_survivor(store: ProfileStore) -> None:
    older = store.leads.update_fields("web", "s1", {"email": "a@x.io"}, "web-1", now=NOW)
    newer = store.leads.update_fields("voice", "call-1", {"need": "Demo"}, "call-1", now=at(1))
    store.leads.update_fields("voice", "call-1", {"email": "a@x.io"}, "call-1", now=at(2))
    leads = store.leads.for_contact(older.id)
    assert [lead.conversation_id for lead in leads] == ["web-1", "call-1"]
    assert {lead.contact_id for lead in leads} == {older.id}
    timeline = store.contacts.timeline(older.id)
    assert [e.kind for e in timeline].count("contact_created") == 2
    assert ("contact_merged", {"merged_id": newer.id}) in [(e.kind, e.data) for e in timeline]
    assert {e.contact_id for e in timeline} == {older.id}
    assert store.leads.for_contact(newer.id) == leads


def test_merge_folds_open_leads_of_the_same_conversation(store: ProfileStore) -> None:
    older = store.leads.update_fields("web", "s1", {"name": "Ada"}, "shared", now=NOW)
    store.leads.update_fields("rest", "r1", {"need": "CRM"}, "shared", now=at(1))
    store.contacts.link_identity(older.id, "rest", "r1", now=at(2))
    [lead] = store.leads.for_contact(older.id)
    assert [(a.field, a.value) for a in lead.answers] == [("name", "Ada"), ("need", "CRM")]


def test_merge_survivor_is_the_older_contact_whoever_asks(store: ProfileStore) -> None:
    newer = store.contacts.ensure("web", "late", now=at(10))
    older = store.leads.update_fields("web", "early", {"phone": "+33612345678"}, "e", now=NOW)
    store.leads.update_fields("web", "late", {"phone": "+33612345678"}, "l", now=at(11))
    assert store.contacts.get(newer.id).id == older.id


def test_merge_repoints_aliases_of_earlier_merges(store: ProfileStore) -> None:
    first = store.leads.update_fields("web", "a", {"email": "a@x.io"}, "a", now=NOW)
    second = store.leads.update_fields("web", "b", {"phone": "+15550111"}, "b", now=at(1))
    third = store.leads.update_fields("web", "c", {"email": "a@x.io"}, "c", now=at(2))
    store.leads.update_fields("web", "c", {"phone": "+15550111"}, "c", now=at(3))
    for contact_id in (first.id, second.id, third.id):
        assert store.contacts.get(contact_id).id == first.id
    assert len(store.contacts.get(first.id).channels) == 3


def test_link_identity_attaches_a_new_identity(store: ProfileStore) -> None:
    contact = store.contacts.ensure("web", "s1", now=NOW)
    linked = store.contacts.link_identity(contact.id, "sms", "+15550100", now=at(1))
    assert linked.channels == (Identity("web", "s1"), Identity("sms", "+15550100"))
    assert store.contacts.timeline(contact.id)[-1].data == {
        "channel": "sms",
        "external_id": "+15550100",
    }


def test_link_identity_already_linked_changes_nothing(store: ProfileStore) -> None:
    contact = store.contacts.ensure("web", "s1", now=NOW)
    assert store.contacts.link_identity(contact.id, "web", "s1", now=at(1)) == contact


def test_link_identity_held_by_another_contact_merges_them(store: ProfileStore) -> None:
    older = store.leads.update_fields("telegram", "1", {"name": "Ada"}, "t", now=NOW)
    newer = store.leads.update_fields("web", "s1", {"company": "AE"}, "w", now=at(1))
    merged = store.contacts.link_identity(newer.id, "telegram", "1", now=at(2))
    assert merged.id == older.id
    assert (merged.name, merged.company) == ("Ada", "AE")
    assert store.contacts.count() == 1


def test_record_event_with_merged_away_id_lands_on_survivor(store: ProfileStore) -> None:
    older = store.leads.update_fields("web", "a", {"email": "a@x.io"}, "a", now=NOW)
    newer = store.leads.update_fields("sms", "+15550100", {"name": "A"}, "b", now=at(1))
    store.leads.update_fields("sms", "+15550100", {"email": "a@x.io"}, "b", now=at(2))
    event = store.contacts.record_event(newer.id, "note", {"text": "hi"}, now=at(3))
    assert event.contact_id == older.id
    assert store.contacts.timeline(newer.id)[-1] == event
