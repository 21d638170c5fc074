"""Trying a send again at once after a transient failure, with exponential backoff.

For chat replies: a person is waiting, so they cannot wait for the campaign outbox's
next tick. Campaign sends never come through here; their outbox schedules its retries.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from senders.interface import OutboundMessage, Sender, SendFailed, SendReceipt

logger = logging.getLogger(__name__)

ATTEMPTS = 3
FIRST_BACKOFF_S = 0.5
MAX_WAIT_S = 30.0  # someone is waiting: a longer flood-control wait is not worth it


def retryable(failure: SendFailed) -> bool:
    return failure.retryable


def worth_another_try(failure: SendFailed) -> bool:
    """A reply that may have gone out is sent again all the same: someone waiting on an
    answer is better served by a rare double than by silence."""
    return failure.retryable or failure.maybe_sent


async def send_with_retries(
    sender: Sender,
    message: OutboundMessage,
    worth_retrying: Callable[[SendFailed], bool] = retryable,
    attempts: int = ATTEMPTS,
) -> SendReceipt:
    """The receipt of the first attempt that worked; the last SendFailed otherwise."""
    for attempt in range(1, attempts):
        try:
            return await sender.send(message)
        except SendFailed as failure:
            if not worth_retrying(failure):
                raise
            logger.warning("send to %s failed (try %d), retrying: %s", message.to, attempt, failure)
            await asyncio.sleep(_pause(failure, attempt))
    return await sender.send(message)


def _pause(failure: SendFailed, attempt: int) -> float:
    # The provider's own "retry after" beats our guess: sooner would be refused again.
    if failure.retry_after_s is not None:
        return min(failure.retry_after_s, MAX_WAIT_S)
    return float(FIRST_BACKOFF_S * 2 ** (attempt - 1))
