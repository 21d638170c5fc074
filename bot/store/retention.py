"""Which contacts retention may purge: no consent left and nothing heard for long."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import exists, select
from sqlalchemy.engine import Connection

from bot.store.consent import any_current_grant
from bot.store.schema import consent_events, contacts, timeline_events
from bot.types import ContactId


def contacts_for_purge(conn: Connection, cutoff: datetime) -> list[ContactId]:
    recent_timeline = exists().where(
        timeline_events.c.contact_id == contacts.c.id, timeline_events.c.occurred_at >= cutoff
    )
    recent_consent = exists().where(
        consent_events.c.contact_id == contacts.c.id, consent_events.c.occurred_at >= cutoff
    )
    query = (
        select(contacts.c.id)
        .where(
            contacts.c.updated_at < cutoff,
            ~recent_timeline,
            ~recent_consent,
            ~any_current_grant(contacts.c.id),
        )
        .order_by(contacts.c.created_at, contacts.c.id)
    )
    return [ContactId(contact_id) for contact_id in conn.execute(query).scalars()]
