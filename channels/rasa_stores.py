"""Rasa's own tracker and lock stores, made safe for several Rasa servers.

Stock Rasa 3.6 has two flaws that lose or reorder conversations at scale:

* its `RedisLockStore` issues a ticket by reading the lock, adding to it and writing it
  back, so two servers taking a ticket for one conversation at the same moment can both
  get ticket 1 and process two messages at once (rasa#9213). `AtomicRedisLockStore`
  makes every change to a lock one optimistic Redis transaction (WATCH/MULTI);
* its agent wraps every tracker store in a `FailSafeTrackerStore` that, when the database
  fails, saves to memory and reads back an empty conversation (rasa#6125).
  `StrictSQLTrackerStore` retries a failed read or write a few times and then raises, so
  the channel answers the person with an apology instead of silently forgetting them;
  `unwrap_fail_safe` (called by `channels.ops` on every agent) removes the wrapper.

And one that makes long conversations slow: its SQL store reads, deserialises and hands on
every event of the session each turn. `StrictSQLTrackerStore` reads only the last turns
with the state before them and appends what a turn adds (channels/tracker_window.py).

Both are configured in endpoints.yml by module path, which Rasa supports.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar
from urllib.parse import unquote, urlsplit

import redis
from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, RedisLockStore
from rasa.core.tracker_store import FailSafeTrackerStore, SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from bot.store import ConversationWindows, make_engine
from channels.tracker_window import (
    StoredPart,
    ends_turn,
    mark_stored,
    new_event_row,
    snapshot_of,
    stored_part,
    tracker_from,
)

logger = logging.getLogger(__name__)

T = TypeVar("T")

# A write that fails is tried again after these pauses (seconds), then the turn fails
# and the person is told; a few seconds covers a database failover or restart.
RETRY_PAUSES = (0.25, 0.5, 1.0, 2.0)
# Locks of conversations whose server died keep only expired tickets; Redis forgets
# them after this long instead of keeping them forever.
LOCK_KEY_TTL_SECONDS = max(int(LOCK_LIFETIME) * 4, 300)
# Turns of a conversation Rasa and the action server are given (endpoints.yml can say
# otherwise with `window_turns`). Policies need 5 (TEDPolicy max_history); the rest
# lets actions look back at what was said lately ("I answered that just above").
WINDOW_TURNS = 20


class TrackerStoreUnavailable(Exception):
    """The conversation database could not be read or written, even after retries."""


class StrictSQLTrackerStore(SQLTrackerStore):
    """Rasa's SQL tracker store that retries, checks connections, never pretends, and
    reads only the last turns of a conversation (channels/tracker_window.py)."""

    # Rasa builds the engine. After a database restart SQLAlchemy sees the dropped
    # connections as disconnects and replaces the whole pool, so a retry reconnects.
    engine: Any

    def __init__(
        self, domain: Domain | None = None, window_turns: int | str = WINDOW_TURNS, **kwargs: Any
    ) -> None:
        super().__init__(domain, **kwargs)
        url = self.engine.url.render_as_string(hide_password=False)
        self.windows = ConversationWindows(
            make_engine(url, keep_connections=True), int(window_turns)
        )

    async def save(self, tracker: DialogueStateTracker) -> None:
        part = stored_part(tracker)
        if part is None:
            # A tracker Rasa made itself: Rasa writes only the events the database does
            # not have yet, so a retry after a failed commit never stores one twice.
            save = lambda: SQLTrackerStore.save(self, tracker)  # noqa: E731
            await _retrying("save", tracker.sender_id, save)
            return
        await _retrying("save", tracker.sender_id, lambda: self._append(tracker, part))

    async def _append(self, tracker: DialogueStateTracker, part: StoredPart) -> None:
        added = list(itertools.islice(tracker.events, part.events, None))
        if not added:
            return
        if self.event_broker is not None:
            await self._stream_new_events(self.event_broker, added, tracker.sender_id)
        snapshot = snapshot_of(tracker) if ends_turn(tracker) else None
        rows = [new_event_row(event) for event in added]
        last = await asyncio.to_thread(
            self.windows.append,
            tracker.sender_id,
            part.last_event_id,
            rows,
            snapshot,
            part.snapshot_event_id,
        )
        mark_stored(tracker, StoredPart(len(tracker.events), last, part.snapshot_event_id))

    async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
        return await _retrying("read", sender_id, lambda: self._read_window(sender_id))

    async def _read_window(self, sender_id: str) -> DialogueStateTracker | None:
        if self.domain is None:
            return None  # as Rasa's: no slots to restore without a domain
        window = await asyncio.to_thread(self.windows.read, sender_id)
        if window is None:
            return None
        return tracker_from(window, sender_id, self.domain.slots)

    async def retrieve_full_tracker(self, sender_id: str) -> DialogueStateTracker | None:
        return await _retrying(
            "read", sender_id, lambda: SQLTrackerStore.retrieve_full_tracker(self, sender_id)
        )

    def ping(self) -> None:
        """Raise unless the conversation database answers."""
        with self.engine.connect() as connection:
            connection.exec_driver_sql("SELECT 1")


async def _retrying(what: str, sender_id: str, attempt: Callable[[], Awaitable[T]]) -> T:
    for pause in (*RETRY_PAUSES, None):
        try:
            return await attempt()
        # The call is a database read or write and nothing else; whatever the driver
        # raised (a lost connection, a failover, a lock timeout), trying again is safe,
        # and the last error goes on to the channel, which answers the person.
        except Exception as error:
            if pause is None:
                raise TrackerStoreUnavailable(
                    f"could not {what} conversation {sender_id}: {error}"
                ) from error
            logger.warning("conversation %s: %s failed, retrying in %ss", sender_id, what, pause)
            await asyncio.sleep(pause)
    raise AssertionError("unreachable")


def unwrap_fail_safe(agent: Any) -> bool:
    """Take Rasa's in-memory fallback off a strict tracker store; True if it was there."""
    wrapped = agent.tracker_store
    if not isinstance(wrapped, FailSafeTrackerStore):
        return False
    inner = wrapped._tracker_store  # Rasa keeps no public handle on it
    if not isinstance(inner, StrictSQLTrackerStore):
        return False
    agent.tracker_store = inner
    if agent.processor is not None:
        agent.processor.tracker_store = inner
    return True


