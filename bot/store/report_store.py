"""ProfileStore's reporting methods for the studio's dashboard (#8)."""

from __future__ import annotations

from datetime import datetime

from bot.store import reports
from bot.store.records import FunnelReport
from bot.store.transactions import Transactions


class ReportStore:
    """Mixed into ProfileStore; every method is one transaction, like the store's own."""

    _tx: Transactions

    def funnel_report(
        self, since: datetime | None = None, channel: str | None = None
    ) -> FunnelReport:
        """The funnel of contacts created since `since` (None: ever), per first channel;
        `channel` keeps only the contacts first seen there. See bot.store.reports."""
        if since is not None and since.tzinfo is None:
            raise ValueError(f"naive datetime {since!r}; pass an aware datetime")
        return self._tx.read(lambda conn: reports.funnel(conn, since, channel))
