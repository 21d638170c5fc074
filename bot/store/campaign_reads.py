"""What campaigns read and mark about contacts: snapshots, tags, inbound activity,
trigger events and send statistics, inside a caller-framed transaction."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, case, delete, func, insert, or_, select, update
from sqlalchemy.engine import Connection

from bot.store import consent, dnc, reads, scoring
from bot.store.campaigns import SENDING, SENT
from bot.store.records import ConsentEvent, ContactSnapshot, SendStats, TimelineEvent
from bot.store.schema import (
    campaign_sends,
    channel_identities,
    consent_events,
    contact_tags,
    inbound_activity,
    leads,
    message_statuses,
    timeline_events,
)
from bot.types import ContactId

# Timeline kinds that count as a conversion, and how campaigns name them.
CONVERSION_KINDS = {"meeting_booked": "meeting_booked", "outcome_recorded": "won"}
DELIVERED_STATUSES = ("delivered", "read")


def snapshot(conn: Connection, contact_id: str, now: datetime) -> ContactSnapshot:
    live = reads.require_id(conn, contact_id)
    contact = reads.load_contact(conn, live)
    score = scoring.latest_score(conn, live)
    identities = [(i.channel, i.external_id) for i in contact.channels]
    return ContactSnapshot(
        contact=contact,
        # A grant waiting for its confirmation is neither consent nor a withdrawal yet.
        consent={
            p: (e.granted, e.occurred_at)
            for p, e in consent.state(conn, live).items()
            if not e.pending
        },
        do_not_contact=frozenset(e.channel for e in dnc.entries(conn, live, active_only=True)),
        last_inbound=_last_inbound(conn, identities),
        sent_last_day=_sent_since(conn, live, now - timedelta(days=1)),
        sent_last_week=_sent_since(conn, live, now - timedelta(days=7)),
        tags=frozenset(tags_of(conn, live)),
        score=None if score is None else score.score,
        grade=None if score is None else score.grade,
        stage=None if score is None else score.stage,
        preferred_channel=_preferred_channel(conn, live),
        conversions=_conversions(conn, live),
    )


def _last_inbound(conn: Connection, identities: Sequence[tuple[str, str]]) -> dict[str, datetime]:
    latest: dict[str, datetime] = {}
    for channel, external_id in identities:
        at = conn.execute(
            select(inbound_activity.c.last_at).where(
                inbound_activity.c.channel == channel,
                inbound_activity.c.external_id == external_id,
            )
        ).scalar()
        if at is not None and (channel not in latest or at > latest[channel]):
            latest[channel] = at
    return latest


def _sent_since(conn: Connection, contact_id: ContactId, since: datetime) -> dict[str, int]:
    query = (
        select(campaign_sends.c.channel, func.count())
        .where(campaign_sends.c.contact_id == contact_id)
        # In-flight sends count too, so two workers cannot both take the last slot.
        .where(
            or_(
                and_(campaign_sends.c.status == SENT, campaign_sends.c.sent_at >= since),
                campaign_sends.c.status == SENDING,
            )
        )
        .group_by(campaign_sends.c.channel)
    )
    return {str(channel): int(n) for channel, n in conn.execute(query).all()}


def _preferred_channel(conn: Connection, contact_id: ContactId) -> str | None:
    """The channel of their latest conversation with us (a lead's channel)."""
    query = (
        select(leads.c.channel)
        .where(leads.c.contact_id == contact_id)
        .order_by(leads.c.updated_at.desc(), leads.c.id)
        .limit(1)
    )
    channel = conn.execute(query).scalar()
    if channel is not None:
        return str(channel)
    query = (
        select(channel_identities.c.channel)
        .where(channel_identities.c.contact_id == contact_id)
        .order_by(channel_identities.c.created_at.desc(), channel_identities.c.id.desc())
        .limit(1)
    )
    latest = conn.execute(query).scalar()
    return None if latest is None else str(latest)


def _conversions(conn: Connection, contact_id: ContactId) -> tuple[tuple[str, datetime], ...]:
    query = (
        select(timeline_events.c.kind, timeline_events.c.data, timeline_events.c.occurred_at)
        .where(timeline_events.c.contact_id == contact_id)
        .where(timeline_events.c.kind.in_([*CONVERSION_KINDS, "grade_changed"]))
        .order_by(timeline_events.c.occurred_at, timeline_events.c.id)
    )
    found = ((conversion_of(kind, data), at) for kind, data, at in conn.execute(query).all())
    return tuple((name, at) for name, at in found if name is not None)


def conversion_of(kind: str, data: Mapping[str, Any] | None) -> str | None:
    """What a timeline event means as a campaign conversion, if anything."""
    if kind == "meeting_booked":
        return "meeting_booked"
    if kind == "outcome_recorded" and (data or {}).get("outcome") == "won":
        return "won"
    if kind == "grade_changed" and (data or {}).get("stage") == "sql":
        return "sql"
    return None


def tags_of(conn: Connection, contact_id: str) -> list[str]:
    query = select(contact_tags.c.tag).where(contact_tags.c.contact_id == contact_id)
    return sorted(conn.execute(query).scalars())


def add_tag(conn: Connection, contact_id: ContactId, tag: str, now: datetime) -> bool:
    if tag in tags_of(conn, contact_id):
        return False
    conn.execute(insert(contact_tags).values(contact_id=contact_id, tag=tag, added_at=now))
    return True


def remove_tag(conn: Connection, contact_id: ContactId, tag: str) -> bool:
    query = delete(contact_tags).where(
        contact_tags.c.contact_id == contact_id, contact_tags.c.tag == tag
    )
    return bool(conn.execute(query).rowcount)


def note_inbound(conn: Connection, channel: str, external_id: str, now: datetime) -> None:
    """Remember when this identity last wrote to us (a later time only ever wins)."""
    key = (inbound_activity.c.channel == channel, inbound_activity.c.external_id == external_id)
    known = conn.execute(select(inbound_activity.c.last_at).where(*key)).scalar()
    if known is None:
        conn.execute(
            insert(inbound_activity).values(channel=channel, external_id=external_id, last_at=now)
        )
    elif known < now:
        conn.execute(update(inbound_activity).where(*key).values(last_at=now))


def forget_inbound(conn: Connection, sender_ids: Sequence[str]) -> None:
    """An erased conversation's sender id keeps no "last wrote at", on any channel."""
    wanted = list(dict.fromkeys(sender_ids))
    if wanted:
        conn.execute(delete(inbound_activity).where(inbound_activity.c.external_id.in_(wanted)))


def timeline_after(
    conn: Connection, cursor: int, kinds: Sequence[str], limit: int
) -> list[TimelineEvent]:
    query = (
        select(timeline_events)
        .where(timeline_events.c.id > cursor, timeline_events.c.kind.in_(list(kinds)))
        .order_by(timeline_events.c.id)
        .limit(limit)
    )
    return [reads.timeline_event(row) for row in conn.execute(query).mappings()]


def latest_timeline_id(conn: Connection) -> int:
    return int(conn.execute(select(func.coalesce(func.max(timeline_events.c.id), 0))).scalar_one())


def consent_grants_after(conn: Connection, cursor: int, limit: int) -> list[ConsentEvent]:
    query = (
        select(consent_events)
        .where(consent_events.c.id > cursor)
        .order_by(consent_events.c.id)
        .limit(limit)
    )
    return [consent.event_of(row) for row in conn.execute(query).mappings()]


def send_stats(conn: Connection, campaign: str | None) -> list[SendStats]:
    delivered = (
        select(func.count())
        .where(message_statuses.c.message_id == campaign_sends.c.provider_message_id)
        .where(message_statuses.c.status.in_(DELIVERED_STATUSES))
        .correlate(campaign_sends)
        .scalar_subquery()
    )
    s = campaign_sends.c
    query = select(
        s.campaign,
        s.step,
        s.variant,
        s.channel,
        s.status,
        s.reason,
        func.count(),
        func.sum(case((delivered > 0, 1), else_=0)),
    ).group_by(s.campaign, s.step, s.variant, s.channel, s.status, s.reason)
    if campaign is not None:
        query = query.where(s.campaign == campaign)
    return [
        SendStats(c, st, v, ch, status, reason, int(n), int(d or 0))
        for c, st, v, ch, status, reason, n, d in conn.execute(query).all()
    ]
