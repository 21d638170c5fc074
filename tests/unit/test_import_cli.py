"""`parley contacts import` and `parley contacts enrich` in a subprocess, against a SQLite
file named by DATABASE_URL."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.settings import PROJECT_ROOT
from bot.store import ProfileStore, upgrade
from tests.store.messy_contacts import SALT, prepare_store, write_messy_csv


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    url = f"sqlite:///{tmp_path / 'parley.db'}"
    upgrade(url)
    store = ProfileStore.from_url(url)
    prepare_store(store)
    store.dispose()
    return {
        **os.environ,
        "DATABASE_URL": url,
        "PARLEY_DATA_DIR": str(tmp_path / "var"),
        "PARLEY_ERASURE_SALT": SALT,
        "PARLEY_DEFAULT_REGION": "US",
    }


def parley(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cli.main", "contacts", *args],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def count(env: dict[str, str]) -> int:
    store = ProfileStore.from_url(env["DATABASE_URL"])
    try:
        return store.contacts.count()
    finally:
        store.dispose()


def test_contacts_import_cli_dry_run_then_import(env: dict[str, str], tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    line = write_messy_csv(path)
    dry = parley(env, "import", str(path), "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "(dry run: nothing written)" in dry.stdout
    assert count(env) == 1
    done = parley(env, "import", str(path))
    assert done.returncode == 0, done.stderr
    assert "  new contacts               5" in done.stdout
    assert "  merged with existing       1" in done.stdout
    assert f"bad row, line {line['bad_email']}: invalid email" in done.stdout
    assert f"suppressed, lines: {line['gone_email']}, {line['gone_phone']}" in done.stdout
    assert count(env) == 6


def test_contacts_import_cli_maps_columns_and_reads_semicolons(
    env: dict[str, str], tmp_path: Path
) -> None:
    path = tmp_path / "crm.csv"
    path.write_text("Who;Work mail;Cell\nBea Ruiz;bea@ruiz.es;+34 612 345 678\n", encoding="utf-8")
    done = parley(
        env,
        "import",
        str(path),
        "--delimiter",
        ";",
        "--map",
        "name=Who",
        "--map",
        "email=Work mail",
    )
    assert done.returncode == 0, done.stderr
    store = ProfileStore.from_url(env["DATABASE_URL"])
    bea = store.contacts.find("bea@ruiz.es")
    store.dispose()
    assert bea is not None
    # Spanish mobiles span Madrid's zone and the Canaries': no single zone to store.
    assert (bea.name, bea.phone, bea.country, bea.timezone) == (
        "Bea Ruiz",
        "+34612345678",
        "ES",
        None,
    )


def test_contacts_import_cli_explains_a_bad_mapping(env: dict[str, str], tmp_path: Path) -> None:
    path = tmp_path / "crm.csv"
    path.write_text("Who,Notes\nBea,hi\n", encoding="utf-8")
    failed = parley(env, "import", str(path))
    assert failed.returncode == 1
    assert "no column for email or phone" in failed.stderr


def test_contacts_enrich_cli_enriches_existing_contacts(env: dict[str, str]) -> None:
    store = ProfileStore.from_url(env["DATABASE_URL"])
    contact = store.leads.update_fields(
        "web", "w-9", {"email": "kim@acme.io", "phone": "+12125550142"}, "w-9"
    )
    assert contact.timezone is None
    done = parley(env, "enrich")
    assert done.returncode == 0, done.stderr
    assert "enriched 2 contacts" in done.stdout
    enriched = store.contacts.get(contact.id)
    store.dispose()
    assert (enriched.company_domain, enriched.country, enriched.timezone) == (
        "acme.io",
        "US",
        "America/New_York",
    )
    assert enriched.updated_at == contact.updated_at
