"""The store calls every outbox answers the same way, each framing its own transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.store import outbox
from bot.store.checks import utc
from bot.store.transactions import Transactions


@dataclass(frozen=True)
class OutboxCalls:
    tx: Transactions
    box: outbox.Outbox

    def count_due(self, now: datetime) -> int:
        at = utc(now)
        return self.tx.read(lambda conn: outbox.count_due(conn, self.box, at))

    def finish(
        self,
        row_id: int,
        status: str,
        error: str | None,
        retry_at: datetime | None,
        now: datetime | None,
    ) -> None:
        at, retry = utc(now), None if retry_at is None else utc(retry_at)
        self.tx.write(
            lambda conn: outbox.finish(
                conn, self.box, row_id, status, error=error, retry_at=retry, now=at
            )
        )

    def retry_failed(self, row_id: int | None, now: datetime | None) -> int:
        at = utc(now)
        return self.tx.write(lambda conn: outbox.retry_failed(conn, self.box, row_id, at))
