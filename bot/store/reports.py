"""The dashboard's funnel inside a caller-framed transaction.

The cohort is the contacts created in the period; each is counted on the channel of its
first channel identity. Every stage counts the cohort's contacts that reached it, so a
stage may be reached without the one before (a sale closed by phone needs no consent):
- conversations: every contact of the cohort (each began with a conversation or import);
- leads: gave an email address or a phone number;
- consented: the latest consent event of some purpose is a grant;
- qualified: the latest score's stage is mql or sql;
- converted: the current sales outcome (the latest recorded, from the studio, the API,
  the CLI or HubSpot) is won.
"""

from __future__ import annotations

from datetime import date, datetime, time, timezone
from typing import Any

from sqlalchemy import Date, case, cast, func, literal, or_, select
from sqlalchemy.engine import Connection
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.selectable import Subquery

from bot.store.consent import any_current_grant
from bot.store.records import FunnelCounts, FunnelDay, FunnelReport
from bot.store.schema import channel_identities, contacts, lead_outcomes, lead_scores

C = contacts.c
NO_CHANNEL = "unknown"  # a contact with no channel identity (never the case in a chat)
QUALIFIED_STAGES = ("mql", "sql")
STAGES = ("leads", "consented", "qualified", "converted")


def funnel(conn: Connection, since: datetime | None, channel: str | None) -> FunnelReport:
    cohort = _cohort(since)
    chosen = [] if channel is None else [cohort.c.channel == channel]
    sums = [func.coalesce(func.sum(cohort.c[stage]), 0) for stage in STAGES]
    query = (
        select(cohort.c.channel, func.count(), *sums)
        .where(*chosen)
        .group_by(cohort.c.channel)
        .order_by(func.count().desc(), cohort.c.channel)
    )
    rows = tuple(_counts(str(name), counts) for name, *counts in conn.execute(query))
    total = _counts("all", [sum(getattr(r, f) for r in rows) for f in ("conversations", *STAGES)])
    day = _day(conn, cohort.c.created_at)
    daily = (
        select(day, func.count(), func.coalesce(func.sum(cohort.c.leads), 0))
        .where(*chosen)
        .group_by(day)
        .order_by(day)
    )
    days = tuple(
        FunnelDay(_midnight(found), int(count), int(leads))
        for found, count, leads in conn.execute(daily)
    )
    return FunnelReport(since=since, channels=rows, total=total, days=days)


def _cohort(since: datetime | None) -> Subquery:
    first_channel = (
        select(channel_identities.c.channel)
        .where(channel_identities.c.contact_id == C.id)
        .order_by(channel_identities.c.created_at, channel_identities.c.id)
        .limit(1)
        .scalar_subquery()
    )
    latest_stage = (
        select(lead_scores.c.stage)
        .where(lead_scores.c.contact_id == C.id)
        .order_by(lead_scores.c.computed_at.desc(), lead_scores.c.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    current_outcome = (
        select(lead_outcomes.c.outcome)
        .where(lead_outcomes.c.contact_id == C.id, lead_outcomes.c.is_current)
        .scalar_subquery()
    )
    flags = {
        "leads": or_(C.email.is_not(None), C.phone.is_not(None)),
        "consented": any_current_grant(C.id),
        "qualified": latest_stage.in_(QUALIFIED_STAGES),
        "converted": current_outcome == "won",
    }
    query = select(
        C.id,
        C.created_at,
        func.coalesce(first_channel, literal(NO_CHANNEL)).label("channel"),
        *(_flag(condition).label(name) for name, condition in flags.items()),
    )
    if since is not None:
        query = query.where(C.created_at >= since)
    return query.subquery("cohort")


def _flag(condition: ColumnElement[Any]) -> ColumnElement[Any]:
    return case((condition, 1), else_=0)


def _day(conn: Connection, column: ColumnElement[Any]) -> ColumnElement[Any]:
    """The UTC calendar day of a stored instant (SQLite keeps UTC wall time as text)."""
    if conn.dialect.name == "postgresql":
        return cast(func.timezone("UTC", column), Date).label("day")
    return func.date(column).label("day")


def _midnight(found: date | str) -> datetime:
    day = found if isinstance(found, date) else date.fromisoformat(str(found))
    return datetime.combine(day, time(), tzinfo=timezone.utc)


def _counts(channel: str, counts: Any) -> FunnelCounts:
    conversations, leads, consented, qualified, converted = (int(n) for n in counts)
    return FunnelCounts(channel, conversations, leads, consented, qualified, converted)
