"""Two contacts found to be one person become one: the older one survives."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.engine import Connection

from bot.store import consent, custom_values, dnc, inbox, integration, reads, scoring, writes
from bot.store.leads import move_leads
from bot.store.schema import (
    bookings,
    campaign_enrollments,
    campaign_sends,
    channel_identities,
    contact_aliases,
    contact_tags,
    contacts,
    deliveries,
    handoffs,
    integration_events,
    timeline_events,
)
from bot.types import LEAD_FIELDS, ContactId, LeadField, LeadStatus

Row = Mapping[str, Any]


def merge(conn: Connection, one: str, other: str, now: datetime) -> ContactId:
    """Merge two live contacts and return the survivor's id.

    The survivor keeps its own values and takes the loser's where it has none; the
    loser's id stays resolvable through contact_aliases.
    """
    for contact_id in sorted((one, other)):
        reads.lock_contact(conn, ContactId(contact_id))
    survivor, loser = _older_first(_row(conn, one), _row(conn, other))
    survivor_id, loser_id = survivor["id"], loser["id"]
    _move_children(conn, loser_id, survivor_id, now)
    conn.execute(delete(contacts).where(contacts.c.id == loser_id))
    conn.execute(insert(contact_aliases).values(old_id=loser_id, contact_id=survivor_id))
    writes.add_event(conn, survivor_id, "contact_merged", {"merged_id": loser_id}, now)
    merged = {"contact_id": survivor_id, "merged_id": loser_id}
    integration.emit(conn, "contact.merged", survivor_id, merged, now)
    writes.apply_fields(conn, survivor_id, _blanks_filled(survivor, loser), now)
    status: LeadStatus = loser["lead_status"]
    writes.change_lead_status(conn, survivor_id, status, now, only_from="new")
    return ContactId(survivor_id)


def merge_matching(
    conn: Connection, contact_id: ContactId, fields: Mapping[LeadField, str], now: datetime
) -> ContactId:
    """Merge `contact_id` with whoever already holds the email or phone in `fields`."""
    for column in reads.UNIQUE_COLUMNS:
        value = fields.get(column)
        holder = reads.id_by_unique(conn, column, value) if value else None
        if holder is not None and holder != contact_id:
            contact_id = merge(conn, contact_id, holder, now)
    return contact_id


def _row(conn: Connection, contact_id: str) -> Row:
    row = reads.contact_row(conn, contact_id)
    assert row is not None, contact_id
    return row


def _older_first(one: Row, other: Row) -> tuple[Row, Row]:
    if (one["created_at"], one["id"]) <= (other["created_at"], other["id"]):
        return one, other
    return other, one


def _move_children(conn: Connection, loser: str, survivor: str, now: datetime) -> None:
    for table in (
        channel_identities,
        timeline_events,
        contact_aliases,
        handoffs,
        deliveries,
        bookings,
        campaign_sends,
        integration_events,
    ):
        moved = update(table).where(table.c.contact_id == loser)
        conn.execute(moved.values(contact_id=survivor))
    move_leads(conn, loser, survivor)
    # Deleting the loser would cascade to these: a lost withdrawal is the worst outcome.
    consent.move(conn, loser, survivor)
    scoring.move(conn, loser, survivor)
    custom_values.move(conn, loser, survivor)
    inbox.move(conn, loser, survivor)
    dnc.move(conn, loser, survivor, now)
    _move_tags(conn, loser, survivor, now)
    _move_enrollments(conn, loser, survivor)


def _move_tags(conn: Connection, loser: str, survivor: str, now: datetime) -> None:
    def tags_of(contact_id: str) -> set[str]:
        query = select(contact_tags.c.tag).where(contact_tags.c.contact_id == contact_id)
        return set(conn.execute(query).scalars())

    missing = tags_of(loser) - tags_of(survivor)
    if missing:
        rows = [{"contact_id": survivor, "tag": t, "added_at": now} for t in sorted(missing)]
        conn.execute(insert(contact_tags), rows)


def _move_enrollments(conn: Connection, loser: str, survivor: str) -> None:
    """One enrollment per campaign: where both were enrolled the survivor's stays and
    takes the loser's sends, so nothing already sent is sent again or forgotten."""
    enrolled = campaign_enrollments.c
    kept = dict(
        conn.execute(
            select(enrolled.campaign, enrolled.id).where(enrolled.contact_id == survivor)
        ).all()
    )
    for campaign, enrollment_id in conn.execute(
        select(enrolled.campaign, enrolled.id).where(enrolled.contact_id == loser)
    ).all():
        if campaign in kept:
            conn.execute(
                update(campaign_sends)
                .where(campaign_sends.c.enrollment_id == enrollment_id)
                .values(enrollment_id=kept[campaign])
            )
            conn.execute(delete(campaign_enrollments).where(enrolled.id == enrollment_id))
        else:
            conn.execute(
                update(campaign_enrollments)
                .where(enrolled.id == enrollment_id)
                .values(contact_id=survivor)
            )


def _blanks_filled(survivor: Row, loser: Row) -> dict[LeadField, str | None]:
    return {
        field: loser[field]
        for field in LEAD_FIELDS
        if survivor[field] is None and loser[field] is not None
    }
