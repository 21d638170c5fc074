"""`python -m actions.server` as `parley run` starts it: a real process on a free
loopback port, on a SQLite profile store, with logging.yml. /ready follows the store,
/metrics counts actions and their failures by name, logs are JSON lines. Calls carry the
secret Rasa sends (tests/security/test_action_server.py tries without)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from bot.runner import free_port
from bot.settings import PROJECT_ROOT
from bot.store import upgrade
from tests.databases import shared_secrets

SECRET = "test-actions-secret-0123456789abcdef"


@dataclass
class ActionServer:
    url: str
    log: Path
    secret: str = SECRET

    def metric(self, name: str, action: str) -> float:
        text = httpx.get(f"{self.url}/metrics", timeout=10).text
        for family in text_string_to_metric_families(text):
            for sample in family.samples:
                if sample.name == name and sample.labels == {"action": action}:
                    return sample.value
        return 0.0

    def call(self, body: dict[str, object], secret: str | None = None) -> httpx.Response:
        headers = {"Authorization": f"Bearer {self.secret if secret is None else secret}"}
        return httpx.post(f"{self.url}/webhook", json=body, headers=headers, timeout=30)


def start_action_server(data_dir: Path, database_url: str) -> Iterator[ActionServer]:
    port, log = free_port(), data_dir / "actions.log"
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "PARLEY_DATA_DIR": str(data_dir),
        "PARLEY_LOG_FORMAT": "json",
        "PARLEY_LOG_PERSONAL_DATA": "mask",
        "RASA_TELEMETRY_ENABLED": "false",
        **shared_secrets(database_url),
        "PARLEY_ACTIONS_SECRET": SECRET,
    }
    argv = [sys.executable, "-m", "actions.server", "--actions", "actions", "--port", str(port),
            "--logging-config-file", "logging.yml"]  # fmt: skip
    with log.open("w") as out:
        process = subprocess.Popen(argv, cwd=PROJECT_ROOT, env=env, stdout=out, stderr=out)
    server = ActionServer(f"http://127.0.0.1:{port}", log)
    try:
        _wait_for_health(server, process)
        yield server
    finally:
        process.terminate()
        process.wait(timeout=20)


def _wait_for_health(server: ActionServer, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        assert process.poll() is None, server.log.read_text()
        try:
            if httpx.get(f"{server.url}/health", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.2)
    raise AssertionError(f"the action server did not start:\n{server.log.read_text()}")


@pytest.fixture(scope="module")
def action_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ActionServer]:
    data_dir = tmp_path_factory.mktemp("actions")
    url = f"sqlite:///{data_dir / 'parley.db'}"
    upgrade(url)
    yield from start_action_server(data_dir, url)


def _help_call(sender: str) -> dict[str, object]:
    tracker = {"sender_id": sender, "slots": {}, "latest_message": {}, "events": []}
    return {"next_action": "action_help", "tracker": tracker, "domain": {}, "version": "3.6.21"}


def test_action_server_is_ready_while_the_store_answers(action_server: ActionServer) -> None:
    reply = httpx.get(f"{action_server.url}/ready", timeout=10)
    assert (reply.status_code, reply.json()) == (200, {"status": "ok"})
    assert httpx.get(f"{action_server.url}/health", timeout=10).json() == {"status": "ok"}


def test_action_server_counts_actions_and_their_failures(action_server: ActionServer) -> None:
    runs = action_server.metric("parley_actions_total", "action_help")
    failures = action_server.metric("parley_action_errors_total", "action_help")
    assert action_server.call(_help_call("visitor-1")).status_code == 200
    assert action_server.call({"next_action": "action_help"}).status_code == 500  # no tracker
    assert action_server.metric("parley_actions_total", "action_help") == runs + 2
    assert action_server.metric("parley_action_errors_total", "action_help") == failures + 1


def test_action_server_keeps_unknown_action_names_out_of_labels(
    action_server: ActionServer,
) -> None:
    unknown = action_server.metric("parley_action_errors_total", "unknown")
    assert action_server.call({"next_action": "action_made_up_7f3a"}).status_code == 404
    assert action_server.metric("parley_action_errors_total", "unknown") == unknown + 1
    assert "action_made_up_7f3a" not in httpx.get(f"{action_server.url}/metrics").text


def test_action_server_logs_json_lines(action_server: ActionServer) -> None:
    lines = [json.loads(x) for x in action_server.log.read_text().splitlines() if x[:1] == "{"]
    assert any(line["logger"] == "rasa_sdk.executor" for line in lines)
    assert {line["process"] for line in lines} == {"actions.server"}


def test_action_server_is_not_ready_while_the_store_is_unreachable(tmp_path: Path) -> None:
    for server in start_action_server(tmp_path, "postgresql://parley@127.0.0.1:1/parley"):
        reply = httpx.get(f"{server.url}/ready", timeout=30)
        assert reply.status_code == 503
        # Which dependency, not the driver's words (host, port, user): those are logged.
        assert reply.json() == {"status": "unavailable", "reason": "profile store unavailable"}
        assert httpx.get(f"{server.url}/health", timeout=10).status_code == 200
        assert "port 1 failed" in server.log.read_text()  # the details, for operators


def test_action_server_fails_an_action_that_reads_a_domain_rasa_did_not_send(
    action_server: ActionServer,
) -> None:
    """Rasa sends the domain only to the actions domain.yml marks (and validate_*)."""
    help_call = _help_call("visitor-nodomain")
    del help_call["domain"]
    assert action_server.call(help_call).status_code == 200  # action_help never reads it
    session_start = {**help_call, "next_action": "action_session_start"}
    assert action_server.call(session_start).status_code == 500
    assert "action_session_start read the domain" in action_server.log.read_text()
    session_config = {"carry_over_slots_to_new_session": True}
    sent = {**session_start, "domain": {"session_config": session_config}}
    reply = action_server.call(sent)
    assert reply.status_code == 200
    assert reply.json()["events"][0]["event"] == "session_started"
