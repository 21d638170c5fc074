"""A real Parley on loopback: trained model, Rasa server and action server.

The model is trained once per fingerprint (bot.model) and reused across test runs; the
stack is started once per test session (the `trained_model` fixture is in tests/conftest.py) with its own SQLite profile store and tracker
store in a temporary directory.
"""

from __future__ import annotations

import json
import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot.commands.scale import Layout, free_port
from bot.commands.serve import start_stack
from bot.runner import Supervisor
from bot.settings import PROJECT_ROOT, Settings, load_settings
from bot.store import ProfileStore, migrate

Messages = list[dict[str, Any]]


def _empty_dir(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path


def stack_settings(data_dir: Path, **overrides: str) -> Settings:
    environ = {
        "PARLEY_DATA_DIR": str(data_dir),
        "PARLEY_RASA_PORT": str(free_port()),
        "PARLEY_ACTIONS_PORT": str(free_port()),
        "PARLEY_WORKER_PORT": str(free_port()),
        "PARLEY_API_PORT": str(free_port()),
        "PARLEY_STUDIO_PORT": str(free_port()),
        # No campaigns unless a test brings its own: follow-ups would add messages
        # that conversation tests do not expect.
        "PARLEY_CAMPAIGNS_DIR": str(_empty_dir(data_dir / "no-campaigns")),
        "PARLEY_COMPANY_NAME": "Acme Test Co",
        "PARLEY_PRIVACY_URL": "https://example.test/privacy",
        **overrides,
    }
    return load_settings(environ=environ, dotenv=data_dir / "no.env")


@dataclass
class Stack:
    settings: Settings
    store: ProfileStore
    supervisor: Supervisor
    layout: Layout | None = None  # where the replicas of a scaled stack listen

    @property
    def webhook(self) -> str:
        return f"{self.settings.rasa_url}/webhooks/rest/webhook"

    def say(self, sender: str, text: str) -> Messages:
        reply = httpx.post(self.webhook, json={"sender": sender, "message": text}, timeout=60)
        assert reply.status_code == 200, reply.text
        messages: Messages = reply.json()
        return messages

    def text(self, sender: str, text: str) -> str:
        """The bot's answer as one lower-cased string, for phrase assertions."""
        return " | ".join(m.get("text", "") for m in self.say(sender, text)).lower()

    def post_raw(self, body: bytes) -> httpx.Response:
        headers = {"Content-Type": "application/json"}
        return httpx.post(self.webhook, content=body, headers=headers, timeout=60)

    def parse(self, text: str) -> dict[str, Any]:
        token = self.settings.rasa_token.value
        url = f"{self.settings.rasa_url}/model/parse?token={token}"
        reply = httpx.post(url, content=json.dumps({"text": text}), timeout=60)
        reply.raise_for_status()
        parsed: dict[str, Any] = reply.json()
        return parsed

    def slots(self, sender: str) -> dict[str, Any]:
        token = self.settings.rasa_token.value
        url = f"{self.settings.rasa_url}/conversations/{sender}/tracker?token={token}"
        slots: dict[str, Any] = httpx.get(url, timeout=30).json()["slots"]
        return slots


def models_beside(root: Path, trained_model: Path) -> Path:
    """A models folder of the test's own, holding the live model: what publishing makes
    lands here, not in the project's models/."""
    models = root / "models"
    models.mkdir()
    shutil.copy2(trained_model, models / trained_model.name)
    return models


def launch(data_dir: Path, trained_model: Path, replicas: int = 1, **overrides: str) -> Stack:
    settings = stack_settings(data_dir, **overrides)
    migrate.upgrade(settings.database_url)
    supervisor = Supervisor(data_dir / "logs", PROJECT_ROOT, say=lambda _: None)
    try:
        layout = start_stack(supervisor, settings, trained_model, replicas)
    except BaseException:
        supervisor.stop()
        raise
    return Stack(settings, ProfileStore.from_url(settings.database_url), supervisor, layout)


@pytest.fixture(scope="session")
def stack(trained_model: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    running = launch(tmp_path_factory.mktemp("stack"), trained_model)
    yield running
    running.supervisor.stop()
    running.store.dispose()


@pytest.fixture
def sender() -> str:
    return f"test-{uuid.uuid4().hex[:12]}"
