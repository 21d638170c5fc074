"""Campaign engine throughput (run by hand: `.venv/bin/python bench/campaigns.py`).

For each backend (a SQLite file, a throwaway PostgreSQL schema in database `test`), N
synthetic contacts are bulk-inserted (90 % agreed to texts) and one segment-triggered SMS
campaign (`audience: consent(sms)`) goes through the engine's own functions, timed phase
by phase:

  plan      `triggers.plan` enrolls the whole audience (a segment scan)
  enqueue   `steps.advance` runs enrollments, each queueing one send, until none is due
  dispatch  `Dispatcher.run_once` with the real `TwilioTextSender` and the campaign
            `RateLimiter`, against a fake Twilio in its own process on 127.0.0.1
  check     a short dispatch at a rate low enough that the limiter sets the pace
  tick      (--tick) one `Worker.tick`, whose segment rescan walks the audience again

The engine takes milliseconds per enrollment and per send, so enqueue and dispatch run on
samples by default (--enqueue-sample, --dispatch-sample; 0 for everything). Reported:
enrollments/s, sends queued/s, sends/s, the busiest 1-second window at the limiter, at
the sender and at the fake Twilio against the rate, and an exactly-once check: one request
per sent row, never two to one number, none to anyone without consent, and every
consenting contact once when the whole outbox was sent. Nothing leaves 127.0.0.1.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import multiprocessing
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from multiprocessing.connection import Connection as Pipe
from multiprocessing.synchronize import Event as StopEvent
from pathlib import Path
from typing import Any

import phonenumbers
import yaml
from aiohttp import web
from sqlalchemy import func, insert, select, text, update
from sqlalchemy.engine import Engine as SqlEngine

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # before bench/, whose campaigns.py is this file

from bot.settings import Settings, load_settings  # noqa: E402
from bot.store import ProfileStore, make_engine, upgrade  # noqa: E402
from bot.store.schema import (  # noqa: E402
    campaign_enrollments,
    campaign_sends,
    channel_identities,
    consent_events,
    contacts,
    leads,
    timeline_events,
)
from campaigns.definitions import Campaign, parse_campaign  # noqa: E402
from campaigns.dispatch import Dispatcher, RateLimiter, Turn  # noqa: E402
from campaigns.steps import ADVANCE_BATCH, Engine, advance  # noqa: E402
from campaigns.triggers import plan  # noqa: E402
from campaigns.worker import Health, Worker, limits_of  # noqa: E402
from senders.interface import OutboundMessage, SendReceipt  # noqa: E402
from senders.twilio_texts import TwilioTextSender  # noqa: E402

PG_URL = "postgresql://postgres@127.0.0.1:5432/test"
RESULTS = ROOT / "bench" / "results" / "campaigns.json"
# A Tuesday, 19:00 UTC: 14:00 in New York, 11:00 in San Francisco, inside 08:00-21:00.
START = datetime(2026, 3, 3, 19, 0, tzinfo=timezone.utc)
CONSENTING = 0.9
# Area codes by rough share of the US population in each time zone (percent).
AREA_CODES = {
    "212": 10, "646": 8, "617": 8, "305": 7, "404": 7, "215": 7,  # Eastern, 47
    "312": 9, "713": 8, "214": 7, "612": 5,  # Central, 29
    "303": 4, "602": 3,  # Mountain (Phoenix keeps no daylight saving time), 7
    "415": 5, "213": 7, "206": 5,  # Pacific, 17
}  # fmt: skip
# Exchanges 2xx-9xx without N11 service codes and 555: 10,000 lines each.
EXCHANGES = [f"{n}" for n in range(200, 1000) if n % 100 != 11 and n // 10 != 55]
FIRST_NAMES = ("Dana", "Alex", "Priya", "Sam", "Jordan", "Mei", "Luis", "Fatima", "Noah", "Ava")
CAMPAIGN = """
name: bench-blast
description: One text to everyone who agreed to texts.
trigger: {event: segment}
audience: consent(sms)
exit_when: [replied, converted, opted_out]
steps:
  - id: hello
    send:
      channels: [sms]
      message:
        text: >-
          Hi {{ first_name | default("there") }}, {{ company_name }} here: spring demo
          days are open. Reply DEMO to book a slot.
