"""ProfileStore's contact search for the studio's contacts pages (#8)."""

from __future__ import annotations

from bot.store.transactions import Transactions


class ContactSearch:
    """Mixed into ProfileStore; every method is one transaction, like the store's own."""

    _tx: Transactions
