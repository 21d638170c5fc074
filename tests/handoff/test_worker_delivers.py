"""The campaign worker is the process that delivers handoffs (the action server and the
`parley run` supervisor only record them): its drain step, and a real worker process."""

from __future__ import annotations

import time
from datetime import datetime, timezone
from pathlib import Path

import pytest

from bot.handoff import request_handoff
from bot.runner import Supervisor, free_port
from bot.settings import PROJECT_ROOT, Settings, load_settings
from bot.stack import campaign_worker
from bot.store import ProfileStore, upgrade
from campaigns.worker import deliver_due
from tests.handoff.conftest import Inbox, Receiver


def _request(store: ProfileStore, settings: Settings, now: datetime) -> None:
    contact = store.leads.update_fields(
        "web", "conv-9", {"name": "Ada Byron", "email": "ada@acme.io"}, "conv-9", now=now
    )
    request_handoff(
        store,
        settings,
        contact=contact,
        conversation_id="conv-9",
        channel="web",
        reason="asked for a person",
        transcript=[],
        now=now,
    )


def test_worker_drain_step_sends_the_handoff_webhook_and_email(
    store: ProfileStore, settings: Settings, receiver: Receiver, smtp: tuple[Inbox, int]
) -> None:
    now = datetime.now(timezone.utc)
    _request(store, settings, now)
    assert deliver_due(store, settings, now) == 2
    assert len(receiver.received) == 1 and len(smtp[0].messages) == 1
    assert deliver_due(store, settings, now) == 0


@pytest.mark.slow
def test_worker_process_delivers_a_recorded_handoff_within_seconds(
    tmp_path: Path, environ: dict[str, str], receiver: Receiver, smtp: tuple[Inbox, int]
) -> None:
    settings = load_settings(
        environ={**environ, "PARLEY_WORKER_PORT": str(free_port())}, dotenv=tmp_path / "none.env"
    )
    upgrade(settings.database_url)
    store = ProfileStore.from_url(settings.database_url)
    supervisor = Supervisor(tmp_path / "logs", PROJECT_ROOT, say=lambda _: None)
    try:
        supervisor.start(campaign_worker(settings))
        _request(store, settings, datetime.now(timezone.utc))
        deadline = time.monotonic() + 30
        while not (receiver.received and smtp[0].messages) and time.monotonic() < deadline:
            time.sleep(0.2)
    finally:
        supervisor.stop()
    assert len(receiver.received) == 1 and len(smtp[0].messages) == 1
    assert {d.status for d in store.outbox.deliveries()} == {"delivered"}
    store.dispose()
