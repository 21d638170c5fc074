"""Moving enrollments through their campaign's steps.

A claimed enrollment first checks its exit conditions, then runs steps until one makes
it wait (a wait step) or the campaign ends. Send steps only queue an outbox row; the
dispatcher sends it, after the guards of the moment of sending.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot import handoff
from bot.errors import ContactNotFound
from bot.segments import Everyone
from bot.settings import Settings
from bot.store import ContactSnapshot, Enrollment, ProfileStore, Progress, QueuedSend
from bot.types import ContactId
from campaigns.definitions import (
    SEND_CHANNELS,
    BranchStep,
    Campaign,
    HandoffStep,
    SendStep,
    Step,
    UpdateStep,
    Variant,
    WaitStep,
)
from campaigns.guards import Limits, next_time_of_day, zones_of

logger = logging.getLogger(__name__)

ACTIVE, COMPLETED, EXITED = "active", "completed", "exited"
# A branch may jump backwards; this many steps in one go means a loop with no wait.
MAX_STEPS_PER_RUN = 50
LOOP_PAUSE = timedelta(hours=1)
# Enrollments run per `advance` (the worker calls it once a tick). Its store work is a
# fixed number of statements per batch, so a larger batch queues a blast faster; the
# batch's writes are still one short transaction.
ADVANCE_BATCH = 500

# (contact snapshot, since) -> the intent of their latest message after `since`
IntentLookup = Callable[[ContactSnapshot, datetime], str | None]


@dataclass(frozen=True)
class Engine:
    store: ProfileStore
    campaigns: Mapping[str, Campaign]
    settings: Settings
    limits: Limits
    latest_intent: IntentLookup


def advance(engine: Engine, now: datetime, limit: int = ADVANCE_BATCH) -> int:
    """Run every due enrollment (up to `limit`); how many ran.

    The batch's snapshots and audiences are read together, and the sends it queues and
    the progress it makes are written in one transaction at the end (at once when a
    step acted on the contact, so that a crash cannot make it act twice)."""
    store = engine.store.campaigns
    due = store.claim_due_enrollments(list(engine.campaigns), now, limit=limit)
    if not due:
        return 0
    snapshots = store.contact_snapshots([e.contact_id for e in due], now)
    writes = _Writes(_audiences(engine, due, snapshots, now))
    for enrollment in due:
        snapshot = snapshots.get(enrollment.contact_id)
        if snapshot is None:
            continue  # erased meanwhile: the enrollment went with them
        mark = writes.mark()
        try:
            _run(engine, enrollment, snapshot, now, writes)
        except ContactNotFound:
            writes.undo(mark)  # erased halfway: nothing left to queue or move on
            continue
        if writes.urgent:
            writes.save(engine.store, now)
    writes.save(engine.store, now)
    return len(due)


def run_enrollment(engine: Engine, enrollment: Enrollment, now: datetime) -> None:
    """Run one enrollment on its own (`advance` runs them a batch at a time)."""
    snapshot = engine.store.campaigns.contact_snapshot(enrollment.contact_id, now)
    writes = _Writes(_audiences(engine, [enrollment], {enrollment.contact_id: snapshot}, now))
    _run(engine, enrollment, snapshot, now, writes)
    writes.save(engine.store, now)


class _Writes:
    """Sends to queue and enrollments to move on, saved together; and who of the batch
    is in each campaign's audience (a campaign not named: everyone)."""

    def __init__(self, audiences: Mapping[str, set[ContactId]]) -> None:
        self.audiences = audiences
        self.sends: list[QueuedSend] = []
        self.moves: list[Progress] = []
        self.urgent = False

    def in_audience(self, campaign: Campaign, snapshot: ContactSnapshot) -> bool:
        audience = self.audiences.get(campaign.name)
        return audience is None or snapshot.contact.id in audience

    def mark(self) -> tuple[int, int]:
        return len(self.sends), len(self.moves)

    def undo(self, mark: tuple[int, int]) -> None:
        del self.sends[mark[0] :], self.moves[mark[1] :]

    def save(self, store: ProfileStore, now: datetime) -> None:
        if self.sends or self.moves:
            store.campaigns.save_steps(self.sends, self.moves, now)
        self.sends, self.moves, self.urgent = [], [], False


