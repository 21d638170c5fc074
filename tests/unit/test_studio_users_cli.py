"""`parley studio-user`: studio accounts from a terminal, against a real SQLite store."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from bot import passwords
from bot.store import ProfileStore
from cli.main import main


@pytest.fixture
def store_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("PARLEY_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("PARLEY_RASA_TOKEN", "cli-test-token")
    return f"sqlite:///{tmp_path}/parley.db"


def _stdin(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(text))


def test_add_list_password_disable(
    store_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _stdin(monkeypatch, "a long enough password\n")
    assert main(["studio-user", "add", "Mia@Example.com", "--name", "Mia", "--role", "marketer",
                 "--password-stdin"]) == 0  # fmt: skip
    assert main(["studio-user", "list"]) == 0
    assert "marketer  active    mia@example.com" in capsys.readouterr().out
    store = ProfileStore.from_url(store_url)
    try:
        found = store.studio.user_with_hash("mia@example.com")
        assert found is not None and passwords.verify_password(found[1], "a long enough password")
        _stdin(monkeypatch, "another long password\n")
        assert main(["studio-user", "password", "mia@example.com", "--password-stdin"]) == 0
        found = store.studio.user_with_hash("mia@example.com")
        assert found is not None and passwords.verify_password(found[1], "another long password")
        assert main(["studio-user", "disable", "mia@example.com"]) == 0
        assert store.studio.users()[0].disabled
        assert [e.action for e in store.privacy.audit_entries()][:3] == [
            "studio.user_disabled",
            "studio.password_set",
            "studio.user_created",
        ]
    finally:
        store.dispose()


def test_short_password_and_unknown_user_are_refused(
    store_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _stdin(monkeypatch, "short\n")
    assert main(["studio-user", "add", "a@example.com", "--name", "A", "--role", "admin",
                 "--password-stdin"]) != 0  # fmt: skip
    assert "12 characters" in capsys.readouterr().err
    assert main(["studio-user", "disable", "nobody@example.com"]) == 1


def test_sales_users_are_added_from_a_terminal_too(
    store_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    _stdin(monkeypatch, "a long enough password\n")
    assert main(["studio-user", "add", "sam@example.com", "--name", "Sam", "--role", "sales",
                 "--password-stdin"]) == 0  # fmt: skip
    store = ProfileStore.from_url(store_url)
    try:
        assert [u.role for u in store.studio.users()] == ["sales"]
    finally:
        store.dispose()
