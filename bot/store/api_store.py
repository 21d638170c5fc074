"""ProfileStore's API methods: tokens, and contact updates made by other systems."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from sqlalchemy.engine import Connection

from bot.store import api_tokens, merging, reads, writes
from bot.store.checks import utc
from bot.store.records import ApiToken, Contact
from bot.store.transactions import Transactions
from bot.types import LeadField


class ApiStore:
    """Mixed into ProfileStore; every method is one transaction, like the store's own."""

    _tx: Transactions

    def create_api_token(
        self,
        token_id: str,
        name: str,
        scopes: Sequence[str],
        secret_hash: str,
        now: datetime | None = None,
    ) -> ApiToken:
        at = utc(now)
        return self._tx.write(
            lambda conn: api_tokens.create(conn, token_id, name, scopes, secret_hash, at)
        )

    def api_token(self, token_id: str) -> ApiToken | None:
        return self._tx.read(lambda conn: api_tokens.find(conn, token_id))

    def api_tokens(self) -> list[ApiToken]:
        return self._tx.read(api_tokens.listed)

    def revoke_api_token(self, token_id: str, now: datetime | None = None) -> bool:
        at = utc(now)
        return self._tx.write(lambda conn: api_tokens.revoke(conn, token_id, at))

    def note_api_token_use(self, token_id: str, now: datetime | None = None) -> None:
        at = utc(now)
        self._tx.write(lambda conn: api_tokens.touch(conn, token_id, at))

    def update_contact_fields(
        self, contact_id: str, fields: Mapping[LeadField, str | None], now: datetime | None = None
    ) -> Contact:
        """Set profile fields of a known contact; one holding the same email or phone is
        merged with it, as in a conversation."""
        writes.check_fields({k: v for k, v in fields.items() if v is not None})
        at = utc(now)

        def work(conn: Connection) -> Contact:
            live = reads.lock_contact(conn, reads.require_id(conn, contact_id))
            given = {k: v for k, v in fields.items() if v is not None}
            live = merging.merge_matching(conn, live, given, at)
            writes.apply_fields(conn, live, dict(fields), at)
            return reads.load_contact(conn, live)

        return self._tx.write(work)
