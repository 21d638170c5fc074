"""ProfileStore's enrichment and import methods (#10): company domain, country and time
zone; contacts imported a batch per transaction."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from sqlalchemy.engine import Connection

from bot.store import imports, reads
from bot.store.checks import check_text, utc
from bot.store.imports import (
    ContactImport,
    Enricher,
    EnrichmentValues,
    ImportOutcome,
    ImportResult,
)
from bot.store.records import Contact
from bot.store.transactions import Transactions


class EnrichmentStore:
    """Mixed into ProfileStore; every method is one transaction, like the store's own.

    Enrichment is derived data: writing it leaves `updated_at` and the timeline alone,
    so re-enriching everyone does not look like activity to the retention purge.
    """

    _tx: Transactions

    def import_contacts(
        self,
        items: Sequence[ContactImport],
        *,
        conversation_id: str,
        salt: str,
        enrich: Enricher,
        now: datetime | None = None,
    ) -> list[ImportResult]:
        """Import a batch (a few hundred) in one transaction, one result per item.

        Items must be distinct people (no two with the same email or phone). Erased
        people (keyed digests under `salt`) are skipped. An item matching a contact by
        email, phone or an earlier import is merged into it and only fills its blanks,
        as `update_lead_fields` would; a consent grant already in its ledger (same
        purpose, time and wording) is not added twice. New people are inserted in bulk
        with the rows and timeline `update_lead_fields` would leave.
        """
        check_text("conversation_id", conversation_id)
        check_text("salt", salt)
        at = utc(now)
        return self._tx.write(
            lambda conn: imports.write(
                conn, items, conversation_id=conversation_id, salt=salt, enrich=enrich, now=at
            )
        )

    def match_imports(self, items: Sequence[ContactImport], salt: str) -> list[ImportOutcome]:
        """What `import_contacts` would do with each item, writing nothing."""
        check_text("salt", salt)
        return self._tx.read(lambda conn: imports.match(conn, items, salt))

    def set_enrichment(self, contact_id: str, values: EnrichmentValues) -> Contact:
        def work(conn: Connection) -> Contact:
            live = reads.lock_contact(conn, reads.require_id(conn, contact_id))
            _store(conn, live, values)
            return reads.load_contact(conn, live)

        return self._tx.write(work)

    def set_enrichments(self, values: Mapping[str, EnrichmentValues]) -> int:
        """Many contacts in one transaction; ids no longer known are skipped. Returns
        how many contacts there were to update."""

        def work(conn: Connection) -> int:
            done = 0
            for key, found in values.items():
                live = reads.resolve_id(conn, key)
                if live is not None:
                    _store(conn, live, found)
                    done += 1
            return done

        return self._tx.write(work)


def _store(conn: Connection, contact_id: str, values: EnrichmentValues) -> None:
    imports.set_enrichment(conn, contact_id, values)
