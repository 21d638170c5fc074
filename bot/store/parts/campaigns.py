"""`store.campaigns`: tags, inbound activity, campaign state and cursors, enrollments,
the sends queued for them, and which contacts a segment (`bot.segments`) selects.
(Sends are claimed and finished through `store.outbox`.)"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import exists, func, select
from sqlalchemy.engine import Connection

from bot.segments import Segment
from bot.store import campaign_reads, campaigns, reads, snapshots
from bot.store.checks import check_text, utc
from bot.store.records import (
    CampaignSend,
    CampaignState,
    ConsentEvent,
    Contact,
    ContactSnapshot,
    Enrollment,
    Progress,
    QueuedSend,
    SendStats,
    TimelineEvent,
)
from bot.store.schema import campaign_enrollments, contacts
from bot.store.segments import compile_segment
from bot.store.transactions import Transactions
from bot.types import ContactId


class CampaignsPart:
    def __init__(self, tx: Transactions) -> None:
        self._tx = tx

    # ------------------------------------------------------------------ contacts

    def contact_snapshot(self, contact_id: ContactId, now: datetime) -> ContactSnapshot:
        at = utc(now)
        return self._tx.read(lambda conn: campaign_reads.snapshot(conn, contact_id, at))

    def contact_snapshots(
        self, contact_ids: Sequence[ContactId], now: datetime
    ) -> dict[ContactId, ContactSnapshot]:
        """What `contact_snapshot` says of each, read together; the erased are left out."""
        at, ids = utc(now), list(contact_ids)
        found = self._tx.read(lambda conn: snapshots.snapshots(conn, ids, at))
        return {ContactId(key): snap for key, snap in found.items()}

    def tag_contact(self, contact_id: ContactId, tag: str, now: datetime | None = None) -> bool:
        """False when the contact had the tag already."""
        check_text("tag", tag)
        at = utc(now)
        return self._tx.write(
            lambda conn: campaign_reads.add_tag(conn, reads.lock_live(conn, contact_id), tag, at)
        )

    def untag_contact(self, contact_id: ContactId, tag: str) -> bool:
        return self._tx.write(
            lambda conn: campaign_reads.remove_tag(conn, reads.lock_live(conn, contact_id), tag)
        )

    def tags_of(self, contact_id: ContactId) -> list[str]:
        return self._tx.read(
            lambda conn: campaign_reads.tags_of(conn, reads.require_id(conn, contact_id))
        )

    def record_inbound(self, channel: str, external_id: str, now: datetime | None = None) -> None:
        """A person wrote to us on `channel`: replies and WhatsApp's 24-hour window."""
        check_text("channel", channel)
        check_text("external_id", external_id)
        at = utc(now)
        self._tx.write(lambda conn: campaign_reads.note_inbound(conn, channel, external_id, at))

    # ------------------------------------------------------------------ triggers

    def state(self, campaign: str, now: datetime) -> CampaignState:
        at = utc(now)
        return self._tx.write(lambda conn: campaigns.state(conn, campaign, at))

    def set_paused(self, campaign: str, paused: bool, now: datetime) -> None:
        at = utc(now)
        self._tx.write(lambda conn: campaigns.update_state(conn, campaign, at, paused=paused))

    def move_cursors(
        self,
        campaign: str,
        now: datetime,
        *,
        timeline: int | None = None,
        consent: int | None = None,
    ) -> None:
        values: dict[str, Any] = {}
        if timeline is not None:
            values["timeline_cursor"] = timeline
        if consent is not None:
            values["consent_cursor"] = consent
        at = utc(now)
        self._tx.write(lambda conn: campaigns.update_state(conn, campaign, at, **values))

    def timeline_after(
        self, cursor: int, kinds: Sequence[str], limit: int = 500
    ) -> list[TimelineEvent]:
        """Timeline events of these kinds with an id above `cursor`, oldest first."""
        return self._tx.read(lambda conn: campaign_reads.timeline_after(conn, cursor, kinds, limit))

    def consent_events_after(self, cursor: int, limit: int = 500) -> list[ConsentEvent]:
        return self._tx.read(lambda conn: campaign_reads.consent_grants_after(conn, cursor, limit))

    # ------------------------------------------------------------------ enrollments

    def enroll(
        self, campaign: str, contact_id: ContactId, trigger: str, now: datetime
    ) -> Enrollment | None:
        """Enroll a contact; None if they were ever enrolled in this campaign."""
        at = utc(now)
        return self._tx.write(
            lambda conn: campaigns.enroll(conn, campaign, contact_id, trigger, at)
        )

    def enroll_many(
        self, campaign: str, contact_ids: Sequence[ContactId], trigger: str, now: datetime
    ) -> int:
        """Enroll a page of contacts a segment scan found (ids from
        `contact_ids_in_segment`, so live ones); a racing enrollment of the same contact
        fails the unique key and the whole page is retried."""
        at, ids = utc(now), list(contact_ids)
        return self._tx.write(lambda conn: campaigns.enroll_many(conn, campaign, ids, trigger, at))

    def claim_due_enrollments(
        self,
        campaign_names: Sequence[str],
        now: datetime,
        lease: timedelta = timedelta(minutes=2),
        limit: int = 100,
    ) -> list[Enrollment]:
        at = utc(now)
        return self._tx.write(
            lambda conn: campaigns.claim_enrollments(conn, campaign_names, at, lease, limit)
        )

    def save_enrollment_progress(
        self,
        enrollment_id: int,
        *,
        step: int,
        next_run_at: datetime,
        status: str,
        exit_reason: str | None = None,
        now: datetime,
    ) -> None:
        at, run_at = utc(now), utc(next_run_at)
        self._tx.write(
            lambda conn: campaigns.save_progress(
                conn, enrollment_id, step=step, next_run_at=run_at, status=status,
                exit_reason=exit_reason, now=at,
            )
        )  # fmt: skip

    def enrollments(
        self, campaign: str | None = None, contact_id: ContactId | None = None
    ) -> list[Enrollment]:
        return self._tx.read(lambda conn: campaigns.enrollments_of(conn, campaign, contact_id))

    def enrollments_by_id(self, ids: Sequence[int]) -> dict[int, Enrollment]:
        """These enrollments by id; ids that are gone are left out."""
        wanted = list(ids)
        return self._tx.read(lambda conn: campaigns.enrollments_by_id(conn, wanted))

    def enrollments_page(
        self, campaign: str, after_id: int = 0, limit: int = 100
    ) -> list[Enrollment]:
        """A campaign's enrollments by id, `limit` at a time after `after_id`."""
        return self._tx.read(
            lambda conn: campaigns.enrollments_page(conn, campaign, after_id, limit)
        )

    # ------------------------------------------------------------------ sends

    def queue_send(
        self,
        enrollment: Enrollment,
        step: str,
        variant: str,
        channels: Sequence[str],
        now: datetime,
    ) -> bool:
        """False when this (enrollment, step, variant) was queued before."""
        at = utc(now)
        return self._tx.write(
            lambda conn: campaigns.queue_send(conn, enrollment, step, variant, channels, at)
        )

    def save_steps(
        self, sends: Sequence[QueuedSend], progress: Sequence[Progress], now: datetime
    ) -> None:
        """`queue_send` for each send, then `save_enrollment_progress` for each move, in
        one transaction."""
        at = utc(now)
        moves = [replace(p, next_run_at=utc(p.next_run_at)) for p in progress]
        queued = list(sends)
        self._tx.write(lambda conn: campaigns.save_steps(conn, queued, moves, at))

    def sends(
        self, campaign: str | None = None, contact_id: ContactId | None = None
    ) -> list[CampaignSend]:
        return self._tx.read(lambda conn: campaigns.sends_of(conn, campaign, contact_id))

    def send_stats(self, campaign: str | None = None) -> list[SendStats]:
        return self._tx.read(lambda conn: campaign_reads.send_stats(conn, campaign))

    # ------------------------------------------------------------------ segments

    def count_in_segment(self, segment: Segment, now: datetime) -> int:
        where = compile_segment(segment, utc(now))
        query = select(func.count()).select_from(contacts).where(where)
        return self._tx.read(lambda conn: int(conn.execute(query).scalar_one()))

    def segment_sample(self, segment: Segment, now: datetime, limit: int = 10) -> list[Contact]:
        """Up to `limit` of the segment's contacts, oldest first."""
        _check_limit(limit)
        where = compile_segment(segment, utc(now))
        query = (
            select(contacts.c.id)
            .where(where)
            .order_by(contacts.c.created_at, contacts.c.id)
            .limit(limit)
        )
        return self._tx.read(lambda conn: _load_all(conn, conn.execute(query).scalars().all()))

    def contact_ids_in_segment(
        self,
        segment: Segment,
        now: datetime,
        *,
        after: ContactId | None = None,
        limit: int = 1000,
        not_enrolled_in: str | None = None,
    ) -> list[ContactId]:
        """One page of the segment's contact ids in ascending order; pass the last id of
        a page as `after` for the next. Each page is its own transaction, so a contact
        that joins or leaves the segment between pages may be seen once or not at all.
        `not_enrolled_in` leaves out whoever a campaign ever enrolled."""
        _check_limit(limit)
        query = select(contacts.c.id).where(compile_segment(segment, utc(now)))
        if not_enrolled_in is not None:
            enrolled = campaign_enrollments.c
            query = query.where(
                ~exists().where(
                    enrolled.contact_id == contacts.c.id, enrolled.campaign == not_enrolled_in
                )
            )
        if after is not None:
            query = query.where(contacts.c.id > after)
        query = query.order_by(contacts.c.id).limit(limit)
        return self._tx.read(
            lambda conn: [ContactId(found) for found in conn.execute(query).scalars()]
        )

    def ids_in_segment(
        self, contact_ids: Sequence[ContactId], segment: Segment, now: datetime
    ) -> set[ContactId]:
        """Which of these (live) contact ids the segment selects now."""
        wanted = list(contact_ids)
        if not wanted:
            return set()
        where = compile_segment(segment, utc(now))
        query = select(contacts.c.id).where(contacts.c.id.in_(wanted), where)
        return self._tx.read(lambda conn: {ContactId(i) for i in conn.execute(query).scalars()})

    def in_segment(self, contact_id: ContactId, segment: Segment, now: datetime) -> bool:
        where = compile_segment(segment, utc(now))

        def check(conn: Connection) -> bool:
            live = reads.require_id(conn, contact_id)
            query = select(exists().where(contacts.c.id == live, where))
            return bool(conn.execute(query).scalar())

        return self._tx.read(check)


def _check_limit(limit: int) -> None:
    if limit < 1:
        raise ValueError(f"limit must be positive, not {limit}")


def _load_all(conn: Connection, ids: list[str]) -> list[Contact]:
    return [reads.load_contact(conn, contact_id) for contact_id in ids]
