"""`parley privacy` and `parley consent proof` against a real SQLite store, with the audit log."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from bot.settings import load_settings
from bot.store import ProfileStore, upgrade
from cli.main import main

WORDING = "Can we email you? Unsubscribe any time."


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> ProfileStore:
    monkeypatch.setenv("PARLEY_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("PARLEY_ERASURE_SALT", "test-salt")
    url = f"sqlite:///{tmp_path}/parley.db"
    upgrade(url)
    profile_store = ProfileStore.from_url(url)
    contact = profile_store.leads.update_fields(
        "rest", "v1", {"name": "Dana Reyes", "email": "dana@acme.io", "phone": "+14155550134"}, "v1"
    )
    profile_store.consent.record(
        contact.id,
        "email",
        True,
        channel="rest",
        wording=WORDING,
        wording_version="v1",
        source="conversation",
        evidence={"conversation_id": "v1", "message_id": "m-7"},
    )
    return profile_store


def test_consent_proof_prints_history_with_evidence_and_audits(
    store: ProfileStore, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["consent", "proof", "dana@acme.io"]) == 0
    table = capsys.readouterr().out
    assert "GRANTED" in table and WORDING in table and "m-7" in table
    assert main(["consent", "proof", "dana@acme.io", "--json"]) == 0
    proof = json.loads(capsys.readouterr().out)
    assert proof["consent_history"][0]["evidence"]["message_id"] == "m-7"
    actions = [entry.action for entry in store.privacy.audit_entries()]
    assert actions[:2] == ["consent_proof", "consent_proof"]
    assert all(entry.actor.startswith("cli:") for entry in store.privacy.audit_entries())


def test_export_writes_everything_held(store: ProfileStore, tmp_path: Path) -> None:
    target = tmp_path / "dana.json"
    assert main(["privacy", "export", "+1 415 555 0134", "--output", str(target)]) == 0
    document = json.loads(target.read_text())
    assert document["profile"]["email"] == "dana@acme.io"
    assert document["consent_history"][0]["wording"] == WORDING
    assert {"leads", "timeline", "do_not_contact", "conversations"} <= set(document)
    assert store.privacy.audit_entries()[0].action == "export_contact"


def test_erase_removes_the_person_and_suppresses_them(store: ProfileStore) -> None:
    assert main(["privacy", "erase", "dana@acme.io", "--yes"]) == 0
    assert store.contacts.find("dana@acme.io") is None
    assert store.privacy.is_suppressed(email="DANA@acme.io", salt="test-salt")
    assert main(["privacy", "erase", "dana@acme.io", "--yes"]) == 1


def test_purge_removes_only_stale_leads_without_consent(
    store: ProfileStore, tmp_path: Path
) -> None:
    old = datetime.now(timezone.utc) - timedelta(days=400)
    stale = store.leads.update_fields("rest", "v2", {"name": "Old Lead"}, "v2", now=old)
    settings = load_settings(environ={"PARLEY_DATA_DIR": str(tmp_path)}, dotenv=tmp_path / "x")
    assert settings.retention_days == 365
    assert main(["privacy", "purge", "--dry-run"]) == 0
    assert store.contacts.find(stale.id) is not None
    assert main(["privacy", "purge"]) == 0
    assert store.contacts.find(stale.id) is None
    assert store.contacts.find("dana@acme.io") is not None  # consented: kept
