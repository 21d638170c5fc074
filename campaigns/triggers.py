"""Turning what happened into enrollments.

Event triggers read the timeline and the consent ledger from each campaign's cursor, so
an event is considered once per campaign even across restarts; segment triggers (and
"no reply for N days") scan the contacts that match. Enrolling twice is impossible: the
store keeps one enrollment per contact and campaign.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.errors import ContactNotFound
from bot.segments import And, Everyone, Segment
from bot.segments.language import parse_segment
from bot.store import ProfileStore
from bot.types import ContactId
from campaigns.definitions import SEND_CHANNELS, Campaign

BATCH = 500
_TIMELINE_KINDS = {
    "lead_captured": ("lead_status_changed",),
    "grade_changed": ("grade_changed",),
    "stage_changed": ("grade_changed",),
}


@dataclass
class PlanReport:
    enrolled: int = 0
    considered: int = 0


def plan(
    store: ProfileStore, campaigns: Iterable[Campaign], now: datetime, *, scan: bool = True
) -> PlanReport:
    """Enroll whoever the campaigns' triggers select; `scan` also runs segment scans."""
    report = PlanReport()
    for campaign in campaigns:
        state = store.campaigns.state(campaign.name, now)
        if state.paused:
            continue
        kind = campaign.trigger.kind
        if kind in _TIMELINE_KINDS:
            _from_timeline(store, campaign, state.timeline_cursor, now, report)
        elif kind == "consent_granted":
            _from_consent(store, campaign, state.consent_cursor, now, report)
        elif kind in ("segment", "no_reply") and scan:
            _from_segment(store, campaign, now, report)
    return report


def _from_timeline(
    store: ProfileStore, campaign: Campaign, cursor: int, now: datetime, report: PlanReport
) -> None:
    kinds = _TIMELINE_KINDS[campaign.trigger.kind]
    while True:
        events = store.campaigns.timeline_after(cursor, kinds, BATCH)
        for event in events:
            report.considered += 1
            if fires(campaign, event.kind, event.data):
                _enroll(
                    store,
                    campaign,
                    event.contact_id,
                    campaign.trigger.kind,
                    now,
                    report,
                    check_audience=False,
                )
        if events:
            cursor = events[-1].id
            store.campaigns.move_cursors(campaign.name, now, timeline=cursor)
        if len(events) < BATCH:
            return


def fires(campaign: Campaign, kind: str, data: dict[str, Any]) -> bool:
    """Whether a timeline event of `kind` with `data` is this campaign's trigger."""
    trigger = campaign.trigger
    if trigger.kind == "lead_captured":
        return kind == "lead_status_changed" and data.get("new") in ("captured", "confirmed")
    if trigger.kind == "grade_changed":
        changed = data.get("grade") != data.get("previous_grade")
        return changed and (not trigger.grades or data.get("grade") in trigger.grades)
    if trigger.kind == "stage_changed":
        changed = data.get("stage") != data.get("previous_stage")
        return changed and (not trigger.stages or data.get("stage") in trigger.stages)
    return False


def _from_consent(
    store: ProfileStore, campaign: Campaign, cursor: int, now: datetime, report: PlanReport
) -> None:
    wanted = campaign.trigger.purposes or SEND_CHANNELS
    while True:
        events = store.campaigns.consent_events_after(cursor, BATCH)
        for event in events:
            report.considered += 1
            if event.in_force and event.purpose in wanted:
                _enroll(
                    store,
                    campaign,
                    event.contact_id,
                    "consent_granted",
                    now,
                    report,
                    check_audience=False,
                )
        if events:
            cursor = events[-1].id
            store.campaigns.move_cursors(campaign.name, now, consent=cursor)
        if len(events) < BATCH:
            return


def scan_segment(campaign: Campaign) -> Segment:
    if campaign.trigger.kind == "no_reply":
        idle = parse_segment(f"days_since_activity >= {campaign.trigger.days}")
        return idle if isinstance(campaign.audience, Everyone) else And((campaign.audience, idle))
    return campaign.audience


def _from_segment(
    store: ProfileStore, campaign: Campaign, now: datetime, report: PlanReport
) -> None:
    segment, after = scan_segment(campaign), None
    while True:
        ids = store.campaigns.contact_ids_in_segment(
            segment, now, after=after, limit=BATCH, not_enrolled_in=campaign.name
        )
        report.considered += len(ids)
        report.enrolled += store.campaigns.enroll_many(
            campaign.name, ids, campaign.trigger.kind, now
        )
        if len(ids) < BATCH:
            return
        after = ids[-1]


def _enroll(
    store: ProfileStore,
    campaign: Campaign,
    contact_id: ContactId,
    trigger: str,
    now: datetime,
    report: PlanReport,
    *,
    check_audience: bool = True,
) -> None:
    """Event triggers leave the audience to the steps, which check it each time they run:
    a conversation usually asks for consent only after the lead is captured."""
    audience = campaign.audience
    try:
        outside = check_audience and not isinstance(audience, Everyone)
        if outside and not store.campaigns.in_segment(contact_id, audience, now):
            return
        if store.campaigns.enroll(campaign.name, contact_id, trigger, now) is not None:
            report.enrolled += 1
    except ContactNotFound:
        return  # erased since the event: nobody to follow up


def enroll_manually(
    store: ProfileStore, campaign: Campaign, contact_ids: Iterable[ContactId], now: datetime
) -> int:
    """Enroll these contacts (the audience still applies); how many were new."""
    report = PlanReport()
    for contact_id in contact_ids:
        _enroll(store, campaign, contact_id, "manual", now, report)
    return report.enrolled
