"""ProfileStore's reporting methods for the studio's dashboard (#8)."""

from __future__ import annotations

from bot.store.transactions import Transactions


class ReportStore:
    """Mixed into ProfileStore; every method is one transaction, like the store's own."""

    _tx: Transactions
