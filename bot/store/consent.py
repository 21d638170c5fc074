"""The consent ledger: append-only events; the state per purpose is derived from them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import and_, delete, exists, false, func, insert, or_, select
from sqlalchemy.engine import Connection
from sqlalchemy.sql.elements import ColumnElement

from bot.store import integration
from bot.store.checks import check_choice, check_text
from bot.store.records import ConsentEvent
from bot.store.schema import consent_events
from bot.types import (
    CHANNELS,
    CONSENT_SOURCES,
    PURPOSES,
    Channel,
    ConsentSource,
    ContactId,
    Purpose,
)


@dataclass(frozen=True)
class ConsentRecord:
    """A consent event as given, before the ledger numbers and dates it."""

    purpose: Purpose
    granted: bool
    channel: Channel
    wording: str
    wording_version: str
    source: ConsentSource
    evidence: Mapping[str, str | None]
    pending: bool = False

    def check(self) -> None:
        check_choice("purpose", self.purpose, PURPOSES)
        check_choice("channel", self.channel, CHANNELS)
        check_choice("source", self.source, CONSENT_SOURCES)
        check_text("wording", self.wording)  # no wording, no proof
        check_text("wording_version", self.wording_version)
        for key, value in self.evidence.items():
            if not isinstance(key, str) or not isinstance(value, (str, type(None))):
                raise ValueError(f"evidence {key!r}: values must be strings or None")


def append(
    conn: Connection, contact_id: ContactId, record: ConsentRecord, now: datetime
) -> ConsentEvent:
    values = {
        "contact_id": contact_id,
        "purpose": record.purpose,
        "granted": record.granted,
        "channel": record.channel,
        "wording": record.wording,
        "wording_version": record.wording_version,
        "source": record.source,
        "evidence": dict(record.evidence),
        "occurred_at": now,
        "pending": record.pending and record.granted,
    }
    event_id = conn.execute(insert(consent_events).values(**values)).inserted_primary_key[0]
    change = {
        "contact_id": contact_id,
        "purpose": record.purpose,
        "granted": record.granted,
        "channel": record.channel,
        "source": record.source,
        "wording_version": record.wording_version,
        "pending": bool(values["pending"]),
    }
    integration.emit(conn, "consent.changed", contact_id, change, now)
    return _event({"id": event_id, **values})


def history(conn: Connection, contact_id: str) -> list[ConsentEvent]:
    """Oldest first, in the order that decides which event is the latest."""
    query = (
        select(consent_events)
        .where(consent_events.c.contact_id == contact_id)
        .order_by(consent_events.c.occurred_at, consent_events.c.id)
    )
    return [_event(row) for row in conn.execute(query).mappings()]


def state(conn: Connection, contact_id: str) -> dict[Purpose, ConsentEvent]:
    latest: dict[Purpose, ConsentEvent] = {}
    for event in history(conn, contact_id):
        latest[event.purpose] = event
    return latest


def granted(conn: Connection, contact_id: str, purpose: Purpose) -> bool:
    """The latest event is a grant in force (confirmed where it had to be)."""
    query = (
        select(consent_events.c.granted, consent_events.c.pending)
        .where(consent_events.c.contact_id == contact_id, consent_events.c.purpose == purpose)
        .order_by(consent_events.c.occurred_at.desc(), consent_events.c.id.desc())
        .limit(1)
    )
    row = conn.execute(query).first()
    return row is not None and bool(row.granted) and not row.pending


def not_pending(column: ColumnElement[Any]) -> ColumnElement[bool]:
    """SQL: a grant that waits for no confirmation (older rows hold NULL)."""
    return func.coalesce(column, false()) == false()


def any_current_grant(contact_id: ColumnElement[Any]) -> ColumnElement[bool]:
    """SQL: the contact's latest event for some purpose is a grant."""
    later = consent_events.alias("later")
    superseded = exists().where(
        later.c.contact_id == consent_events.c.contact_id,
        later.c.purpose == consent_events.c.purpose,
        or_(
            later.c.occurred_at > consent_events.c.occurred_at,
            and_(
                later.c.occurred_at == consent_events.c.occurred_at,
                later.c.id > consent_events.c.id,
            ),
        ),
    )
    return exists().where(
        consent_events.c.contact_id == contact_id,
        consent_events.c.granted,
        not_pending(consent_events.c.pending),
        ~superseded,
    )


def move(conn: Connection, loser: str, survivor: str) -> None:
    """Give the survivor the loser's events. The ledger rejects UPDATE, so they are
    copied, in order and unchanged but for the contact, and the originals deleted."""
    columns = [column for column in consent_events.c if column.name != "id"]
    query = (
        select(*columns)
        .where(consent_events.c.contact_id == loser)
        .order_by(consent_events.c.occurred_at, consent_events.c.id)
    )
    rows = [{**row, "contact_id": survivor} for row in conn.execute(query).mappings()]
    if rows:
        conn.execute(insert(consent_events), rows)
        conn.execute(delete(consent_events).where(consent_events.c.contact_id == loser))


def event_of(row: Mapping[str, Any]) -> ConsentEvent:
    return _event(row)


def _event(row: Mapping[str, Any]) -> ConsentEvent:
    return ConsentEvent(
        id=row["id"],
        contact_id=ContactId(row["contact_id"]),
        purpose=cast(Purpose, row["purpose"]),
        granted=bool(row["granted"]),
        channel=cast(Channel, row["channel"]),
        wording=row["wording"],
        wording_version=row["wording_version"],
        source=cast(ConsentSource, row["source"]),
        evidence=dict(row["evidence"]),
        occurred_at=row["occurred_at"],
        pending=bool(row.get("pending")),
    )
