"""Queries run inside a transaction the caller framed; rows become records here."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any, Literal, cast

from sqlalchemy import and_, func, or_, select
from sqlalchemy.engine import Connection

from bot.errors import ContactNotFound
from bot.store.records import Contact, Identity, Lead, LeadAnswer, TimelineEvent
from bot.store.schema import (
    OPEN_LEAD_STATUSES,
    channel_identities,
    contact_aliases,
    contacts,
    custom_field_values,
    lead_answers,
    leads,
    timeline_events,
)
from bot.store.transactions import ConcurrentChange
from bot.types import Channel, ContactId, LeadField, LeadStatus

UniqueColumn = Literal["email", "phone"]
UNIQUE_COLUMNS: tuple[UniqueColumn, ...] = ("email", "phone")
ContactKey = tuple[datetime, str]

_PHONE_PUNCTUATION = re.compile(r"[\s\-().]")


def contact_row(conn: Connection, contact_id: str) -> Mapping[str, Any] | None:
    row = conn.execute(select(contacts).where(contacts.c.id == contact_id)).mappings().first()
    return cast("Mapping[str, Any] | None", row)


def resolve_id(conn: Connection, key: str) -> ContactId | None:
    """The live id for a contact id or for the id of a contact merged away."""
    found = conn.execute(select(contacts.c.id).where(contacts.c.id == key)).scalar()
    if found is None:
        query = select(contact_aliases.c.contact_id).where(contact_aliases.c.old_id == key)
        found = conn.execute(query).scalar()
    return None if found is None else ContactId(found)


def require_id(conn: Connection, key: str) -> ContactId:
    contact_id = resolve_id(conn, key)
    if contact_id is None:
        raise ContactNotFound(key)
    return contact_id


def lock_contact(conn: Connection, contact_id: ContactId) -> ContactId:
    """Hold the contact's row until commit, so no merge can delete it under us.

    Writers lock before changing a contact or anything hanging off it; a row that is
    gone by the time the lock is granted was merged away, and the write starts over.
    """
    query = select(contacts.c.id).where(contacts.c.id == contact_id).with_for_update()
    if conn.execute(query).scalar() is None:
        raise ConcurrentChange(contact_id)
    return contact_id


def lock_live(conn: Connection, key: str) -> ContactId:
    """The live id for `key`, locked (see `lock_contact`)."""
    return lock_contact(conn, require_id(conn, key))


def id_for_identity(conn: Connection, channel: Channel, external_id: str) -> ContactId | None:
    query = select(channel_identities.c.contact_id).where(
        channel_identities.c.channel == channel,
        channel_identities.c.external_id == external_id,
    )
    found = conn.execute(query).scalar()
    return None if found is None else ContactId(found)


def id_by_unique(conn: Connection, column: UniqueColumn, value: str) -> ContactId | None:
    found = conn.execute(select(contacts.c.id).where(contacts.c[column] == value)).scalar()
    return None if found is None else ContactId(found)


def find_id(conn: Connection, key: str) -> ContactId | None:
    """By id, merged-away id, email (any case) or phone (with or without spacing)."""
    key = key.strip()
    if not key:
        return None
    return (
        resolve_id(conn, key)
        or id_by_unique(conn, "email", key.lower())
        or id_by_unique(conn, "phone", key)
        or id_by_unique(conn, "phone", _PHONE_PUNCTUATION.sub("", key))
    )


def load_contact(conn: Connection, contact_id: str) -> Contact:
    rows = conn.execute(select(contacts).where(contacts.c.id == contact_id)).mappings().all()
    if not rows:
        raise ContactNotFound(contact_id)
    return _contacts_from_rows(conn, rows)[0]


def load_contacts(conn: Connection, contact_ids: Sequence[str]) -> list[Contact]:
    """These contacts (live ids), with their identities; ids that are gone are left out."""
    rows = conn.execute(select(contacts).where(contacts.c.id.in_(list(contact_ids))))
    return _contacts_from_rows(conn, rows.mappings().all())


def page_of_contacts(conn: Connection, limit: int, offset: int) -> list[Contact]:
    query = select(contacts).order_by(contacts.c.created_at, contacts.c.id)
    rows = conn.execute(query.limit(limit).offset(offset)).mappings().all()
    return _contacts_from_rows(conn, rows)


def contacts_after(conn: Connection, after: ContactKey | None, batch: int) -> list[Contact]:
    """The next `batch` contacts in (created_at, id) order, strictly after `after`."""
    query = select(contacts).order_by(contacts.c.created_at, contacts.c.id).limit(batch)
    if after is not None:
        created_at, contact_id = after
        query = query.where(
            or_(
                contacts.c.created_at > created_at,
                and_(contacts.c.created_at == created_at, contacts.c.id > contact_id),
            )
        )
    return _contacts_from_rows(conn, conn.execute(query).mappings().all())


def count_contacts(conn: Connection) -> int:
    return int(conn.execute(select(func.count()).select_from(contacts)).scalar_one())


def _contacts_from_rows(conn: Connection, rows: Iterable[Mapping[str, Any]]) -> list[Contact]:
    rows = list(rows)
    ids = [row["id"] for row in rows]
    identities, custom = _identities_of(conn, ids), custom_values_of(conn, ids)
    return [_contact(row, identities.get(row["id"], ()), custom.get(row["id"], {})) for row in rows]


def custom_values_of(conn: Connection, contact_ids: list[str]) -> dict[str, dict[str, str]]:
    """contact id -> custom field -> value, fields by name; contacts without any left out."""
    found: dict[str, dict[str, str]] = {}
    if not contact_ids:
        return found
    values = custom_field_values.c
    query = (
        select(values.contact_id, values.field, values.value)
        .where(values.contact_id.in_(contact_ids))
        .order_by(values.contact_id, values.field)
    )
    for contact_id, name, value in conn.execute(query):
        found.setdefault(contact_id, {})[name] = value
    return found


def _identities_of(conn: Connection, ids: list[str]) -> dict[str, tuple[Identity, ...]]:
    query = (
        select(channel_identities)
        .where(channel_identities.c.contact_id.in_(ids))
        .order_by(channel_identities.c.created_at, channel_identities.c.id)
    )
    found: dict[str, list[Identity]] = {}
    for row in conn.execute(query).mappings():
        identity = Identity(cast(Channel, row["channel"]), row["external_id"])
        found.setdefault(row["contact_id"], []).append(identity)
    return {contact_id: tuple(items) for contact_id, items in found.items()}


def _contact(
    row: Mapping[str, Any], channels: tuple[Identity, ...], custom: dict[str, str]
) -> Contact:
    return Contact(
        id=ContactId(row["id"]),
        name=row["name"],
        email=row["email"],
        phone=row["phone"],
        company=row["company"],
        role=row["role"],
        need=row["need"],
        lead_status=cast(LeadStatus, row["lead_status"]),
        channels=channels,
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        company_domain=row["company_domain"],
        country=row["country"],
        timezone=row["timezone"],
        fields=custom,
    )


def open_lead_id(conn: Connection, contact_id: str, conversation_id: str) -> str | None:
    query = select(leads.c.id).where(
        leads.c.contact_id == contact_id,
        leads.c.conversation_id == conversation_id,
        leads.c.status.in_(OPEN_LEAD_STATUSES),
    )
    return cast("str | None", conn.execute(query).scalar())


def current_lead_id(conn: Connection, contact_id: str, conversation_id: str) -> str | None:
    """The conversation's open lead, else its most recent one."""
    query = (
        select(leads.c.id)
        .where(leads.c.contact_id == contact_id, leads.c.conversation_id == conversation_id)
        .order_by(leads.c.status.in_(OPEN_LEAD_STATUSES).desc(), leads.c.started_at.desc())
    )
    return cast("str | None", conn.execute(query.limit(1)).scalar())


