"""`parley contacts outcome` against a real SQLite store: record won or lost with value,
currency and reason, audited as the person who ran it; show the history; refuse an
unknown contact and unusable values."""

from __future__ import annotations

import getpass
from decimal import Decimal
from pathlib import Path

import pytest

from bot.store import ProfileStore, upgrade
from cli.main import main


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> ProfileStore:
    monkeypatch.setenv("PARLEY_DATA_DIR", str(tmp_path))
    url = f"sqlite:///{tmp_path}/parley.db"
    upgrade(url)
    profile_store = ProfileStore.from_url(url)
    profile_store.leads.update_fields(
        "rest", "v1", {"name": "Dana Reyes", "email": "dana@acme.io"}, "v1"
    )
    return profile_store


def test_cli_records_a_won_outcome_with_value_currency_and_reason(
    store: ProfileStore, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        ["contacts", "outcome", "dana@acme.io", "--won", "--value", "12500", "--currency",
         "usd", "--reason", "annual plan", "--at", "2026-03-01"]
    )  # fmt: skip
    assert code == 0
    printed = capsys.readouterr().out
    assert printed.startswith("recorded won 12500.00 USD (annual plan)")
    contact_id = store.contacts.find("dana@acme.io").id  # type: ignore[union-attr]
    current = store.leads.outcome(contact_id)
    assert current is not None and current.value == Decimal("12500")
    assert (current.source, current.recorded_by) == ("cli", f"cli:{getpass.getuser()}")
    assert current.occurred_at.isoformat() == "2026-03-01T00:00:00+00:00"
    [entry] = [e for e in store.privacy.audit_entries() if e.action == "record_outcome"]
    assert entry.actor == f"cli:{getpass.getuser()}" and entry.target == contact_id


def test_cli_records_again_only_what_changed_and_shows_the_history(
    store: ProfileStore, capsys: pytest.CaptureFixture[str]
) -> None:
    won = ["contacts", "outcome", "dana@acme.io", "--won", "--value", "900", "--currency", "EUR"]
    assert main(won) == 0 and main(won) == 0
    assert "already the current outcome, nothing recorded" in capsys.readouterr().out
    assert main(["contacts", "outcome", "dana@acme.io", "--lost", "--reason", "budget cut"]) == 0
    capsys.readouterr()
    assert main(["contacts", "outcome", "dana@acme.io"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("current   lost (budget cut)")
    assert lines[1].startswith("earlier   won 900.00 EUR")
    assert len(lines) == 2


def test_cli_refuses_an_unknown_contact_and_unusable_values(
    store: ProfileStore, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["contacts", "outcome", "nobody@acme.io", "--won"]) == 1
    assert "no contact matches 'nobody@acme.io'" in capsys.readouterr().err
    assert main(["contacts", "outcome", "dana@acme.io", "--won", "--value", "-3",
                 "--currency", "EUR"]) == 1  # fmt: skip
    assert "value: must not be negative" in capsys.readouterr().err
    assert main(["contacts", "outcome", "dana@acme.io", "--won", "--value", "30"]) == 1
    assert "a value needs its currency" in capsys.readouterr().err
    assert main(["contacts", "outcome", "dana@acme.io", "--value", "30"]) == 2
    assert "--won or --lost" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["contacts", "outcome", "dana@acme.io", "--won", "--lost"])
    assert store.leads.outcomes() == []
