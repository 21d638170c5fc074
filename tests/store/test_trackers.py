from __future__ import annotations

import pytest

from bot.errors import StoreUnavailable
from bot.store import conversation_events, conversations_idle_since, erase_conversations
from tests.store.conftest import NOW, at
from tests.store.rasa_tracker import add_tracker_events, tracker_rows, user_event

DOWN_URL = "postgresql://postgres@127.0.0.1:1/test"


def conversations(tracker_url: str) -> None:
    """s1 last heard at NOW+10s, s2 at NOW+30s, s3 at NOW+20s."""
    add_tracker_events(
        tracker_url,
        [
            user_event("s1", at(0).timestamp(), "hello"),
            user_event("s2", at(5).timestamp(), "hi"),
            user_event("s1", at(10).timestamp(), "my email is a@b.co"),
            user_event("s3", at(20).timestamp(), "bonjour"),
            user_event("s2", at(30).timestamp(), "bye"),
        ],
    )


def test_erase_conversations_deletes_only_those_sender_ids(tracker_url: str) -> None:
    conversations(tracker_url)
    assert erase_conversations(tracker_url, ["s1", "s3", "s1", "unknown"]) == 3
    assert [sender_id for sender_id, _ in tracker_rows(tracker_url)] == ["s2", "s2"]
    assert erase_conversations(tracker_url, ["s1"]) == 0


def test_erase_conversations_without_events_table_erases_nothing(tracker_url: str) -> None:
    assert erase_conversations(tracker_url, ["s1"]) == 0
    assert erase_conversations(tracker_url, []) == 0


def test_conversations_idle_since_compares_the_newest_event(tracker_url: str) -> None:
    conversations(tracker_url)
    assert conversations_idle_since(tracker_url, at(25)) == ["s1", "s3"]
    assert conversations_idle_since(tracker_url, at(20)) == ["s1"]
    assert conversations_idle_since(tracker_url, NOW) == []


def test_conversations_idle_since_without_events_table_finds_none(tracker_url: str) -> None:
    assert conversations_idle_since(tracker_url, at(25)) == []


def test_conversation_events_returns_rasa_event_data_in_order(tracker_url: str) -> None:
    conversations(tracker_url)
    found = conversation_events(tracker_url, ["s1", "nobody"])
    assert found == {
        "s1": [
            {"event": "user", "timestamp": at(0).timestamp(), "text": "hello"},
            {"event": "user", "timestamp": at(10).timestamp(), "text": "my email is a@b.co"},
        ],
        "nobody": [],
    }


def test_tracker_database_down_raises_store_unavailable() -> None:
    with pytest.raises(StoreUnavailable):
        erase_conversations(DOWN_URL, ["s1"])
    with pytest.raises(StoreUnavailable):
        conversations_idle_since(DOWN_URL, NOW)