def leads_of(conn: Connection, contact_id: str) -> list[Lead]:
    query = (
        select(leads)
        .where(leads.c.contact_id == contact_id)
        .order_by(leads.c.started_at, leads.c.id)
    )
    rows = conn.execute(query).mappings().all()
    answers = _answers_of(conn, [row["id"] for row in rows])
    return [_lead(row, answers.get(row["id"], ())) for row in rows]


def _answers_of(conn: Connection, lead_ids: list[str]) -> dict[str, tuple[LeadAnswer, ...]]:
    query = (
        select(lead_answers)
        .where(lead_answers.c.lead_id.in_(lead_ids))
        .order_by(lead_answers.c.answered_at, lead_answers.c.id)
    )
    found: dict[str, list[LeadAnswer]] = {}
    for row in conn.execute(query).mappings():
        answer = LeadAnswer(cast(LeadField, row["field"]), row["value"], row["answered_at"])
        found.setdefault(row["lead_id"], []).append(answer)
    return {lead_id: tuple(items) for lead_id, items in found.items()}


def _lead(row: Mapping[str, Any], answers: tuple[LeadAnswer, ...]) -> Lead:
    return Lead(
        id=row["id"],
        contact_id=ContactId(row["contact_id"]),
        status=cast(LeadStatus, row["status"]),
        channel=cast(Channel, row["channel"]),
        conversation_id=row["conversation_id"],
        started_at=row["started_at"],
        updated_at=row["updated_at"],
        answers=answers,
    )


def timeline_of(conn: Connection, contact_id: str) -> list[TimelineEvent]:
    query = (
        select(timeline_events)
        .where(timeline_events.c.contact_id == contact_id)
        .order_by(timeline_events.c.occurred_at, timeline_events.c.id)
    )
    return [timeline_event(row) for row in conn.execute(query).mappings()]


def timeline_event(row: Mapping[str, Any]) -> TimelineEvent:
    return TimelineEvent(
        id=row["id"],
        contact_id=ContactId(row["contact_id"]),
        kind=row["kind"],
        data=dict(row["data"]),
        occurred_at=row["occurred_at"],
    )
