"""ProfileStore's CRM sync methods: cursors over integration events, and failures."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.store import crm
from bot.store.checks import check_text, utc
from bot.store.records import CrmSyncFailure, IntegrationEvent
from bot.store.transactions import Transactions


class CrmStore:
    """Mixed into ProfileStore; every method is one transaction, like the store's own."""

    _tx: Transactions

    def crm_cursor(self, connector: str) -> int:
        """The id of the last integration event `connector` has dealt with (0: none)."""
        return self._tx.read(lambda conn: crm.cursor(conn, connector)[0])

    def move_crm_cursor(self, connector: str, position: int, now: datetime) -> None:
        check_text("connector", connector)
        at = utc(now)
        self._tx.write(lambda conn: crm.move(conn, connector, position, at))

    def integration_events_after(
        self, position: int, kinds: Sequence[str], limit: int = 500
    ) -> list[IntegrationEvent]:
        """Events of these kinds with an id above `position`, oldest first."""
        wanted = list(kinds)
        return self._tx.read(lambda conn: crm.events_after(conn, position, wanted, limit))

    def count_integration_events_after(self, position: int, kinds: Sequence[str]) -> int:
        wanted = list(kinds)
        return self._tx.read(lambda conn: crm.count_after(conn, position, wanted))

    def record_crm_failure(
        self, connector: str, error: str, *, attempts: int, retry_at: datetime | None,
        now: datetime,
    ) -> CrmSyncFailure:  # fmt: skip
        """Kept in the audit log with email addresses redacted."""
        check_text("connector", connector)
        at, retry = utc(now), None if retry_at is None else utc(retry_at)
        return self._tx.write(
            lambda conn: crm.record_failure(conn, connector, error, attempts, retry, at)
        )

    def crm_failure(self, connector: str) -> CrmSyncFailure | None:
        """The latest failure, unless the cursor has moved on since."""
        return self._tx.read(lambda conn: crm.current_failure(conn, connector))