"""
INSERT_CHUNK = 5_000


# --- synthetic contacts -----------------------------------------------------------


@dataclass(frozen=True)
class People:
    phones: list[str]
    names: list[str]
    consenting: list[bool]

    @property
    def consented_phones(self) -> set[str]:
        return {p for p, yes in zip(self.phones, self.consenting, strict=True) if yes}


def make_people(count: int, seed: int = 7) -> People:
    """Distinct valid US numbers spread over the time zones, and who agreed to texts."""
    rng = random.Random(seed)
    codes, weights = list(AREA_CODES), list(AREA_CODES.values())
    used: Counter[str] = Counter()
    phones = []
    for code in rng.choices(codes, weights, k=count):
        line = used[code]
        used[code] += 1
        phones.append(f"+1{code}{EXCHANGES[line // 10_000]}{line % 10_000:04d}")
    invalid = [p for p in phones if not phonenumbers.is_valid_number(phonenumbers.parse(p))]
    if invalid or len(set(phones)) != count:
        raise SystemExit(f"bad synthetic numbers, e.g. {invalid[:3]}")
    names = [f"{rng.choice(FIRST_NAMES)} Bench{i}" for i in range(count)]
    return People(phones, names, [rng.random() < CONSENTING for _ in range(count)])


def insert_people(engine: SqlEngine, people: People, at: datetime) -> None:
    """The rows a captured SMS lead leaves behind, in bulk (contact creation is not
    what this benchmark measures)."""
    ids = [uuid.uuid4().hex for _ in people.phones]
    with engine.begin() as conn:
        for table, rows in _rows(ids, people, at):
            for start in range(0, len(rows), INSERT_CHUNK):
                conn.execute(insert(table), rows[start : start + INSERT_CHUNK])


def _rows(ids: list[str], people: People, at: datetime) -> Iterator[tuple[Any, list[Any]]]:
    pairs = list(zip(ids, people.phones, people.names, strict=True))
    yield (
        contacts,
        [
            {
                "id": c,
                "name": n,
                "phone": p,
                "lead_status": "captured",
                "created_at": at,
                "updated_at": at,
            }
            for c, p, n in pairs
        ],
    )
    yield (
        channel_identities,
        [
            {"contact_id": c, "channel": "sms", "external_id": p, "created_at": at}
            for c, p, _ in pairs
        ],
    )
    yield (
        leads,
        [
            {
                "id": uuid.uuid4().hex,
                "contact_id": c,
                "status": "captured",
                "channel": "sms",
                "conversation_id": p,
                "started_at": at,
                "updated_at": at,
            }
            for c, p, _ in pairs
        ],
    )
    yield (
        timeline_events,
        [
            {"contact_id": c, "kind": kind, "data": data, "occurred_at": at}
            for c, p, _ in pairs
            for kind, data in _history(p)
        ],
    )
    granted = [c for c, yes in zip(ids, people.consenting, strict=True) if yes]
    yield consent_events, [{"contact_id": c, "purpose": "sms", "granted": True,
                            "channel": "sms", "wording": "May we text you about offers?",
                            "wording_version": "bench-1", "source": "conversation",
                            "evidence": {"conversation_id": "bench"}, "occurred_at": at}
                           for c in granted]  # fmt: skip


def _history(phone: str) -> list[tuple[str, dict[str, Any]]]:
    return [
        ("contact_created", {}),
        ("identity_linked", {"channel": "sms", "external_id": phone}),
        ("lead_status_changed", {"old": "partial", "new": "captured"}),
    ]


# --- a fake Twilio in its own process ----------------------------------------------


def serve_fake_twilio(port_out: Pipe, stop: StopEvent) -> None:
    """The child process: Twilio's Messages endpoint on 127.0.0.1, noting when each
    request arrived and for whom, until `stop` is set."""
    asyncio.run(_fake_twilio(port_out, stop))


async def _fake_twilio(port_out: Pipe, stop: StopEvent) -> None:
    arrivals: list[float] = []
    recipients: list[str] = []

    async def create(request: web.Request) -> web.Response:
        form = await request.post()
        arrivals.append(time.monotonic())
        recipients.append(str(form["To"]))
        sid = f"SM{uuid.uuid4().hex}"
        return web.json_response({"sid": sid, "to": form["To"], "status": "queued"}, status=201)

    async def received(_: web.Request) -> web.Response:
        return web.json_response({"arrivals": arrivals, "recipients": recipients})

    app = web.Application()
    app.router.add_post("/2010-04-01/Accounts/{sid}/Messages.json", create)
    app.router.add_get("/received", received)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    port_out.send(runner.addresses[0][1])
    await asyncio.get_running_loop().run_in_executor(None, stop.wait)
    await runner.cleanup()


@dataclass(frozen=True)
class Received:
    arrivals: list[float]
    recipients: list[str]


@contextmanager
def fake_twilio() -> Iterator[str]:
    context = multiprocessing.get_context("spawn")
    parent, child = context.Pipe()
    stop = context.Event()
    process = context.Process(target=serve_fake_twilio, args=(child, stop), daemon=True)
    process.start()
    try:
        if not parent.poll(60):
            raise RuntimeError("fake Twilio did not start")
        yield f"http://127.0.0.1:{parent.recv()}"
    finally:
        stop.set()
        process.join(10)


def received_by(url: str) -> Received:
    with urllib.request.urlopen(f"{url}/received", timeout=60) as reply:
        found = json.load(reply)
    return Received(found["arrivals"], found["recipients"])


def busiest_second(arrivals: Sequence[float]) -> int:
    """The most arrivals in any window of one second (sliding, not calendar seconds)."""
    stamps, best, first = sorted(arrivals), 0, 0
    for last, stamp in enumerate(stamps):
        while stamp - stamps[first] >= 1.0:
            first += 1
        best = max(best, last - first + 1)
    return best


# --- the engine under test ---------------------------------------------------------


class RunningClock:
    """START, moving on with real time: leases and due times behave as in production."""

    def __init__(self) -> None:
        self._origin = time.monotonic()

    def __call__(self) -> datetime:
        return START + timedelta(seconds=time.monotonic() - self._origin)


@contextmanager
def database(backend: str, workdir: Path) -> Iterator[SqlEngine]:
    """A fresh database migrated to head: a SQLite file, or a PostgreSQL schema that is
    dropped with everything in it afterwards."""
    if backend == "sqlite":
        # Connections kept, as `parley worker` keeps them.
        engine = make_engine(f"sqlite:///{workdir / 'parley.db'}", keep_connections=True)
        try:
            upgrade(engine)
            yield engine
        finally:
            engine.dispose()
        return
    with _pg_schema() as schema:
        engine = make_engine(PG_URL, connect_args={"options": f"-csearch_path={schema}"})
        try:
            upgrade(engine)
            yield engine
        finally:
            engine.dispose()


@contextmanager
def _pg_schema() -> Iterator[str]:
    schema, admin = f"bench_{uuid.uuid4().hex}", make_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield schema
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def settings_for(workdir: Path, twilio_url: str) -> Settings:
    environ = {
        "PARLEY_DATA_DIR": str(workdir / "var"),
        "PARLEY_COMPANY_NAME": "Acme",
        "PARLEY_PUBLIC_URL": "https://bot.example.test",
        "TWILIO_ACCOUNT_SID": "AC" + "0" * 32,
        "TWILIO_AUTH_TOKEN": "bench-auth-token-0123456789",
        "TWILIO_SMS_FROM": "+15005550006",
        "TWILIO_API_BASE_URL": twilio_url,
        "PARLEY_CAP_PER_DAY": "1000",
        "PARLEY_CAP_PER_WEEK": "1000",
    }
    return load_settings(environ=environ, dotenv=workdir / "none.env")


def engine_for(store: ProfileStore, settings: Settings, campaign: Campaign) -> Engine:
    return Engine(
        store,
        {campaign.name: campaign},
        settings,
        limits_of(settings),
        lambda _snapshot, _since: None,
    )


@dataclass
class Phase:
    """Items done in one phase, with the time of each batch (for a trend over the run)."""

    done: int = 0
    seconds: float = 0.0
    batches: list[tuple[int, float]] = field(default_factory=list)

    def add(self, count: int, seconds: float) -> None:
        self.done += count
        self.seconds += seconds
        self.batches.append((count, seconds))

    @property
    def per_second(self) -> float:
        return self.done / self.seconds if self.seconds else 0.0

    def trend(self) -> str:
        """Rate in the first and the last tenth of the batches."""
        tenth = max(1, len(self.batches) // 10)
        first, last = self.batches[:tenth], self.batches[-tenth:]
        return f"{_rate(first):,.0f}/s at the start, {_rate(last):,.0f}/s at the end"


def _rate(batches: Sequence[tuple[int, float]]) -> float:
    seconds = sum(s for _, s in batches)
    return sum(n for n, _ in batches) / seconds if seconds else 0.0


class RecordingLimiter(RateLimiter):
    """The campaign RateLimiter, noting when each send was let through."""

    def __init__(self, rate: float) -> None:
        super().__init__({"sms": rate})
        self.passed: list[float] = []

    async def acquire(self, channel: str) -> Turn:
        turn = await super().acquire(channel)
        self.passed.append(time.monotonic())
        return turn


class TimedSender:
    """The real Twilio sender, noting when the dispatcher handed it each message."""

    def __init__(self, sender: TwilioTextSender) -> None:
        self._sender = sender
        self.handed: list[float] = []

    async def send(self, message: OutboundMessage) -> SendReceipt:
        self.handed.append(time.monotonic())
        return await self._sender.send(message)

    async def close(self) -> None:
        await self._sender.close()


@dataclass
class Dispatched:
    rate: float
    phase: Phase = field(default_factory=Phase)
    outcomes: Counter[str] = field(default_factory=Counter)
    busiest: int = 0  # requests the fake Twilio got in its busiest 1 s window
    busiest_passed: int = 0  # sends the limiter let through in its busiest 1 s window
    busiest_handed: int = 0  # sends handed to the Twilio sender in its busiest 1 s window

    @property
    def sent(self) -> int:
        return self.outcomes["sent"]


@dataclass
class Figures:
    backend: str
    contacts: int
    consented: int
    enrolled: int = 0
    plan_s: float = 0.0
    advance: Phase = field(default_factory=Phase)
    queued: int = 0
    dispatch: Dispatched | None = None
    check: Dispatched | None = None
    tick: Dispatched | None = None  # one worker tick: segment rescan, advance, dispatch
    problems: list[str] = field(default_factory=list)
    claim_ms: dict[int, float] = field(default_factory=dict)  # pending sends -> ms per 100

    @property
    def runs(self) -> list[Dispatched]:
        return [run for run in (self.dispatch, self.check, self.tick) if run is not None]

    @property
    def sent(self) -> int:
        return sum(run.sent for run in self.runs)

    @property
    def whole_outbox(self) -> bool:
        return self.advance.done == self.enrolled and self.sent == self.queued


def plan_and_enqueue(
    engine: Engine, campaign: Campaign, clock: RunningClock, fig: Figures, sample: int, batch: int
) -> None:
    """Plan the segment campaign, then advance enrollments until none is due (or
    `sample` of them ran)."""
    started = time.perf_counter()
    fig.enrolled = plan(engine.store, [campaign], clock()).enrolled
    fig.plan_s = time.perf_counter() - started
    while fig.advance.done < sample:
        started = time.perf_counter()
        ran = advance(engine, clock(), limit=min(batch, sample - fig.advance.done))
        if not ran:
            break
        fig.advance.add(ran, time.perf_counter() - started)
    fig.queued = _count(engine.store, campaign_sends.c.id.is_not(None))


async def dispatch(
    engine: Engine, clock: RunningClock, rate: float, sample: int, batch: int
) -> Dispatched:
    """Run the dispatcher at `rate` SMS/s until the outbox is empty or `sample` sends
    were handled."""
    sender, limiter = TimedSender(TwilioTextSender(engine.settings.twilio)), RecordingLimiter(rate)
    dispatcher = Dispatcher(engine, {"sms": sender}, limiter, clock)
    run, batch = Dispatched(rate), batch or dispatcher.batch_size()
    try:
        while run.phase.done < sample:
            started = time.perf_counter()
            report = await dispatcher.run_once(limit=min(batch, sample - run.phase.done))
            if not report.counts:
                break
            run.outcomes.update(report.counts)
            run.phase.add(sum(report.counts.values()), time.perf_counter() - started)
    finally:
        await sender.close()
    run.busiest_passed = busiest_second(limiter.passed)
    run.busiest_handed = busiest_second(sender.handed)
    return run


async def worker_tick(engine: Engine, clock: RunningClock, rate: float) -> Dispatched:
    """One tick of the worker as `parley worker` runs it, its first, so with a segment
    rescan: every campaign's audience is walked again and each contact in it offered
    to `enroll` (already enrolled: nothing new), then advance and run_once at the
    worker's own limits."""
    sender = TwilioTextSender(engine.settings.twilio)
    dispatcher = Dispatcher(engine, {"sms": sender}, RateLimiter({"sms": rate}), clock)
    worker = Worker(engine, dispatcher, Health(list(engine.campaigns)), clock)
    run, started = Dispatched(rate), time.perf_counter()
    try:
        work = await worker.tick()
    finally:
        await sender.close()
    run.outcomes.update(worker.health.totals)
    run.phase.add(work, time.perf_counter() - started)
    return run


