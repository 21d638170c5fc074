"""Settling what was tried from a leased outbox (`bot.store.outbox`): each claimed row is
delivered, retried later with backoff, or failed for good once retrying cannot help.

Handoff deliveries (`bot.handoff`) and event webhooks (`bot.webhooks`) are tried each in
their own way and settled here; only the campaign worker drains them.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

_FIRST_RETRY = timedelta(seconds=30)
_LONGEST_WAIT = timedelta(hours=1)


@dataclass(frozen=True)
class DeliveryReport:
    delivered: int = 0
    retrying: int = 0
    failed: int = 0


@dataclass(frozen=True)
class Attempt:
    """One try of a claimed row; `error` is None when it was delivered."""

    row_id: int
    attempts: int  # this try included
    error: str | None = None
    retryable: bool = False


class Finish(Protocol):
    """The store method that records how a try of a row ended and releases its lease."""

    def __call__(
        self,
        row_id: int,
        status: str,
        /,
        *,
        error: str | None = None,
        retry_at: datetime | None = None,
        now: datetime | None = None,
    ) -> None: ...


def backoff(attempts: int, rng: random.Random | None = None) -> timedelta:
    """30 s, 1 min, 2 min, ... up to an hour, with up to 20% jitter."""
    wait: timedelta = min(_FIRST_RETRY * 2 ** max(0, attempts - 1), _LONGEST_WAIT)
    jitter: float = (rng or random.Random()).uniform(0, 0.2)
    return wait * (1 + jitter)


def settle(
    finish: Finish, tries: Iterable[Attempt], max_attempts: int, now: datetime
) -> DeliveryReport:
    """Record each try as it comes (a lazy `tries` sends one row, then settles it, so a
    crash loses at most the try in flight, which its lease brings back)."""
    outcomes = Counter(_settle(finish, attempt, max_attempts, now) for attempt in tries)
    return DeliveryReport(outcomes["delivered"], outcomes["retrying"], outcomes["failed"])


def _settle(finish: Finish, attempt: Attempt, max_attempts: int, now: datetime) -> str:
    if attempt.error is None:
        finish(attempt.row_id, "delivered", now=now)
        return "delivered"
    if attempt.retryable and attempt.attempts < max_attempts:
        retry_at = now + backoff(attempt.attempts)
        finish(attempt.row_id, "pending", error=attempt.error, retry_at=retry_at, now=now)
        return "retrying"
    finish(attempt.row_id, "failed", error=attempt.error, now=now)
    return "failed"
