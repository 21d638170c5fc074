"""`ContactSnapshot`s of many contacts at once, inside a caller-framed transaction.

The same answers as `campaign_reads.snapshot` gives one contact at a time, in a fixed
number of statements for the whole batch (one per kind of fact) instead of about a dozen
per contact: the dispatcher reads a claimed batch's guards this way.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.engine import Connection

from bot.store import consent, reads, scoring
from bot.store.campaign_reads import CONVERSION_KINDS, conversion_of
from bot.store.campaigns import SENDING, SENT
from bot.store.records import ConsentEvent, Contact, ContactSnapshot, ScoreRecord
from bot.store.schema import (
    campaign_sends,
    consent_events,
    contact_aliases,
    contact_tags,
    contacts,
    do_not_contact,
    inbound_activity,
    lead_scores,
    leads,
    timeline_events,
)


def snapshots(conn: Connection, keys: Sequence[str], now: datetime) -> dict[str, ContactSnapshot]:
    """A snapshot for each key (a contact id, or the id of one merged away), by key;
    contacts that are gone are left out."""
    live = _live_ids(conn, list(dict.fromkeys(keys)))
    ids = sorted(set(live.values()))
    if not ids:
        return {}
    people: dict[str, Contact] = {c.id: c for c in reads.load_contacts(conn, ids)}
    facts = _Facts(conn, ids, now, people.values())
    return {
        key: facts.snapshot_of(people[contact_id])
        for key, contact_id in live.items()
        if contact_id in people
    }


class _Facts:
    """Everything a snapshot holds, for a batch of live contacts, grouped by contact."""

    def __init__(
        self, conn: Connection, ids: list[str], now: datetime, people: Iterable[Contact]
    ) -> None:
        self.consent = _consent(conn, ids)
        self.blocked = _grouped(
            conn.execute(
                select(do_not_contact.c.contact_id, do_not_contact.c.channel).where(
                    do_not_contact.c.contact_id.in_(ids), do_not_contact.c.lifted_at.is_(None)
                )
            )
        )
        self.inbound = _last_inbound(conn, people)
        self.day, self.week = _sent(conn, ids, now)
        self.tags = _grouped(
            conn.execute(
                select(contact_tags.c.contact_id, contact_tags.c.tag).where(
                    contact_tags.c.contact_id.in_(ids)
                )
            )
        )
        self.scores = _scores(conn, ids)
        self.lead_channel = _lead_channels(conn, ids)
        self.conversions = _conversions(conn, ids)

    def snapshot_of(self, contact: Contact) -> ContactSnapshot:
        cid = contact.id
        score = self.scores.get(cid)
        preferred = self.lead_channel.get(cid)
        if preferred is None and contact.channels:
            preferred = contact.channels[-1].channel  # the identity linked last
        return ContactSnapshot(
            contact=contact,
            consent=self.consent.get(cid, {}),
            do_not_contact=frozenset(self.blocked.get(cid, ())),
            last_inbound=self.inbound.get(cid, {}),
            sent_last_day=self.day.get(cid, {}),
            sent_last_week=self.week.get(cid, {}),
            tags=frozenset(self.tags.get(cid, ())),
            score=None if score is None else score.score,
            grade=None if score is None else score.grade,
            stage=None if score is None else score.stage,
            preferred_channel=preferred,
            conversions=tuple(self.conversions.get(cid, ())),
        )


def _live_ids(conn: Connection, keys: list[str]) -> dict[str, str]:
    if not keys:
        return {}
    found = {
        str(i): str(i)
        for i in conn.execute(select(contacts.c.id).where(contacts.c.id.in_(keys))).scalars()
    }
    missing = [k for k in keys if k not in found]
    if missing:
        aliases = select(contact_aliases.c.old_id, contact_aliases.c.contact_id).where(
            contact_aliases.c.old_id.in_(missing)
        )
        found.update({str(old): str(new) for old, new in conn.execute(aliases).all()})
    return {key: found[key] for key in keys if key in found}


def _grouped(rows: Iterable[Any]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for contact_id, value in rows:
        found.setdefault(str(contact_id), []).append(str(value))
    return found


def _consent(conn: Connection, ids: list[str]) -> dict[str, dict[str, tuple[bool, datetime]]]:
    """The latest event per purpose; a grant waiting for its confirmation is neither
    consent nor a withdrawal yet (as in `campaign_reads.snapshot`)."""
    query = (
        select(consent_events)
        .where(consent_events.c.contact_id.in_(ids))
        .order_by(consent_events.c.occurred_at, consent_events.c.id)
    )
    latest: dict[str, dict[str, ConsentEvent]] = {}
    for row in conn.execute(query).mappings():
        event = consent.event_of(row)
        latest.setdefault(str(row["contact_id"]), {})[event.purpose] = event
    return {
        cid: {p: (e.granted, e.occurred_at) for p, e in events.items() if not e.pending}
        for cid, events in latest.items()
    }


def _last_inbound(conn: Connection, people: Iterable[Contact]) -> dict[str, dict[str, datetime]]:
    owners: dict[tuple[str, str], list[str]] = {}
    for contact in people:
        for identity in contact.channels:
            owners.setdefault((identity.channel, identity.external_id), []).append(contact.id)
    if not owners:
        return {}
    a = inbound_activity.c
    query = select(a.channel, a.external_id, a.last_at).where(
        a.external_id.in_(sorted({external for _, external in owners}))
    )
    latest: dict[str, dict[str, datetime]] = {}
    for channel, external_id, at in conn.execute(query).all():
        for cid in owners.get((channel, external_id), ()):
            mine = latest.setdefault(cid, {})
            if at is not None and (channel not in mine or at > mine[channel]):
                mine[channel] = at
    return latest


def _sent(
    conn: Connection, ids: list[str], now: datetime
) -> tuple[dict[str, dict[str, int]], dict[str, dict[str, int]]]:
    """Campaign sends per channel in the last day and the last week; in-flight ones
    count in both, so two workers cannot both take the last slot."""
    s = campaign_sends.c
    day, week = now - timedelta(days=1), now - timedelta(days=7)
    query = select(s.contact_id, s.channel, s.status, s.sent_at).where(
        s.contact_id.in_(ids), or_(and_(s.status == SENT, s.sent_at >= week), s.status == SENDING)
    )
    per_day: dict[str, dict[str, int]] = {}
    per_week: dict[str, dict[str, int]] = {}
    for contact_id, channel, status, sent_at in conn.execute(query).all():
        cid, name = str(contact_id), str(channel)
        _bump(per_week, cid, name)
        if status == SENDING or sent_at >= day:
            _bump(per_day, cid, name)
    return per_day, per_week


def _bump(counts: dict[str, dict[str, int]], cid: str, channel: str) -> None:
    mine = counts.setdefault(cid, {})
    mine[channel] = mine.get(channel, 0) + 1


def _scores(conn: Connection, ids: list[str]) -> dict[str, ScoreRecord]:
    latest = (
        select(func.max(lead_scores.c.id))
        .where(lead_scores.c.contact_id.in_(ids))
        .group_by(lead_scores.c.contact_id)
    )
    rows = conn.execute(select(lead_scores).where(lead_scores.c.id.in_(latest))).mappings()
    return {str(row["contact_id"]): scoring.record_of(row) for row in rows}


def _lead_channels(conn: Connection, ids: list[str]) -> dict[str, str]:
    """The channel of each contact's latest conversation with us (a lead's channel)."""
    query = (
        select(leads.c.contact_id, leads.c.channel)
        .where(leads.c.contact_id.in_(ids))
        .order_by(leads.c.contact_id, leads.c.updated_at.desc(), leads.c.id)
    )
    latest: dict[str, str | None] = {}
    for contact_id, channel in conn.execute(query).all():
        latest.setdefault(str(contact_id), None if channel is None else str(channel))
    return {cid: channel for cid, channel in latest.items() if channel is not None}


def _conversions(conn: Connection, ids: list[str]) -> dict[str, list[tuple[str, datetime]]]:
    t = timeline_events.c
    query = (
        select(t.contact_id, t.kind, t.data, t.occurred_at)
        .where(t.contact_id.in_(ids), t.kind.in_([*CONVERSION_KINDS, "grade_changed"]))
        .order_by(t.occurred_at, t.id)
    )
    found: dict[str, list[tuple[str, datetime]]] = {}
    for contact_id, kind, data, at in conn.execute(query).all():
        name = conversion_of(kind, data)
        if name is not None:
            found.setdefault(str(contact_id), []).append((name, at))
    return found
