"""`store.messages`: providers' messages as such, apart from whose they are: which
inbound message ids were handled already, and the delivery reports on outbound ones."""

from __future__ import annotations

from datetime import datetime

from bot.store import messages
from bot.store.checks import check_text, utc
from bot.store.records import MessageStatus
from bot.store.transactions import Transactions


class MessagesPart:
    def __init__(self, tx: Transactions) -> None:
        self._tx = tx

    def claim_inbound(self, provider: str, message_id: str, now: datetime | None = None) -> bool:
        """True the first time a provider's message id is seen, False for a redelivery,
        even when two deliveries race."""
        check_text("provider", provider)
        check_text("message_id", message_id)
        at = utc(now)
        return self._tx.write(lambda conn: messages.claim(conn, provider, message_id, at))

    def record_status(
        self,
        provider: str,
        message_id: str,
        status: str,
        error_code: str | None,
        now: datetime | None = None,
    ) -> MessageStatus:
        check_text("provider", provider)
        check_text("message_id", message_id)
        check_text("status", status)
        report = MessageStatus(provider, message_id, status, error_code or None, utc(now))
        return self._tx.write(lambda conn: messages.record_status(conn, report))

    def statuses(self, provider: str, message_id: str) -> list[MessageStatus]:
        """Every report about one message, oldest first."""
        return self._tx.read(lambda conn: messages.statuses(conn, provider, message_id))
