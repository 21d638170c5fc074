"""ProfileStore's segment queries: which contacts a segment (bot.segments) selects."""

from __future__ import annotations

from bot.store.transactions import Transactions


class SegmentQueries:
    """Mixed into ProfileStore; every method is one transaction, like the store's own."""

    _tx: Transactions
