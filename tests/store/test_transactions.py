"""bot.store.transactions.write_each on real databases: a transaction per work, one
connection for all, and a lost race retried alone."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator

import pytest
from sqlalchemy import insert, select
from sqlalchemy.engine import Connection, Engine

from bot.store.schema import contacts
from bot.store.transactions import Transactions
from tests.store.conftest import NOW


def _add(contact_id: str) -> dict[str, object]:
    return {"id": contact_id, "lead_status": "new", "created_at": NOW, "updated_at": NOW}


def test_write_each_commits_each_work_and_retries_only_a_lost_race(engine: Engine) -> None:
    attempts: list[str] = []
    connections: set[int] = set()

    def add(contact_id: str, first_try_clashes: bool = False) -> Callable[[Connection], str]:
        def work(conn: Connection) -> str:
            connections.add(id(conn.connection.dbapi_connection))
            attempts.append(contact_id)
            if first_try_clashes and attempts.count(contact_id) == 1:
                conn.execute(insert(contacts), [_add(contact_id + "x"), _add("a")])  # lost race
            conn.execute(insert(contacts), [_add(contact_id)])
            return contact_id

        return work

    done = list(Transactions(engine).write_each([add("a"), add("b", first_try_clashes=True)]))
    assert done == ["a", "b"]
    assert attempts == ["a", "b", "b"]
    assert len(connections) == 1
    with engine.connect() as conn:
        ids = sorted(conn.execute(select(contacts.c.id)).scalars())
    assert ids == ["a", "b"]  # the clashing attempt's "bx" went with its rollback


def test_write_each_on_postgresql_takes_the_next_work_in_a_worker(engine: Engine) -> None:
    producers: list[str] = []
    running: list[str] = []

    def works() -> Iterator[Callable[[Connection], str]]:
        for contact_id in ("a", "b", "c"):
            producers.append(threading.current_thread().name)

            def work(conn: Connection, contact_id: str = contact_id) -> str:
                running.append(contact_id)
                conn.execute(insert(contacts), [_add(contact_id)])
                return contact_id

            yield work
        raise ValueError("the fourth work cannot be made")

    done: list[str] = []
    with pytest.raises(ValueError, match="fourth"):
        for result in Transactions(engine).write_each(works()):
            done.append(result)
    assert done == running == ["a", "b", "c"]
    in_this_thread = {name == threading.current_thread().name for name in producers}
    assert in_this_thread == {engine.dialect.name == "sqlite"}  # SQLite needs Python's lock
    with engine.connect() as conn:
        assert sorted(conn.execute(select(contacts.c.id)).scalars()) == ["a", "b", "c"]
