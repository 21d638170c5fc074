"""A fresh PostgreSQL database for a test or a module, dropped with everything in it."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg2
import pytest

from bot.settings import MACHINE_SECRETS

SERVER = "postgresql://postgres@127.0.0.1:5432"


def shared_secrets(database_url: str) -> dict[str, str]:
    """On PostgreSQL every machine must be given these (Parley generates none there)."""
    if not database_url.startswith("postgres"):
        return {}
    return {key: f"test-{key.lower()}-0123456789abcdef" for key in MACHINE_SECRETS}


@contextmanager
def fresh_database(prefix: str) -> Iterator[str]:
    """The new database's URL; the test is skipped when no PostgreSQL server answers."""
    try:
        admin = psycopg2.connect(f"{SERVER}/postgres", connect_timeout=3)
    except psycopg2.OperationalError:
        pytest.skip("no PostgreSQL server answers on 127.0.0.1:5432")
    admin.autocommit = True
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    with admin.cursor() as cursor:
        cursor.execute(f"CREATE DATABASE {name}")
    try:
        yield f"{SERVER}/{name}"
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f"DROP DATABASE {name} WITH (FORCE)")
        admin.close()
