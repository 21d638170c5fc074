"""Alembic migrations run from code: no alembic.ini, no working-directory assumptions."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError

from bot.store.engine import WRITE_OPTION, make_engine
from bot.store.transactions import reraise

MIGRATIONS_DIR = Path(__file__).parent / "migrations"

# Serializes processes that start at once against one PostgreSQL database.
_PG_MIGRATION_LOCK = 0x7061726C6579  # "parley"


def upgrade(engine_or_url: Engine | str, revision: str = "head") -> None:
    _run(engine_or_url, lambda config: command.upgrade(config, revision))


def downgrade(engine_or_url: Engine | str, revision: str) -> None:
    _run(engine_or_url, lambda config: command.downgrade(config, revision))


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def alembic_config(connection: Connection | None = None) -> Config:
    """A Config for this package's migrations; `connection` is used by env.py if given."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR).replace("%", "%%"))
    config.attributes["connection"] = connection
    return config


def _run(engine_or_url: Engine | str, step: Callable[[Config], None]) -> None:
    owned = isinstance(engine_or_url, str)
    engine = make_engine(engine_or_url) if isinstance(engine_or_url, str) else engine_or_url
    try:
        with engine.connect() as conn:
            conn.execution_options(**{WRITE_OPTION: True})
            with conn.begin():
                _lock(conn)
                step(alembic_config(conn))
    except DBAPIError as exc:
        reraise(exc)
    finally:
        if owned:
            engine.dispose()


def _lock(conn: Connection) -> None:
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_MIGRATION_LOCK})
