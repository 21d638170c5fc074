"""Leads: one open lead per (contact, conversation), every answer kept."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import delete, insert, select, update
from sqlalchemy.engine import Connection

from bot.store import reads
from bot.store.schema import OPEN_LEAD_STATUSES, lead_answers, leads
from bot.store.writes import new_id
from bot.types import Channel, LeadField, LeadStatus


def record_answers(
    conn: Connection,
    contact_id: str,
    channel: Channel,
    conversation_id: str,
    fields: Mapping[LeadField, str],
    now: datetime,
) -> None:
    lead_id = reads.open_lead_id(conn, contact_id, conversation_id)
    if lead_id is None:
        lead_id = _open_lead(conn, contact_id, channel, conversation_id, now)
    answers = [
        {"lead_id": lead_id, "field": field, "value": value, "answered_at": now}
        for field, value in fields.items()
    ]
    conn.execute(insert(lead_answers), answers)
    conn.execute(update(leads).where(leads.c.id == lead_id).values(updated_at=now))


def _open_lead(
    conn: Connection, contact_id: str, channel: Channel, conversation_id: str, now: datetime
) -> str:
    lead_id = new_id()
    conn.execute(
        insert(leads).values(
            id=lead_id,
            contact_id=contact_id,
            status="partial",
            channel=channel,
            conversation_id=conversation_id,
            started_at=now,
            updated_at=now,
        )
    )
    return lead_id


def set_status(
    conn: Connection, contact_id: str, conversation_id: str, status: LeadStatus, now: datetime
) -> None:
    lead_id = reads.current_lead_id(conn, contact_id, conversation_id)
    if lead_id is not None:
        query = update(leads).where(leads.c.id == lead_id, leads.c.status != status)
        conn.execute(query.values(status=status, updated_at=now))


def move_leads(conn: Connection, loser: str, survivor: str) -> None:
    """Hand the loser's leads over; an open lead clashing with one of the survivor's
    in the same conversation is folded into it, answers and all."""
    query = select(leads.c.id, leads.c.conversation_id).where(
        leads.c.contact_id == loser, leads.c.status.in_(OPEN_LEAD_STATUSES)
    )
    for lead_id, conversation_id in conn.execute(query).all():
        target = reads.open_lead_id(conn, survivor, conversation_id)
        if target is not None:
            _fold_lead(conn, lead_id, target)
    conn.execute(update(leads).where(leads.c.contact_id == loser).values(contact_id=survivor))


def _fold_lead(conn: Connection, lead_id: str, into: str) -> None:
    moved = update(lead_answers).where(lead_answers.c.lead_id == lead_id)
    conn.execute(moved.values(lead_id=into))
    conn.execute(delete(leads).where(leads.c.id == lead_id))
