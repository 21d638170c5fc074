"""Campaign enrollments and the campaign outbox, inside a caller-framed transaction.

Sends are a leased outbox (`bot.store.outbox`) with a claim token: a worker whose lease
ran out can no longer act on the send. Past the claim a send has a second phase of its
own: once handed to the provider (`sending`) it is never handed over again.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, exists, func, insert, or_, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.sql import ColumnElement

from bot.store import integration, outbox, reads, send_batches, step_batches
from bot.store.records import (
    CampaignSend,
    CampaignState,
    Enrollment,
    Progress,
    QueuedSend,
    SendOutcome,
)
from bot.store.schema import (
    campaign_enrollments,
    campaign_sends,
    campaign_states,
    consent_events,
    timeline_events,
)
from bot.types import ContactId

ACTIVE, COMPLETED, EXITED = "active", "completed", "exited"
PENDING, CLAIMED, SENDING, SENT = "pending", "claimed", "sending", "sent"
FAILED, SKIPPED, UNCERTAIN = "failed", "skipped", "uncertain"
FINAL_SEND_STATUSES = (SENT, FAILED, SKIPPED, UNCERTAIN)

E, S = campaign_enrollments.c, campaign_sends.c
SENDS = outbox.Outbox(
    campaign_sends,
    due="due_at",
    leased=CLAIMED,
    done=SENT,
    done_at="sent_at",
    error="reason",
    token="claim_token",
    attempt_on_claim=False,
)


def state(conn: Connection, campaign: str, now: datetime) -> CampaignState:
    """The campaign's state, created on first sight with cursors at the present."""
    row = conn.execute(select(campaign_states).where(campaign_states.c.campaign == campaign))
    found = row.mappings().first()
    if found is None:
        values = {
            "campaign": campaign,
            "paused": False,
            "timeline_cursor": _max_id(conn, timeline_events.c.id),
            "consent_cursor": _max_id(conn, consent_events.c.id),
            "updated_at": now,
        }
        conn.execute(insert(campaign_states).values(**values))
        found = values
    return CampaignState(
        str(found["campaign"]),
        bool(found["paused"]),
        int(found["timeline_cursor"]),
        int(found["consent_cursor"]),
    )


def _max_id(conn: Connection, column: Any) -> int:
    return int(conn.execute(select(func.coalesce(func.max(column), 0))).scalar_one())


def update_state(conn: Connection, campaign: str, now: datetime, **values: Any) -> None:
    state(conn, campaign, now)
    conn.execute(
        update(campaign_states)
        .where(campaign_states.c.campaign == campaign)
        .values(**values, updated_at=now)
    )


def enroll(
    conn: Connection, campaign: str, contact_id: str, trigger: str, now: datetime
) -> Enrollment | None:
    """A new enrollment, or None when the contact was ever enrolled in this campaign."""
    live = reads.lock_contact(conn, reads.require_id(conn, contact_id))
    taken = select(E.id).where(E.campaign == campaign, E.contact_id == live)
    if conn.execute(taken).first() is not None:
        return None
    values = {
        "campaign": campaign,
        "contact_id": live,
        "status": ACTIVE,
        "step": 0,
        "next_run_at": now,
        "trigger": trigger,
        "enrolled_at": now,
    }
    new_id = conn.execute(insert(campaign_enrollments).values(**values)).inserted_primary_key[0]
    return _enrollment(
        {"id": new_id, "lease_until": None, "last_sent_at": None, "exit_reason": None, **values}
    )


def enroll_many(
    conn: Connection, campaign: str, contact_ids: Sequence[str], trigger: str, now: datetime
) -> int:
    """Enroll these (live, not yet enrolled) contacts in one statement; how many."""
    wanted = list(dict.fromkeys(contact_ids))
    if not wanted:
        return 0
    taken = set(
        conn.execute(
            select(E.contact_id).where(E.campaign == campaign, E.contact_id.in_(wanted))
        ).scalars()
    )
    rows = [
        {
            "campaign": campaign,
            "contact_id": c,
            "status": ACTIVE,
            "step": 0,
            "next_run_at": now,
            "trigger": trigger,
            "enrolled_at": now,
        }
        for c in wanted
        if c not in taken
    ]
    if rows:
        conn.execute(insert(campaign_enrollments), rows)
    return len(rows)


