"""Voice webhook-to-TwiML latency (run by hand: `.venv/bin/python bench/voice_latency.py`).

Starts Parley on loopback with a test Twilio token, then plays bounded calls as signed
webhooks (incoming, keypad menu choice, name, email by speech) at 1 and 8 concurrent calls,
and reports p50/p95 of each webhook's answer time. Nothing leaves 127.0.0.1.
"""

from __future__ import annotations

import asyncio
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

from bot import rasa_model  # noqa: E402
from bot.call_simulator import twilio_signature  # noqa: E402
from bot.runner import Supervisor  # noqa: E402
from bot.settings import Settings, load_settings  # noqa: E402
from bot.store import upgrade  # noqa: E402
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
    trained = rasa_model.train(ROOT)
    data_dir = Path(tempfile.mkdtemp(prefix="parley-voice-bench-"))
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
    try:
        start_stack(supervisor, settings, trained)
        asyncio.run(load(settings, 1, 2))  # warm-up
        print(
            f"{'concurrent calls':>16}  {'webhooks':>8}  {'p50 ms':>7}  {'p95 ms':>7}  {'mean ms':>7}"
        )
        for concurrency, calls in CALLS.items():
            timings = asyncio.run(load(settings, concurrency, calls))
            print(
                f"{concurrency:>16}  {len(timings):>8}  {percentile(timings, 0.5) * 1000:>7.0f}  "
                f"{percentile(timings, 0.95) * 1000:>7.0f}  {statistics.mean(timings) * 1000:>7.0f}"
            )
    finally:
        supervisor.stop()


if __name__ == "__main__":
    main()
