"""A real Parley on loopback: trained model, Rasa server and action server.

The model is trained once per fingerprint (bot.rasa_model) and reused across test runs; the
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

from bot.runner import Supervisor, free_port
from bot.settings import PROJECT_ROOT, Settings, load_settings
from bot.stack import rasa_auth
from bot.store import ProfileStore, migrate
from channels.rest import rest_conversation_id
from cli.commands.scale import Layout
from cli.commands.serve import start_stack
from tests.databases import shared_secrets

Messages = list[dict[str, Any]]


def rest_id(sender: str) -> str:
    """The conversation id (Rasa sender id, store external id) of a REST test's sender."""
    return rest_conversation_id(sender)


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
        **shared_secrets(overrides.get("DATABASE_URL", "")),
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

    def rest_headers(self) -> dict[str, str]:
        """What a REST caller sends: the bearer token, when the stack has one."""
        token = self.settings.chat.rest_token
        return {"Authorization": f"Bearer {token.value}"} if token is not None else {}

    def say(self, sender: str, text: str) -> Messages:
        body = {"sender": sender, "message": text}
        reply = httpx.post(self.webhook, json=body, headers=self.rest_headers(), timeout=60)
        assert reply.status_code == 200, reply.text
        messages: Messages = reply.json()
        return messages

    def text(self, sender: str, text: str) -> str:
        """The bot's answer as one lower-cased string, for phrase assertions."""
        return " | ".join(m.get("text", "") for m in self.say(sender, text)).lower()

    def post_raw(self, body: bytes) -> httpx.Response:
        headers = {"Content-Type": "application/json", **self.rest_headers()}
        return httpx.post(self.webhook, content=body, headers=headers, timeout=60)

    @property
    def api_headers(self) -> dict[str, str]:
        """What opens Rasa's HTTP API: its token as a bearer header, never in the URL."""
        return rasa_auth(self.settings)

    def parse(self, text: str) -> dict[str, Any]:
        url = f"{self.settings.rasa_url}/model/parse"
        body = json.dumps({"text": text})
        reply = httpx.post(url, content=body, headers=self.api_headers, timeout=60)
        reply.raise_for_status()
        parsed: dict[str, Any] = reply.json()
        return parsed

    def slots(self, sender: str) -> dict[str, Any]:
        """The slots of a REST test sender's conversation."""
        return self.tracker_slots(rest_id(sender))

    def tracker_slots(self, conversation_id: str) -> dict[str, Any]:
        slots: dict[str, Any] = self.tracker(conversation_id)["slots"]
        return slots

    def tracker(self, conversation_id: str) -> dict[str, Any]:
        """Rasa's tracker of a conversation (for a REST sender, of `rest_id(sender)`)."""
        url = f"{self.settings.rasa_url}/conversations/{conversation_id}/tracker"
        reply = httpx.get(url, headers=self.api_headers, timeout=30)
        reply.raise_for_status()
        tracker: dict[str, Any] = reply.json()
        return tracker


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