def _audiences(
    engine: Engine,
    due: Sequence[Enrollment],
    snapshots: Mapping[ContactId, ContactSnapshot],
    now: datetime,
) -> dict[str, set[ContactId]]:
    """Per campaign with a segment for its audience, who of this batch is in it now."""
    members: dict[str, list[ContactId]] = {}
    for enrollment in due:
        snapshot = snapshots.get(enrollment.contact_id)
        if snapshot is not None:
            members.setdefault(enrollment.campaign, []).append(snapshot.contact.id)
    found: dict[str, set[ContactId]] = {}
    for name, ids in members.items():
        audience = engine.campaigns[name].audience
        if not isinstance(audience, Everyone):
            found[name] = engine.store.campaigns.ids_in_segment(ids, audience, now)
    return found


def _run(
    engine: Engine,
    enrollment: Enrollment,
    snapshot: ContactSnapshot,
    now: datetime,
    writes: _Writes,
) -> None:
    campaign = engine.campaigns[enrollment.campaign]
    reason = exit_reason(campaign, enrollment, snapshot)
    # A wait asks nothing of the contact yet: the audience is checked before steps that act.
    waiting = enrollment.step < len(campaign.steps) and isinstance(
        campaign.steps[enrollment.step], WaitStep
    )
    if reason is None and not waiting and not writes.in_audience(campaign, snapshot):
        reason = "left_audience"
    if reason is not None:
        _save(writes, enrollment, enrollment.step, now, EXITED, reason)
        return
    index = enrollment.step
    for _ in range(MAX_STEPS_PER_RUN):
        if index >= len(campaign.steps):
            _save(writes, enrollment, index, now, COMPLETED)
            return
        index, wake_at = _execute(
            engine, campaign, campaign.steps[index], enrollment, snapshot, index, now, writes
        )
        if wake_at is not None:
            _save(writes, enrollment, index, wake_at, ACTIVE)
            return
    logger.warning(
        "campaign %s loops without waiting; pausing enrollment %s for an hour",
        campaign.name,
        enrollment.id,
    )
    _save(writes, enrollment, index, now + LOOP_PAUSE, ACTIVE)


def exit_reason(
    campaign: Campaign, enrollment: Enrollment, snapshot: ContactSnapshot
) -> str | None:
    """Why this enrollment must stop now (replied, converted, opted out), or None."""
    exits = campaign.exit_when
    if "opted_out" in exits and _opted_out(enrollment, snapshot):
        return "opted_out"
    if "converted" in exits and converted_at(campaign, enrollment, snapshot) is not None:
        return "converted"
    if "replied" in exits and replied(enrollment, snapshot):
        return "replied"
    return None


def _opted_out(enrollment: Enrollment, snapshot: ContactSnapshot) -> bool:
    return any(
        not granted and at >= enrollment.enrolled_at
        for purpose, (granted, at) in snapshot.consent.items()
        if purpose in SEND_CHANNELS
    )


def converted_at(
    campaign: Campaign, enrollment: Enrollment, snapshot: ContactSnapshot
) -> datetime | None:
    for kind, at in snapshot.conversions:
        if kind in campaign.conversions and at >= enrollment.enrolled_at:
            return at
    return None


def replied(enrollment: Enrollment, snapshot: ContactSnapshot) -> bool:
    """They wrote to us after our latest campaign message reached them."""
    last_in = snapshot.last_inbound_at
    sent = enrollment.last_sent_at
    return sent is not None and last_in is not None and last_in > sent


