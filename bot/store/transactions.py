"""One transaction per public call, database failures turned into StoreUnavailable."""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import Any, NoReturn, TypeVar, cast

from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError, IntegrityError, InterfaceError, OperationalError

from bot.errors import StoreUnavailable
from bot.store.engine import WRITE_OPTION

T = TypeVar("T")


class ConcurrentChange(Exception):
    """A contact this transaction meant to change was merged away meanwhile."""


_ATTEMPTS = 6
_BACKOFF_S = 0.005
_LONG_RUN_CACHE_KIB = 64 * 1024
_END = object()
# PostgreSQL serialization failure and deadlock: the transaction is safe to run again.
_RETRYABLE_PGCODES = frozenset({"40001", "40P01"})


class Transactions:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def read(self, work: Callable[[Connection], T]) -> T:
        try:
            return self._once(work, write=False)
        except DBAPIError as exc:
            reraise(exc)

    def write(self, work: Callable[[Connection], T]) -> T:
        """Run `work` in a write transaction, again (after a short random pause) each
        time it loses a race to a concurrent writer."""
        return _retrying(partial(self._once, work, write=True))

    def write_each(self, works: Iterable[Callable[[Connection], T]]) -> Iterator[T]:
        """`write` for each of `works` in turn, each in its own transaction and retried
        alone, all on one connection: a long run of short transactions (an import's)
        then keeps the database's page cache and does not connect again each time.

        On PostgreSQL the next work is taken from `works` in a worker thread while the
        current one's transaction runs, so whatever producing it costs overlaps the
        server's time. Not on SQLite: it runs in this process and takes Python's lock
        back for every row, so a busy worker would only hold it up.
        """
        try:
            conn = self.engine.connect()
        except DBAPIError as exc:
            reraise(exc)
        with conn:
            conn.execution_options(**_options(conn, True))
            if conn.dialect.name == "sqlite":
                _grow_page_cache(conn)
            else:
                works = _taken_ahead(works)
            for work in works:
                yield _retrying(partial(_in_transaction, conn, work))

    def _once(self, work: Callable[[Connection], T], *, write: bool) -> T:
        with self.engine.connect() as conn:
            conn.execution_options(**_options(conn, write))
            return _in_transaction(conn, work)


def _taken_ahead(items: Iterable[T]) -> Iterator[T]:
    """`items` in order, the next taken in a worker thread while the caller holds this
    one; an exception raised taking an item is raised where the caller takes it."""
    source = iter(items)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="taken-ahead") as worker:
        pending = worker.submit(next, source, _END)
        while (item := pending.result()) is not _END:
            pending = worker.submit(next, source, _END)
            yield cast(T, item)


def _grow_page_cache(conn: Connection) -> None:
    # A long run writes all over the same indexes; SQLite's default cache of 2 MiB then
    # spills to the WAL mid-transaction and reads pages back in every batch.
    cursor = conn.connection.cursor()
    try:
        cursor.execute(f"PRAGMA cache_size = -{_LONG_RUN_CACHE_KIB}")
    finally:
        cursor.close()


def _in_transaction(conn: Connection, work: Callable[[Connection], T]) -> T:
    with conn.begin():
        return work(conn)


def _retrying(once: Callable[[], T]) -> T:
    for attempt in range(1, _ATTEMPTS + 1):
        try:
            return once()
        except (ConcurrentChange, DBAPIError) as exc:
            if not _lost_race(exc):
                reraise(exc)
            if attempt == _ATTEMPTS:
                raise StoreUnavailable(f"write lost {attempt} races: {exc}") from exc
            time.sleep(random.uniform(0, _BACKOFF_S * 2**attempt))
    raise AssertionError("unreachable")


def _options(conn: Connection, write: bool) -> dict[str, Any]:
    if write:
        return {WRITE_OPTION: True}
    if conn.dialect.name == "postgresql":
        # One snapshot for the several statements a read needs; never fails on reads.
        return {"isolation_level": "REPEATABLE READ"}
    return {}


def _lost_race(exc: Any) -> bool:
    # A unique violation here means a concurrent writer created the same row first.
    if isinstance(exc, (ConcurrentChange, IntegrityError)):
        return True
    return _pgcode(exc) in _RETRYABLE_PGCODES


def _pgcode(exc: Any) -> str | None:
    return getattr(exc.orig, "pgcode", None)


def reraise(exc: Any) -> NoReturn:
    """Raise `exc`, as StoreUnavailable when the database could not be reached."""
    unavailable = isinstance(exc, (OperationalError, InterfaceError))
    if unavailable or exc.connection_invalidated:
        raise StoreUnavailable(str(exc.orig).strip() or type(exc.orig).__name__) from exc
    raise exc
