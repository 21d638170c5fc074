"""The same Parley on PostgreSQL: profile store and Rasa's tracker store, across a restart."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg2
import pytest

from tests.e2e.conftest import launch

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.postgres]
SERVER = "postgresql://postgres@127.0.0.1:5432"


@pytest.fixture
def database() -> Iterator[str]:
    try:
        admin = psycopg2.connect(f"{SERVER}/postgres", connect_timeout=3)
    except psycopg2.OperationalError:
        pytest.skip("no PostgreSQL server answers on 127.0.0.1:5432")
    admin.autocommit = True
    name = f"parley_e2e_{uuid.uuid4().hex[:10]}"
    with admin.cursor() as cursor:
        cursor.execute(f"CREATE DATABASE {name}")
    yield f"{SERVER}/{name}"
    with admin.cursor() as cursor:
        cursor.execute(f"DROP DATABASE {name} WITH (FORCE)")
    admin.close()


def test_conversation_on_postgres_survives_a_restart(
    database: str, trained_model: Path, tmp_path: Path
) -> None:
    urls = {"DATABASE_URL": database, "PARLEY_TRACKER_STORE_URL": database}
    first = launch(tmp_path / "one", trained_model, **urls)
    try:
        first.say("pg-1", "hi, I'm Nadia Ali from Quanta, nadia@quanta.io, can I get a demo?")
    finally:
        first.supervisor.stop()
        first.store.dispose()

    second = launch(tmp_path / "two", trained_model, **urls)
    try:
        assert "company" not in second.text("pg-1", "+1 212 555 0199")  # Quanta is remembered
        contact = second.store.contact_for_identity("rest", "pg-1")
        assert contact is not None
        assert (contact.name, contact.email, contact.company, contact.phone) == (
            "Nadia Ali", "nadia@quanta.io", "Quanta", "+12125550199",
        )  # fmt: skip
        assert second.slots("pg-1")["lead_email"] == "nadia@quanta.io"
    finally:
        second.supervisor.stop()
        second.store.dispose()
