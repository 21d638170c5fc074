"""Voice webhook-to-TwiML latency (run by hand: `.venv/bin/python bench/voice_latency.py`).

Starts Parley on loopback with a test Twilio token, then plays bounded calls as signed
webhooks (incoming, keypad menu choice, name, email by speech) at 1 and 8 concurrent calls,
and reports p50/p95 of each webhook's answer time. Nothing leaves 127.0.0.1. The latest
figures go to bench/results/voice_latency.json; `--profile` adds where a turn's time goes
(as `bench/turn_latency.py --profile` does), from the calls played one at a time.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
import uuid
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import turn_profile_report  # noqa: E402
from bench.results_file import write_results  # noqa: E402
from bot import rasa_model  # noqa: E402
from bot.call_simulator import twilio_signature  # noqa: E402
from bot.runner import Supervisor  # noqa: E402
from bot.settings import Settings, load_settings  # noqa: E402
from bot.store import upgrade  # noqa: E402
from bot.turn_profile import PROFILE_DIR_VARIABLE, read_stages  # noqa: E402
from cli.commands.serve import start_stack  # noqa: E402

TOKEN = "bench-auth-token-0123456789"
PUBLIC = "https://bench.example.test"
CALLS = {1: 6, 8: 16}
STEPS = [("Digits", "1"), ("SpeechResult", "Dana Reyes"), ("SpeechResult", "dana at bench dot io")]


async def one_call(
    session: aiohttp.ClientSession, settings: Settings, timings: list[float]
) -> None:
    sid = "CA" + uuid.uuid4().hex
    url = f"{PUBLIC}/webhooks/twilio_voice/incoming"
    for field, value in [(None, None), *STEPS]:
        params = {
            "CallSid": sid,
            "From": "+14155550100",
            "To": "+15005550006",
            "AccountSid": "AC" + "0" * 32,
        }
        if field:
            params[field] = str(value)
        local = settings.rasa_url + url.removeprefix(PUBLIC)
        headers = {"X-Twilio-Signature": twilio_signature(TOKEN, url, params)}
        started = time.perf_counter()
        async with session.post(local, data=params, headers=headers) as reply:
            body = await reply.text()
        timings.append(time.perf_counter() - started)
        gather = ElementTree.fromstring(body).find("Gather")
        if gather is None:
            return
        url = gather.attrib["action"]


async def load(settings: Settings, concurrency: int, calls: int) -> list[float]:
    timings: list[float] = []
    async with aiohttp.ClientSession() as session:
        for start in range(0, calls, concurrency):
            batch = min(concurrency, calls - start)
            await asyncio.gather(*(one_call(session, settings, timings) for _ in range(batch)))
    return timings


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--profile", action="store_true", help="add a per-stage breakdown")
    args = parser.parse_args()
    trained = rasa_model.train(ROOT)
    data_dir = Path(tempfile.mkdtemp(prefix="parley-voice-bench-"))
    profile_dir = data_dir / "profile"
    if args.profile:
        os.environ[PROFILE_DIR_VARIABLE] = str(profile_dir)
    settings = load_settings(
        environ={
            "PARLEY_DATA_DIR": str(data_dir),
            "TWILIO_AUTH_TOKEN": TOKEN,
            "PARLEY_PUBLIC_URL": PUBLIC,
            "TWILIO_ACCOUNT_SID": "AC" + "0" * 32,
        },
        dotenv=data_dir / "none.env",
    )
    upgrade(settings.database_url)
    supervisor = Supervisor(data_dir / "logs", ROOT, say=lambda _: None)
    loads: list[dict[str, float | int]] = []
    breakdown: dict[str, object] | None = None
    try:
        start_stack(supervisor, settings, trained)
        asyncio.run(load(settings, 1, 2))  # warm-up
        print(
            f"{'concurrent calls':>16}  {'webhooks':>8}  {'p50 ms':>7}  {'p95 ms':>7}  {'mean ms':>7}"
        )
        for concurrency, calls in CALLS.items():
            started = time.time()
            timings = asyncio.run(load(settings, concurrency, calls))
            loads.append(
                {
                    "concurrent_calls": concurrency,
                    "webhooks": len(timings),
                    "p50_ms": round(percentile(timings, 0.5) * 1000, 1),
                    "p95_ms": round(percentile(timings, 0.95) * 1000, 1),
                    "mean_ms": round(statistics.mean(timings) * 1000, 1),
                }
            )
            print(
                f"{concurrency:>16}  {len(timings):>8}  {percentile(timings, 0.5) * 1000:>7.0f}  "
                f"{percentile(timings, 0.95) * 1000:>7.0f}  {statistics.mean(timings) * 1000:>7.0f}"
            )
            if args.profile and concurrency == 1:
                window = (started, time.time())
                breakdown = one_at_a_time(profile_dir, window, statistics.mean(timings) * 1000)
    finally:
        supervisor.stop()
    results: dict[str, object] = {"profiled": args.profile, "loads": loads}
    if breakdown is not None:
        results["profile"] = breakdown
    write_results("voice_latency", results)


def one_at_a_time(
    directory: Path, window: tuple[float, float], client_ms: float
) -> dict[str, object]:
    """The per-stage breakdown of the turns of the calls played one at a time."""
    turns = turn_profile_report.turns_by_sender(read_stages(directory))
    played = [t for found in turns.values() for t in found if window[0] <= t[0]["at"] <= window[1]]
    group = {"voice, 1 call at a time": turn_profile_report.breakdown(played, client_ms)}
    print(turn_profile_report.render(group))
    return dict(group)


if __name__ == "__main__":
    main()
