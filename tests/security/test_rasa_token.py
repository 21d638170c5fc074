"""Rasa's HTTP API token travels in a header only (#17).

Not on a command line (every user of the machine reads those in `ps`), not in a URL
(access logs and proxies keep those). A real Rasa server and action server, started as
`parley run` starts them, on a trained model.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import psycopg2
import pytest

from bot.runner import Supervisor, free_port
from bot.settings import PROJECT_ROOT, Settings, load_settings
from bot.stack import action_server, rasa_auth, rasa_server
from bot.store import migrate
from channels.ops import readiness

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


@dataclass
class Rasa:
    settings: Settings
    pid: int

    def get(self, path: str, **kwargs: Any) -> httpx.Response:
        return httpx.get(f"{self.settings.rasa_url}{path}", timeout=60, **kwargs)

    @property
    def auth(self) -> dict[str, str]:
        return rasa_auth(self.settings)


@pytest.fixture(scope="module")
def rasa(trained_model: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Rasa]:
    data_dir = tmp_path_factory.mktemp("rasa-token")
    environ = {
        "PARLEY_DATA_DIR": str(data_dir),
        "PARLEY_RASA_PORT": str(free_port()),
        "PARLEY_ACTIONS_PORT": str(free_port()),
    }
    settings = load_settings(environ=environ, dotenv=data_dir / "no.env")
    migrate.upgrade(settings.database_url)
    with Supervisor(data_dir / "logs", PROJECT_ROOT, say=lambda _: None) as supervisor:
        supervisor.start(action_server(settings))
        # Its health check is GET /status with the bearer header: it starts only if that works.
        supervisor.start(rasa_server(settings, trained_model))
        yield Rasa(settings, supervisor.children["rasa server"].process.pid)


def _command_lines() -> dict[int, bytes]:
    found = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                found[int(entry.name)] = (entry / "cmdline").read_bytes()
            except OSError:
                continue  # gone meanwhile, or not ours to read
    return found


def test_the_api_token_is_on_no_command_line(rasa: Rasa) -> None:
    token = rasa.settings.rasa_token.value.encode()
    lines = _command_lines()
    assert b"channels.rasa_api" in lines[rasa.pid]  # Rasa itself, still running
    assert [pid for pid, line in lines.items() if token in line] == []


def test_the_api_answers_the_token_as_a_bearer_header(rasa: Rasa) -> None:
    status = rasa.get("/status", headers=rasa.auth)
    assert status.status_code == 200, status.text
    assert status.json()["model_file"].endswith(".tar.gz")
    assert rasa.get("/conversations/token-test/tracker", headers=rasa.auth).status_code == 200


def test_a_token_in_the_query_string_is_refused_even_the_right_one(rasa: Rasa) -> None:
    right = {"token": rasa.settings.rasa_token.value}
    for headers in ({}, rasa.auth):
        refused = rasa.get("/status", params=right, headers=headers)
        assert refused.status_code == 401
        assert "Authorization: Bearer" in refused.json()["message"]
    swap = httpx.put(
        f"{rasa.settings.rasa_url}/parley/model",
        params=right,
        json={"model_file": "/nowhere.tar.gz"},
        timeout=30,
    )
    assert swap.status_code == 401


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Bearer not-the-token-0123456789"}, {"Authorization": "Basic eDp5"}],
)
def test_the_api_refuses_a_missing_or_wrong_token(rasa: Rasa, headers: dict[str, str]) -> None:
    for path in ("/status", "/conversations/token-test/tracker"):
        refused = rasa.get(path, headers=headers)
        assert refused.status_code == 401
        assert refused.json()["reason"] == "NotAuthenticated"


def test_rasa_sends_the_action_servers_secret(rasa: Rasa) -> None:
    """Rasa signs its action calls from endpoints.yml: a custom action runs."""
    conversation = f"{rasa.settings.rasa_url}/conversations/secret-test"
    started = httpx.post(
        f"{conversation}/tracker/events",
        headers=rasa.auth,
        timeout=60,
        json={"event": "action", "name": "action_listen"},
    )
    assert started.status_code == 200, started.text
    ran = httpx.post(
        f"{conversation}/execute", json={"name": "action_help"}, headers=rasa.auth, timeout=60
    )
    assert ran.status_code == 200, ran.text
    assert ran.json()["messages"], ran.json()


def test_the_entry_point_refuses_a_token_on_its_command_line() -> None:
    started = subprocess.run(
        [sys.executable, "-m", "channels.rasa_api", "run", "--enable-api", "--auth-token=x"],
        cwd=PROJECT_ROOT, env={"PARLEY_RASA_TOKEN": "t" * 32, "PATH": ""},
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert started.returncode != 0
    assert "--auth-token is refused" in started.stderr


class _Agent:
    """What `readiness` reads of a Rasa agent, with a tracker store whose database is away."""

    parley_prepared = True

    def __init__(self) -> None:
        self.tracker_store = self
        self.lock_store = object()  # in memory: always there

    def is_ready(self) -> bool:
        return True

    def ping(self) -> None:
        psycopg2.connect("postgresql://parley@127.0.0.1:1/parley", connect_timeout=2)


async def test_rasa_readiness_names_the_dependency_not_the_drivers_words() -> None:
    checks = await readiness(_Agent())
    assert checks == {"model": "ok", "tracker_store": "unavailable", "lock_store": "ok"}
