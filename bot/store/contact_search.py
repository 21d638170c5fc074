"""ProfileStore's contact search for the studio's contacts pages (#8)."""

from __future__ import annotations

from bot.store import search
from bot.store.records import Contact
from bot.store.transactions import Transactions

MAX_QUERY = 200
MAX_LIMIT = 500


class ContactSearch:
    """Mixed into ProfileStore; every method is one transaction, like the store's own."""

    _tx: Transactions

    def search_contacts(self, query: str, limit: int = 50, offset: int = 0) -> list[Contact]:
        """Contacts whose email, phone, name or company contains `query` (any case; a
        phone also by its digits: "+1 415 555" finds "+14155550134"), newest first.
        A blank query lists every contact, newest first."""
        if len(query) > MAX_QUERY:
            raise ValueError(f"a search is at most {MAX_QUERY} characters, not {len(query)}")
        if not 1 <= limit <= MAX_LIMIT:
            raise ValueError(f"limit must be between 1 and {MAX_LIMIT}, not {limit}")
        if offset < 0:
            raise ValueError(f"offset must not be negative, not {offset}")
        return self._tx.read(lambda conn: search.search(conn, query, limit, offset))
