"""Erasure: everything of a person deleted at once, their identifiers kept only as keyed
digests so they stay suppressed, and their conversations queued for the tracker store."""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Iterable
from datetime import datetime
from typing import Literal

from sqlalchemy import and_, delete, exists, insert, or_, select
from sqlalchemy.engine import Connection

from bot.store import integration, queue, reads
from bot.store.records import Contact, ErasureReceipt
from bot.store.schema import (
    bookings,
    channel_identities,
    consent_events,
    contact_aliases,
    contacts,
    deliveries,
    do_not_contact,
    erasure_log,
    handoffs,
    lead_answers,
    lead_outcomes,
    lead_scores,
    leads,
    qualification_answers,
    suppressed_identifiers,
    timeline_events,
)
from bot.types import ContactId

IdentifierKind = Literal["email", "phone"]

_PHONE_PUNCTUATION = re.compile(r"[\s\-().]")
# Children before parents, so that no foreign key ever has to act (or to UPDATE).
_OWNED_TABLES = (
    deliveries,
    handoffs,
    bookings,
    qualification_answers,
    lead_scores,
    lead_outcomes,
    timeline_events,
    channel_identities,
    contact_aliases,
    consent_events,
    do_not_contact,
    leads,
)


def erase(conn: Connection, key: str, salt: str, now: datetime) -> ErasureReceipt:
    contact = _locked_contact(conn, key)
    suppressed = _suppress(conn, contact, salt, now)
    return ErasureReceipt(contact.id, _remove(conn, contact, now), contact.channels, suppressed)


def delete_without_suppressing(conn: Connection, key: str, now: datetime) -> ErasureReceipt:
    contact = _locked_contact(conn, key)
    return ErasureReceipt(contact.id, _remove(conn, contact, now), contact.channels, 0)


def is_suppressed(
    conn: Connection, identifiers: Iterable[tuple[IdentifierKind, str]], salt: str
) -> bool:
    matches = [
        and_(
            suppressed_identifiers.c.kind == kind,
            suppressed_identifiers.c.digest == digest(kind, value, salt),
        )
        for kind, value in identifiers
    ]
    if not matches:
        return False
    return bool(conn.execute(select(exists().where(or_(*matches)))).scalar())


def digest(kind: IdentifierKind, value: str, salt: str) -> str:
    normalized = value.strip().lower() if kind == "email" else _PHONE_PUNCTUATION.sub("", value)
    return hmac.new(salt.encode(), normalized.encode(), hashlib.sha256).hexdigest()


def _locked_contact(conn: Connection, key: str) -> Contact:
    return reads.load_contact(conn, reads.lock_contact(conn, reads.require_id(conn, key)))


def _remove(conn: Connection, contact: Contact, now: datetime) -> tuple[str, ...]:
    """Delete the contact and all of theirs, log it, queue their tracker erasure."""
    conversation_ids = _conversation_ids(conn, contact.id)
    _delete_contact(conn, contact.id)
    log = {"contact_id": contact.id, "identity_count": len(contact.channels), "erased_at": now}
    conn.execute(insert(erasure_log).values(**log))
    sender_ids = [*conversation_ids, *(identity.external_id for identity in contact.channels)]
    queue.add(conn, sender_ids, now)
    integration.forget_contact(conn, contact.id)
    integration.emit(conn, "contact.erased", contact.id, {"contact_id": contact.id}, now)
    return conversation_ids


def _conversation_ids(conn: Connection, contact_id: ContactId) -> tuple[str, ...]:
    query = (
        select(leads.c.conversation_id)
        .where(leads.c.contact_id == contact_id)
        .order_by(leads.c.started_at, leads.c.id)
    )
    return tuple(dict.fromkeys(conn.execute(query).scalars()))


def _suppress(conn: Connection, contact: Contact, salt: str, now: datetime) -> int:
    identifiers: list[tuple[IdentifierKind, str | None]] = [
        ("email", contact.email),
        ("phone", contact.phone),
    ]
    given = [(kind, value) for kind, value in identifiers if value]
    for kind, value in given:
        _add_digest(conn, kind, digest(kind, value, salt), now)
    return len(given)


def _add_digest(conn: Connection, kind: IdentifierKind, value: str, now: datetime) -> None:
    known = select(suppressed_identifiers.c.id).where(
        suppressed_identifiers.c.kind == kind, suppressed_identifiers.c.digest == value
    )
    if conn.execute(known).first() is None:
        row = {"kind": kind, "digest": value, "created_at": now}
        conn.execute(insert(suppressed_identifiers).values(**row))


def _delete_contact(conn: Connection, contact_id: ContactId) -> None:
    their_leads = select(leads.c.id).where(leads.c.contact_id == contact_id)
    conn.execute(delete(lead_answers).where(lead_answers.c.lead_id.in_(their_leads)))
    for table in _OWNED_TABLES:
        conn.execute(delete(table).where(table.c.contact_id == contact_id))
    conn.execute(delete(contacts).where(contacts.c.id == contact_id))
