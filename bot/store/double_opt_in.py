"""Double opt-in (#17): marketing consent for an address the person has not proven waits
for a confirmation that comes from the address itself.

The ledger keeps both steps: the pending grant, with the words the person saw in the
conversation, and the confirmation, a later event that names the grant it confirms and
how it came (a signed link in an email, a YES by text).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from bot.store import consent, identity, reads
from bot.store.records import ConsentEvent
from bot.store.schema import channel_identities
from bot.types import ContactId, Purpose

# What proves the address a purpose sends to.
_PHONE_PURPOSES = frozenset({"sms", "whatsapp", "phone"})
# A call's identity is its CallSid, and caller ID alone is a claim: calls prove nothing.
_PHONE_CHANNELS = frozenset({"sms", "whatsapp"})


def needs_confirmation(conn: Connection, contact_id: ContactId, purpose: Purpose) -> bool:
    """Whether a grant for `purpose` given in conversation must wait for a confirmation."""
    if purpose == "email":
        return not identity.is_verified(conn, contact_id, "email")
    if purpose in _PHONE_PURPOSES:
        return not (
            identity.is_verified(conn, contact_id, "phone")
            or _texts_from_own_phone(conn, contact_id)
        )
    return False  # Telegram answers on the chat it came from; profiling sends nothing


def pending_grants(conn: Connection, contact_id: ContactId) -> list[ConsentEvent]:
    """The purposes whose latest event is a grant still waiting for its confirmation."""
    return [e for e in consent.state(conn, contact_id).values() if e.pending and e.granted]


def mark_proven(conn: Connection, contact_id: ContactId, purpose: str, now: datetime) -> None:
    row: Any = reads.contact_row(conn, contact_id)
    field: identity.DetailField = "email" if purpose == "email" else "phone"
    if row is not None and row[field]:
        identity.prove_detail(conn, contact_id, field, row[field], f"{purpose}_confirmation", now)


def _texts_from_own_phone(conn: Connection, contact_id: ContactId) -> bool:
    """The contact texts us from a number, and holds no other (typed) number."""
    row = reads.contact_row(conn, contact_id)
    phone = row["phone"] if row is not None else None
    c = channel_identities.c
    ids = conn.execute(select(c.channel, c.external_id).where(c.contact_id == contact_id)).all()
    numbers = {
        external.removeprefix("whatsapp:")
        for channel, external in ids
        if channel in _PHONE_CHANNELS
    }
    return bool(numbers) and (phone is None or phone in numbers)
