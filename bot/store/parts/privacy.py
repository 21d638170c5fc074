"""`store.privacy`: what data protection asks of every aggregate at once: erasure and
suppression, export, the retention purge, masking names in text, the queue of Rasa
conversations to erase, and the audit log that outlives erasures."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy.engine import Connection

from bot.store import (
    audit,
    campaign_reads,
    erasure,
    queue,
    retention,
)
from bot.store.checks import check_json, check_text, utc
from bot.store.export import export_contact
from bot.store.records import AuditEntry, ErasureReceipt
from bot.store.transactions import Transactions
from bot.types import (
    ContactId,
)

# Sender ids that are phone numbers (SMS, WhatsApp, voice): E.164.
_PHONE_ID = re.compile(r"\+[1-9]\d{6,14}")


class PrivacyPart:
    def __init__(self, tx: Transactions) -> None:
        self._tx = tx

    def erase(
        self, contact_id: ContactId, salt: str, now: datetime | None = None
    ) -> ErasureReceipt:
        """Delete the contact and everything of theirs, keep HMAC digests (keyed with
        `salt`) of their email and phone as suppressed, log the erasure without personal
        data, and queue their sender ids for `bot.store.erase_conversations`."""
        check_text("salt", salt)
        at = utc(now)
        return self._tx.write(lambda conn: erasure.erase(conn, contact_id, salt, at))

    def delete(self, contact_id: ContactId, now: datetime | None = None) -> ErasureReceipt:
        """Like `erase` without suppressing: for retention purges, which are no
        request to never be contacted again."""
        at = utc(now)
        return self._tx.write(lambda conn: erasure.delete_without_suppressing(conn, contact_id, at))

    def suppress_identity(
        self, channel: str, external_id: str, *, salt: str, now: datetime | None = None
    ) -> None:
        """Mark a channel identity as erased when there was no contact behind it."""
        check_text("salt", salt)
        at = utc(now)
        self._tx.write(lambda conn: erasure.suppress_identity(conn, channel, external_id, salt, at))

    def is_suppressed(
        self, *, email: str | None = None, phone: str | None = None, salt: str
    ) -> bool:
        """Whether an erased person had this email (any case) or phone (E.164)."""
        given: list[tuple[erasure.IdentifierKind, str | None]] = [
            ("email", email),
            ("phone", phone),
        ]
        identifiers = [(kind, value) for kind, value in given if value]
        return self._tx.read(lambda conn: erasure.is_suppressed(conn, identifiers, salt))

    def identity_erased(self, channel: str, external_id: str, *, salt: str) -> bool:
        """Whether this very conversation identity (not a phone number someone else may
        have called from) belonged to a person since erased."""
        key = erasure.identity_key(channel, external_id)
        return self._tx.read(lambda conn: erasure.is_suppressed(conn, [("identity", key)], salt))

    def erased_since(self, channel: str, external_id: str, *, salt: str, since: datetime) -> bool:
        """Whether the person behind this channel identity (or this phone number, when
        the identity is one) was erased at or after `since`."""
        identifiers: list[tuple[erasure.IdentifierKind, str]] = [
            ("identity", erasure.identity_key(channel, external_id))
        ]
        if _PHONE_ID.fullmatch(external_id):
            identifiers.append(("phone", external_id))
        at = utc(since)
        return self._tx.read(lambda conn: erasure.erased_since(conn, identifiers, salt, at))

    def queue_tracker_erasure(self, sender_ids: Iterable[str], now: datetime | None = None) -> None:
        """Queue these conversations for erasure from Rasa's tracker store; when each
        last wrote to us goes at once."""
        wanted, at = list(sender_ids), utc(now)

        def work(conn: Connection) -> None:
            queue.add(conn, wanted, at)
            campaign_reads.forget_inbound(conn, wanted)

        self._tx.write(work)

    def pending_tracker_erasures(self, queued_before: datetime | None = None) -> list[str]:
        """Queued sender ids, oldest first; only those queued before `queued_before` if
        given (Rasa may still write a conversation's last turn after it was queued)."""
        before = None if queued_before is None else utc(queued_before)
        return self._tx.read(lambda conn: queue.queued(conn, before))

    def clear_tracker_erasure(self, sender_ids: Iterable[str]) -> None:
        done = list(sender_ids)
        self._tx.write(lambda conn: queue.clear(conn, done))

    def export(self, contact_id: ContactId) -> dict[str, Any]:
        """profile, leads (with answers), consent_history, do_not_contact (lifted too),
        timeline, qualification, custom_fields (with where and when each was given) and
        the rest of bot.store.export's keys, JSON-ready."""
        return self._tx.read(lambda conn: export_contact(conn, contact_id))

    def contacts_for_purge(self, cutoff: datetime) -> list[ContactId]:
        """Contacts with no consent currently granted for any purpose, and no change,
        timeline event or consent event since `cutoff`."""
        at = utc(cutoff)
        return self._tx.read(lambda conn: retention.contacts_for_purge(conn, at))

    def contact_names_in(self, text: str) -> list[str]:
        """Names of contacts that appear in `text` (any case), to mask them there: what
        people wrote is added to training data from the studio's dashboard."""
        lowered = text.lower()
        return self._tx.read(lambda conn: erasure.names_in(conn, lowered))

    def record_audit(
        self,
        actor: str,
        action: str,
        target: str,
        details: Mapping[str, Any] | None = None,
        now: datetime | None = None,
    ) -> AuditEntry:
        """`actor` and `target` are ids, never personal data (`self-service:<contact
        id>`, not a sender id): the audit log outlives erasures."""
        check_text("actor", actor)
        check_text("action", action)
        data, at = dict(details or {}), utc(now)
        check_json(data)
        return self._tx.write(lambda conn: audit.append(conn, actor, action, target, data, at))

    def audit_entries(self, limit: int = 100) -> list[AuditEntry]:
        """Newest first."""
        if limit < 1:
            raise ValueError(f"limit must be positive, not {limit}")
        return self._tx.read(lambda conn: audit.newest(conn, limit))
