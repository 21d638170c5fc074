"""REST turn latency, side by side in one run (run by hand: `.venv/bin/python bench/turn_latency.py`).

Targets, all on loopback:
  parley  Parley's full stack: the lead form, custom actions, profile store writes, SQL tracker store
  bare    a Rasa bot with the same NLU pipeline and intents, responses only, no action server
  echo    a plain aiohttp server speaking the REST channel's JSON: the floor

For each: p50/p95/p99 and messages/s at 1 and 16 concurrent conversations, and p50 of turns
1-20 against turns 181-200 of one 200-turn conversation (does a long history slow turns?).
Load is bounded: a fixed number of messages per run, nothing leaves 127.0.0.1.

With --profile, Parley's Rasa and action servers also time each stage of every turn
(bot/turn_profile.py) and a per-stage breakdown follows: the lead script one conversation
at a time, and the long conversation's turns 1-20 and 181-200. The latency figures of a
profiled run carry the (small) cost of the timing. Figures go to
bench/results/turn_latency.json.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import turn_profile_report  # noqa: E402
from bench.results_file import write_results  # noqa: E402
from bot import rasa_model  # noqa: E402
from bot.runner import ChildSpec, Supervisor  # noqa: E402
from bot.settings import load_settings  # noqa: E402
from bot.store import upgrade  # noqa: E402
from bot.turn_profile import PROFILE_DIR_VARIABLE, read_stages  # noqa: E402
from cli.commands.serve import start_stack  # noqa: E402

LEAD_SCRIPT = [
    "hi there", "I'd like a demo", "Dana Reyes", "dana{n}@acme.io", "+1 415 555 0134",
    "Acme Widgets", "Head of Growth", "we lose web leads because follow-up is slow", "yes",
]  # fmt: skip
LONG_CYCLE = [
    "are you a bot?", "what can you do", "I want a demo", "yes", "how much does it cost",
    "my company is Acme {n}", "yes", "thanks",
]  # fmt: skip
CONVERSATIONS_PER_WORKER = {1: 6, 16: 3}


@dataclass(frozen=True)
class LoadResult:
    p50: float
    p95: float
    p99: float
    per_second: float
    count: int
    mean: float


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def turn(session: aiohttp.ClientSession, url: str, sender: str, text: str) -> float:
    started = time.perf_counter()
    async with session.post(url, json={"sender": sender, "message": text}) as reply:
        reply.raise_for_status()
        await reply.read()
    return (time.perf_counter() - started) * 1000


async def worker(
    session: aiohttp.ClientSession, url: str, conversations: int, label: str
) -> list[float]:
    timings = []
    for _ in range(conversations):
        sender, n = f"bench-{label}-{uuid.uuid4().hex[:10]}", uuid.uuid4().hex[:6]
        for text in LEAD_SCRIPT:
            timings.append(await turn(session, url, sender, text.format(n=n)))
    return timings


async def load(url: str, concurrency: int) -> LoadResult:
    timeout = aiohttp.ClientTimeout(total=120)
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(timeout=timeout, connector=connector) as session:
        await worker(session, url, 1, "warm")  # first-turn model and DB set-up costs
        started = time.perf_counter()
        per_worker = CONVERSATIONS_PER_WORKER[concurrency]
        label = f"c{concurrency}"
        results = await asyncio.gather(
            *(worker(session, url, per_worker, label) for _ in range(concurrency))
        )
        elapsed = time.perf_counter() - started
    samples = [t for r in results for t in r]
    return LoadResult(
        percentile(samples, 0.5),
        percentile(samples, 0.95),
        percentile(samples, 0.99),
        len(samples) / elapsed,
        len(samples),
        statistics.mean(samples),
    )


@dataclass(frozen=True)
class LongResult:
    first: float  # p50 of turns 1-20
    last: float  # p50 of turns 181-200
    timings: list[float]


async def long_conversation(url: str, turns: int = 200) -> LongResult:
    sender = f"bench-long-{uuid.uuid4().hex[:8]}"
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=120)) as session:
        timings = []
        for index, text in enumerate((LEAD_SCRIPT + LONG_CYCLE * 30)[:turns]):
            timings.append(await turn(session, url, sender, text.format(n=index)))
    return LongResult(statistics.median(timings[:20]), statistics.median(timings[-20:]), timings)


def bare_model(workdir: Path) -> Path:
    """Train (once per fingerprint) the responses-only comparison bot."""
    root = workdir / "bare"
    (root / "data").mkdir(parents=True)
    config = yaml.safe_load((ROOT / "config.yml").read_text("utf-8"))
    for policy in config["policies"]:
        if policy["name"] == "RulePolicy":
            # Parley's fallback is a custom action; the bare bot has no action server.
            policy["core_fallback_action_name"] = "action_default_fallback"
    (root / "config.yml").write_text(yaml.safe_dump(config, sort_keys=False), "utf-8")
    shutil.copy(ROOT / "bench" / "bare_bot" / "domain.yml", root / "domain.yml")
    shutil.copy(ROOT / "bench" / "bare_bot" / "data" / "rules.yml", root / "data" / "rules.yml")
    shutil.copy(ROOT / "data" / "nlu.yml", root / "data" / "nlu.yml")
    return rasa_model.train(root, ROOT / "bench" / "models")


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_targets(supervisor: Supervisor, workdir: Path) -> dict[str, str]:
    settings = load_settings(
        environ={"PARLEY_DATA_DIR": str(workdir / "parley"), "PARLEY_RASA_PORT": str(free_port()),
                 "PARLEY_ACTIONS_PORT": str(free_port()),
                 # 200 turns back to back in one conversation: far beyond a person's pace.
                 "PARLEY_CHAT_CONVERSATION_BURST": "1000",
                 "PARLEY_CHAT_CONVERSATION_RATE": "1000"},
        dotenv=workdir / "none.env",
    )  # fmt: skip
    upgrade(settings.database_url)
    start_stack(supervisor, settings, rasa_model.train(ROOT))
    bare_port, echo_port = free_port(), free_port()
    bare_model_path = bare_model(workdir)
    # Stock Rasa: its own REST channel, in-memory tracker store, no action server.
    (workdir / "bare" / "credentials.yml").write_text("rest:\n")
    (workdir / "bare" / "endpoints.yml").write_text("# none\n")
    supervisor.start(ChildSpec(
        "bare rasa",
        [sys.executable, "-m", "rasa", "run", "--model", str(bare_model_path),
         "--port", str(bare_port), "--interface", "127.0.0.1",
         "--credentials", str(workdir / "bare" / "credentials.yml"),
         "--endpoints", str(workdir / "bare" / "endpoints.yml")],
        health_url=f"http://127.0.0.1:{bare_port}/", env={"RASA_TELEMETRY_ENABLED": "false"},
    ))  # fmt: skip
    supervisor.start(
        ChildSpec(
            "echo",
            [sys.executable, str(ROOT / "bench" / "echo_server.py"), str(echo_port)],
            health_url=f"http://127.0.0.1:{echo_port}/",
        )
    )
    hook = "/webhooks/rest/webhook"
    return {
        "parley": f"{settings.rasa_url}{hook}",
        "bare": f"http://127.0.0.1:{bare_port}{hook}",
        "echo": f"http://127.0.0.1:{echo_port}{hook}",
    }


def report(loads: dict[tuple[str, int], LoadResult], longs: dict[str, LongResult]) -> None:
    print(
        f"\n{'target':8} {'conc':>4} {'n':>5} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'msg/s':>8}"
    )
    for (name, concurrency), r in loads.items():
        print(
            f"{name:8} {concurrency:>4} {r.count:>5} {r.p50:>8.1f} {r.p95:>8.1f} {r.p99:>8.1f} {r.per_second:>8.1f}"
        )
    for concurrency in (1, 16):
        parley, bare, echo = (loads[(n, concurrency)] for n in ("parley", "bare", "echo"))
        print(
            f"ratios at {concurrency:>2}: parley/bare p50 {parley.p50 / bare.p50:.2f}x, "
            f"msg/s {parley.per_second / bare.per_second:.2f}x; bare/echo p50 {bare.p50 / echo.p50:.1f}x"
        )
    for name, long in longs.items():
        print(
            f"long conversation {name}: p50 turns 1-20 {long.first:.1f} ms, "
            f"turns 181-200 {long.last:.1f} ms ({long.last / long.first:.2f}x)"
        )


def figures(
    loads: dict[tuple[str, int], LoadResult], longs: dict[str, LongResult]
) -> dict[str, Any]:
    ratios = {
        f"at_{c}": {
            "parley_bare_p50": round(loads[("parley", c)].p50 / loads[("bare", c)].p50, 2),
            "parley_bare_per_second": round(
                loads[("parley", c)].per_second / loads[("bare", c)].per_second, 2
            ),
        }
        for c in (1, 16)
    }
    return {
        "loads": [
            {"target": name, "concurrency": c, "turns": r.count, "p50_ms": round(r.p50, 1),
             "p95_ms": round(r.p95, 1), "p99_ms": round(r.p99, 1),
             "per_second": round(r.per_second, 1)}
            for (name, c), r in loads.items()
        ],
        "ratios": ratios,
        "long_conversation": {
            name: {"p50_turns_1_20_ms": round(long.first, 1),
                   "p50_turns_181_200_ms": round(long.last, 1),
                   "growth": round(long.last / long.first, 2)}
            for name, long in longs.items()
        },
    }  # fmt: skip


def profile(directory: Path, single: LoadResult, long: LongResult) -> dict[str, dict[str, Any]]:
    """The per-stage breakdown of the profiled groups of turns, printed and returned."""
    turns = turn_profile_report.turns_by_sender(read_stages(directory))
    lead = [t for sender, found in turns.items() if "bench-c1-" in sender for t in found]
    long_turns = next(found for sender, found in turns.items() if "bench-long-" in sender)
    groups = {
        "lead script, 1 at a time": turn_profile_report.breakdown(lead, single.mean),
        "long: turns 1-20": turn_profile_report.breakdown(
            long_turns[:20], statistics.mean(long.timings[:20])
        ),
        "long: turns 181-200": turn_profile_report.breakdown(
            long_turns[-20:], statistics.mean(long.timings[-20:])
        ),
    }
    print("\nper-stage breakdown (means per turn; nested stages are part of the one above)")
    print(turn_profile_report.render(groups))
    return groups


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--profile", action="store_true", help="add a per-stage breakdown")
    args = parser.parse_args()
    subprocess.run(["uname", "-srm"], check=False)
    print(f"cores: {len(os.sched_getaffinity(0))}")
    with tempfile.TemporaryDirectory() as tmp, Supervisor(Path(tmp) / "logs", ROOT) as supervisor:
        profile_dir = Path(tmp) / "profile"
        if args.profile:
            # Read by Parley's children only: the bare bot and the echo server ignore it.
            os.environ[PROFILE_DIR_VARIABLE] = str(profile_dir)
        urls = start_targets(supervisor, Path(tmp))
        loads = {
            (name, c): asyncio.run(load(url, c)) for c in (1, 16) for name, url in urls.items()
        }
        longs = {name: asyncio.run(long_conversation(urls[name])) for name in ("parley", "bare")}
        report(loads, longs)
        results = {"profiled": args.profile, **figures(loads, longs)}
        if args.profile:
            results["profile"] = profile(profile_dir, loads[("parley", 1)], longs["parley"])
    write_results("turn_latency", results)


if __name__ == "__main__":
    main()