def claim_times(backend: str, sizes: Sequence[int]) -> dict[int, float]:
    """Milliseconds to claim 100 sends (the median of five claims) with `sizes` sends
    pending, in a database of its own with enough people for the largest: the outbox is
    filled in bulk, and each claim is handed back before the next."""
    campaign = parse_campaign(yaml.safe_load(CAMPAIGN), "bench.yml")
    people = make_people(int(max(sizes) / CONSENTING * 1.05) + 100, seed=11)
    found: dict[int, float] = {}
    with (
        tempfile.TemporaryDirectory(prefix="parley-claim-bench-") as tmp,
        database(backend, Path(tmp)) as sql,
    ):
        prepare(sql, people)
        store = ProfileStore(sql)
        plan(store, [campaign], START)
        for size in sorted(sizes):
            _fill_outbox(sql, size)
            if sql.dialect.name == "sqlite":
                # The bulk load's own write-ahead log, not the claims', is checkpointed here.
                with sql.connect() as conn:
                    conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            if sql.dialect.name == "postgresql":
                with sql.connect() as conn:
                    conn.execution_options(isolation_level="AUTOCOMMIT").execute(
                        text("ANALYZE campaign_sends")
                    )
            found[size] = _median_claim_ms(sql, store, campaign.name)
    return found


