"""ProfileStore's campaign methods: tags, inbound activity, enrollments and the outbox."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from bot.store import campaign_reads, campaigns, reads
from bot.store.checks import check_text, utc
from bot.store.records import (
    CampaignSend,
    CampaignState,
    ConsentEvent,
    ContactSnapshot,
    Enrollment,
    SendStats,
    TimelineEvent,
)
from bot.store.transactions import Transactions

SEND_STATUSES = campaigns.FINAL_SEND_STATUSES


class CampaignStore:
    """Mixed into ProfileStore; every method is one transaction, like the store's own."""

    _tx: Transactions

    # ------------------------------------------------------------------ contacts

    def contact_snapshot(self, contact_id: str, now: datetime) -> ContactSnapshot:
        at = utc(now)
        return self._tx.read(lambda conn: campaign_reads.snapshot(conn, contact_id, at))

    def tag_contact(self, contact_id: str, tag: str, now: datetime | None = None) -> bool:
        """False when the contact had the tag already."""
        check_text("tag", tag)
        at = utc(now)
        return self._tx.write(
            lambda conn: campaign_reads.add_tag(conn, _locked(conn, contact_id), tag, at)
        )

    def untag_contact(self, contact_id: str, tag: str) -> bool:
        return self._tx.write(
            lambda conn: campaign_reads.remove_tag(conn, _locked(conn, contact_id), tag)
        )

    def tags_of(self, contact_id: str) -> list[str]:
        return self._tx.read(
            lambda conn: campaign_reads.tags_of(conn, reads.require_id(conn, contact_id))
        )

    def note_inbound(self, channel: str, external_id: str, now: datetime | None = None) -> None:
        """A person wrote to us on `channel`: replies and WhatsApp's 24-hour window."""
        check_text("channel", channel)
        check_text("external_id", external_id)
        at = utc(now)
        self._tx.write(lambda conn: campaign_reads.note_inbound(conn, channel, external_id, at))

    # ------------------------------------------------------------------ triggers

    def campaign_state(self, campaign: str, now: datetime) -> CampaignState:
        at = utc(now)
        return self._tx.write(lambda conn: campaigns.state(conn, campaign, at))

    def set_campaign_paused(self, campaign: str, paused: bool, now: datetime) -> None:
        at = utc(now)
        self._tx.write(lambda conn: campaigns.update_state(conn, campaign, at, paused=paused))

    def move_campaign_cursors(
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
        self, campaign: str, contact_id: str, trigger: str, now: datetime
    ) -> Enrollment | None:
        """Enroll a contact; None if they were ever enrolled in this campaign."""
        at = utc(now)
        return self._tx.write(
            lambda conn: campaigns.enroll(conn, campaign, contact_id, trigger, at)
        )

    def enroll_many(
        self, campaign: str, contact_ids: Sequence[str], trigger: str, now: datetime
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
        self, campaign: str | None = None, contact_id: str | None = None
    ) -> list[Enrollment]:
        return self._tx.read(lambda conn: campaigns.enrollments_of(conn, campaign, contact_id))

    def enrollments_page(
        self, campaign: str, after_id: int = 0, limit: int = 100
    ) -> list[Enrollment]:
        """A campaign's enrollments by id, `limit` at a time after `after_id`."""
        return self._tx.read(
            lambda conn: campaigns.enrollments_page(conn, campaign, after_id, limit)
        )

    # ------------------------------------------------------------------ outbox

    def queue_campaign_send(
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

    def campaign_sends(
        self, campaign: str | None = None, contact_id: str | None = None
    ) -> list[CampaignSend]:
        return self._tx.read(lambda conn: campaigns.sends_of(conn, campaign, contact_id))

    def campaign_send_stats(self, campaign: str | None = None) -> list[SendStats]:
        return self._tx.read(lambda conn: campaign_reads.send_stats(conn, campaign))


def _locked(conn: Any, key: str) -> Any:
    return reads.lock_contact(conn, reads.require_id(conn, key))
