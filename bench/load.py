"""Sustained load through the full stack (run by hand: `.venv/bin/python bench/load.py`).

For each configuration (default `1 2`: one replica of every process, then two behind
HAProxy), all on a fresh PostgreSQL database and Redis: start the stack, warm it up with
one conversation, then hold `--concurrency` conversations (default 16) for `--duration`
seconds (default 300) through the entry point. Each conversation runs the 9-turn
lead-capture script of bench/turn_latency.py with a new sender, then starts again.

Reports turns, errors by kind (HTTP status, timeout, connection, the bot's apology),
p50/p95/p99 latency of the turns answered, throughput, conversations completed, the turns
each Rasa replica counted on its /metrics, the load average and the cores each process
used; then the throughput ratio of N replicas to one, and the cores the machine had.
Load is bounded: a fixed number of conversations at once for a fixed time, a 60 s timeout
per turn, nothing leaves 127.0.0.1.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import sys
import time
import uuid
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path
from types import FrameType
from typing import Any

import aiohttp
from prometheus_client.parser import text_string_to_metric_families

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from load_stack import RunningStack, cores_used, running_stack, sample_cpu  # noqa: E402
from turn_latency import LEAD_SCRIPT, percentile  # noqa: E402

from channels.messages import APOLOGY  # noqa: E402

TURN_TIMEOUT_S = 60
REST_SERIES = {"parley_turns_total", "parley_turn_seconds_sum", "parley_turn_seconds_count"}
PAUSE_AFTER_ERROR_S = 1.0  # a stack that fails fast must not turn the run into a flood


@dataclass(frozen=True)
class Turn:
    ended: float  # time.perf_counter() when the reply was complete
    ms: float
    error: str | None  # "http 502", "timeout", "connection", "apology", or None


@dataclass(frozen=True)
class ReplicaTurns:
    """A Rasa server's own count of REST turns over the window, from its /metrics."""

    url: str
    ok: int
    error: int
    mean_ms: float


@dataclass(frozen=True)
class ConfigResult:
    replicas: int
    concurrency: int
    duration_s: float
    turns: int
    errors: dict[str, int]
    p50_ms: float
    p95_ms: float
    p99_ms: float
    turns_per_s: float
    conversations: int
    replicas_seen: list[ReplicaTurns]
    load_start: tuple[float, float, float]
    load_end: tuple[float, float, float]
    cores_used: dict[str, float]


def error_of(status: int, body: Any) -> str | None:
    if status != 200:
        return f"http {status}"
    if not isinstance(body, list):
        return "bad body"
    return "apology" if any(m.get("text") == APOLOGY for m in body) else None


async def say(session: aiohttp.ClientSession, url: str, sender: str, text: str) -> Turn:
    started = time.perf_counter()
    try:
        async with session.post(url, json={"sender": sender, "message": text}) as reply:
            body = await reply.json(content_type=None) if reply.status == 200 else None
            error = error_of(reply.status, body)
    except asyncio.TimeoutError:
        error = "timeout"
    except aiohttp.ClientError:
        error = "connection"
    except ValueError:  # a 200 whose body is not JSON
        error = "bad body"
    ended = time.perf_counter()
    return Turn(ended, (ended - started) * 1000, error)


async def conversation(
    session: aiohttp.ClientSession, url: str, deadline: float, turns: list[Turn]
) -> bool:
    """One lead capture with a new sender; True if every turn was answered by the deadline."""
    sender, n = f"load-{uuid.uuid4().hex[:10]}", uuid.uuid4().hex[:6]
    for text in LEAD_SCRIPT:
        if time.perf_counter() >= deadline:
            return False
        turns.append(await say(session, url, sender, text.format(n=n)))
        if turns[-1].error is not None:
            await asyncio.sleep(PAUSE_AFTER_ERROR_S)
            return False  # the form's state is unknown after a failed turn: start afresh
    return turns[-1].ended <= deadline


async def conversations(
    session: aiohttp.ClientSession, url: str, deadline: float, turns: list[Turn]
) -> int:
    completed = 0
    while time.perf_counter() < deadline:
        completed += await conversation(session, url, deadline, turns)
    return completed


async def rest_counts(session: aiohttp.ClientSession, url: str) -> dict[str, float]:
    async with session.get(f"{url}/metrics") as reply:
        reply.raise_for_status()
        text = await reply.text()
    counts: dict[str, float] = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name in REST_SERIES and sample.labels.get("channel") == "rest":
                key = sample.labels.get("outcome", sample.name)
                counts[key] = counts.get(key, 0.0) + sample.value
    return counts


def replica_turns(url: str, before: dict[str, float], after: dict[str, float]) -> ReplicaTurns:
    def delta(key: str) -> float:
        return after.get(key, 0.0) - before.get(key, 0.0)

    count = delta("parley_turn_seconds_count")
    mean_ms = delta("parley_turn_seconds_sum") / count * 1000 if count else 0.0
    return ReplicaTurns(url, round(delta("ok")), round(delta("error")), mean_ms)