def claim_enrollments(
    conn: Connection, campaigns: Sequence[str], now: datetime, lease: timedelta, limit: int
) -> list[Enrollment]:
    """Active enrollments due now in unpaused `campaigns`, leased to the caller."""
    due = and_(
        E.status == ACTIVE,
        E.next_run_at <= now,
        E.campaign.in_(list(campaigns)),
        or_(E.lease_until.is_(None), E.lease_until < now),
        ~_paused(E.campaign),
    )
    claimed = outbox.locked_ids(conn, select(E.id).where(due).order_by(E.next_run_at), limit)
    # One statement for the lot, `due` not tested again: PostgreSQL holds the candidates'
    # row locks, SQLite this transaction's write lock.
    if claimed:
        leased = update(campaign_enrollments).where(E.id.in_(claimed))
        conn.execute(leased.values(lease_until=now + lease))
    rows = conn.execute(select(campaign_enrollments).where(E.id.in_(claimed)).order_by(E.id))
    return [_enrollment(r) for r in rows.mappings()]


def _paused(campaign: ColumnElement[Any]) -> ColumnElement[bool]:
    return exists().where(campaign_states.c.campaign == campaign, campaign_states.c.paused)


def save_progress(
    conn: Connection,
    enrollment_id: int,
    *,
    step: int,
    next_run_at: datetime,
    status: str,
    exit_reason: str | None,
    now: datetime,
) -> None:
    """Move an enrollment on and release its lease."""
    finished = now if status != ACTIVE else None
    if status == EXITED and exit_reason == "replied":
        row = conn.execute(select(E.campaign, E.contact_id, E.status).where(E.id == enrollment_id))
        found = row.first()
        if found is not None and found.status == ACTIVE:
            integration.emit(
                conn,
                "campaign.replied",
                found.contact_id,
                {"contact_id": found.contact_id, "campaign": found.campaign},
                now,
            )
    conn.execute(
        update(campaign_enrollments)
        .where(E.id == enrollment_id)
        .values(step=step, next_run_at=next_run_at, status=status, exit_reason=exit_reason,
                finished_at=finished, lease_until=None)
    )  # fmt: skip


def queue_send(
    conn: Connection,
    enrollment: Enrollment,
    step: str,
    variant: str,
    channels: Sequence[str],
    now: datetime,
) -> bool:
    """Put a send in the outbox unless its (enrollment, step, variant) is there already."""
    key = {"send_key": f"{enrollment.id}:{step}:{variant}"}
    values = {
        "enrollment_id": enrollment.id,
        "contact_id": enrollment.contact_id,
        "campaign": enrollment.campaign,
        "step": step,
        "variant": variant,
        "channels": list(channels),
    }
    return outbox.enqueue(conn, SENDS, key, values, now)


def save_steps(
    conn: Connection, sends: Sequence[QueuedSend], progress: Sequence[Progress], now: datetime
) -> None:
    """Queue these sends, then move these enrollments on: a batch of `advance` at once.
    Enrollments erased meanwhile (with their contact) are passed over."""
    wanted = {s.enrollment.id for s in sends} | {p.enrollment_id for p in progress}
    alive = set(conn.execute(select(E.id).where(E.id.in_(list(wanted)))).scalars())
    step_batches.queue_sends(conn, [s for s in sends if s.enrollment.id in alive], now)
    moves = [p for p in progress if p.enrollment_id in alive]
    # A reply ends the enrollment with an integration event: one at a time, as alone.
    replies = [p for p in moves if p.status == EXITED and p.exit_reason == "replied"]
    step_batches.move_on(conn, [p for p in moves if p not in replies], now)
    for moved in replies:
        save_progress(
            conn, moved.enrollment_id, step=moved.step, next_run_at=moved.next_run_at,
            status=moved.status, exit_reason=moved.exit_reason, now=now,
        )  # fmt: skip


def claim_sends(
    conn: Connection, campaigns: Sequence[str], now: datetime, lease: timedelta, limit: int
) -> list[CampaignSend]:
    """Due sends of unpaused `campaigns` leased to the caller, with a fresh claim token."""
    # The paused are left out by name: as a NOT EXISTS in the claim, PostgreSQL joined it
    # against every due send before taking the first page.
    paused = set(
        conn.execute(select(campaign_states.c.campaign).where(campaign_states.c.paused)).scalars()
    )
    running = [name for name in campaigns if name not in paused]
    if not running:
        return []
    claimed = outbox.claim(conn, SENDS, now, lease, limit, S.campaign.in_(running))
    rows = conn.execute(select(campaign_sends).where(S.id.in_(claimed)).order_by(S.due_at, S.id))
    return [_send(r) for r in rows.mappings()]


def count_due_sends(conn: Connection, now: datetime) -> int:
    """Sends a worker would claim now: due and pending, or claimed by a lease that ran out."""
    return outbox.count_due(conn, SENDS, now, ~_paused(S.campaign))


