"""`parley scoring ...` against a real SQLite store in a temporary data directory."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.scoring import predictive
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


def _confirm_outcomes(store: ProfileStore, count: int) -> int:
    """Record `count` synthetic leads' outcomes again as sales did through the API: real
    outcomes now, the same won or lost as the history drew. How many were won."""
    won = 0
    for outcome in store.leads.outcomes()[:count]:
        store.leads.record_outcome(
            outcome.contact_id, outcome.outcome, source="api", recorded_by="api-token:crm",
            reason="confirmed by sales",
        )  # fmt: skip
        won += outcome.outcome == "won"
    return won


def test_train_prefers_enough_real_outcomes_over_synthetic_history(
    store: ProfileStore, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert main(["scoring", "synthesize", "--contacts", "400", "--seed", "3"]) == 0
    _confirm_outcomes(store, 240)
    capsys.readouterr()
    assert main(["scoring", "train"]) == 0
    trained = capsys.readouterr().out
    assert "on 180 real leads" in trained and "60 held-out leads" in trained
    assert "synthetic history (160 outcomes) left out" in trained
    assert "ROC AUC on real outcomes" in trained
    model = predictive.load_model(tmp_path / "models")
    assert model is not None and model.trained_on == "real" and model.real_outcomes == 240
    assert model.real_auc == model.metrics.roc_auc and model.real_auc > 0.6
    assert main(["scoring", "evaluate"]) == 0
    assert "ROC AUC on real outcomes" in capsys.readouterr().out


def test_train_on_synthetic_history_reports_its_auc_on_the_real_outcomes(
    store: ProfileStore, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert main(["scoring", "synthesize", "--contacts", "400", "--seed", "3"]) == 0
    won = _confirm_outcomes(store, 40)
    capsys.readouterr()
    assert main(["scoring", "train"]) == 0
    trained = capsys.readouterr().out
    assert "on 270 synthetic leads" in trained  # the 360 left, a quarter held out
    assert f"40 real outcomes ({won} won, {40 - won} lost): fewer than 200" in trained
    model = predictive.load_model(tmp_path / "models")
    assert model is not None and model.trained_on == "synthetic" and model.real_auc is not None
    assert f"ROC AUC on real outcomes {model.real_auc:.3f} (40 outcomes)" in trained


def test_too_few_real_outcomes_and_no_synthetic_history_leave_the_rubric_alone(
    store: ProfileStore, capsys: pytest.CaptureFixture[str]
) -> None:
    for n in range(12):
        contact = store.leads.update_fields("web", f"v{n}", {"email": f"p{n}@acme.io"}, f"v{n}")
        store.leads.record_outcome(
            contact.id, "won" if n % 2 else "lost", source="cli", recorded_by="cli:ann"
        )
    assert main(["scoring", "train"]) == 1
    said = capsys.readouterr().out
    assert "not enough sales outcomes to train a model: 12 (6 won, 6 lost)" in said
    assert "rubric scores alone" in said


CUSTOM_QUESTIONS = """\
questions:
  - field: company_size
  - id: crm
    text: Which CRM does your team use?
    options:
      - {id: salesforce, label: Salesforce, phrasings: [salesforce]}
      - {id: none, label: No CRM yet, phrasings: [no crm]}
  - field: budget
"""


def test_explain_and_audit_include_custom_questions(
    store: ProfileStore,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    (tmp_path / "qualification.yml").write_text(CUSTOM_QUESTIONS, encoding="utf-8")
    rubric = (Path(__file__).resolve().parents[2] / "scoring.yml").read_text(encoding="utf-8")
    (tmp_path / "scoring.yml").write_text(
        rubric.replace("fit:\n", "fit:\n  - field: crm\n    points: {salesforce: 30}\n"),
        encoding="utf-8",
    )
    monkeypatch.setenv("PARLEY_QUALIFICATION_FILE", str(tmp_path / "qualification.yml"))
    monkeypatch.setenv("PARLEY_SCORING_FILE", str(tmp_path / "scoring.yml"))
    contact = store.leads.update_fields("web", "v1", {"email": "dana@acme.io"}, "v1")
    store.leads.record_qualification(
        contact.id, {"crm": "salesforce"}, channel="web", conversation_id="v1"
    )
    assert main(["scoring", "explain", "dana@acme.io"]) == 0
    out = capsys.readouterr().out
    assert "+30 crm salesforce" in out
    assert "unanswered: company_size, budget" in out
    assert main(["scoring", "audit", "--json"]) == 0
    groups = json.loads(capsys.readouterr().out)["groups"]
    assert {"attribute": "crm", "value": "salesforce"}.items() <= groups[-1].items()
