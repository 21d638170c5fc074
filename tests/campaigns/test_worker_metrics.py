"""The worker's /metrics beside /health and /ready: send outcomes and queue depth, read
over HTTP from the worker's own health server after a real tick."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Callable

import httpx
from prometheus_client import REGISTRY
from prometheus_client.parser import text_string_to_metric_families

from bot.metrics import QUEUE_DEPTH
from campaigns.worker import Health, Worker, serve_health
from senders.interface import SendFailed
from tests.campaigns.conftest import Harness, lead
from tests.campaigns.test_engine import WELCOME

Factory = Callable[..., Harness]


def _scrape(port: int) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    reply = httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=10)
    assert reply.status_code == 200
    assert reply.headers["content-type"].startswith("text/plain")
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(reply.text)
        for sample in family.samples
    }


def _sends(channel: str, outcome: str) -> float:
    labels = {"channel": channel, "outcome": outcome}
    return REGISTRY.get_sample_value("parley_campaign_sends_total", labels) or 0.0


def _tick_and_scrape(h: Harness) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = serve_health(Health(sorted(h.campaigns)), "127.0.0.1", port)
    try:
        asyncio.run(Worker(h.engine, h.dispatcher(), Health([]), clock=h.clock).tick())
        return _scrape(port)
    finally:
        server.shutdown()
        server.server_close()


def test_worker_metrics_count_sends_and_report_queue_depth(harness_factory: Factory) -> None:
    h = harness_factory(WELCOME)
    lead(h.store)
    QUEUE_DEPTH.labels("outbox").set(99)  # a stale value the tick must replace
    before = _sends("sms", "sent")
    scraped = _tick_and_scrape(h)
    assert (
        scraped[
            ("parley_campaign_sends_total", frozenset({("channel", "sms"), ("outcome", "sent")}))
        ]
        == before + 1
    )
    assert scraped[("parley_queue_depth", frozenset({("queue", "outbox")}))] == 0
    assert scraped[("parley_queue_depth", frozenset({("queue", "webhooks")}))] == 0


def test_worker_metrics_count_a_retry_by_its_own_outcome(harness_factory: Factory) -> None:
    h = harness_factory(WELCOME)
    lead(h.store)
    h.senders["sms"].failures = [SendFailed("sms", "503 from Twilio", True)]
    before = _sends("sms", "retry")
    _tick_and_scrape(h)
    assert _sends("sms", "retry") == before + 1


def test_worker_health_server_still_answers_health_and_ready() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = serve_health(Health(["hello"]), "127.0.0.1", port)
    try:
        assert httpx.get(f"http://127.0.0.1:{port}/health", timeout=10).json()["status"] == "ok"
        assert httpx.get(f"http://127.0.0.1:{port}/ready", timeout=10).status_code == 200
        assert httpx.get(f"http://127.0.0.1:{port}/nope", timeout=10).status_code == 404
    finally:
        server.shutdown()
        server.server_close()