def start_send(conn: Connection, send_id: int, token: str, channel: str, now: datetime) -> bool:
    """Mark the send as handed to the provider. False when the caller lost its claim.

    After this commit the send is never handed over again: a worker dying during the
    provider call leaves it `sending`, which the reaper turns into `uncertain`.
    """
    return send_id in send_batches.start(conn, [(send_id, token, channel)], now)


def start_sends(
    conn: Connection, claims: Sequence[tuple[int, str, str]], now: datetime
) -> set[int]:
    """`start_send` for each (send id, claim token, channel), in one transaction: the ids
    whose claim still held, now `sending`."""
    return send_batches.start(conn, claims, now)


def finish_send(
    conn: Connection,
    send_id: int,
    token: str,
    *,
    status: str,
    reason: str | None,
    channel: str | None,
    provider_message_id: str | None,
    retry_at: datetime | None,
    now: datetime,
) -> bool:
    """Record a send's result (or put it back as pending for `retry_at`)."""
    done = send_batches.Finish(
        send_id, token, status, reason, channel, provider_message_id, retry_at
    )
    return send_id in send_batches.finish(conn, [done], now)


def finish_sends(conn: Connection, outcomes: Sequence[SendOutcome], now: datetime) -> int:
    """`finish_send` for each outcome, in one transaction; how many claims still held."""
    finishes = [
        send_batches.Finish(
            o.send.id, o.send.claim_token or "", o.status, o.reason, o.channel,
            o.provider_message_id, o.retry_at,
        )
        for o in outcomes
    ]  # fmt: skip
    return len(send_batches.finish(conn, finishes, now))


def reap_abandoned(conn: Connection, now: datetime, lease: timedelta) -> int:
    """Sends left `sending` by a worker that died mid-call become `uncertain`: the
    provider may or may not have taken them, and sending again could send twice."""
    stale = and_(S.status == SENDING, S.lease_until < now - lease)
    return int(
        conn.execute(
            update(campaign_sends).where(stale).values(
                status=UNCERTAIN, reason="worker stopped during the provider call; not resent",
                claim_token=None,
            )
        ).rowcount
    )  # fmt: skip


def sends_of(conn: Connection, campaign: str | None, contact_id: str | None) -> list[CampaignSend]:
    query = select(campaign_sends).order_by(S.id)
    if campaign is not None:
        query = query.where(S.campaign == campaign)
    if contact_id is not None:
        query = query.where(S.contact_id == reads.require_id(conn, contact_id))
    return [_send(r) for r in conn.execute(query).mappings()]


def enrollments_of(
    conn: Connection, campaign: str | None, contact_id: str | None
) -> list[Enrollment]:
    query = select(campaign_enrollments).order_by(E.id)
    if campaign is not None:
        query = query.where(E.campaign == campaign)
    if contact_id is not None:
        query = query.where(E.contact_id == reads.require_id(conn, contact_id))
    return [_enrollment(r) for r in conn.execute(query).mappings()]


def enrollments_by_id(conn: Connection, ids: Sequence[int]) -> dict[int, Enrollment]:
    query = select(campaign_enrollments).where(E.id.in_(list(set(ids))))
    return {int(r["id"]): _enrollment(r) for r in conn.execute(query).mappings()}


def enrollments_page(
    conn: Connection, campaign: str, after_id: int, limit: int
) -> list[Enrollment]:
    query = (
        select(campaign_enrollments)
        .where(E.campaign == campaign, E.id > after_id)
        .order_by(E.id)
        .limit(limit)
    )
    return [_enrollment(r) for r in conn.execute(query).mappings()]


def _enrollment(row: Any) -> Enrollment:
    return Enrollment(
        id=int(row["id"]),
        campaign=row["campaign"],
        contact_id=ContactId(row["contact_id"]),
        status=row["status"],
        step=int(row["step"]),
        next_run_at=row["next_run_at"],
        trigger=row["trigger"],
        enrolled_at=row["enrolled_at"],
        last_sent_at=row["last_sent_at"],
        exit_reason=row["exit_reason"],
    )


def _send(row: Any) -> CampaignSend:
    return CampaignSend(
        id=int(row["id"]),
        send_key=row["send_key"],
        enrollment_id=int(row["enrollment_id"]),
        contact_id=ContactId(row["contact_id"]),
        campaign=row["campaign"],
        step=row["step"],
        variant=row["variant"],
        channels=tuple(row["channels"]),
        channel=row["channel"],
        status=row["status"],
        reason=row["reason"],
        attempts=int(row["attempts"]),
        due_at=row["due_at"],
        claim_token=row["claim_token"],
        provider_message_id=row["provider_message_id"],
        sent_at=row["sent_at"],
    )
