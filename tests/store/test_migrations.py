from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect
from sqlalchemy.engine import Engine

from bot.store import current_revision, downgrade, make_engine, upgrade
from bot.store.migrate import alembic_config
from bot.store.schema import metadata

HEAD = ScriptDirectory.from_config(alembic_config()).get_current_head()


def schema_diffs(engine: Engine) -> list[object]:
    with engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "compare_server_default": True}
        )
        return list(compare_metadata(context, metadata))


def test_upgrade_builds_the_schema_of_schema_py(engine: Engine) -> None:
    assert schema_diffs(engine) == []


def test_upgrade_records_head_revision(engine: Engine) -> None:
    assert current_revision(engine) == HEAD == "0018"


def test_upgrade_twice_changes_nothing(engine: Engine) -> None:
    upgrade(engine)
    assert current_revision(engine) == HEAD
    assert schema_diffs(engine) == []


def test_downgrade_to_base_drops_every_table(engine: Engine) -> None:
    downgrade(engine, "base")
    assert current_revision(engine) is None
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    upgrade(engine)
    assert schema_diffs(engine) == []


def test_upgrade_accepts_a_url(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'parley.db'}"
    upgrade(url)
    engine = make_engine(url)
    try:
        assert current_revision(engine) == HEAD
    finally:
        engine.dispose()


def test_downgrade_to_0001_drops_consent_and_privacy_tables(engine: Engine) -> None:
    downgrade(engine, "0001")
    assert current_revision(engine) == "0001"
    assert set(inspect(engine).get_table_names()) == {
        "alembic_version",
        "contacts",
        "channel_identities",
        "contact_aliases",
        "leads",
        "lead_answers",
        "timeline_events",
    }
    upgrade(engine)
    assert schema_diffs(engine) == []


def test_downgrade_to_0002_drops_the_message_tables(engine: Engine) -> None:
    downgrade(engine, "0002")
    assert current_revision(engine) == "0002"
    tables = set(inspect(engine).get_table_names())
    assert not tables & {"inbound_messages", "message_statuses"}
    assert "consent_events" in tables
    upgrade(engine)
    assert schema_diffs(engine) == []


def test_downgrade_to_0017_drops_custom_field_values_and_keeps_the_rest(engine: Engine) -> None:
    downgrade(engine, "0017")
    assert current_revision(engine) == "0017"
    tables = set(inspect(engine).get_table_names())
    assert "custom_field_values" not in tables
    assert {"contacts", "qualification_answers", "inbox_messages"} <= tables
    upgrade(engine)
    assert "custom_field_values" in inspect(engine).get_table_names()
    assert schema_diffs(engine) == []
