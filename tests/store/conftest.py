"""Real databases for store tests: a SQLite file, and a throwaway PostgreSQL schema."""

from __future__ import annotations

import gc
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from functools import cache
from pathlib import Path

import psycopg2
import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine

from bot.store import ProfileStore, make_engine, upgrade

PG_URL = "postgresql://postgres@127.0.0.1:5432/test"
NOW = datetime(2024, 5, 1, 12, 0, tzinfo=timezone.utc)


def at(seconds: float) -> datetime:
    """A fixed instant `seconds` after NOW."""
    return NOW + timedelta(seconds=seconds)


BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@cache
def postgres_answers() -> bool:
    try:
        psycopg2.connect(PG_URL, connect_timeout=2).close()
    except psycopg2.OperationalError:
        return False
    return True


def sqlite_engine(directory: Path) -> Engine:
    return make_engine(f"sqlite:///{directory / 'data' / 'parley.db'}")


@contextmanager
def fresh_pg_schema() -> Iterator[str]:
    """A fresh schema in the test database, dropped with everything in it afterwards."""
    if not postgres_answers():
        pytest.skip(f"no PostgreSQL server answers at {PG_URL}")
    schema = f"t_{uuid.uuid4().hex}"
    admin = make_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield schema
    finally:
        # A connection a test left checked out in a transaction would hold the DROP
        # forever (it did once, 29 minutes into a CI run): its locks go with it.
        gc.collect()
        with admin.begin() as conn:
            conn.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE application_name = :schema AND pid <> pg_backend_pid()"
                ),
                {"schema": schema},
            )
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def pg_schema() -> Iterator[str]:
    with fresh_pg_schema() as schema:
        yield schema


def pg_engine(schema: str) -> Engine:
    # Named for its schema, so the schema's teardown can find what it left open.
    args = {"options": f"-csearch_path={schema}", "application_name": schema}
    return make_engine(PG_URL, connect_args=args)


@pytest.fixture(params=BACKENDS)
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """An engine on a database migrated to head, per backend."""
    if request.param == "sqlite":
        engine = sqlite_engine(tmp_path)
    else:
        engine = pg_engine(request.getfixturevalue("pg_schema"))
    try:
        upgrade(engine)
        yield engine
    finally:
        engine.dispose()


@pytest.fixture
def store(engine: Engine) -> ProfileStore:
    return ProfileStore(engine)


@pytest.fixture
def tracker_url(engine: Engine, tmp_path: Path) -> Iterator[str]:
    """A database for Rasa's tracker store, apart from the profile store's, on the same
    backend as `engine`; it has no tables yet (see tests.store.rasa_tracker)."""
    if engine.dialect.name == "sqlite":
        yield f"sqlite:///{tmp_path / 'tracker' / 'rasa.db'}"
        return
    with fresh_pg_schema() as schema:
        yield f"{PG_URL}?options=-csearch_path%3D{schema}"
