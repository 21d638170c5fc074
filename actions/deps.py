"""What actions share: the profile store, settings and where a conversation comes from.

Nothing here does I/O at import time: rasa-sdk imports every module under `actions/`.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Callable, Iterator
from typing import Any, ParamSpec, TypeVar

from rasa_sdk import Tracker

from actions.profiling import timed_store_call
from actions.slots import contact_slot
from bot.errors import StoreUnavailable
from bot.settings import Settings, load_settings
from bot.store import Contact, ProfileStore, make_engine
from bot.types import CHANNELS, Channel

logger = logging.getLogger(__name__)

T = TypeVar("T")
P = ParamSpec("P")

# Rasa's channel names that differ from Parley's.
_RASA_CHANNEL_NAMES: dict[str, Channel] = {"cmdline": "shell", "socketio": "web"}


@functools.lru_cache(maxsize=1)
def default_settings() -> Settings:
    return load_settings()


@functools.lru_cache(maxsize=1)
def default_store() -> ProfileStore:
    # Most turns call the store once or twice: on SQLite, a connection kept open saves
    # each call its PRAGMAs and the WAL checkpoint on close (#21).
    return ProfileStore(make_engine(default_settings().database_url, keep_connections=True))


class StoreBacked:
    """Mixin giving an action a store: injected in tests, built from settings otherwise."""

    def __init__(self, store: ProfileStore | None = None, settings: Settings | None = None):
        self._store = store
        self._settings = settings

    @property
    def store(self) -> ProfileStore:
        return self._store or default_store()

    @property
    def settings(self) -> Settings:
        return self._settings or default_settings()

    async def call_store(self, method: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """Run a blocking store call off the event loop."""
        with timed_store_call(method):
            return await asyncio.to_thread(method, *args, **kwargs)

    async def note_on_timeline(self, tracker: Tracker, kind: str) -> None:
        """Put `kind` on the conversation's contact's timeline, if it has one yet; a store
        that is away only costs the note (it is logged)."""
        contact_id = contact_slot(tracker)
        if not contact_id:
            return
        try:
            await self.call_store(
                self.store.contacts.record_event,
                contact_id,
                kind,
                {"conversation_id": conversation_id(tracker)},
            )
        except StoreUnavailable as error:
            logger.error("could not note %s on the timeline: %s", kind, error)

    async def conversation_contact(self, tracker: Tracker) -> Contact | None:
        """The contact behind this conversation's channel identity, if there is one."""
        return await self.call_store(
            self.store.contacts.for_identity, channel_of(tracker), tracker.sender_id
        )


def _metadata(tracker: Tracker) -> Iterator[dict[str, Any]]:
    """What the channel said about the latest message, then about the session's start."""
    for metadata in (
        tracker.latest_message.get("metadata"),
        tracker.get_slot("session_started_metadata"),
    ):
        if isinstance(metadata, dict):
            yield metadata


def channel_of(tracker: Tracker) -> Channel:
    """Parley's name for the channel the person is talking on."""
    for metadata in _metadata(tracker):
        if metadata.get("parley_channel") in CHANNELS:
            return metadata["parley_channel"]
    name = tracker.get_latest_input_channel() or "rest"
    if name in CHANNELS:
        return name  # type: ignore[return-value]
    return _RASA_CHANNEL_NAMES.get(name, "rest")


def caller_number(tracker: Tracker) -> str | None:
    """The number a phone call or a text conversation comes from (the provider's word)."""
    channel = channel_of(tracker)
    if channel in ("sms", "whatsapp"):
        return tracker.sender_id  # the bare E.164 number (channels/twilio_messaging.py)
    if channel != "voice":
        return None
    for metadata in _metadata(tracker):
        if isinstance(metadata.get("caller"), str):
            return str(metadata["caller"])
    return None


def conversation_id(tracker: Tracker) -> str:
    return tracker.sender_id


def previous_user_text(tracker: Tracker) -> str:
    """What the person said in the message before the latest one ("" if none)."""
    users = [e for e in reversed(tracker.events) if e.get("event") == "user"]
    return str(users[1].get("text") or "") if len(users) > 1 else ""


def session_user_texts(tracker: Tracker) -> list[str]:
    """What the person said in this session, oldest first (button payloads left out)."""
    texts: list[str] = []
    for event in tracker.events:
        if event.get("event") == "session_started":
            texts = []
        elif event.get("event") == "user":
            text = str(event.get("text") or "")
            if text and not text.startswith("/"):
                texts.append(text)
    return texts
