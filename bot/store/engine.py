"""Engines for the profile store: SQLite by default, PostgreSQL by URL."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.pool import QueuePool, StaticPool

# Execution option set by writers: SQLite then takes the write lock up front (BEGIN
# IMMEDIATE), so a read-then-write transaction waits on busy_timeout instead of failing.
WRITE_OPTION = "parley_write"

_SQLITE_PRAGMAS = ("busy_timeout=5000", "foreign_keys=ON", "journal_mode=WAL")
_PG_CONNECT_TIMEOUT_S = 10


def make_engine(
    url: str, *, connect_args: Mapping[str, Any] | None = None, keep_connections: bool = False
) -> Engine:
    """An engine for `url`; no connection is opened until first use.

    With `keep_connections`, a SQLite file's connections are pooled (for a caller that
    runs on every turn) rather than opened, configured and closed each time."""
    sa_url = make_url(_normalize(url))
    args = dict(connect_args or {})
    if sa_url.get_backend_name() == "sqlite":
        return _sqlite_engine(sa_url, args, keep_connections)
    if sa_url.get_backend_name() == "postgresql":
        args.setdefault("connect_timeout", _PG_CONNECT_TIMEOUT_S)
    return create_engine(sa_url, future=True, pool_pre_ping=True, connect_args=args)


def _normalize(url: str) -> str:
    # Hosting providers still hand out the "postgres://" scheme SQLAlchemy dropped.
    if url.startswith("postgres://"):
        return "postgresql://" + url.removeprefix("postgres://")
    return url


def _sqlite_engine(url: URL, connect_args: dict[str, Any], keep_connections: bool) -> Engine:
    database = url.database or ""
    if database in ("", ":memory:"):
        # One shared connection, or every checkout would see its own empty database.
        connect_args.setdefault("check_same_thread", False)
        engine = create_engine(url, future=True, poolclass=StaticPool, connect_args=connect_args)
    else:
        Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        pooling: dict[str, Any] = {}
        if keep_connections:
            # Opening one costs its PRAGMAs, and closing the last one a WAL checkpoint:
            # about 2 ms a transaction. A pooled connection serves one thread at a time.
            connect_args.setdefault("check_same_thread", False)
            pooling = {"poolclass": QueuePool, "pool_size": 2, "max_overflow": 8}
        engine = create_engine(url, future=True, connect_args=connect_args, **pooling)
    event.listen(engine, "connect", _configure_sqlite)
    event.listen(engine, "begin", _begin_sqlite)
    return engine


def _configure_sqlite(dbapi_connection: Any, _record: Any) -> None:
    # pysqlite's own transaction handling is off; _begin_sqlite emits BEGIN itself.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        for pragma in _SQLITE_PRAGMAS:
            cursor.execute(f"PRAGMA {pragma}")
    finally:
        cursor.close()


def _begin_sqlite(connection: Any) -> None:
    writing = connection.get_execution_options().get(WRITE_OPTION, False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if writing else "BEGIN")