async def measure(stack: RunningStack, concurrency: int, duration: float) -> ConfigResult:
    connector = aiohttp.TCPConnector(limit=concurrency + len(stack.replica_urls))
    timeout = aiohttp.ClientTimeout(total=TURN_TIMEOUT_S)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        await conversation(session, stack.webhook, float("inf"), [])  # warm-up
        metrics_before = [await rest_counts(session, url) for url in stack.replica_urls]
        load_start, cpu_before = os.getloadavg(), sample_cpu(stack.supervisor)
        started = time.perf_counter()
        turns: list[Turn] = []
        completed = await asyncio.gather(
            *(
                conversations(session, stack.webhook, started + duration, turns)
                for _ in range(concurrency)
            )
        )
        # In-flight turns finish after the deadline; the CPU window ends with them.
        cpu_after, load_end = sample_cpu(stack.supervisor), os.getloadavg()
        cpu_seconds = time.perf_counter() - started
        metrics_after = [await rest_counts(session, url) for url in stack.replica_urls]
    in_window = [t for t in turns if t.ended <= started + duration]
    answered = [t.ms for t in in_window if t.error is None] or [float("nan")]
    return ConfigResult(
        replicas=len(stack.replica_urls), concurrency=concurrency, duration_s=duration,
        turns=len(in_window), errors=dict(Counter(t.error for t in in_window if t.error)),
        p50_ms=percentile(answered, 0.5), p95_ms=percentile(answered, 0.95),
        p99_ms=percentile(answered, 0.99), turns_per_s=len(in_window) / duration,
        conversations=sum(completed),
        replicas_seen=[replica_turns(url, b, a) for url, b, a in
                       zip(stack.replica_urls, metrics_before, metrics_after, strict=True)],
        load_start=load_start, load_end=load_end,
        cores_used=cores_used(cpu_before, cpu_after, cpu_seconds),
    )  # fmt: skip


def cores() -> tuple[int | None, int]:
    return os.cpu_count(), len(os.sched_getaffinity(0))


def load_text(load: tuple[float, float, float]) -> str:
    return " / ".join(f"{value:.2f}" for value in load)


def results_table(results: list[ConfigResult]) -> list[str]:
    lines = [
        "| replicas | turns | errors | p50 ms | p95 ms | p99 ms | turns/s | conversations "
        "| turns per replica (/metrics) | load avg 1/5/15 min, start → end |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        errors = ", ".join(f"{kind} {n}" for kind, n in r.errors.items()) or "0"
        spread = " + ".join(
            f"{s.ok}" + (f" ({s.error} err)" if s.error else "") for s in r.replicas_seen
        )
        lines.append(
            f"| {r.replicas} | {r.turns:,} | {errors} | {r.p50_ms:,.0f} | {r.p95_ms:,.0f} "
            f"| {r.p99_ms:,.0f} | {r.turns_per_s:.2f} | {r.conversations:,} | {spread} "
            f"| {load_text(r.load_start)} → {load_text(r.load_end)} |"
        )
    return lines


def cpu_table(results: list[ConfigResult]) -> list[str]:
    parts = list(dict.fromkeys(part for r in results for part in r.cores_used))
    header = " | ".join(f"{r.replicas} replica{'s' * (r.replicas > 1)}" for r in results)
    lines = [
        f"| process (cores busy, average over the window) | {header} |",
        "|---|" + "---|" * len(results),
    ]
    for part in parts:
        cells = " | ".join(
            f"{r.cores_used[part]:.2f}" if part in r.cores_used else "–" for r in results
        )
        lines.append(f"| {part} | {cells} |")
    return lines


def ratio_lines(results: list[ConfigResult]) -> list[str]:
    single = next((r for r in results if r.replicas == 1), None)
    total, usable = cores()
    lines = [f"cores: os.cpu_count() = {total}, usable (sched_getaffinity) = {usable}"]
    for r in results:
        if single is not None and r is not single and single.turns_per_s > 0:
            ratio = r.turns_per_s / single.turns_per_s
            lines.append(f"throughput {r.replicas} replicas / 1 replica: {ratio:.2f}x")
    return lines


def report(results: list[ConfigResult]) -> str:
    concurrency, duration = results[0].concurrency, results[0].duration_s
    title = f"{concurrency} concurrent conversations for {duration:.0f} s per configuration"
    return "\n".join(
        [title, "", *results_table(results), "", *cpu_table(results), "", *ratio_lines(results)]
    )


def write_json(path: Path, results: list[ConfigResult]) -> None:
    total, usable = cores()
    document = {
        "cores": {"cpu_count": total, "usable": usable},
        "results": [asdict(r) for r in results],
    }
    path.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")


def _raise_interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument(
        "replicas",
        nargs="*",
        type=int,
        default=[1, 2],
        help="configurations to run, as replica counts (default: 1 2)",
    )
    parser.add_argument("--duration", type=float, default=300.0, help="seconds of load each")
    parser.add_argument("--concurrency", type=int, default=16, help="conversations at once")
    parser.add_argument("--json", type=Path, help="also write the results here as JSON")
    parser.add_argument("--logs", type=Path, help="keep each stack's logs under this directory")
    args = parser.parse_args()
    if args.duration <= 0 or args.concurrency < 1 or min(args.replicas) < 1:
        parser.error("duration, concurrency and replica counts must be positive")
    return args


def main() -> int:
    args = parse_args()
    signal.signal(signal.SIGTERM, _raise_interrupt)
    results: list[ConfigResult] = []
    try:
        for replicas in args.replicas:
            print(f"-- {replicas} replica(s): starting the stack", file=sys.stderr)
            logs = args.logs / f"replicas-{replicas}" if args.logs else None
            with running_stack(replicas, logs) as stack:
                results.append(asyncio.run(measure(stack, args.concurrency, args.duration)))
    except KeyboardInterrupt:
        print("interrupted: the stacks are stopped and their databases dropped", file=sys.stderr)
    if results:
        print(report(results))
        if args.json is not None:
            write_json(args.json, results)
    return 0 if len(results) == len(args.replicas) else 130


if __name__ == "__main__":
    sys.exit(main())
