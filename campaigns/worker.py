"""The campaign worker process: `parley worker` (started by `parley run`).

Each tick enrolls whoever the triggers select, moves due enrollments on and sends what
the outbox holds; it is also the one process that delivers handoffs, booking
confirmations, event webhooks, the sales inbox's replies and its email notices. Everything it knows lives in the store, so any number
of workers can run side by side and a restarted one carries on where the last one
stopped. A database outage makes the worker report itself not ready and try again; it
never exits for it.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import signal
import sys
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from bot import handoff, webhooks
from bot.crm import CrmConnector, HubSpotConnector, OutcomeConnector, pull_outcomes, sync_due
from bot.crm.outcomes import PULL_EVERY
from bot.errors import StoreUnavailable
from bot.logs import configure_logging
from bot.metrics import QUEUE_DEPTH, exposition
from bot.settings import Settings, load_settings
from bot.store import ContactSnapshot, ProfileStore, conversation_events, make_engine
from campaigns.conversations import ConversationLog
from campaigns.definitions import Campaign, CampaignError, load_campaigns
from campaigns.dispatch import Dispatcher, RateLimiter
from campaigns.guards import Limits
from campaigns.inbox_notices import queue_notices
from campaigns.inbox_replies import deliver_replies
from campaigns.shared_limits import SharedRateLimiter
from campaigns.steps import Engine, IntentLookup, advance
from campaigns.triggers import plan
from senders.interface import Sender

logger = logging.getLogger("parley.worker")

TICK_S = 1.0
SCAN_EVERY_S = 60.0


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def limits_of(settings: Settings) -> Limits:
    c = settings.campaigns
    return Limits(
        c.quiet_start, c.quiet_end, c.cap_per_day, c.cap_per_week, settings.default_region
    )


def tracker_intents(tracker_store_url: str) -> IntentLookup:
    """The intent of a contact's latest message after `since`, from Rasa's tracker store."""

    def latest(snapshot: ContactSnapshot, since: datetime) -> str | None:
        ids = [identity.external_id for identity in snapshot.contact.channels]
        newest: tuple[float, str] | None = None
        for events in conversation_events(tracker_store_url, ids).values():
            for event in events:
                stamp = float(event.get("timestamp") or 0)
                intent = (event.get("parse_data") or {}).get("intent") or {}
                if (
                    event.get("event") == "user"
                    and stamp > since.timestamp()
                    and intent.get("name")
                ) and (newest is None or stamp > newest[0]):
                    newest = (stamp, str(intent["name"]))
        return None if newest is None else newest[1]

    return latest


def build_engine(
    settings: Settings, store: ProfileStore, campaigns: Mapping[str, Campaign]
) -> Engine:
    return Engine(
        store, campaigns, settings, limits_of(settings), tracker_intents(settings.tracker_store_url)
    )


@dataclass
class Health:
    """What /health and /ready report; written by the loop, read by the HTTP thread."""

    campaigns: list[str]
    last_tick: datetime | None = None
    error: str | None = None
    totals: dict[str, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def as_json(self) -> dict[str, Any]:
        with self.lock:
            return {
                "status": "ok" if self.error is None else "degraded",
                "campaigns": self.campaigns,
                "last_tick": self.last_tick.isoformat() if self.last_tick else None,
                "error": self.error,
                "totals": dict(self.totals),
            }


def serve_health(health: Health, host: str, port: int) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        head_only = False

        def do_HEAD(self) -> None:
            self.head_only = True
            self.do_GET()

        def do_GET(self) -> None:
            path = urlsplit(self.path).path
            if path == "/metrics":
                self._send(200, *exposition())
                return
            state = health.as_json()
            ready = state["status"] == "ok"
            status = 200 if path == "/health" or (path == "/ready" and ready) else 503
            if path not in ("/health", "/ready"):
                status = 404
            self._send(status, json.dumps(state).encode(), "application/json")

        def _refuse(self) -> None:
            body = b'{"error": "only GET is served here"}'
            self.send_response(405)
            self.send_header("Allow", "GET, HEAD")
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_POST = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = _refuse

        def _send(self, status: int, body: bytes, content_type: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            return None  # health probes every quarter second would drown the log

    server = ThreadingHTTPServer((host, port), Handler)
    threading.Thread(target=server.serve_forever, daemon=True, name="health").start()
    return server


def measure_queues(store: ProfileStore, now: datetime) -> None:
    """The backlog left after a tick; growing numbers mean more workers are needed."""
    QUEUE_DEPTH.labels("outbox").set(store.outbox.count_due_sends(now))
    QUEUE_DEPTH.labels("webhooks").set(store.outbox.count_due_webhooks(now))
    QUEUE_DEPTH.labels("handoffs").set(store.outbox.count_due_deliveries(now))


def deliver_due(store: ProfileStore, settings: Settings, now: datetime) -> int:
    """Send due handoff and booking deliveries and event webhooks; how many went out."""
    handed = handoff.deliver_due(store, settings, now)
    relayed = webhooks.deliver_due(store, now, allow_private=settings.api.webhooks_allow_private)
    return handed.delivered + relayed.delivered


@dataclass
class CampaignFiles:
    """The definitions on disk. The studio publishes new ones while workers run, so each
    tick looks for a change; a broken set is refused and the running one kept."""

    directory: Path
    signature: tuple[tuple[str, int, int], ...] = ()

    def __post_init__(self) -> None:
        self.signature = self._signature()

    def _signature(self) -> tuple[tuple[str, int, int], ...]:
        found = []
        for path in sorted(self.directory.glob("*.yml")):
            with contextlib.suppress(FileNotFoundError):
                stat = path.stat()
                found.append((path.name, stat.st_mtime_ns, stat.st_size))
        return tuple(found)

    def reloaded(self) -> dict[str, Campaign] | None:
        """The new definitions if the files changed since the last look, else None."""
        signature = self._signature()
        if signature == self.signature:
            return None
        self.signature = signature
        try:
            campaigns = load_campaigns(self.directory)
        except CampaignError as error:
            logger.error(
                "campaign definitions changed but are invalid; still running the previous ones: %s",
                error,
            )
            return None
        logger.info("campaign definitions reloaded: %s", ", ".join(sorted(campaigns)))
        return campaigns


@dataclass
class Worker:
    engine: Engine
    dispatcher: Dispatcher
    health: Health
    clock: Callable[[], datetime] = utcnow
    crm: CrmConnector | None = None  # leads pushed to a CRM each tick, when configured
    files: CampaignFiles | None = None
    # Closed deals pulled back as outcomes, at most once every PULL_EVERY (#20).
    outcomes: OutcomeConnector | None = None
    _last_scan: float = 0.0
    _last_pull: datetime | None = None

    def _reload(self) -> None:
        campaigns = self.files.reloaded() if self.files is not None else None
        if campaigns is None:
            return
        self.engine = replace(self.engine, campaigns=campaigns)
        self.dispatcher = replace(self.dispatcher, engine=self.engine)
        with self.health.lock:
            self.health.campaigns = sorted(campaigns)

    async def tick(self) -> int:
        """One round of planning, advancing and sending; how much work it found."""
        self._reload()
        now = self.clock()
        scan = now.timestamp() - self._last_scan >= SCAN_EVERY_S
        planned = await asyncio.to_thread(
            plan, self.engine.store, self.engine.campaigns.values(), now, scan=scan
        )
        if scan:
            self._last_scan = now.timestamp()
        advanced = await asyncio.to_thread(advance, self.engine, now)
        report = await self.dispatcher.run_once()
        replied = await deliver_replies(self.engine.store, self.dispatcher.senders)
        # Queued before the deliveries below, so that they go out in this same tick.
        noticed = await asyncio.to_thread(
            queue_notices, self.engine.store, self.engine.settings, now
        )
        delivered = await asyncio.to_thread(
            deliver_due, self.engine.store, self.engine.settings, now
        )
        if self.crm is not None:
            await asyncio.to_thread(sync_due, self.engine.store, self.crm, now)
        if self.outcomes is not None and (
            self._last_pull is None or now - self._last_pull >= PULL_EVERY
        ):
            self._last_pull = now
            await asyncio.to_thread(pull_outcomes, self.engine.store, self.outcomes, now)
        await asyncio.to_thread(measure_queues, self.engine.store, now)
        with self.health.lock:
            for outcome, n in report.counts.items():
                self.health.totals[outcome] = self.health.totals.get(outcome, 0) + n
            self.health.last_tick, self.health.error = now, None
        done = advanced + sum(report.counts.values()) + delivered + replied + noticed
        return planned.enrolled + done

    async def run(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            busy = 0
            try:
                busy = await self.tick()
            except StoreUnavailable as error:
                logger.error("profile store unavailable, retrying: %s", error)
                with self.health.lock:
                    self.health.error = str(error)
            if not busy:
                with contextlib.suppress(asyncio.TimeoutError):
                    await asyncio.wait_for(stop.wait(), timeout=TICK_S)


async def _serve(settings: Settings, campaigns: Mapping[str, Campaign]) -> None:
    from senders.providers import build_senders  # the providers' libraries load only here

    # Short transactions all day long: a SQLite file's connections are kept, not
    # opened (PRAGMAs) and closed (a WAL checkpoint) for each one.
    store = ProfileStore(make_engine(settings.database_url, keep_connections=True))
    senders: Mapping[str, Sender] = build_senders(settings)
    if "email" in senders and not settings.twilio.public_url:
        # Marketing email without a working one-click unsubscribe link is not sent at all.
        logger.warning("email campaigns are off: set PARLEY_PUBLIC_URL for unsubscribe links")
        senders = {channel: s for channel, s in senders.items() if channel != "email"}
    engine = build_engine(settings, store, campaigns)
    health = Health(sorted(campaigns))
    server = serve_health(health, "127.0.0.1", settings.campaigns.worker_port)
    conversations = ConversationLog(settings.rasa_url, settings.rasa_token.value)
    limiter = _limiter(settings)
    dispatcher = Dispatcher(
        engine, senders, limiter, utcnow, conversations, lease=settings.campaigns.send_lease
    )
    crm = HubSpotConnector.from_settings(settings.crm, settings.lead_fields_file)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    logger.info(
        "campaign worker: %d campaigns, senders for %s",
        len(campaigns),
        ", ".join(sorted(senders)) or "no channel",
    )
    try:
        files = CampaignFiles(settings.campaigns.directory)
        await Worker(engine, dispatcher, health, crm=crm, files=files, outcomes=crm).run(stop)
    finally:
        server.shutdown()
        if crm is not None:
            crm.close()
        await conversations.close()
        if isinstance(limiter, SharedRateLimiter):
            await limiter.close()
        for sender in {id(s): s for s in senders.values()}.values():
            await sender.close()
        store.dispose()


def _limiter(settings: Settings) -> RateLimiter:
    """Shared by every worker through Redis when there is one; this process's own if not."""
    rates = settings.campaigns.rates
    if settings.ops.redis_url:
        return SharedRateLimiter(rates, settings.ops.redis_url)
    return RateLimiter(rates)


def main(argv: Sequence[str] | None = None) -> int:
    argparse.ArgumentParser(prog="parley worker", description=__doc__).parse_args(argv)
    settings = load_settings()
    configure_logging(settings.ops, "campaigns.worker")
    try:
        campaigns = load_campaigns(settings.campaigns.directory)
    except CampaignError as error:
        print(f"parley worker: {error}", file=sys.stderr)
        return 2
    asyncio.run(_serve(settings, campaigns))
    return 0


if __name__ == "__main__":
    sys.exit(main())
