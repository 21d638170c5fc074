"""What every messaging connector does with a webhook it accepted: handle each provider
message once, answer the provider at once and converse in the background, one turn at a
time per sender, and finish what is running before the server stops."""

from __future__ import annotations

import asyncio
import logging
import weakref
from collections.abc import Coroutine
from typing import Any

from bot.errors import StoreUnavailable
from bot.store import ProfileStore

logger = logging.getLogger(__name__)


class InboundWork:
    def __init__(self, store: ProfileStore, provider: str) -> None:
        self._store = store
        self._provider = provider
        self._tasks: set[asyncio.Task[None]] = set()
        # A sender's lock lives while a turn holds or waits for it, then goes.
        self._locks: weakref.WeakValueDictionary[str, asyncio.Lock] = weakref.WeakValueDictionary()

    async def first_delivery(self, message_id: str) -> bool:
        """False for a provider's retry of a message already handled."""
        try:
            return await asyncio.to_thread(
                self._store.messages.claim_inbound, self._provider, message_id
            )
        except StoreUnavailable as error:
            # Better a rare double answer than silence while the database is away.
            logger.error(
                "cannot dedupe %s %s, handling it anyway: %s", self._provider, message_id, error
            )
            return True

    def spawn(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def turn_lock(self, sender: str) -> asyncio.Lock:
        """Held for a sender's turn and its replies, so they keep the order they came in."""
        lock = self._locks.get(sender)
        if lock is None:
            lock = self._locks[sender] = asyncio.Lock()
        return lock

    async def finish(self, timeout: float = 10) -> None:
        if self._tasks:
            await asyncio.wait(self._tasks, timeout=timeout)
