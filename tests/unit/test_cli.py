"""The `parley` CLI against a real SQLite profile store."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from bot.store import ProfileStore, upgrade
from cli.main import main

EXPORT_KEYS = {
    "id", "name", "email", "phone", "company", "role", "need",
    "channels", "lead_status", "created_at", "updated_at", "fields",
}  # fmt: skip
HEARD_FROM = """
version: 1
fields:
  - name: heard_from
    label: How they heard of us
    type: choice
    question: How did you hear about us?
    options:
      - {id: search, label: Search engine}
      - {id: friend, label: A friend}
  - name: team_size
    type: number
    question: How many people are on your team?
"""


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("PARLEY_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("PARLEY_RASA_TOKEN", "cli-test-token")
    url = f"sqlite:///{tmp_path}/parley.db"
    upgrade(url)
    store = ProfileStore.from_url(url)
    store.leads.update_fields(
        "rest", "v1", {"name": "Dana Reyes", "email": "dana@acme.io", "phone": "+14155550134"}, "v1"
    )
    store.leads.update_fields(
        "telegram", "77", {"name": "Li Wei", "company": 'Lumen, "Labs"'}, "t77"
    )
    store.dispose()
    return tmp_path


def test_export_json_has_the_stable_keys(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["contacts", "export", "--format", "json"]) == 0
    contacts = json.loads(capsys.readouterr().out)
    assert len(contacts) == 2 and all(set(c) == EXPORT_KEYS for c in contacts)
    dana = next(c for c in contacts if c["name"] == "Dana Reyes")
    assert dana["phone"] == "+14155550134"
    assert dana["channels"] == [{"channel": "rest", "external_id": "v1"}]


def test_export_csv_quotes_awkward_values(data_dir: Path, tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    assert main(["contacts", "export", "--format", "csv", "--output", str(target)]) == 0
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert {r["company"] for r in rows} == {"", 'Lumen, "Labs"'}
    assert {r["channels"] for r in rows} == {"rest:v1", "telegram:77"}


def _custom_values(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Dana answered both custom fields and one since removed from lead_fields.yml."""
    fields_file = data_dir / "lead_fields.yml"
    fields_file.write_text(HEARD_FROM, encoding="utf-8")
    monkeypatch.setenv("PARLEY_LEAD_FIELDS_FILE", str(fields_file))
    store = ProfileStore.from_url(f"sqlite:///{data_dir}/parley.db")
    dana = store.contacts.find("dana@acme.io")
    assert dana is not None
    values = {"heard_from": "friend", "team_size": "1200", "old_budget": "tight, says Dana"}
    store.leads.set_custom_fields(dana.id, values, channel="web")
    store.dispose()


def test_export_csv_has_a_column_per_custom_field_removed_ones_last(
    data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _custom_values(data_dir, monkeypatch)
    target = tmp_path / "out.csv"
    assert main(["contacts", "export", "--format", "csv", "--output", str(target)]) == 0
    reader = csv.DictReader(io.StringIO(target.read_text(encoding="utf-8")))
    assert list(reader.fieldnames or [])[-3:] == [
        "field:heard_from", "field:team_size", "field:old_budget",
    ]  # fmt: skip
    rows = {row["name"]: row for row in reader}
    assert rows["Dana Reyes"]["field:heard_from"] == "friend"  # the id: labels change
    assert rows["Dana Reyes"]["field:team_size"] == "1200"
    assert rows["Dana Reyes"]["field:old_budget"] == "tight, says Dana"
    assert rows["Li Wei"]["field:heard_from"] == ""


def test_export_json_carries_custom_values_in_fields(
    data_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _custom_values(data_dir, monkeypatch)
    assert main(["contacts", "export", "--format", "json"]) == 0
    contacts = {c["name"]: c for c in json.loads(capsys.readouterr().out)}
    assert contacts["Dana Reyes"]["fields"] == {
        "heard_from": "friend", "old_budget": "tight, says Dana", "team_size": "1200",
    }  # fmt: skip
    assert contacts["Li Wei"]["fields"] == {}


def test_show_finds_by_email_and_phone(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["contacts", "show", "DANA@acme.io"]) == 0
    assert '"Dana Reyes"' in capsys.readouterr().out
    assert main(["contacts", "show", "+1 415 555 0134"]) == 0
    assert "field_changed" in capsys.readouterr().out


def test_show_unknown_contact_is_a_clear_error(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["contacts", "show", "nobody@nowhere.test"]) == 1
    assert "no contact matches 'nobody@nowhere.test'" in capsys.readouterr().err


def test_list_and_settings_never_print_the_token(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["contacts", "list"]) == 0
    assert "(2 of 2 contacts)" in capsys.readouterr().out
    assert main(["settings"]) == 0
    output = capsys.readouterr().out
    assert "cli-test-token" not in output and "**********" in output


def test_every_read_of_personal_data_is_audited(data_dir: Path) -> None:
    main(["contacts", "list"])
    main(["contacts", "show", "dana@acme.io"])
    main(["contacts", "export", "--format", "json"])
    store = ProfileStore.from_url(f"sqlite:///{data_dir}/parley.db")
    actions = [entry.action for entry in store.privacy.audit_entries()]
    store.dispose()
    assert actions == ["export_contacts", "view_contact", "list_contacts"]


def test_db_upgrade_is_idempotent(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["db", "upgrade"]) == 0
    assert main(["db", "upgrade"]) == 0
    assert "latest schema" in capsys.readouterr().out


def test_retrying_handoffs_only_queues_them_for_the_worker(
    data_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot.runner import free_port

    monkeypatch.setenv("PARLEY_WORKER_PORT", str(free_port()))  # no worker listens there
    store = ProfileStore.from_url(f"sqlite:///{data_dir}/parley.db")
    contact = store.contacts.find("dana@acme.io")
    assert contact is not None
    store.outbox.enqueue_delivery(contact.id, "email", {"to": "sales@example.com"})
    for delivery in store.outbox.deliveries():
        store.outbox.finish_delivery(delivery.id, "failed", error="503 from the mail server")
    assert main(["handoffs", "retry"]) == 0
    out = capsys.readouterr().out
    assert "queued again" in out and "no campaign worker answers" in out
    assert {d.status for d in store.outbox.deliveries()} == {"pending"}
    store.dispose()