def _execute(
    engine: Engine,
    campaign: Campaign,
    step: Step,
    enrollment: Enrollment,
    snapshot: ContactSnapshot,
    index: int,
    now: datetime,
    writes: _Writes,
) -> tuple[int, datetime | None]:
    """Run one step: the next step's index, and when to wake up if it must wait."""
    if isinstance(step, WaitStep) and step.idle is not None:
        quiet_since = snapshot.last_inbound_at
        if quiet_since is not None and now - quiet_since < step.idle:
            return index, quiet_since + step.idle  # still talking: look again then
        return index + 1, None
    if isinstance(step, WaitStep):
        return index + 1, wake_time(step, snapshot, engine.limits, now)
    if isinstance(step, SendStep):
        variant = choose_variant(step, enrollment.id)
        writes.sends.append(QueuedSend(enrollment, step.id, variant.name, tuple(step.channels)))
        return index + 1, None
    if isinstance(step, BranchStep):
        target = _branch_target(engine, step, enrollment, snapshot, now)
        return (index + 1 if target is None else campaign.index_of(target)), None
    if isinstance(step, UpdateStep):
        _update(engine, campaign, step, snapshot, now)
        writes.urgent = True
        return index + 1, None
    _hand_off(engine, campaign, step, enrollment, snapshot, now)
    writes.urgent = True
    return index + 1, None


def wake_time(step: WaitStep, snapshot: ContactSnapshot, limits: Limits, now: datetime) -> datetime:
    if step.duration is not None:
        return now + step.duration
    assert step.until is not None
    return next_time_of_day(now, step.until, zones_of(snapshot, limits.default_region))


def choose_variant(step: SendStep, enrollment_id: int) -> Variant:
    """A stable pick by weight: the same enrollment always gets the same variant."""
    total = sum(v.weight for v in step.variants)
    digest = hashlib.sha256(f"{enrollment_id}:{step.id}".encode()).digest()
    point = int.from_bytes(digest[:8], "big") % total
    for variant in step.variants:
        if point < variant.weight:
            return variant
        point -= variant.weight
    return step.variants[-1]


def _branch_target(
    engine: Engine,
    step: BranchStep,
    enrollment: Enrollment,
    snapshot: ContactSnapshot,
    now: datetime,
) -> str | None:
    for rule in step.rules:
        if rule.replied and replied(enrollment, snapshot):
            return rule.goto
        if rule.intent is not None:
            since = enrollment.last_sent_at or enrollment.enrolled_at
            if engine.latest_intent(snapshot, since) == rule.intent:
                return rule.goto
        if rule.segment is not None and engine.store.campaigns.in_segment(
            snapshot.contact.id, rule.segment, now
        ):
            return rule.goto
    return step.otherwise


def _update(
    engine: Engine,
    campaign: Campaign,
    step: UpdateStep,
    snapshot: ContactSnapshot,
    now: datetime,
) -> None:
    contact_id = snapshot.contact.id
    for tag in step.add_tags:
        engine.store.campaigns.tag_contact(contact_id, tag, now)
    for tag in step.remove_tags:
        engine.store.campaigns.untag_contact(contact_id, tag)
    if step.stage is not None and step.stage != snapshot.stage:
        engine.store.leads.save_score(
            contact_id, score=snapshot.score or 0, grade=snapshot.grade or "D",
            stage=step.stage, rubric_version=f"campaign:{campaign.name}", model_version=None,
            explanation=[{"rule": "campaign", "campaign": campaign.name, "step": step.id,
                          "stage": step.stage}],
            now=now,
        )  # fmt: skip


def _hand_off(
    engine: Engine,
    campaign: Campaign,
    step: HandoffStep,
    enrollment: Enrollment,
    snapshot: ContactSnapshot,
    now: datetime,
) -> None:
    handoff.request_handoff(
        engine.store, engine.settings, contact=snapshot.contact,
        conversation_id=f"campaign:{campaign.name}:{enrollment.id}", channel="staff",
        reason=f"{step.reason} (campaign {campaign.name})", transcript=[], now=now,
    )  # fmt: skip


def _save(
    writes: _Writes,
    enrollment: Enrollment,
    step: int,
    next_run_at: datetime,
    status: str,
    reason: str | None = None,
) -> None:
    writes.moves.append(Progress(enrollment.id, step, next_run_at, status, reason))
