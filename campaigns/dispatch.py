"""Sending what the outbox holds: claim, check the guards, render, send, record.

The order is what makes a send happen at most once: the row is claimed (leased, with a
token), the guards run on a fresh snapshot, the row is marked `sending` (committed)
and only then does the provider hear of it. A worker that dies before that mark leaves a
claim whose lease runs out, and the send is claimed again; one that dies after it leaves
a row the reaper marks `uncertain`, which is reported and never sent again.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from collections.abc import Awaitable, Callable, Collection, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.field_values import current_fields
from bot.metrics import SENDS
from bot.store import CampaignSend, ContactSnapshot, Enrollment, ProfileStore, SendOutcome
from bot.types import ContactId
from bot.unsubscribe import unsubscribe_url
from campaigns.conversations import CONVERSATIONAL, ConversationLog
from campaigns.definitions import Campaign, Message, SendStep
from campaigns.guards import (
    address_of,
    allowed_hours,
    candidate_channels,
    in_whatsapp_window,
    next_allowed,
    refusal,
    zones_of,
)
from campaigns.steps import Engine, exit_reason
from campaigns.templates import RenderFailed, context_for
from senders.interface import OutboundMessage, Sender, SendFailed

logger = logging.getLogger(__name__)

PENDING, SENT, FAILED, SKIPPED, UNCERTAIN = "pending", "sent", "failed", "skipped", "uncertain"
MAX_ATTEMPTS = 5
FIRST_RETRY = timedelta(seconds=30)
STOP_LINE = "Reply STOP to opt out."
# How long before its rate-limit slot a send is committed as `sending`: enough for the
# database write, short enough that a crash strands almost nothing as uncertain.
MARK_AHEAD_S = 0.2
# Provider calls awaiting their answer at once, per channel: enough to keep the limiter
# busy at hundreds a second over a few milliseconds of latency.
MAX_IN_FLIGHT = 32
# How far behind its schedule the limiter may catch up, sending without spacing.
CATCH_UP_S = 0.05
# Sends claimed (and their guards read) at a time, and at most in one run_once.
CLAIM_PAGE = 100
MAX_BATCH = 1000


@dataclass
class DispatchReport:
    counts: dict[str, int] = field(default_factory=dict)

    def add(self, outcome: str) -> None:
        self.counts[outcome] = self.counts.get(outcome, 0) + 1


class Turn:
    """One send let through by a `RateLimiter`; `done` once the provider has answered
    (or the call failed), which is when the turn starts counting towards its second."""

    def __init__(self) -> None:
        self._finished = asyncio.Event()
        self.done_at = 0.0

    def done(self, at: float) -> None:
        if not self._finished.is_set():
            self.done_at = at
            self._finished.set()

    async def finished(self) -> float:
        await self._finished.wait()
        return self.done_at


class RateLimiter:
    """At most `rate` sends per second per channel in this process, evenly spaced (a send
    woken late lets the next ones catch up, by CATCH_UP_S at most), and never more than
    `rate` requests at the provider in any one second.

    Spacing alone is not enough at the provider: a request that leaves late lands next
    to the one after it. So a send also waits until the send `rate` places before it
    came back from the provider a full second ago: that one arrived before it came back,
    and this one arrives after it is let through, so no second's window holds both.
    """

    def __init__(self, rates: Mapping[str, float], clock: Callable[[], float] = time.monotonic):
        self._gap = {channel: 1.0 / rate for channel, rate in rates.items()}
        self._per_second = {channel: max(1, int(rate)) for channel, rate in rates.items()}
        self._next: dict[str, float] = {}
        self._locks: dict[str, asyncio.Lock] = {}
        self._turn_locks: dict[str, asyncio.Lock] = {}
        self._recent: dict[str, deque[Turn]] = {}
        self._clock = clock

    def slowest(self, channels: Collection[str]) -> float:
        """The lowest rate among `channels` (sends a second)."""
        gaps = [self._gap[c] for c in channels if c in self._gap and self._gap[c] > 0]
        return 1.0 / max(gaps) if gaps else 1000.0

    def now(self) -> float:
        return self._clock()

    def rate(self, channel: str) -> float:
        """Sends a second on `channel` (a thousand when it has no limit)."""
        gap = self._gap.get(channel, 0.0)
        return 1.0 / gap if gap > 0 else 1000.0

    async def acquire(self, channel: str) -> Turn:
        """Wait for the channel's next turn; the caller calls `Turn.done` on the limiter's
        clock (`finish`) when the provider has answered."""
        lock = self._turn_locks.setdefault(channel, asyncio.Lock())
        async with lock:  # turns in the order they were asked for
            await self.wait_until(await self.reserve(channel))
            limit = self._per_second.get(channel)
            turn = Turn()
            if limit is None:
                turn.done(self._clock())  # no limit on this channel: nothing to count
                return turn
            recent = self._recent.setdefault(channel, deque())
            if len(recent) >= limit:
                await self.wait_until(await recent.popleft().finished() + 1.0)
            recent.append(turn)
            return turn

    def finish(self, turn: Turn) -> None:
        turn.done(self._clock())

    async def reserve(self, channel: str) -> float:
        """The moment (on this limiter's clock) the next send on `channel` may go out."""
        lock = self._locks.setdefault(channel, asyncio.Lock())
        async with lock:
            now = self._clock()
            slot = self._next.get(channel, now)
            # A send that wakes up late moves the schedule on from its own slot, not from
            # when it woke: otherwise every millisecond the event loop is late is lost for
            # good, and at 500/s the sends kept about 370/s. More than CATCH_UP_S behind
            # (the channel was idle) starts afresh instead of making it up in a burst. No
            # second's window gets more than the rate either way (see `acquire`).
            base = slot if slot >= now - CATCH_UP_S else now
            self._next[channel] = base + self._gap.get(channel, 0.0)
            return max(now, slot)

    async def wait_until(self, moment: float) -> None:
        # The event loop runs a timer that is due within its clock's resolution, which on
        # some machines is a millisecond: a send woken that early sleeps the rest.
        while (delay := moment - self._clock()) > 0:
            await asyncio.sleep(delay)


@dataclass(frozen=True)
class Dispatcher:
    engine: Engine
    senders: Mapping[str, Sender]
    limiter: RateLimiter
    clock: Callable[[], datetime]
    conversations: ConversationLog | None = None
    # How long a claim holds before another worker may take it (or, once `sending`,
    # report it uncertain); longer than a batch spends waiting on the rate limiter.
    lease: timedelta = timedelta(minutes=2)

    @property
    def configured(self) -> Collection[str]:
        return self.senders.keys()

    def batch_size(self) -> int:
        """About ten seconds of the slowest channel's rate, up to MAX_BATCH: guards are
        read a page at a time just before its sends go, so a long batch does not make
        them stale, and the whole batch is sent well within its lease."""
        return max(1, min(MAX_BATCH, int(self.limiter.slowest(self.configured) * 10)))

    async def run_once(self, limit: int | None = None) -> DispatchReport:
        store, report = self.engine.store, DispatchReport()
        limit = limit or self.batch_size()
        now = self.clock()
        reaped = await asyncio.to_thread(store.outbox.reap_abandoned_sends, now, self.lease)
        for _ in range(reaped):
            report.add(_counted(None, UNCERTAIN))
        flight = _Flight(store, self.clock)
        # Pages are claimed and read while the page before them is still being sent.
        # A round's guards are read only once the round before it is all marked
        # `sending`, so a contact's caps always count the send that came before.
        marked = launched = _done()
        rounds: list[asyncio.Task[None]] = []
        left = limit
        claiming: asyncio.Task[list[CampaignSend]] | None = self._claim(min(CLAIM_PAGE, left))
        while claiming is not None:
            claimed = await claiming
            left -= len(claimed)
            more = len(claimed) == CLAIM_PAGE and left > 0
            claiming = self._claim(min(CLAIM_PAGE, left)) if more else None
            for wave in _waves(claimed):
                step = _Round(after_marked=marked, after_launched=launched)
                rounds.append(asyncio.create_task(self._run_round(wave, step, flight)))
                marked, launched = step.marked, step.launched
            await marked.wait()
        try:
            await asyncio.gather(*rounds)
        finally:
            await flight.settle()
        for outcome in flight.outcomes:
            report.add(outcome)
        return report

    def _claim(self, limit: int) -> asyncio.Task[list[CampaignSend]]:
        names, outbox = list(self.engine.campaigns), self.engine.store.outbox
        claim = outbox.claim_due_sends
        return asyncio.create_task(
            asyncio.to_thread(claim, names, self.clock(), lease=self.lease, limit=limit)
        )

    async def _run_round(self, wave: list[CampaignSend], step: _Round, flight: _Flight) -> None:
        """Guards for the whole round on snapshots read together, then the sends that
        passed, each channel at its own pace."""
        try:
            await step.after_marked.wait()
            now = self.clock()
            snapshots, enrollments = await asyncio.to_thread(self._read_wave, wave, now)
            ready: dict[str, list[tuple[CampaignSend, OutboundMessage]]] = {}
            for send in wave:
                snapshot = snapshots.get(send.contact_id)
                if snapshot is None:
                    flight.outcomes.append(_counted(None, "erased"))  # the row went with them
                    continue
                decided = self._decide(send, snapshot, enrollments.get(send.enrollment_id), now)
                if isinstance(decided, OutboundMessage):
                    ready.setdefault(decided.channel, []).append((send, decided))
                else:
                    flight.results.add(decided)
                    flight.outcomes.append(_counted(None, _outcome_name(decided.status)))
            await step.after_launched.wait()
            lanes = [self._launch(channel, todo, flight) for channel, todo in ready.items()]
            await asyncio.gather(*(lane.marked.wait() for lane in lanes))
            step.marked.set()
            await asyncio.gather(*(lane.task for lane in lanes))
        finally:
            step.marked.set()
            step.launched.set()

    def _read_wave(
        self, wave: list[CampaignSend], now: datetime
    ) -> tuple[dict[ContactId, ContactSnapshot], dict[int, Enrollment]]:
        campaigns = self.engine.store.campaigns
        snapshots = campaigns.contact_snapshots([s.contact_id for s in wave], now)
        return snapshots, campaigns.enrollments_by_id([s.enrollment_id for s in wave])

    def _decide(
        self,
        send: CampaignSend,
        snapshot: ContactSnapshot,
        enrollment: Enrollment | None,
        now: datetime,
    ) -> OutboundMessage | SendOutcome:
        """The message to hand over, or how the send ends (or when it is due again)."""
        campaign = self.engine.campaigns[send.campaign]
        message = _message_of(campaign, send)
        if message is None:
            return SendOutcome(send, SKIPPED, "step or variant no longer in the campaign")
        stopped = _stopped(campaign, enrollment, snapshot)
        if stopped is not None:
            return SendOutcome(send, SKIPPED, f"enrollment ended: {stopped}")
        channel, why_not = self._choose(send, snapshot, message, now)
        if channel is None:
            return SendOutcome(send, SKIPPED, why_not)
        zones = zones_of(snapshot, self.engine.limits.default_region)
        if not allowed_hours(now, zones, self.engine.limits):
            wake = next_allowed(now, zones, self.engine.limits)
            if wake is None:
                return SendOutcome(send, SKIPPED, "no time outside quiet hours")
            return SendOutcome(send, PENDING, "quiet hours", retry_at=wake)
        try:
            return self._outbound(channel, snapshot, message, send, now)
        except RenderFailed as error:
            return SendOutcome(send, SKIPPED, f"template: {error}")

    def _launch(
        self, channel: str, todo: list[tuple[CampaignSend, OutboundMessage]], flight: _Flight
    ) -> _Lane:
        marked = asyncio.Event()
        return _Lane(marked, asyncio.create_task(self._send_all(channel, todo, flight, marked)))

    async def _send_all(
        self,
        channel: str,
        todo: list[tuple[CampaignSend, OutboundMessage]],
        flight: _Flight,
        marked: asyncio.Event,
    ) -> None:
        """Hand the sends to the provider as fast as the limiter lets them go, several in
        flight at once; `marked` is set once every one of them is `sending` (or lost)."""
        # A chunk is committed as `sending` about MARK_AHEAD_S before its turn: sends of
        # a dead worker that were still waiting stay claimed, and another worker sends
        # them once the lease runs out, instead of all being reported uncertain.
        rate = self.limiter.rate(channel)
        size = max(1, int(rate * MARK_AHEAD_S))
        chunks = [todo[i : i + size] for i in range(0, len(todo), size)]
        try:
            marking = asyncio.create_task(self._start(channel, chunks[0]))
            for index, chunk in enumerate(chunks):
                started = await marking
                if index + 1 < len(chunks):
                    # This chunk's turns begin about now; the next chunk's, once they end.
                    ahead = self.limiter.now() + len(chunk) / rate - MARK_AHEAD_S
                    later = self._start(channel, chunks[index + 1], at=ahead)
                    marking = asyncio.create_task(later)
                else:
                    marked.set()
                for send, outbound in chunk:
                    if send.id not in started:
                        flight.outcomes.append(_counted(channel, "lost claim"))
                        continue
                    await flight.room.acquire()
                    # The limiter's decision is the last thing before the request leaves.
                    turn = await self.limiter.acquire(channel)
                    flight.launch(self._call(send, outbound, turn, flight))
        finally:
            marked.set()

    async def _start(
        self,
        channel: str,
        chunk: list[tuple[CampaignSend, OutboundMessage]],
        at: float | None = None,
    ) -> set[int]:
        """Mark the chunk `sending` (at `at` on the limiter's clock, or now); the ids
        whose claim still held."""
        if at is not None:
            await self.limiter.wait_until(at)
        claims = [(send, channel) for send, _ in chunk]
        return await asyncio.to_thread(self.engine.store.outbox.start_sends, claims, self.clock())

    async def _call(
        self,
        send: CampaignSend,
        outbound: OutboundMessage,
        turn: Turn,
        flight: _Flight,
    ) -> None:
        channel = outbound.channel
        try:
            try:
                receipt = await self.senders[channel].send(outbound)
            finally:
                self.limiter.finish(turn)
        except SendFailed as failure:
            flight.outcomes.append(await self._failed(send, outbound, failure, flight.results))
            return
        flight.results.add(SendOutcome(send, SENT, None, channel, receipt.provider_message_id))
        flight.outcomes.append(_counted(channel, SENT))
        if self.conversations is not None and channel in CONVERSATIONAL and outbound.text:
            details = {"campaign": send.campaign, "step": send.step, "variant": send.variant}
            await self.conversations.record(outbound.to, outbound.text, details)

    def _choose(
        self, send: CampaignSend, snapshot: ContactSnapshot, message: Message, now: datetime
    ) -> tuple[str | None, str]:
        reasons = []
        for channel in candidate_channels(send.channels, snapshot):
            why = refusal(channel, snapshot, message, self.engine.limits, self.configured, now)
            if why is None:
                return channel, ""
            reasons.append(f"{channel}: {why}")
        return None, "; ".join(reasons) or "no channel to send on"

    def _outbound(
        self,
        channel: str,
        snapshot: ContactSnapshot,
        message: Message,
        send: CampaignSend,
        now: datetime,
    ) -> OutboundMessage:
        settings = self.engine.settings
        address = address_of(channel, snapshot)
        assert address is not None  # the guards refused channels without one
        unsubscribe = None
        if channel == "email":
            secret = settings.campaigns.unsubscribe_secret
            unsubscribe = unsubscribe_url(settings.twilio.public_url, snapshot.contact.id, secret)
        fields = current_fields(settings.lead_fields_file)
        context = context_for(snapshot, settings.company_name, unsubscribe, fields)
        template = message.text_for(channel)
        assert template is not None  # definitions require wording for every channel
        if channel == "whatsapp" and not in_whatsapp_window(snapshot, now):
            variables = {k: t.render(context) for k, t in message.whatsapp_variables.items()}
            return OutboundMessage(
                "whatsapp",
                address,
                "",
                content_sid=message.whatsapp_content_sid,
                content_variables=variables,
                reference=send.send_key,
            )
        text = template.render(context)
        if channel == "email":
            assert message.email_subject is not None
            body = f"{text}\n\nUnsubscribe with one click: {unsubscribe}"
            return OutboundMessage(
                "email",
                address,
                body,
                subject=message.email_subject.render(context),
                unsubscribe_url=unsubscribe,
                reference=send.send_key,
            )
        if channel in ("sms", "whatsapp") and "STOP" not in text:
            text = f"{text}\n{STOP_LINE}"
        return OutboundMessage(channel, address, text, reference=send.send_key)  # type: ignore[arg-type]

    async def _failed(
        self, send: CampaignSend, outbound: OutboundMessage, failure: SendFailed, results: _Results
    ) -> str:
        channel = outbound.channel
        logger.warning("campaign send %s on %s failed: %s", send.send_key, channel, failure)
        if failure.maybe_sent:
            results.add(SendOutcome(send, UNCERTAIN, str(failure), channel))
            return _counted(channel, UNCERTAIN)
        if failure.do_not_contact is not None:
            note = f"campaign send {send.send_key}: {failure}"
            await asyncio.to_thread(
                self.engine.store.consent.block_contact,
                send.contact_id,
                channel,
                failure.do_not_contact,
                note,
            )
        if failure.retryable and send.attempts + 1 < MAX_ATTEMPTS:
            retry_at = self.clock() + FIRST_RETRY * 2**send.attempts
            results.add(SendOutcome(send, PENDING, str(failure), channel, retry_at=retry_at))
            return _counted(channel, "retry")
        results.add(SendOutcome(send, FAILED, str(failure), channel))
        return _counted(channel, FAILED)


class _Results:
    """Outcomes of provider calls, written as they come: one write at a time, each
    taking every outcome that arrived while the one before it was being written. A
    crash before the write leaves them `sending`, reported uncertain and never sent
    again, as a crash during the call would."""

    def __init__(self, store: ProfileStore, clock: Callable[[], datetime]) -> None:
        self._store, self._clock = store, clock
        self._waiting: list[SendOutcome] = []
        self._writers: list[asyncio.Task[None]] = []

    def add(self, outcome: SendOutcome) -> None:
        self._waiting.append(outcome)
        if not self._writers or self._writers[-1].done():
            self._writers.append(asyncio.create_task(self._write()))

    async def settle(self) -> None:
        await asyncio.gather(*self._writers)

    async def _write(self) -> None:
        while self._waiting:
            taken, self._waiting = self._waiting, []
            await asyncio.to_thread(self._store.outbox.finish_sends, taken, self._clock())


class _Flight:
    """One run_once's provider calls still out, their outcomes, and the writes of their
    results, which go on in the background while later sends are handed over."""

    def __init__(self, store: ProfileStore, clock: Callable[[], datetime]) -> None:
        self.results = _Results(store, clock)
        self.room = asyncio.Semaphore(MAX_IN_FLIGHT)
        self.outcomes: list[str] = []
        self._calls: list[asyncio.Task[None]] = []

    def launch(self, call: Awaitable[None]) -> None:
        self._calls.append(asyncio.create_task(_released(call, self.room)))

    async def settle(self) -> None:
        """Every call answered and every result written."""
        try:
            await asyncio.gather(*self._calls)
        finally:
            await self.results.settle()


@dataclass
class _Round:
    """One round of sends in the pipeline, and the two moments the next one waits for."""

    after_marked: asyncio.Event
    after_launched: asyncio.Event
    marked: asyncio.Event = field(default_factory=asyncio.Event)
    launched: asyncio.Event = field(default_factory=asyncio.Event)


@dataclass
class _Lane:
    """One channel's sends of a round: set `marked` once all are `sending`."""

    marked: asyncio.Event
    task: asyncio.Task[None]


def _done() -> asyncio.Event:
    event = asyncio.Event()
    event.set()
    return event


async def _released(call: Awaitable[None], slot: asyncio.Semaphore) -> None:
    try:
        await call
    finally:
        slot.release()


def _waves(claimed: list[CampaignSend]) -> list[list[CampaignSend]]:
    """The claimed sends in rounds: each contact's first send, then their second..."""
    waves: list[list[CampaignSend]] = []
    seen: dict[str, int] = {}
    for send in claimed:
        round_ = seen.get(send.contact_id, 0)
        seen[send.contact_id] = round_ + 1
        if round_ == len(waves):
            waves.append([])
        waves[round_].append(send)
    return waves


def _stopped(
    campaign: Campaign, enrollment: Enrollment | None, snapshot: ContactSnapshot
) -> str | None:
    if enrollment is None:
        return "enrollment gone"
    if enrollment.status == "exited":
        return enrollment.exit_reason or "exited"
    return exit_reason(campaign, enrollment, snapshot)


def _outcome_name(status: str) -> str:
    return "deferred" if status == PENDING else status


def _counted(channel: str | None, outcome: str) -> str:
    """Count the outcome of one send; `none` when it ended before a channel was chosen."""
    SENDS.labels(channel or "none", outcome).inc()
    return outcome


def _message_of(campaign: Campaign, send: CampaignSend) -> Message | None:
    for step in campaign.steps:
        if isinstance(step, SendStep) and step.id == send.step:
            for variant in step.variants:
                if variant.name == send.variant:
                    return variant.message
    return None
