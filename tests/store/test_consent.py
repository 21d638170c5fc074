from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError

from bot.errors import ContactNotFound
from bot.store import ConsentEvent, ProfileStore
from bot.types import PURPOSES, Channel, Purpose
from tests.store.conftest import NOW, at

EMAIL_WORDING = "May we email you our product news? Reply YES to agree."


def grant(
    store: ProfileStore, contact_id: str, purpose: Purpose = "email", **changes: Any
) -> ConsentEvent:
    arguments: dict[str, Any] = {
        "channel": "web",
        "wording": EMAIL_WORDING,
        "wording_version": "email-v1",
        "source": "conversation",
        "evidence": {"conversation_id": "s1", "message_id": "m1"},
        "now": NOW,
        **changes,
    }
    granted = arguments.pop("granted", True)
    return store.consent.record(contact_id, purpose, granted, **arguments)


def test_record_consent_keeps_the_proof(store: ProfileStore) -> None:
    contact = store.contacts.ensure("voice", "call-1", now=NOW)
    event = grant(
        store,
        contact.id,
        "phone",
        channel="voice",
        wording="Press 1 if we may call you about offers.",
        wording_version="ivr-2",
        source="voice",
        evidence={"call_id": "CA1", "digits": "1", "recognized_text": None},
        now=at(3),
    )
    assert (event.contact_id, event.purpose, event.granted, event.channel) == (
        contact.id,
        "phone",
        True,
        "voice",
    )
    assert (event.wording, event.wording_version, event.source, event.occurred_at) == (
        "Press 1 if we may call you about offers.",
        "ivr-2",
        "voice",
        at(3),
    )
    assert event.evidence == {"call_id": "CA1", "digits": "1", "recognized_text": None}
    assert store.consent.history(contact.id) == [event]


def test_record_consent_to_export_is_json_with_iso_times(store: ProfileStore) -> None:
    contact = store.contacts.ensure("sms", "+15550100", now=NOW)
    event = grant(store, contact.id, "sms", granted=False, source="keyword", now=at(1))
    exported = event.to_export()
    assert json.loads(json.dumps(exported)) == exported
    assert exported == {
        "id": event.id,
        "purpose": "sms",
        "granted": False,
        "pending": False,
        "channel": "web",
        "wording": EMAIL_WORDING,
        "wording_version": "email-v1",
        "source": "keyword",
        "evidence": {"conversation_id": "s1", "message_id": "m1"},
        "occurred_at": "2024-05-01T12:00:01+00:00",
    }


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"wording": ""}, "wording"),
        ({"wording": "  \n"}, "wording"),
        ({"wording_version": ""}, "wording_version"),
        ({"source": "rumour"}, "source"),
        ({"channel": "pigeon"}, "channel"),
        ({"evidence": {"digits": 1}}, "evidence"),
    ],
)
def test_record_consent_without_valid_proof_raises_value_error(
    store: ProfileStore, changes: dict[str, Any], message: str
) -> None:
    contact = store.contacts.ensure("web", "s1", now=NOW)
    with pytest.raises(ValueError, match=message):
        grant(store, contact.id, **changes)
    assert store.consent.history(contact.id) == []


def test_record_consent_unknown_purpose_raises_value_error(store: ProfileStore) -> None:
    contact = store.contacts.ensure("web", "s1", now=NOW)
    with pytest.raises(ValueError, match="purpose"):
        grant(store, contact.id, "carrier_pigeon")  # type: ignore[arg-type]


def test_record_consent_unknown_contact_raises_contact_not_found(store: ProfileStore) -> None:
    with pytest.raises(ContactNotFound):
        grant(store, "nope")
    with pytest.raises(ContactNotFound):
        store.consent.is_granted("nope", "email")


def test_consent_state_is_the_latest_event_per_purpose(store: ProfileStore) -> None:
    contact = store.contacts.ensure("web", "s1", now=NOW)
    grant(store, contact.id, "email", now=at(1))
    withdrawal = grant(store, contact.id, "email", granted=False, now=at(5))
    sms = grant(store, contact.id, "sms", now=at(3))
    # Recorded late, but it happened earlier: it does not override the withdrawal.
    grant(store, contact.id, "email", now=at(2))
    assert store.consent.state(contact.id) == {"email": withdrawal, "sms": sms}
    assert not store.consent.is_granted(contact.id, "email")
    assert store.consent.is_granted(contact.id, "sms")
    assert not store.consent.is_granted(contact.id, "profiling")


def test_consent_state_same_instant_the_later_recorded_wins(store: ProfileStore) -> None:
    contact = store.contacts.ensure("web", "s1", now=NOW)
    grant(store, contact.id, "email", now=at(1))
    withdrawal = grant(store, contact.id, "email", granted=False, now=at(1))
    assert store.consent.state(contact.id) == {"email": withdrawal}
    assert not store.consent.is_granted(contact.id, "email")


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE consent_events SET granted = :value WHERE id = :id",
        "UPDATE consent_events SET wording = 'We may call you.' WHERE id = :id",
        "UPDATE consent_events SET contact_id = contact_id WHERE id = :id",
    ],
)
def test_consent_event_update_via_sql_is_rejected(
    store: ProfileStore, engine: Engine, statement: str
) -> None:
    contact = store.contacts.ensure("web", "s1", now=NOW)
    event = grant(store, contact.id)
    with pytest.raises(DBAPIError, match="append-only"), engine.begin() as conn:
        conn.execute(text(statement), {"id": event.id, "value": False})
    assert store.consent.history(contact.id) == [event]


def test_merge_keeps_both_consent_histories(store: ProfileStore) -> None:
    older = store.leads.update_fields("web", "s1", {"email": "a@x.io"}, "s1", now=NOW)
    newer = store.contacts.ensure("telegram", "77", now=at(1))
    granted = grant(store, older.id, "email", now=at(2))
    withdrawn = grant(store, newer.id, "email", granted=False, channel="telegram", now=at(3))
    store.leads.update_fields("telegram", "77", {"email": "a@x.io"}, "t1", now=at(4))
    history = store.consent.history(newer.id)
    assert [(e.contact_id, e.granted, e.channel, e.occurred_at) for e in history] == [
        (older.id, True, "web", at(2)),
        (older.id, False, "telegram", at(3)),
    ]
    assert history[0] == granted
    assert history[1].evidence == withdrawn.evidence
    assert not store.consent.is_granted(older.id, "email")


STEP = st.tuples(
    st.sampled_from(PURPOSES),
    st.booleans(),
    st.sampled_from(["web", "telegram", "sms", "whatsapp", "voice"]),
    st.integers(min_value=0, max_value=3),  # seconds after the previous step; 0 is a tie
)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(steps=st.lists(STEP, min_size=1, max_size=12))
def test_consent_state_is_the_last_event_and_history_only_grows(
    store: ProfileStore, steps: list[tuple[Purpose, bool, Channel, int]]
) -> None:
    contact = store.contacts.ensure("web", uuid.uuid4().hex, now=NOW)
    expected: dict[Purpose, ConsentEvent] = {}
    history: list[ConsentEvent] = []
    seconds = 0
    for purpose, granted, channel, pause in steps:
        seconds += pause
        event = grant(store, contact.id, purpose, granted=granted, channel=channel, now=at(seconds))
        expected[purpose] = event
        history.append(event)
        assert store.consent.history(contact.id) == history
    assert store.consent.state(contact.id) == expected
    for purpose in PURPOSES:
        assert store.consent.is_granted(contact.id, purpose) == (
            purpose in expected and expected[purpose].granted
        )
