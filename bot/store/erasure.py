"""Erasure: everything of a person deleted at once, their identifiers kept only as keyed
digests so they stay suppressed, their conversations queued for the tracker store and
their CRM copies queued for deletion; audit entries stay, naming them by contact id."""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Iterable
from datetime import datetime
from typing import Literal

from sqlalchemy import and_, delete, exists, func, insert, literal, or_, select, update
from sqlalchemy.engine import Connection

from bot.store import audit, campaign_reads, crm, integration, queue, reads
from bot.store.records import Contact, ErasureReceipt
from bot.store.schema import (
    bookings,
    channel_identities,
    consent_events,
    contact_aliases,
    contacts,
    conversation_claims,
    custom_field_values,
    deliveries,
    do_not_contact,
    erasure_log,
    handoffs,
    identity_claims,
    inbox_messages,
    lead_answers,
    lead_outcomes,
    lead_scores,
    leads,
    qualification_answers,
    suppressed_identifiers,
    timeline_events,
    verification_codes,
)
from bot.types import ContactId

# "identity" is a channel identity as "<channel>:<external id>": a consent change the
# journal held back from before an erasure must not bring its sender back (bot/journal.py).
IdentifierKind = Literal["email", "phone", "identity"]

_PHONE_PUNCTUATION = re.compile(r"[\s\-().]")
# Children before parents, so that no foreign key ever has to act (or to UPDATE).
_OWNED_TABLES = (
    inbox_messages,
    conversation_claims,
    deliveries,
    handoffs,
    bookings,
    qualification_answers,
    custom_field_values,
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
    if contact.email:
        crm.queue_erasure(conn, None, contact.id, contact.email, now)
    return ErasureReceipt(contact.id, _remove(conn, contact, now), contact.channels, suppressed)


def delete_without_suppressing(conn: Connection, key: str, now: datetime) -> ErasureReceipt:
    contact = _locked_contact(conn, key)
    return ErasureReceipt(contact.id, _remove(conn, contact, now), contact.channels, 0)


def suppress_identity(
    conn: Connection, channel: str, external_id: str, salt: str, now: datetime
) -> None:
    """Keep a digest of a conversation's identity whose person asked to be erased with no
    profile to erase: what they say afterwards must not start one."""
    key = identity_key(channel, external_id)
    _add_digest(conn, "identity", digest("identity", key, salt), now)


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


def erased_since(
    conn: Connection,
    identifiers: Iterable[tuple[IdentifierKind, str]],
    salt: str,
    since: datetime,
) -> bool:
    """Whether one of these identifiers was (last) suppressed at or after `since`."""
    wanted = [(kind, digest(kind, value, salt)) for kind, value in identifiers]
    if not wanted:
        return False
    query = select(suppressed_identifiers.c.kind, suppressed_identifiers.c.digest).where(
        suppressed_identifiers.c.digest.in_([value for _, value in wanted]),
        suppressed_identifiers.c.created_at >= since,
    )
    return bool(set(wanted) & {(kind, value) for kind, value in conn.execute(query).all()})


def digest(kind: IdentifierKind, value: str, salt: str) -> str:
    if kind == "email":
        normalized = value.strip().lower()
    elif kind == "phone":
        normalized = _PHONE_PUNCTUATION.sub("", value)
    else:
        normalized = value
    return hmac.new(salt.encode(), normalized.encode(), hashlib.sha256).hexdigest()


def identity_key(channel: str, external_id: str) -> str:
    return f"{channel}:{external_id}"


def names_in(conn: Connection, lowered: str) -> list[str]:
    """Contact names (three characters or more) that `lowered` contains."""
    name = func.lower(contacts.c.name)
    query = (
        select(contacts.c.name)
        .distinct()
        .where(
            contacts.c.name.is_not(None),
            func.length(contacts.c.name) >= 3,
            literal(lowered).contains(name),
        )
    )
    return sorted(str(found) for found in conn.execute(query).scalars())


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
    campaign_reads.forget_inbound(conn, sender_ids)
    details = [value for value in (contact.email, contact.phone) if value]
    _forget_claims_of(conn, details)
    audit.forget_identifiers(conn, contact.id, [*sender_ids, *details])
    integration.forget_contact(conn, contact.id)
    integration.emit(conn, "contact.erased", contact.id, {"contact_id": contact.id}, now)
    return conversation_ids


def _conversation_ids(conn: Connection, contact_id: ContactId) -> tuple[str, ...]:
    return tuple(
        dict.fromkeys(conversation for _, conversation in _conversations(conn, contact_id))
    )


def _conversations(conn: Connection, contact_id: ContactId) -> list[tuple[str, str]]:
    """(channel, conversation id) of each of their leads, oldest first."""
    query = (
        select(leads.c.channel, leads.c.conversation_id)
        .where(leads.c.contact_id == contact_id)
        .order_by(leads.c.started_at, leads.c.id)
    )
    return [(str(channel), str(conversation)) for channel, conversation in conn.execute(query)]


def _suppress(conn: Connection, contact: Contact, salt: str, now: datetime) -> int:
    """Digests of their email and phone (counted: imports and forms check them) and of
    each channel identity and conversation (for the consent journal's replay)."""
    given: list[tuple[IdentifierKind, str]] = []
    if contact.email:
        given.append(("email", contact.email))
    if contact.phone:
        given.append(("phone", contact.phone))
    senders = [(str(i.channel), i.external_id) for i in contact.channels]
    senders += _conversations(conn, contact.id)
    keys = dict.fromkeys(identity_key(channel, sender) for channel, sender in senders)
    for kind, value in [*given, *(("identity", key) for key in keys)]:
        _add_digest(conn, kind, digest(kind, value, salt), now)
    return len(given)


def _add_digest(conn: Connection, kind: IdentifierKind, value: str, now: datetime) -> None:
    """A digest suppressed again is dated by its latest erasure."""
    key = (suppressed_identifiers.c.kind == kind, suppressed_identifiers.c.digest == value)
    if conn.execute(select(suppressed_identifiers.c.id).where(*key)).first() is None:
        row = {"kind": kind, "digest": value, "created_at": now}
        conn.execute(insert(suppressed_identifiers).values(**row))
    else:
        conn.execute(update(suppressed_identifiers).where(*key).values(created_at=now))


def _forget_claims_of(conn: Connection, details: list[str]) -> None:
    """Others' claims of their email or phone (what they typed, as a lead answer too) and
    the codes sent to it name them as well."""
    if not details:
        return
    for table in (verification_codes, identity_claims):
        conn.execute(delete(table).where(table.c.value.in_(details)))
    typed = lead_answers.c.field.in_(["email", "phone"]) & lead_answers.c.value.in_(details)
    conn.execute(delete(lead_answers).where(typed))


def _delete_contact(conn: Connection, contact_id: ContactId) -> None:
    their_leads = select(leads.c.id).where(leads.c.contact_id == contact_id)
    conn.execute(delete(lead_answers).where(lead_answers.c.lead_id.in_(their_leads)))
    for table in _OWNED_TABLES:
        conn.execute(delete(table).where(table.c.contact_id == contact_id))
    conn.execute(delete(contacts).where(contacts.c.id == contact_id))
