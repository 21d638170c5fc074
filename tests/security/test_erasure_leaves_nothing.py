"""#17 item 7: an erasure leaves nothing of the person, on SQLite and PostgreSQL.

Inbound activity, audit actors, the consent journal's replay, HubSpot's copy (deleted
through a fake HubSpot on loopback) and training examples added from the dashboard.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine

from bot import privacy
from bot.crm import HubSpotConnector, sync_due
from bot.journal import ConsentJournal, PendingConsent
from bot.settings import Secret, Settings, load_settings
from bot.store import ProfileStore, erase_conversations
from bot.store.schema import audit_log, inbound_activity
from channels.activity import note_inbound
from studio.masking import mask_personal_data
from tests.store.conftest import NOW, at, engine, pg_schema, store, tracker_url  # noqa: F401
from tests.store.test_erasure import tables_holding
from tests.unit.test_crm_hubspot import TOKEN, FakeHubSpot, Reply, hubspot  # noqa: F401

SALT = "erasure-salt-for-security-tests"
ADA_PHONE = "+4915112345678"
ADA_EMAIL = "ada@example.com"
ADA = {"name": "Ada Lovelace", "email": ADA_EMAIL, "phone": ADA_PHONE, "company": "Engines"}


@pytest.fixture
def settings(tmp_path: Path, tracker_url: str) -> Settings:  # noqa: F811
    environ = {
        "PARLEY_DATA_DIR": str(tmp_path / "var"),
        "PARLEY_ERASURE_SALT": SALT,
        "PARLEY_TRACKER_STORE_URL": tracker_url,
    }
    return load_settings(environ=environ, dotenv=tmp_path / "none.env")


def ada_by_sms(store: ProfileStore) -> str:  # noqa: F811
    """Ada texting from her phone, then giving her details on the web chat too."""
    contact = store.leads.update_fields("sms", ADA_PHONE, ADA, ADA_PHONE, now=NOW)  # type: ignore[arg-type]
    store.contacts.link_identity(contact.id, "web", "sess-ada", now=at(1))
    return contact.id


def inbound_ids(engine: Engine) -> list[str]:  # noqa: F811
    with engine.connect() as conn:
        return sorted(conn.execute(select(inbound_activity.c.external_id)).scalars())


# ------------------------------------------------------------------ inbound activity


def test_erasure_removes_the_persons_inbound_activity(
    store: ProfileStore,  # noqa: F811
    engine: Engine,  # noqa: F811
) -> None:
    ada = ada_by_sms(store)
    for channel, sender in (("sms", ADA_PHONE), ("web", "sess-ada"), ("telegram", "grace-tg")):
        asyncio.run(note_inbound(store, channel, sender))  # as the channels record it
    store.privacy.erase(ada, SALT, now=at(60))
    assert inbound_ids(engine) == ["grace-tg"]


def test_erasing_a_conversation_without_a_contact_removes_its_inbound_activity(
    store: ProfileStore,  # noqa: F811
    engine: Engine,  # noqa: F811
) -> None:
    store.campaigns.record_inbound("sms", "+15550001111", now=NOW)
    store.campaigns.record_inbound("telegram", "grace-tg", now=NOW)
    store.privacy.queue_tracker_erasure(["+15550001111"], now=at(1))
    assert inbound_ids(engine) == ["grace-tg"]


# ------------------------------------------------------------------ audit actors


def test_audit_actors_naming_the_person_name_their_contact_id_after_erasure(
    store: ProfileStore,  # noqa: F811
    engine: Engine,  # noqa: F811
    settings: Settings,
) -> None:
    ada = ada_by_sms(store)
    # As actions/privacy.py wrote them before #17: the SMS sender id is her phone number.
    store.privacy.record_audit(f"self-service:{ADA_PHONE}", "view_profile", ada, now=at(2))
    store.privacy.record_audit("self-service:sess-ada", "view_profile", ada, now=at(3))
    store.privacy.record_audit("studio:staff@acme.test", "studio.login_failed", ADA_EMAIL.upper())
    store.privacy.record_audit("self-service:+15550009999", "view_profile", "someone-else")
    receipt = privacy.erase(store, settings, ada, f"self-service:{ADA_PHONE}", now=at(60))
    entries = {entry.id: entry for entry in store.privacy.audit_entries()}
    assert len(entries) == 5  # every entry stays as evidence
    actors = sorted(entry.actor for entry in entries.values())
    assert actors == sorted(
        [f"self-service:{ada}"] * 3 + ["studio:staff@acme.test", "self-service:+15550009999"]
    )
    assert ada in {entry.target for entry in entries.values() if entry.action.startswith("studio")}
    [erased] = [e for e in entries.values() if e.action == "erase_contact"]
    assert (erased.actor, erased.target) == (f"self-service:{ada}", receipt.contact_id)
    with engine.connect() as conn:
        logged = " ".join(str(tuple(row)) for row in conn.execute(select(audit_log))).lower()
    assert not [s for s in (ADA_PHONE, ADA_EMAIL, "sess-ada") if s in logged]


def test_the_self_service_actor_is_the_contact_id() -> None:
    assert privacy.self_service_actor("c0ffee") == "self-service:c0ffee"


def test_an_erasure_leaves_no_identifier_anywhere_once_the_queues_have_run(
    store: ProfileStore,  # noqa: F811
    engine: Engine,  # noqa: F811
    settings: Settings,
) -> None:
    ada = ada_by_sms(store)
    store.campaigns.record_inbound("sms", ADA_PHONE, now=at(1))
    store.privacy.record_audit(f"self-service:{ADA_PHONE}", "view_profile", ada, now=at(2))
    privacy.erase(store, settings, ada, "cli:root", now=at(60))
    erase_conversations(settings.tracker_store_url, store.privacy.pending_tracker_erasures())
    store.privacy.clear_tracker_erasure(store.privacy.pending_tracker_erasures())
    assert tables_holding(engine, [ADA_PHONE, ADA_EMAIL, "sess-ada", "Lovelace"]) == {}


def test_others_claims_and_codes_of_the_persons_email_go_with_them(
    store: ProfileStore,  # noqa: F811
    engine: Engine,  # noqa: F811
) -> None:
    ada = ada_by_sms(store)
    visitor = store.contacts.record_stated_details(
        "web", "v", {"email": ADA_EMAIL}, "web-1", now=at(2)
    )
    store.contacts.issue_verification_code(
        visitor.id, "web-1", "email", ADA_EMAIL, "show", now=at(3)
    )
    store.privacy.erase(ada, SALT, now=at(60))
    assert store.contacts.get(visitor.id).id == visitor.id  # the claimant stays, unclaimed
    store.privacy.clear_tracker_erasure(store.privacy.pending_tracker_erasures())
    assert tables_holding(engine, [ADA_EMAIL]) == {}


# ------------------------------------------------------------------ consent journal


def held_back(channel: str, sender: str, granted: bool, minutes: float) -> PendingConsent:
    """A consent change an outage kept in the journal, made `minutes` after NOW."""
    return PendingConsent(
        channel=channel, external_id=sender, purposes=("sms",), granted=granted,  # type: ignore[arg-type]
        wording="May we text you?", wording_version="v1", source="conversation",
        evidence={"conversation_id": sender}, occurred_at=(NOW + timedelta(minutes=minutes)).isoformat(),
    )  # fmt: skip


def test_the_journal_replay_never_recreates_an_erased_person(
    store: ProfileStore,  # noqa: F811
    tmp_path: Path,
) -> None:
    ada = ada_by_sms(store)
    journal = ConsentJournal(tmp_path / "pending_consent.jsonl", salt=SALT)
    journal.append(held_back("sms", ADA_PHONE, True, 1))  # made before she was erased
    journal.append(held_back("web", "sess-ada", True, 2))
    store.privacy.erase(ada, SALT, now=NOW + timedelta(minutes=5))
    assert journal.replay(store) == 2 and journal.pending() == []
    assert store.contacts.for_identity("sms", ADA_PHONE) is None
    assert store.contacts.for_identity("web", "sess-ada") is None
    assert store.contacts.count() == 0


def test_the_journal_replays_a_change_made_after_the_erasure_and_others(
    store: ProfileStore,  # noqa: F811
    tmp_path: Path,
) -> None:
    ada = ada_by_sms(store)
    store.privacy.erase(ada, SALT, now=NOW + timedelta(minutes=5))
    journal = ConsentJournal(tmp_path / "pending_consent.jsonl", salt=SALT)
    journal.append(held_back("sms", ADA_PHONE, True, 10))  # she came back and said yes
    journal.append(held_back("telegram", "grace-tg", True, 1))
    assert journal.replay(store) == 2
    back = store.contacts.for_identity("sms", ADA_PHONE)
    assert back is not None and back.id != ada and store.consent.is_granted(back.id, "sms")
    grace = store.contacts.for_identity("telegram", "grace-tg")
    # Recorded; texts need a proven number first (double opt-in), which a chat is not.
    assert grace is not None and store.consent.state(grace.id)["sms"].granted


def test_erasing_a_conversation_replays_the_journal_first(
    store: ProfileStore,  # noqa: F811
    settings: Settings,
) -> None:
    journal = ConsentJournal.for_settings(settings)
    journal.append(held_back("web", "sess-new", True, -1))  # no contact yet: the DB was down
    receipt = privacy.erase_conversation(store, settings, "web", "sess-new", now=NOW)
    assert receipt is not None and journal.pending() == []
    assert store.contacts.for_identity("web", "sess-new") is None
    assert store.contacts.count() == 0 and "sess-new" in store.privacy.pending_tracker_erasures()
    assert [e.actor for e in store.privacy.audit_entries()] == [
        f"self-service:{receipt.contact_id}"
    ]


# ------------------------------------------------------------------ HubSpot


def test_hubspots_copy_is_deleted_by_gdpr_delete_even_after_an_outage(
    store: ProfileStore,  # noqa: F811
    engine: Engine,  # noqa: F811
    settings: Settings,
    hubspot: FakeHubSpot,  # noqa: F811
) -> None:
    ada = ada_by_sms(store)
    store.leads.set_status(ada, "captured", ADA_PHONE, now=at(2))
    connector = HubSpotConnector(Secret(TOKEN), hubspot.url)
    try:
        assert sync_due(store, connector, at(3)).pushed == 1 and ADA_EMAIL in hubspot.contacts
        privacy.erase(store, settings, ada, "cli:root", now=at(60))
        assert store.contacts.for_identity("sms", ADA_PHONE) is None  # the row is gone ...
        hubspot.erase_script = [Reply(503, {"message": "unavailable"})]
        assert sync_due(store, connector, at(61)).error is not None  # ... HubSpot is down
        assert [e.email for e in store.integrations.pending_crm_erasures("hubspot")] == [ADA_EMAIL]
        assert sync_due(store, connector, at(70)).deleted == 1
    finally:
        connector.close()
    assert hubspot.deletions[-1] == {"objectId": ADA_EMAIL, "idProperty": "email"}
    assert ADA_EMAIL not in hubspot.contacts and ADA_EMAIL in hubspot.blocked
    store.privacy.clear_tracker_erasure(store.privacy.pending_tracker_erasures())
    assert tables_holding(engine, [ADA_EMAIL, ADA_PHONE]) == {}


# ------------------------------------------------------------------ training data


def test_contact_names_in_a_message_are_found_for_masking(store: ProfileStore) -> None:  # noqa: F811
    ada_by_sms(store)
    store.contacts.ensure("web", "x", now=NOW)  # no name
    assert store.privacy.contact_names_in("hi, ada lovelace here about 50% off_") == [
        "Ada Lovelace"
    ]
    assert store.privacy.contact_names_in("nobody in particular") == []


def test_training_examples_keep_no_email_phone_or_name() -> None:
    masked = mask_personal_data(
        "Ada Lovelace, ada@example.com, +49 151 12345678, call 0151 1234 5678 on 2024-05-01",
        "US",
        ["Ada Lovelace"],
    )
    assert masked.text == (
        "Jane Doe, jane.doe@example.com, +1 202 555 0143, call +1 202 555 0143 on 2024-05-01"
    )
    assert masked.kinds == ("email", "phone", "name")
    assert mask_personal_data("how much is it", "US").kinds == ()
