"""The tracker store reads a window of a long conversation, on SQLite and PostgreSQL.

A 60-turn conversation (a form with answers, a rejection and an interruption, fallbacks
that take the message back, a follow-up action, a new session) is saved turn by turn
through StrictSQLTrackerStore, as Rasa does. After every turn the windowed tracker must
be in exactly the state Rasa's own full read rebuilds (slots, the active loop, the latest
message, the follow-up, what policies featurise), while the table only ever grows by the
turn's events and still holds every one of them for export and erasure.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    ActionExecutionRejected,
    ActiveLoop,
    BotUttered,
    Event,
    FollowupAction,
    LoopInterrupted,
    SessionStarted,
    SlotSet,
    UserUtteranceReverted,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy import func, select

from bot.store import conversation_events, erase_conversations, make_engine
from bot.store.trackers import snapshots
from channels.rasa_stores import StrictSQLTrackerStore
from channels.tracker_window import StoredPart, mark_stored, stored_part
from tests.store.rasa_tracker import tracker_rows

ROOT = Path(__file__).resolve().parents[2]
WINDOW_TURNS = 4
SENDER = "rest:long-conversation"
LISTEN = "action_listen"


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(ROOT / "domain.yml")


@pytest.fixture
def tracker_store(tracker_url: str, domain: Domain) -> Iterator[StrictSQLTrackerStore]:
    if tracker_url.startswith("sqlite:///"):
        Path(tracker_url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    store = StrictSQLTrackerStore(domain=domain, host=tracker_url, window_turns=WINDOW_TURNS)
    try:
        yield store
    finally:
        store.engine.dispose()
        store.windows.dispose()


class Clock:
    """Strictly increasing event times, as a running server would give them, after the
    action_listen Rasa starts a new tracker with."""

    def __init__(self) -> None:
        self._start = time.time() + 1
        self._ticks = itertools.count()

    def __call__(self) -> float:
        return self._start + next(self._ticks) * 0.5


def user(clock: Clock, text: str, intent: str) -> UserUttered:
    return UserUttered(
        text,
        {"name": intent, "confidence": 0.9},
        parse_data={"intent": {"name": intent, "confidence": 0.9}, "entities": [], "text": text},
        timestamp=clock(),
        input_channel="rest",
    )


def act(clock: Clock, name: str) -> ActionExecuted:
    return ActionExecuted(name, timestamp=clock())


def say(clock: Clock, response: str) -> BotUttered:
    return BotUttered(response, metadata={"utter_action": response}, timestamp=clock())


def slot(clock: Clock, name: str, value: object) -> SlotSet:
    return SlotSet(name, value, timestamp=clock())


FORM_FIELDS = ("lead_name", "lead_email", "lead_phone", "lead_company", "lead_role")


def turn_events(clock: Clock, n: int) -> list[Event]:
    """The events of turn `n`: a cycle of what Parley's conversations are made of."""
    kind = n % 12
    if n == 37:  # a new session, slots carried over by action_session_start
        return [
            act(clock, "action_session_start"),
            SessionStarted(timestamp=clock()),
            slot(clock, "lead_name", f"Dana {n}"),
            slot(clock, "lead_captured", True),
            act(clock, LISTEN),
        ]
    said = user(clock, f"message {n}", "inform")
    if kind == 0:
        opened = user(clock, "I'd like a demo", "request_demo")
        return [
            opened,
            act(clock, "lead_form"),
            ActiveLoop("lead_form", timestamp=clock()),
            slot(clock, "requested_slot", "lead_name"),
            say(clock, "utter_ask_lead_name"),
            act(clock, LISTEN),
        ]
    if kind in (1, 2, 4, 6):
        field = FORM_FIELDS[min(kind // 2, len(FORM_FIELDS) - 1)]
        asked = FORM_FIELDS[min(kind // 2 + 1, len(FORM_FIELDS) - 1)]
        return [
            said,
            act(clock, "action_extract_slots"),
            slot(clock, field, f"{field} {n}"),
            slot(clock, "field_attempts", float(n % 3)),
            act(clock, "lead_form"),
            slot(clock, "requested_slot", asked),
            say(clock, f"utter_ask_{asked}"),
            act(clock, LISTEN),
        ]
    if kind == 3:  # the form rejects the answer; a question is answered instead
        return [
            user(clock, "how much is it", "ask_pricing"),
            act(clock, "lead_form"),
            ActionExecutionRejected("lead_form", timestamp=clock()),
            act(clock, "action_answer_question"),
            say(clock, "utter_pricing"),
            LoopInterrupted(True, timestamp=clock()),
            act(clock, LISTEN),
        ]
    if kind in (5, 9):  # a fallback takes the message back, and its slot with it
        return [
            user(clock, "blorp", "nlu_fallback"),
            act(clock, "action_extract_slots"),
            slot(clock, "needs_help", True),
            act(clock, "action_fallback"),
            say(clock, "utter_fallback_rephrase"),
            UserUtteranceReverted(timestamp=clock()),
            act(clock, LISTEN),
        ]
    if kind == 7:  # the form ends; routing follows up with a handoff
        return [
            said,
            act(clock, "lead_form"),
            slot(clock, "requested_slot", None),
            ActiveLoop(None, timestamp=clock()),
            act(clock, "action_route_lead"),
            slot(clock, "lead_grade", "A"),
            FollowupAction("action_human_handoff", timestamp=clock()),
            act(clock, "action_human_handoff"),
            slot(clock, "handoff_open", True),
            say(clock, "utter_handoff"),
            act(clock, LISTEN),
        ]
    if kind == 8:  # a slot set back to its initial value is still "set"
        return [
            said,
            act(clock, "action_extract_slots"),
            slot(clock, "handoff_open", None),
            slot(clock, "yes_no_pending", False),
            act(clock, "utter_anything_else"),
            say(clock, "utter_anything_else"),
            act(clock, LISTEN),
        ]
    return [said, act(clock, "utter_answer"), say(clock, "utter_answer"), act(clock, LISTEN)]


def read_part(tracker: DialogueStateTracker) -> StoredPart:
    part = stored_part(tracker)
    assert part is not None
    return part


def state(tracker: DialogueStateTracker) -> dict[str, object]:
    """What Rasa and the action server read of a tracker, besides its events."""
    return {
        **tracker.current_state(),
        "set_slots": sorted(n for n, s in tracker.slots.items() if s.has_been_set),
    }


async def take_turn(store: StrictSQLTrackerStore, events: list[Event]) -> DialogueStateTracker:
    tracker = await store.get_or_create_tracker(SENDER)
    for event in events:
        tracker.update(event)
    await store.save(tracker)
    return tracker


def test_long_conversation_window_matches_the_full_tracker(
    tracker_store: StrictSQLTrackerStore, tracker_url: str, domain: Domain
) -> None:
    clock, everything = Clock(), []

    async def conversation() -> None:
        for n in range(60):
            before = tracker_rows(tracker_url) if n else []
            events = turn_events(clock, n)
            await take_turn(tracker_store, events)
            everything.extend(events)
            after = tracker_rows(tracker_url)
            # Appended: what was stored stays as it was, and only this turn's events follow.
            first_turn_listen = 1 if n == 0 else 0
            assert after[: len(before)] == before
            assert len(after) == len(before) + len(events) + first_turn_listen

            window = await tracker_store.retrieve(SENDER)
            full = await SQLTrackerStore.retrieve(tracker_store, SENDER)
            assert window is not None and full is not None
            assert state(window) == state(full), f"turn {n}"
            assert window.followup_action == full.followup_action
            assert window.past_states(domain)[-6:] == full.past_states(domain)[-6:], f"turn {n}"
            # Windowed once the session has four turns before the latest: at turn 5, and
            # again four turns into the new session.
            windowed = n >= 5 and not 37 <= n < 41
            assert (read_part(window).snapshot_event_id is not None) == windowed, f"turn {n}"
            if windowed:
                assert len(window.events) < 70  # four turns and the state before them

    asyncio.run(conversation())

    stored = conversation_events(tracker_url, [SENDER])[SENDER]
    initial_listen = 1
    assert len(stored) == len(everything) + initial_listen
    assert stored[initial_listen:] == [event.as_dict() for event in everything]


def test_erasure_takes_the_snapshots_too(
    tracker_store: StrictSQLTrackerStore, tracker_url: str
) -> None:
    clock = Clock()

    async def conversation() -> None:
        for n in range(12):
            await take_turn(tracker_store, turn_events(clock, n))

    asyncio.run(conversation())
    assert snapshot_count(tracker_url) > 0
    assert erase_conversations(tracker_url, [SENDER]) > 0
    assert snapshot_count(tracker_url) == 0
    assert asyncio.run(tracker_store.retrieve(SENDER)) is None


def test_a_write_repeated_after_an_unacknowledged_commit_lands_once(
    tracker_store: StrictSQLTrackerStore, tracker_url: str
) -> None:
    clock = Clock()
    asyncio.run(take_turn(tracker_store, turn_events(clock, 10)))
    tracker = asyncio.run(tracker_store.retrieve(SENDER))
    assert tracker is not None
    stored, part = tracker_rows(tracker_url), stored_part(tracker)
    assert part is not None
    for event in turn_events(clock, 11):
        tracker.update(event)
    retried = tracker.copy()
    mark_stored(retried, part)
    asyncio.run(tracker_store.save(tracker))
    asyncio.run(tracker_store.save(retried))
    assert len(tracker_rows(tracker_url)) == len(stored) + 4


def test_a_turn_another_server_stored_meanwhile_loses_neither_turn(
    tracker_store: StrictSQLTrackerStore, tracker_url: str
) -> None:
    """Two servers holding the same window each append their own turn: both land. (The
    retry check counted the rows after the window and skipped as many of the second
    server's events, and its message was lost.)"""
    clock = Clock()
    asyncio.run(take_turn(tracker_store, turn_events(clock, 10)))
    first = asyncio.run(tracker_store.retrieve(SENDER))
    second = asyncio.run(tracker_store.retrieve(SENDER))
    assert first is not None and second is not None
    stored = tracker_rows(tracker_url)
    mine, theirs = turn_events(clock, 11), turn_events(clock, 12)
    for event in mine:
        first.update(event)
    for event in theirs:
        second.update(event)
    asyncio.run(tracker_store.save(first))
    asyncio.run(tracker_store.save(second))
    rows = tracker_rows(tracker_url)
    assert len(rows) == len(stored) + len(mine) + len(theirs)
    kept = {json.loads(data)["timestamp"] for _, data in rows}
    assert {event.timestamp for event in [*mine, *theirs]} <= kept


def snapshot_count(url: str) -> int:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(snapshots)).scalar_one())
    finally:
        engine.dispose()
