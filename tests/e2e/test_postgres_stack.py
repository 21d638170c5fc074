"""The same Parley on PostgreSQL: profile store and Rasa's tracker store, across a restart."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.databases import fresh_database
from tests.e2e.conftest import launch, rest_id

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.postgres]


@pytest.fixture
def database() -> Iterator[str]:
    with fresh_database("parley_e2e") as url:
        yield url


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
        contact = second.store.contacts.for_identity("rest", rest_id("pg-1"))
        assert contact is not None
        assert (contact.name, contact.email, contact.company, contact.phone) == (
            "Nadia Ali",
            "nadia@quanta.io",
            "Quanta",
            "+12125550199",
        )
        assert second.slots("pg-1")["lead_email"] == "nadia@quanta.io"
    finally:
        second.supervisor.stop()
        second.store.dispose()
