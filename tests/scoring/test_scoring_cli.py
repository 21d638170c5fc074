"""`parley scoring ...` against a real SQLite store in a temporary data directory."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.store import ProfileStore, upgrade
from cli.main import main


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> ProfileStore:
    monkeypatch.setenv("PARLEY_DATA_DIR", str(tmp_path))
    url = f"sqlite:///{tmp_path}/parley.db"
    upgrade(url)
    return ProfileStore.from_url(url)


def test_explain_prints_each_rule_and_what_is_unanswered(
    store: ProfileStore, capsys: pytest.CaptureFixture[str]
) -> None:
    contact = store.leads.update_fields(
        "web", "v1", {"name": "Dana Reyes", "email": "dana@acme.io", "role": "Head of Growth"}, "v1"
    )
    store.leads.record_qualification(
        contact.id,
        {"budget": "over_50k", "authority": "decides"},
        channel="web",
        conversation_id="v1",
    )
    assert main(["scoring", "explain", "dana@acme.io"]) == 0
    out = capsys.readouterr().out
    assert "Dana Reyes: score 55, grade B, stage mql" in out
    assert "+25 budget over_50k" in out and "+20 authority decides" in out
    assert '+10 role "Head of Growth" (head)' in out
    assert "unanswered: company_size, timeline" in out
    assert store.leads.latest_score(contact.id) is not None
    assert store.privacy.audit_entries()[-1].action == "explain_score"


def test_explain_an_unknown_contact_fails_clearly(
    store: ProfileStore, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["scoring", "explain", "nobody@example.com"]) == 1
    assert "no contact matches 'nobody@example.com'" in capsys.readouterr().err


def test_train_with_too_little_history_says_so(
    store: ProfileStore, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["scoring", "train"]) == 1
    assert "rubric scores alone" in capsys.readouterr().out
    assert main(["scoring", "evaluate"]) == 1


def test_synthesize_refuses_a_store_with_real_contacts(
    store: ProfileStore, capsys: pytest.CaptureFixture[str]
) -> None:
    store.leads.update_fields("web", "v1", {"email": "real@customer.com"}, "v1")
    assert main(["scoring", "synthesize", "--contacts", "5"]) == 1
    assert "holds real contacts" in capsys.readouterr().err
    assert store.contacts.count() == 1


def test_synthesize_train_evaluate_and_audit(
    store: ProfileStore, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["scoring", "synthesize", "--contacts", "400", "--seed", "3"]) == 0
    assert main(["scoring", "train"]) == 0
    trained = capsys.readouterr().out
    assert "ROC AUC" in trained and "100 held-out leads" in trained
    assert main(["scoring", "evaluate"]) == 0
    assert "calibration" in capsys.readouterr().out
    assert main(["scoring", "audit", "--rescore", "--json"]) == 0
    report = json.loads(capsys.readouterr().out.split("\n", 1)[1])
    assert report["total"] == 400
    assert {g["attribute"] for g in report["groups"]} == {"channel", "country", "company_size"}