def _fill_outbox(sql: SqlEngine, size: int) -> None:
    """Pending sends for enrollments until `size` are queued (or every enrollment has one)."""
    e, s = campaign_enrollments.c, campaign_sends.c
    with sql.begin() as conn:
        have = int(conn.execute(select(func.count()).select_from(campaign_sends)).scalar_one())
        queued = select(s.enrollment_id)
        rows = conn.execute(
            select(e.id, e.contact_id, e.campaign)
            .where(e.id.not_in(queued))
            .order_by(e.id)
            .limit(max(0, size - have))
        ).all()
        due = START + timedelta(minutes=1)
        values = [
            {"send_key": f"{i}:hello:a", "enrollment_id": i, "contact_id": c, "campaign": n,
             "step": "hello", "variant": "a", "channels": ["sms"], "status": "pending",
             "attempts": 0, "due_at": due, "created_at": due}
            for i, c, n in rows
        ]  # fmt: skip
        for start in range(0, len(values), INSERT_CHUNK):
            conn.execute(insert(campaign_sends), values[start : start + INSERT_CHUNK])


def _median_claim_ms(sql: SqlEngine, store: ProfileStore, name: str) -> float:
    at, times = START + timedelta(minutes=2), []
    for _ in range(5):
        started = time.perf_counter()
        claimed = store.outbox.claim_due_sends([name], at, limit=100)
        times.append((time.perf_counter() - started) * 1000)
        with sql.begin() as conn:
            conn.execute(
                update(campaign_sends)
                .where(campaign_sends.c.id.in_([c.id for c in claimed]))
                .values(status="pending", claim_token=None, lease_until=None)
            )
    return sorted(times)[len(times) // 2]


def check_exactly_once(store: ProfileStore, fig: Figures, got: Received, people: People) -> None:
    """One provider request per sent row, never two to one number, only to people who
    agreed, and (when the whole outbox went out) to every one of them."""
    expected = fig.consented if fig.whole_outbox else fig.sent
    counts = {
        "sent rows": _count(store, campaign_sends.c.status == "sent"),
        "requests at the fake": len(got.recipients),
        "distinct numbers": len(set(got.recipients)),
        "dispatcher 'sent'": fig.sent,
    }
    fig.problems += [f"{what} {n} != {expected}" for what, n in counts.items() if n != expected]
    strangers = set(got.recipients) - people.consented_phones
    if strangers:
        fig.problems.append(f"{len(strangers)} numbers without consent got a text")
    stuck = _count(store, campaign_sends.c.status.in_(("claimed", "sending", "uncertain")))
    if stuck:
        fig.problems.append(f"{stuck} sends left claimed, sending or uncertain")


def _count(store: ProfileStore, where: Any) -> int:
    query = select(func.count()).select_from(campaign_sends).where(where)
    with store.engine.connect() as conn:
        return int(conn.execute(query).scalar_one())


# --- one backend, end to end ---------------------------------------------------------


@dataclass(frozen=True)
class Options:
    contacts: int
    backends: list[str]
    rate: float
    enqueue_sample: int
    dispatch_sample: int
    check_rate: float
    check_sends: int
    tick: bool
    advance_batch: int
    dispatch_batch: int
    results: str
    claim_sizes: list[int]


def run_backend(backend: str, people: People, options: Options) -> Figures:
    fig = Figures(backend, options.contacts, sum(people.consenting))
    campaign = parse_campaign(yaml.safe_load(CAMPAIGN), "bench.yml")
    with tempfile.TemporaryDirectory(prefix="parley-campaign-bench-") as tmp, fake_twilio() as url:
        settings = settings_for(Path(tmp), url)
        with database(backend, Path(tmp)) as sql:
            prepare(sql, people)
            engine, clock = engine_for(ProfileStore(sql), settings, campaign), RunningClock()
            plan_and_enqueue(
                engine,
                campaign,
                clock,
                fig,
                options.enqueue_sample or fig.contacts,
                options.advance_batch,
            )
            say(
                f"{backend}: enrolled {fig.enrolled:,} in {fig.plan_s:.1f} s; ran "
                f"{fig.advance.done:,} enrollments, queued {fig.queued:,} sends in "
                f"{fig.advance.seconds:.1f} s ({fig.advance.trend()})"
            )
            run_dispatches(engine, clock, fig, options, url)
            if options.tick:
                run_tick(engine, clock, fig, options.rate, url)
            check_exactly_once(engine.store, fig, received_by(url), people)
    say(f"{backend}: exactly once: {verdict(fig)}")
    if options.claim_sizes:
        fig.claim_ms = claim_times(backend, options.claim_sizes)
        say(
            f"{backend}: claiming 100 sends: "
            + ", ".join(f"{ms:.1f} ms with {size:,} pending" for size, ms in fig.claim_ms.items())
        )
    return fig


def prepare(sql: SqlEngine, people: People) -> None:
    started = time.perf_counter()
    insert_people(sql, people, START - timedelta(days=1))
    if sql.dialect.name == "postgresql":
        # What autovacuum does soon after a bulk load; without statistics the planner
        # scans every consent event for each page of the segment scan.
        with sql.connect() as conn:
            conn.execution_options(isolation_level="AUTOCOMMIT").execute(text("ANALYZE"))
    say(
        f"{sql.dialect.name}: {len(people.phones):,} contacts inserted in "
        f"{time.perf_counter() - started:.1f} s (not part of the figures)"
    )


def run_dispatches(
    engine: Engine, clock: RunningClock, fig: Figures, options: Options, url: str
) -> None:
    """The dispatch at --rate, then a short run at --check-rate, low enough for the
    limiter to be what holds the pace, on sends still in the outbox."""
    batch, seen = options.dispatch_batch, 0
    for rate, sample, slot in (
        (options.rate, options.dispatch_sample, "dispatch"),
        (options.check_rate, options.check_sends, "check"),
    ):
        if sample < 0 or (slot == "check" and fig.sent >= fig.queued):
            continue
        run = asyncio.run(dispatch(engine, clock, rate, sample or fig.queued, batch))
        arrivals = received_by(url).arrivals
        run.busiest, seen = busiest_second(arrivals[seen:]), len(arrivals)
        setattr(fig, slot, run)
        say(
            f"{fig.backend}: {slot} at {rate:g}/s: {dict(run.outcomes)} in "
            f"{run.phase.seconds:.1f} s ({run.phase.trend()}); busiest second {run.busiest}"
        )


def run_tick(engine: Engine, clock: RunningClock, fig: Figures, rate: float, url: str) -> None:
    seen = len(received_by(url).arrivals)
    fig.tick = asyncio.run(worker_tick(engine, clock, rate))
    fig.tick.busiest = busiest_second(received_by(url).arrivals[seen:])
    say(
        f"{fig.backend}: one worker tick with a segment rescan took "
        f"{fig.tick.phase.seconds:.1f} s and sent {fig.tick.sent}"
    )


def verdict(fig: Figures) -> str:
    return "PASS" if not fig.problems else "FAIL (" + "; ".join(fig.problems) + ")"


def say(line: str) -> None:
    print(line, flush=True)


# --- the report --------------------------------------------------------------------


def table(figures: Sequence[Figures]) -> str:
    header = (
        "| backend | contacts | enrolled | plan s | enrollments/s | advanced | queued "
        "| enqueue s | queued/s | dispatched | dispatch s | sends/s "
        "| busiest second / rate | worker tick s | exactly once |"
    )
    lines = [header, "|" + "---|" * (header.count("|") - 1)]
    for f in figures:
        lines.append(
            f"| {f.backend} | {f.contacts:,} | {f.enrolled:,} | {f.plan_s:.1f} "
            f"| {_per_s(f.enrolled, f.plan_s)} | {f.advance.done:,} | {f.queued:,} "
            f"| {f.advance.seconds:.1f} | {f.advance.per_second:,.0f} | {_dispatch_cells(f)} "
            f"| {f'{f.tick.phase.seconds:.1f}' if f.tick else '-'} "
            f"| {'PASS' if not f.problems else 'FAIL'} |"
        )
    return "\n".join(lines)


def _dispatch_cells(f: Figures) -> str:
    runs = [run for run in (f.dispatch, f.check) if run is not None]
    if not runs:
        return "- | - | - | -"
    sent = " + ".join(f"{r.sent:,}" for r in runs)
    seconds = " + ".join(f"{r.phase.seconds:.1f}" for r in runs)
    rates = " + ".join(f"{_per_s(r.sent, r.phase.seconds)}" for r in runs)
    busiest = ", ".join(f"{r.busiest} / {r.rate:g}" for r in runs)
    return f"{sent} | {seconds} | {rates} | {busiest}"


def _per_s(count: int, seconds: float) -> str:
    return f"{count / seconds:,.0f}" if seconds > 0 else "-"


def notes(figures: Sequence[Figures]) -> Iterator[str]:
    load = os.getloadavg()[0]
    yield f"cores: {os.cpu_count()}; Python {sys.version.split()[0]}; load average {load:.2f}"
    for f in figures:
        yield (
            f"{f.backend}: {f.contacts - f.enrolled:,} contacts without SMS consent were "
            f"not enrolled (outside `consent(sms)`); "
            f"{sum(r.outcomes['skipped'] for r in f.runs)} sends skipped at dispatch"
        )
        if f.advance.done < f.enrolled:
            yield (
                f"{f.backend}: enqueue ran on a sample: {f.advance.done:,} of "
                f"{f.enrolled:,} enrollments advanced (--enqueue-sample)"
            )
        if not f.whole_outbox:
            yield (
                f"{f.backend}: dispatch ran on a sample: {f.sent:,} of {f.queued:,} "
                f"queued sends (--dispatch-sample, --check-sends)"
            )
        for run in (f.dispatch, f.check):
            if run is not None:
                yield f"{f.backend}: at {run.rate:g}/s: {_limit(run)}"
        if f.check is None:
            yield f"{f.backend}: no limiter check (the outbox was empty, or --check-sends -1)"
        if f.tick is not None:
            per_contact = f.tick.phase.seconds / max(1, f.enrolled) * 1000
            yield (
                f"{f.backend}: one worker tick (segment rescan of {f.enrolled:,} enrolled "
                f"contacts, then advance and run_once at the worker's batch size) took "
                f"{f.tick.phase.seconds:.1f} s, {per_contact:.1f} ms per contact, "
                f"and sent {f.tick.sent}"
            )


def _limit(run: Dispatched) -> str:
    seen = (
        f"busiest 1 s window: {run.busiest_passed} let through by the limiter, "
        f"{run.busiest_handed} handed to the sender, {run.busiest} requests at the fake "
        f"Twilio"
    )
    if run.busiest > run.rate:  # the limiter promises every second's window, exactly
        return f"limit NOT held at the provider ({seen})"
    if run.busiest < run.rate * 0.9:
        return f"the engine never reached the limit, so this run does not test it ({seen})"
    return f"limit held and binding ({seen})"


def results(figures: Sequence[Figures], options: Options) -> dict[str, Any]:
    """The run's figures for bench/results/campaigns.json: what the README table shows."""
    head = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=False
    ).stdout.strip()
    return {
        "run_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "commit": head or None,
        "machine": {
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "python": sys.version.split()[0],
            "load_average": round(os.getloadavg()[0], 2),
        },
        "options": {
            "contacts": options.contacts,
            "enqueue_sample": options.enqueue_sample,
            "dispatch_sample": options.dispatch_sample,
            "rate": options.rate,
            "advance_batch": options.advance_batch,
            "tick": options.tick,
        },
        "backends": {f.backend: _backend_results(f) for f in figures},
    }


