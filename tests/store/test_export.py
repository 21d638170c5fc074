from __future__ import annotations

import json

import pytest

from bot.errors import ContactNotFound
from bot.store import ProfileStore
from tests.store.conftest import NOW, at


def test_export_contact_holds_everything_about_the_person(store: ProfileStore) -> None:
    contact = store.leads.update_fields(
        "web", "s1", {"name": "Ada", "email": "ada@example.com"}, "conv-1", now=NOW
    )
    consent = store.consent.record(
        contact.id,
        "email",
        True,
        channel="web",
        wording="May we email you?",
        wording_version="v1",
        source="conversation",
        evidence={"conversation_id": "conv-1", "message_id": "m7"},
        now=at(1),
    )
    store.consent.block_contact(contact.id, "sms", "staff", "asked at the fair", now=at(2))
    exported = store.privacy.export(contact.id)

    assert json.loads(json.dumps(exported)) == exported
    assert set(exported) == {
        "profile", "leads", "consent_history", "do_not_contact", "timeline",
        "qualification", "custom_fields", "scores", "outcomes", "handoffs", "bookings",
        "tags", "campaign_messages",
    }  # fmt: skip
    assert exported["profile"] == store.contacts.get(contact.id).to_export()
    assert exported["leads"] == [
        {
            "id": store.leads.for_contact(contact.id)[0].id,
            "status": "partial",
            "channel": "web",
            "conversation_id": "conv-1",
            "started_at": NOW.isoformat(),
            "updated_at": NOW.isoformat(),
            "answers": [
                {"field": "name", "value": "Ada", "answered_at": NOW.isoformat()},
                {"field": "email", "value": "ada@example.com", "answered_at": NOW.isoformat()},
            ],
        }
    ]
    assert exported["consent_history"] == [consent.to_export()]
    assert exported["do_not_contact"] == [
        {
            "channel": "sms",
            "reason": "staff",
            "note": "asked at the fair",
            "added_at": at(2).isoformat(),
            "lifted_at": None,
        }
    ]
    assert [event["kind"] for event in exported["timeline"]] == [
        "contact_created",
        "identity_linked",
        "field_changed",
        "field_changed",
        "lead_status_changed",
    ]
    assert exported["timeline"][1] == {
        "kind": "identity_linked",
        "data": {"channel": "web", "external_id": "s1"},
        "occurred_at": NOW.isoformat(),
    }


def test_export_contact_unknown_raises_contact_not_found(store: ProfileStore) -> None:
    with pytest.raises(ContactNotFound):
        store.privacy.export("nope")


def test_export_holds_qualification_scores_handoffs_and_bookings(store: ProfileStore) -> None:
    contact = store.leads.update_fields("web", "s2", {"email": "bo@example.com"}, "conv-2", now=NOW)
    store.leads.record_qualification(
        contact.id, {"budget": "1k_10k"}, channel="web", conversation_id="conv-2", now=at(1)
    )
    store.leads.save_score(
        contact.id,
        score=30,
        grade="C",
        stage="new",
        rubric_version="v1",
        model_version=None,
        explanation=[{"rule": "budget", "points": 10}],
        now=at(2),
    )
    transcript = [{"who": "person", "text": "a human please", "at": None}]
    store.leads.request_handoff(
        contact.id,
        conversation_id="conv-2",
        channel="web",
        reason="asked",
        transcript=transcript,
        outbox=[],
        now=at(3),
    )
    store.leads.book_meeting(contact.id, at(86_400), at(88_200), now=at(4))
    exported = store.privacy.export(contact.id)
    assert json.loads(json.dumps(exported)) == exported
    assert exported["qualification"] == {"budget": "1k_10k"}
    assert (
        exported["scores"][0]["grade"] == "C"
        and exported["scores"][0]["explanation"][0]["rule"] == "budget"
    )
    assert exported["handoffs"] == [
        {
            "requested_at": at(3).isoformat(),
            "reason": "asked",
            "channel": "web",
            "transcript": transcript,
            "out_of_hours": False,
            "reply_due_at": None,
        }
    ]
    assert exported["bookings"] == [
        {"starts_at": at(86_400).isoformat(), "ends_at": at(88_200).isoformat(), "status": "booked"}
    ]
