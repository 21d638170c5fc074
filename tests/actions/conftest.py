"""Real rasa-sdk trackers and dispatchers, and a real SQLite profile store."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from rasa_sdk import Tracker

from bot.settings import Settings, load_settings
from bot.store import ProfileStore, upgrade


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return load_settings(
        environ={"PARLEY_DATA_DIR": str(tmp_path), "PARLEY_COMPANY_NAME": "Acme Test Co"},
        dotenv=tmp_path / "none.env",
    )


@pytest.fixture
def store(settings: Settings) -> Iterator[ProfileStore]:
    upgrade(settings.database_url)
    profile_store = ProfileStore.from_url(settings.database_url)
    yield profile_store
    profile_store.dispose()


def make_tracker(
    text: str,
    *,
    intent: str = "inform",
    confidence: float = 0.99,
    slots: dict[str, Any] | None = None,
    entities: list[dict[str, Any]] | None = None,
    sender: str = "visitor-1",
    message_id: str | None = None,
    latest_action: str = "action_listen",
    metadata: dict[str, Any] | None = None,
) -> Tracker:
    latest_message = {
        "text": text,
        "intent": {"name": intent, "confidence": confidence},
        "entities": entities or [],
        "message_id": message_id or uuid.uuid4().hex,
        "metadata": {"parley_channel": "rest", **(metadata or {})},
    }
    events: list[dict[str, Any]] = [
        {"event": "user", "text": text, "parse_data": latest_message, "input_channel": "rest"}
    ]
    if latest_action != "action_listen":
        events.append({"event": "action", "name": latest_action})
    return Tracker(
        sender_id=sender,
        slots={"requested_slot": None, **(slots or {})},
        latest_message=latest_message,
        events=events,
        paused=False,
        followup_action=None,
        active_loop={"name": "lead_form"},
        latest_action_name=latest_action,
    )


def slot_events(events: list[dict[str, Any]]) -> dict[str, Any]:
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


def responses(dispatcher: Any) -> list[str]:
    return [m.get("response") for m in dispatcher.messages]