class AtomicRedisLockStore(RedisLockStore):
    """Rasa's Redis ticket lock store with every change made in one Redis transaction."""

    def __init__(self, endpoint_config: EndpointConfig) -> None:
        url = endpoint_config.url or ""
        parts = urlsplit(url)
        if parts.scheme not in {"redis", "rediss"} or not parts.hostname:
            raise ValueError(f"lock store url {url!r}: expected redis://host:port/db")
        db = parts.path.lstrip("/") or "1"
        super().__init__(
            host=parts.hostname,
            port=parts.port or 6379,
            db=int(db),
            password=unquote(parts.password) if parts.password else None,
            use_ssl=parts.scheme == "rediss",
            key_prefix=endpoint_config.kwargs.get("key_prefix", "parley"),
            socket_timeout=3,
        )

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        def take(lock: TicketLock) -> int:
            lock.remove_expired_tickets()
            return lock.issue_ticket(lock_lifetime)

        ticket: int = self._change(conversation_id, take, create=True)
        return ticket

    def update_lock(self, conversation_id: str) -> None:
        self._change(conversation_id, lambda lock: lock.remove_expired_tickets())

    def finish_serving(self, conversation_id: str, ticket_number: int) -> None:
        self._change(conversation_id, lambda lock: lock.remove_ticket_for(ticket_number))

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        # Stock Rasa deletes the lock in a second step, which can delete a ticket another
        # server issued in between; here removal and deletion are one transaction.
        self.finish_serving(conversation_id, ticket_number)

    def ping(self) -> None:
        self.red.ping()

    def _change(
        self, conversation_id: str, change: Callable[[TicketLock], T], *, create: bool = False
    ) -> Any:
        key = self.key_prefix + conversation_id
        with self.red.pipeline() as pipe:
            while True:
                try:
                    pipe.watch(key)
                    lock = self._read(pipe, key, conversation_id, create)
                    if lock is None:
                        pipe.unwatch()
                        return None
                    result = change(lock)
                    pipe.multi()
                    if lock.tickets:
                        pipe.set(key, lock.dumps(), ex=LOCK_KEY_TTL_SECONDS)
                    else:
                        pipe.delete(key)
                    pipe.execute()
                    return result
                except redis.WatchError:
                    continue  # another server changed this lock: read it again

    @staticmethod
    def _read(pipe: Any, key: str, conversation_id: str, create: bool) -> TicketLock | None:
        raw = pipe.get(key)
        if raw:
            return TicketLock.from_dict(json.loads(raw))
        return TicketLock(conversation_id) if create else None
