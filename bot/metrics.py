"""Prometheus metrics shared by every Parley process.

Each process (Rasa server, action server, campaign worker, API) has its own default
registry and serves it on its own `/metrics`; Prometheus adds the series up across
replicas, so nothing here coordinates between processes.
"""

from __future__ import annotations

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)

__all__ = [
    "ACTIONS",
    "ACTION_ERRORS",
    "HTTP_REQUESTS",
    "QUEUE_DEPTH",
    "SENDS",
    "TURNS",
    "TURN_SECONDS",
    "exposition",
    "status_class",
]

TURNS = Counter("parley_turns_total", "Conversation turns handled", ["channel", "outcome"])
# Buckets reach 16 s because a turn can wait on a slow action or an LLM-free but cold model.
TURN_SECONDS = Histogram(
    "parley_turn_seconds",
    "Time to answer one turn",
    ["channel"],
    buckets=(0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 16),
)
ACTION_ERRORS = Counter("parley_action_errors_total", "Custom actions that failed", ["action"])
ACTIONS = Counter("parley_actions_total", "Custom actions run", ["action"])
SENDS = Counter("parley_campaign_sends_total", "Campaign sends by outcome", ["channel", "outcome"])
QUEUE_DEPTH = Gauge("parley_queue_depth", "Work waiting", ["queue"])
HTTP_REQUESTS = Counter("parley_http_requests_total", "HTTP requests served", ["route", "status"])


def status_class(status: int) -> str:
    """`404` -> `4xx`: one series per class keeps the label set small."""
    return f"{status // 100}xx"


def exposition() -> tuple[bytes, str]:
    """The process's metrics in the text format, and the content type to serve them with."""
    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST
