"""Consent effects: what a grant, a confirmation or a withdrawal does, whole, inside a
caller-framed transaction that holds the contact's row lock.

The rules, one place for every caller (conversations, STOP keywords, unsubscribe links,
double opt-in confirmations, the REST API):
  * a withdrawal appends a ledger row per purpose and puts each marketing purpose on
    do-not-contact ("withdrawn"); profiling sends nothing, so it has no entry;
  * a grant in force lifts that purpose's do-not-contact entry, whoever set it: the
    person's latest word on a channel wins over an earlier STOP, carrier block or staff
    entry;
  * a grant given in conversation for an address not yet proven waits for the address
    to confirm it (double opt-in) and lifts nothing until then.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.engine import Connection

from bot.store import consent, dnc, double_opt_in, reads
from bot.store.records import ConsentEvent, DoNotContact
from bot.store.schema import consent_events
from bot.types import ContactId, DncChannel, Purpose

# Sources whose grants come from a conversation rather than from the address itself.
CONFIRMED_LATER = frozenset({"conversation", "voice"})


@dataclass(frozen=True)
class ConsentChange:
    """What one grant or withdrawal did: the ledger rows appended, the do-not-contact
    entries its purposes have afterwards, the channels it lifted."""

    events: tuple[ConsentEvent, ...]
    blocked: tuple[DoNotContact, ...] = ()
    lifted: tuple[DncChannel, ...] = ()


def grant(
    conn: Connection, contact_id: ContactId, records: Iterable[consent.ConsentRecord], now: datetime
) -> ConsentChange:
    events: list[ConsentEvent] = []
    lifted: list[DncChannel] = []
    for record in records:
        if record.source in CONFIRMED_LATER:
            unproven = double_opt_in.needs_confirmation(conn, contact_id, record.purpose)
            record = replace(record, pending=unproven)
        event = consent.append(conn, contact_id, record, now)
        events.append(event)
        channel = _lift(conn, event, now)
        if channel is not None:
            lifted.append(channel)
    return ConsentChange(tuple(events), lifted=tuple(lifted))


def withdraw(
    conn: Connection,
    contact_id: ContactId,
    records: Iterable[consent.ConsentRecord],
    note: str,
    now: datetime,
    *,
    skip_repeat: bool,
) -> ConsentChange:
    """`skip_repeat`: no new ledger row where the latest already is a withdrawal."""
    events, blocked = [], []
    for record in records:
        # The ledger is read only when a repeat is to be skipped (the unsubscribe link).
        latest = consent.state(conn, contact_id).get(record.purpose) if skip_repeat else None
        if not (latest is not None and not latest.granted):
            events.append(consent.append(conn, contact_id, record, now))
        channel = _blocked_channel(record.purpose)
        if channel is not None:
            blocked.append(dnc.add(conn, contact_id, channel, "withdrawn", note, now))
    return ConsentChange(tuple(events), blocked=tuple(blocked))


def confirm(
    conn: Connection, event_id: int, method: str, evidence: dict[str, str | None], now: datetime
) -> ConsentEvent | None:
    """Confirm a pending grant from its address: a new ledger event, the purpose's block
    lifted, the address proven. None when the grant is not the latest event of its
    purpose any more (withdrawn since, or confirmed already)."""
    query = select(consent_events).where(consent_events.c.id == event_id)
    pending = conn.execute(query).mappings().first()
    if pending is None or not pending["pending"]:
        return None
    contact_id = reads.lock_contact(conn, ContactId(pending["contact_id"]))
    latest = consent.state(conn, contact_id).get(pending["purpose"])
    if latest is None or latest.id != event_id:
        return None
    confirmation = {**evidence, "confirms_event": str(event_id), "method": method}
    record = replace(_record_of(latest), source="confirmation", evidence=confirmation)
    confirmed = consent.append(conn, contact_id, record, now)
    _lift(conn, confirmed, now)
    double_opt_in.mark_proven(conn, contact_id, latest.purpose, now)
    return confirmed


def _record_of(event: ConsentEvent) -> consent.ConsentRecord:
    return consent.ConsentRecord(
        event.purpose,
        event.granted,
        event.channel,
        event.wording,
        event.wording_version,
        event.source,
        event.evidence,
    )


def _lift(conn: Connection, event: ConsentEvent, now: datetime) -> DncChannel | None:
    """A grant in force lifts its purpose's block: the channel lifted, None if none was."""
    channel = _blocked_channel(event.purpose)
    if not event.in_force or channel is None:
        return None
    return channel if dnc.lift(conn, event.contact_id, channel, now) else None


def _blocked_channel(purpose: Purpose) -> DncChannel | None:
    """The do-not-contact channel of a purpose; profiling sends nothing, so has none."""
    return None if purpose == "profiling" else purpose
