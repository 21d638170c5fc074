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
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.errors import ContactNotFound
from bot.metrics import SENDS
from bot.store import CampaignSend, ContactSnapshot
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


@dataclass
class DispatchReport:
    counts: dict[str, int] = field(default_factory=dict)

    def add(self, outcome: str) -> None:
        self.counts[outcome] = self.counts.get(outcome, 0) + 1


class RateLimiter:
    """At most `rate` sends per second per channel in this process, evenly spaced."""

    def __init__(self, rates: Mapping[str, float], clock: Callable[[], float] = time.monotonic):
        self._gap = {channel: 1.0 / rate for channel, rate in rates.items()}
        self._next: dict[str, float] = {}
        self._locks: dict[str, asyncio.Lock] = {}
        self._clock = clock

    def slowest(self, channels: Collection[str]) -> float:
        """The lowest rate among `channels` (sends a second)."""
        gaps = [self._gap[c] for c in channels if c in self._gap and self._gap[c] > 0]
        return 1.0 / max(gaps) if gaps else 1000.0

    async def acquire(self, channel: str) -> None:
        await self.wait_until(await self.reserve(channel))

    async def reserve(self, channel: str) -> float:
        """The moment (on this limiter's clock) the next send on `channel` may go out."""
        lock = self._locks.setdefault(channel, asyncio.Lock())
        async with lock:
            now = self._clock()
            start = max(now, self._next.get(channel, now))
            self._next[channel] = start + self._gap.get(channel, 0.0)
            return start

    async def wait_until(self, moment: float) -> None:
        delay = moment - self._clock()
        if delay > 0:
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
        """About ten seconds of the slowest channel's rate: sends in a batch wait their
        turn, and their guards should not be much older than that when they go out."""
        return max(1, min(100, int(self.limiter.slowest(self.configured) * 10)))

    async def run_once(self, limit: int | None = None) -> DispatchReport:
        store, report = self.engine.store, DispatchReport()
        limit = limit or self.batch_size()
        now = self.clock()
        reaped = await asyncio.to_thread(store.outbox.reap_abandoned_sends, now, self.lease)
        for _ in range(reaped):
            report.add(_counted(None, UNCERTAIN))
        names = list(self.engine.campaigns)
        claimed = await asyncio.to_thread(
            store.outbox.claim_due_sends, names, now, lease=self.lease, limit=limit
        )
        by_contact: dict[str, list[CampaignSend]] = {}
        for send in claimed:
            by_contact.setdefault(send.contact_id, []).append(send)
        # Contacts in parallel, each contact's sends in turn: caps see the previous send.
        for outcomes in await asyncio.gather(*(self._deliver_all(s) for s in by_contact.values())):
            for outcome in outcomes:
                report.add(outcome)
        return report

    async def _deliver_all(self, sends: list[CampaignSend]) -> list[str]:
        return [await self.deliver(send) for send in sends]

    async def deliver(self, send: CampaignSend) -> str:
        """Take one claimed send to its end (or back to pending); the outcome's name."""
        try:
            return await self._deliver(send)
        except ContactNotFound:
            return _counted(None, "erased")  # the contact and this row went while we worked

    async def _deliver(self, send: CampaignSend) -> str:
        campaign = self.engine.campaigns[send.campaign]
        message = _message_of(campaign, send)
        now = self.clock()
        snapshot = await asyncio.to_thread(
            self.engine.store.campaigns.contact_snapshot, send.contact_id, now
        )
        if message is None:
            return await self._finish(send, SKIPPED, "step or variant no longer in the campaign")
        stopped = await asyncio.to_thread(self._stopped, campaign, send, snapshot)
        if stopped is not None:
            return await self._finish(send, SKIPPED, f"enrollment ended: {stopped}")
        channel, why_not = self._choose(send, snapshot, message, now)
        if channel is None:
            return await self._finish(send, SKIPPED, why_not)
        zones = zones_of(snapshot, self.engine.limits.default_region)
        if not allowed_hours(now, zones, self.engine.limits):
            wake = next_allowed(now, zones, self.engine.limits)
            if wake is None:
                return await self._finish(send, SKIPPED, "no time outside quiet hours")
            return await self._finish(send, PENDING, "quiet hours", retry_at=wake)
        try:
            outbound = self._outbound(channel, snapshot, message, send, now)
        except RenderFailed as error:
            return await self._finish(send, SKIPPED, f"template: {error}")
        return await self._hand_over(send, outbound)

    def _stopped(
        self, campaign: Campaign, send: CampaignSend, snapshot: ContactSnapshot
    ) -> str | None:
        found = [
            e
            for e in self.engine.store.campaigns.enrollments(campaign.name, send.contact_id)
            if e.id == send.enrollment_id
        ]
        if not found:
            return "enrollment gone"
        enrollment = found[0]
        if enrollment.status == "exited":
            return enrollment.exit_reason or "exited"
        return exit_reason(campaign, enrollment, snapshot)

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
        context = context_for(snapshot, settings.company_name, unsubscribe)
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

    async def _hand_over(self, send: CampaignSend, outbound: OutboundMessage) -> str:
        store, channel = self.engine.store, outbound.channel
        slot = await self.limiter.reserve(channel)
        # Marked `sending` only just before its turn: sends of a dead worker that were
        # still waiting for their slot stay claimed, and another worker sends them once
        # the lease runs out, instead of all being reported uncertain.
        await self.limiter.wait_until(slot - MARK_AHEAD_S)
        started = await asyncio.to_thread(store.outbox.start_send, send, channel, self.clock())
        if not started:
            return _counted(channel, "lost claim")
        # The provider, not our database, sees the spacing.
        await self.limiter.wait_until(slot)
        try:
            receipt = await self.senders[channel].send(outbound)
        except SendFailed as failure:
            return await self._failed(send, outbound, failure)
        await self._finish(
            send, SENT, None, channel=channel, provider_message_id=receipt.provider_message_id
        )
        if self.conversations is not None and channel in CONVERSATIONAL and outbound.text:
            details = {"campaign": send.campaign, "step": send.step, "variant": send.variant}
            await self.conversations.record(outbound.to, outbound.text, details)
        return SENT

    async def _failed(
        self, send: CampaignSend, outbound: OutboundMessage, failure: SendFailed
    ) -> str:
        channel = outbound.channel
        logger.warning("campaign send %s on %s failed: %s", send.send_key, channel, failure)
        if failure.maybe_sent:
            return await self._finish(send, UNCERTAIN, str(failure), channel=channel)
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
            return await self._finish(
                send, PENDING, str(failure), channel=channel, retry_at=retry_at, outcome="retry"
            )
        return await self._finish(send, FAILED, str(failure), channel=channel)

    async def _finish(
        self,
        send: CampaignSend,
        status: str,
        reason: str | None,
        *,
        channel: str | None = None,
        provider_message_id: str | None = None,
        retry_at: datetime | None = None,
        outcome: str | None = None,
    ) -> str:
        await asyncio.to_thread(
            self.engine.store.outbox.finish_send, send, status=status, reason=reason,
            channel=channel, provider_message_id=provider_message_id, retry_at=retry_at,
            now=self.clock(),
        )  # fmt: skip
        return _counted(channel, outcome or ("deferred" if status == PENDING else status))


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