def _backend_results(f: Figures) -> dict[str, Any]:
    return {
        "contacts": f.contacts,
        "enrolled": f.enrolled,
        "enrollments_per_s": round(f.enrolled / f.plan_s) if f.plan_s else None,
        "advanced": f.advance.done,
        "queued_per_s": round(f.advance.per_second, 1),
        "dispatch": None if f.dispatch is None else _run_results(f.dispatch),
        "limiter_check": None if f.check is None else _run_results(f.check),
        "worker_tick_s": None if f.tick is None else round(f.tick.phase.seconds, 1),
        "claim_100_ms_by_pending": {str(k): round(v, 1) for k, v in f.claim_ms.items()},
        "exactly_once": "PASS" if not f.problems else "FAIL",
        "problems": list(f.problems),
    }


def _run_results(run: Dispatched) -> dict[str, Any]:
    return {
        "rate_limit": run.rate,
        "sent": run.sent,
        "seconds": round(run.phase.seconds, 2),
        "sends_per_s": round(run.sent / run.phase.seconds, 1) if run.phase.seconds else None,
        "busiest_window_at_provider": run.busiest,
        "busiest_window_at_limiter": run.busiest_passed,
        "within_limit": run.busiest <= run.rate,
    }


def parse_options(argv: Sequence[str] | None) -> Options:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add = parser.add_argument
    add("--contacts", type=int, default=100_000)
    add("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    add("--rate", type=float, default=500.0, help="SMS sends per second in the dispatch")
    add(
        "--enqueue-sample",
        type=int,
        default=5_000,
        help="advance at most this many enrollments (0: all)",
    )
    add(
        "--dispatch-sample",
        type=int,
        default=3_000,
        help="dispatch at most this many sends at --rate (0: the whole outbox)",
    )
    add("--check-rate", type=float, default=50.0, help="SMS/s for the limiter check")
    add(
        "--check-sends",
        type=int,
        default=500,
        help="sends for the limiter check at --check-rate (-1: no check)",
    )
    add(
        "--tick",
        action="store_true",
        help="also time one worker tick with its segment rescan (about as long as planning)",
    )
    add(
        "--advance-batch",
        type=int,
        default=ADVANCE_BATCH,
        help=f"enrollments per advance (the worker's: {ADVANCE_BATCH})",
    )
    add(
        "--dispatch-batch",
        type=int,
        default=0,
        help="sends per run_once (0: the worker's own, Dispatcher.batch_size)",
    )
    add(
        "--claim-sizes",
        default="1000,100000",
        help="time claims with this many sends pending (capped at the audience; '' for none)",
    )
    add("--results", default=str(RESULTS), help="where to write the figures ('' for nowhere)")
    a = parser.parse_args(argv)
    backends = ["sqlite", "postgresql"] if a.backend == "both" else [a.backend]
    return Options(
        a.contacts,
        backends,
        a.rate,
        a.enqueue_sample,
        a.dispatch_sample,
        a.check_rate,
        a.check_sends,
        a.tick,
        a.advance_batch,
        a.dispatch_batch,
        a.results,
        [int(n) for n in a.claim_sizes.split(",") if n.strip()],
    )


def main(argv: Sequence[str] | None = None) -> None:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    options, started = parse_options(argv), time.perf_counter()
    people = make_people(options.contacts)
    figures = [run_backend(backend, people, options) for backend in options.backends]
    print()
    print(table(figures))
    print()
    for line in notes(figures):
        print(f"- {line}")
    print(f"- whole run: {time.perf_counter() - started:.0f} s")
    if options.results:
        path = Path(options.results)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(results(figures, options), indent=2) + "\n")
        print(f"- figures written to {path}")


if __name__ == "__main__":
    main()
