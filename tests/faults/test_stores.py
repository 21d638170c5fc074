"""Rasa's stores as Parley configures them, against real Redis and PostgreSQL, with faults.

The lock store must give each message of a conversation its own ticket and serve them
one at a time in ticket order even when several servers (here: several store instances
with their own Redis connections, in threads) ask at the same moment. The tracker store
must retry a write through a short database outage and fail loudly after a long one,
never fall back to memory.
"""

from __future__ import annotations

import asyncio
import threading
import uuid
from collections.abc import Iterator

import pytest
import redis
from rasa.core.agent import Agent
from rasa.core.tracker_store import FailSafeTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from channels.rasa_stores import (
    AtomicRedisLockStore,
    StrictSQLTrackerStore,
    TrackerStoreUnavailable,
    unwrap_fail_safe,
)
from tests.databases import SERVER as PG_SERVER
from tests.databases import fresh_database
from tests.faults.tcp_proxy import TcpProxy

REDIS_URL = "redis://127.0.0.1:6379/5"


def redis_answers() -> bool:
    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_timeout=2).ping())
    except redis.RedisError:
        return False


needs_redis = pytest.mark.skipif(not redis_answers(), reason="no Redis on 127.0.0.1:6379")


def lock_store(url: str = REDIS_URL) -> AtomicRedisLockStore:
    return AtomicRedisLockStore(EndpointConfig(url=url, key_prefix=f"t{uuid.uuid4().hex[:8]}"))


@needs_redis
def test_concurrent_servers_never_share_a_ticket() -> None:
    prefix = f"t{uuid.uuid4().hex[:8]}"
    stores = [
        AtomicRedisLockStore(EndpointConfig(url=REDIS_URL, key_prefix=prefix)) for _ in range(4)
    ]
    tickets: list[int] = []
    guard = threading.Lock()

    def issue(store: AtomicRedisLockStore) -> None:
        mine = [store.issue_ticket("conversation-1", 60) for _ in range(40)]
        with guard:
            tickets.extend(mine)

    threads = [threading.Thread(target=issue, args=(store,)) for store in stores]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(tickets) == list(range(160))  # Rasa numbers from 0
    lock = stores[0].get_lock("conversation-1")
    assert lock is not None and len(lock.tickets) == 160


@needs_redis
def test_messages_of_one_conversation_are_served_one_at_a_time_in_ticket_order() -> None:
    prefix = f"t{uuid.uuid4().hex[:8]}"
    servers = [
        AtomicRedisLockStore(EndpointConfig(url=REDIS_URL, key_prefix=prefix)) for _ in range(2)
    ]
    served: list[int] = []
    inside = 0

    async def turn(number: int) -> None:
        nonlocal inside
        await asyncio.sleep(number * 0.02)  # arrive in this order, on alternating servers
        async with servers[number % 2].lock("c-1", wait_time_in_seconds=0.01):
            inside += 1
            assert inside == 1, "two messages of one conversation were processed at once"
            served.append(number)
            await asyncio.sleep(0.03)
            inside -= 1

    async def main() -> None:
        await asyncio.gather(*(turn(n) for n in range(12)))

    asyncio.run(main())
    assert served == list(range(12))
    assert servers[0].get_lock("c-1") is None  # the last one out removed the lock


@needs_redis
def test_lock_store_refuses_a_url_that_is_not_redis() -> None:
    with pytest.raises(ValueError, match="redis://"):
        AtomicRedisLockStore(EndpointConfig(url="localhost:6379"))


@needs_redis
def test_lock_store_ping_fails_while_redis_is_away() -> None:
    with TcpProxy("127.0.0.1", 6379) as proxy:
        store = lock_store(f"redis://127.0.0.1:{proxy.port}/5")
        store.ping()
        proxy.cut()
        with pytest.raises(redis.ConnectionError):
            store.ping()
        proxy.restore()
        store.ping()


@pytest.fixture
def pg_database() -> Iterator[str]:
    with fresh_database("parley_faults") as url:
        yield url.rsplit("/", 1)[1]


def tracker_with(sender: str, *texts: str) -> DialogueStateTracker:
    tracker = DialogueStateTracker(sender, slots=[])
    for text in texts:
        tracker.update(UserUttered(text))
    return tracker


def strict_store(url: str, db: str) -> StrictSQLTrackerStore:
    return StrictSQLTrackerStore(domain=Domain.empty(), dialect="postgresql", host=url, db=db)


@pytest.mark.postgres
def test_a_write_during_a_short_outage_is_retried_and_lands_once(pg_database: str) -> None:
    with TcpProxy("127.0.0.1", 5432) as proxy:
        store = strict_store(
            f"postgresql://postgres@127.0.0.1:{proxy.port}/{pg_database}", pg_database
        )
        asyncio.run(store.save(tracker_with("s-1", "hello")))
        proxy.cut()
        threading.Timer(0.6, proxy.restore).start()
        asyncio.run(store.save(tracker_with("s-1", "hello", "it is me again")))
        stored = asyncio.run(store.retrieve("s-1"))
        store.engine.dispose()
    assert stored is not None
    texts = [e.text for e in stored.events if isinstance(e, UserUttered)]
    assert texts == ["hello", "it is me again"]


@pytest.mark.postgres
def test_a_long_outage_fails_loudly_instead_of_forgetting(pg_database: str) -> None:
    with TcpProxy("127.0.0.1", 5432) as proxy:
        store = strict_store(
            f"postgresql://postgres@127.0.0.1:{proxy.port}/{pg_database}", pg_database
        )
        asyncio.run(store.save(tracker_with("s-2", "hello")))
        proxy.cut()
        with pytest.raises(TrackerStoreUnavailable, match="s-2"):
            asyncio.run(store.save(tracker_with("s-2", "hello", "lost?")))
        with pytest.raises(TrackerStoreUnavailable):
            asyncio.run(store.retrieve("s-2"))
        with pytest.raises(Exception):  # noqa: B017 - whatever psycopg2 says, ping must not pass
            store.ping()
        proxy.restore()
        stored = asyncio.run(store.retrieve("s-2"))
        store.engine.dispose()
    # Nothing half-written: the conversation is as it was before the outage.
    assert stored is not None
    assert [e.text for e in stored.events if isinstance(e, UserUttered)] == ["hello"]


@pytest.mark.postgres
def test_rasa_agent_loses_its_in_memory_fallback(pg_database: str) -> None:
    store = strict_store(f"{PG_SERVER}/{pg_database}", pg_database)
    agent = Agent(tracker_store=store)
    assert isinstance(agent.tracker_store, FailSafeTrackerStore)  # what stock Rasa does
    assert unwrap_fail_safe(agent)
    assert agent.tracker_store is store
    assert not unwrap_fail_safe(agent)
    store.engine.dispose()
