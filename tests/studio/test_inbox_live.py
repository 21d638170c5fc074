"""The inbox's live updates (#20) against a real studio on loopback: a new handoff and
the person's messages arrive as server-sent events without a reload; resuming after a
dropped connection; only for the roles that work the inbox."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import datetime, timezone
from typing import Any

import httpx

from bot.store import InboxMessage, ProfileStore
from bot.types import ContactId
from studio.inbox_live import Cursor
from tests.studio.studio_server import StudioClient, StudioServer


def handoff(store: ProfileStore, conversation: str) -> str:
    contact = store.leads.update_fields("web", conversation, {"name": "Ada"}, conversation)
    store.leads.request_handoff(contact.id, conversation_id=conversation, channel="web",
                                reason="asked for a person", transcript=[], outbox=[])  # fmt: skip
    return contact.id


def inbox_events(client: StudioClient, count: int, **headers: str) -> list[dict[str, Any]]:
    """The next `count` inbox events of a fresh stream (whatever happens meanwhile)."""
    found: list[dict[str, Any]] = []
    with client.http.stream("GET", "/inbox/events", headers=headers, timeout=20) as stream:
        assert stream.status_code == 200
        assert stream.headers["content-type"].startswith("text/event-stream")
        lines: Iterator[str] = stream.iter_lines()
        for line in lines:
            if line.startswith("data: "):
                found.append(json.loads(line.removeprefix("data: ")))
                if len(found) == count:
                    return found
    return found


def test_new_handoffs_and_messages_arrive_as_events(studio: StudioServer) -> None:
    client = studio.signed_in("sales")
    handoff(studio.store, "web-old")  # before the stream opened: not sent again

    def later() -> None:
        handoff(studio.store, "web-new")
        studio.store.inbox.claim("web-new", next(u for u in studio.store.studio.users()))
        studio.store.inbox.take_person_message("web-new", "are you there?")

    timer = threading.Timer(1.5, later)
    timer.start()
    try:
        events = inbox_events(client, 3)
    finally:
        timer.join()
    assert [(e["conversation_id"], e["kind"]) for e in events] == [
        ("web-new", "handoff"), ("web-new", "joined"), ("web-new", "person")]  # fmt: skip
    assert events[0]["text"] == "asked for a person" and events[2]["text"] == "are you there?"
    assert ("studio:sales@example.com", "studio.inbox_followed") in [
        (e.actor, e.action) for e in studio.store.privacy.audit_entries(50)]  # fmt: skip


def test_a_dropped_stream_resumes_after_the_last_event(studio: StudioServer) -> None:
    client = studio.signed_in("sales")
    handoff(studio.store, "web-1")
    handoff(studio.store, "web-2")
    first, second = studio.store.inbox.changes(0)
    [resumed] = inbox_events(client, 1, **{"Last-Event-ID": str(first.id)})
    assert resumed["id"] == second.id and resumed["conversation_id"] == "web-2"


def test_only_the_inbox_roles_may_follow_it(studio: StudioServer) -> None:
    assert studio.signed_in("marketer").get("/inbox/events").status_code == 403
    anonymous = httpx.get(studio.url + "/inbox/events", follow_redirects=False, timeout=10)
    assert anonymous.status_code == 303


def test_a_change_that_commits_late_is_still_sent_once() -> None:
    """On PostgreSQL an id taken earlier can commit after a later one was sent."""
    cursor = Cursor(start=10)
    assert [c.id for c in cursor.fresh([change(11), change(13)])] == [11, 13]
    assert [c.id for c in cursor.fresh([change(11), change(12), change(13)])] == [12]
    assert cursor.fresh([change(12), change(13)]) == []
    assert cursor.since == 10  # never before where the stream started
    assert [c.id for c in cursor.fresh([change(9), change(14)])] == [14]


def change(message_id: int) -> InboxMessage:
    return InboxMessage(message_id, "web-1", ContactId("c" * 32), "person", None, None, "hi",
                        None, None, datetime(2026, 1, 1, tzinfo=timezone.utc))  # fmt: skip
