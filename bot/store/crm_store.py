"""ProfileStore's CRM sync methods: cursors over integration events, failures, and the
deletions of erased people's CRM copies."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.store import crm
from bot.store.checks import check_text, utc
from bot.store.crm import CrmErasure
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
        self,
        connector: str,
        error: str,
        *,
        attempts: int,
        retry_at: datetime | None,
        now: datetime,
    ) -> CrmSyncFailure:
        """Kept in the audit log with email addresses redacted."""
        check_text("connector", connector)
        at, retry = utc(now), None if retry_at is None else utc(retry_at)
        return self._tx.write(
            lambda conn: crm.record_failure(conn, connector, error, attempts, retry, at)
        )

    def crm_failure(self, connector: str) -> CrmSyncFailure | None:
        """The latest failure, unless the cursor has moved on since."""
        return self._tx.read(lambda conn: crm.current_failure(conn, connector))

    def queue_crm_erasure(self, connector: str, contact_id: str, email: str, now: datetime) -> None:
        """Delete this erased contact's copy from `connector`'s CRM (done by `sync_due`)."""
        check_text("connector", connector)
        check_text("email", email)
        at = utc(now)
        self._tx.write(lambda conn: crm.queue_erasure(conn, connector, contact_id, email, at))

    def due_crm_erasures(self, connector: str, now: datetime, limit: int = 100) -> list[CrmErasure]:
        """Deletions to try now, oldest first."""
        at = utc(now)
        return self._tx.read(lambda conn: crm.due_erasures(conn, connector, at, limit))

    def pending_crm_erasures(self, connector: str) -> list[CrmErasure]:
        """Every deletion not confirmed yet, due or waiting after a refusal."""
        return self._tx.read(lambda conn: crm.pending_erasures(conn, connector))

    def finish_crm_erasure(self, erasure_id: int, connector: str, now: datetime) -> None:
        """The CRM confirmed the deletion: the queued email is dropped."""
        at = utc(now)
        self._tx.write(lambda conn: crm.erasure_done(conn, erasure_id, connector, at))

    def postpone_crm_erasure(self, erasure_id: int, error: str, retry_at: datetime) -> None:
        """The CRM refused this one: try again at `retry_at` (the error kept redacted)."""
        at = utc(retry_at)
        self._tx.write(lambda conn: crm.postpone_erasure(conn, erasure_id, error, at))

    def contacts_gone(self, contact_ids: Sequence[str]) -> set[str]:
        """Those ids that are no contact any more (erased or purged), merged ones aside."""
        wanted = list(contact_ids)
        return self._tx.read(lambda conn: crm.gone(conn, wanted))
