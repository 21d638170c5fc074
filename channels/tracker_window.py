"""Rasa trackers to and from a conversation window (bot/store/conversation_window.py).

A windowed tracker holds a few events that restore the state at the window's start,
then the window's own events:

    SlotSet for each slot that had been set, ActiveLoop (and ActionExecutionRejected)
    for the active loop, ActionExecuted(action_listen) (the turn before ended there),
    LoopInterrupted and ConversationPaused if they applied; then the stored events.

They are events, not attributes set afterwards, because Rasa rebuilds a tracker from
its events whenever a fallback takes a message back (UserUtteranceReverted): the state
must survive that replay. They are never written back: the store appends only what a
turn adds after the events it read.

What the window changes: policies and actions see the last turns, not the whole
session. Rasa's policies look back at most a few turns (MemoizationPolicy max_history
4, TEDPolicy 5, rules of at most 5 steps, no conversation_start rule), and slots and the
active loop carry the rest.
"""

from __future__ import annotations

import dataclasses
import functools
import json
from dataclasses import dataclass
from typing import Any

from rasa.shared.core.events import ActionExecuted, Event
from rasa.shared.core.trackers import DialogueStateTracker, TrackerActiveLoop
from rasa.shared.nlu.constants import INTENT_NAME_KEY
from rasa.shared.utils.common import all_subclasses

from bot.store import NewEvent, StoredWindow

LISTEN = "action_listen"
# Where a tracker read from the window says how much of it is already stored.
_MARK = "_parley_stored"


@dataclass(frozen=True)
class StoredPart:
    """The first `events` of a tracker are stored (or restore the window's start state),
    up to the events row `last_event_id`; `snapshot_event_id` is the snapshot it used."""

    events: int
    last_event_id: int
    snapshot_event_id: int | None


def stored_part(tracker: DialogueStateTracker) -> StoredPart | None:
    """None for a tracker this store did not read (Rasa's new trackers)."""
    part = getattr(tracker, _MARK, None)
    return part if isinstance(part, StoredPart) else None


def mark_stored(tracker: DialogueStateTracker, part: StoredPart) -> None:
    setattr(tracker, _MARK, part)


def tracker_from(window: StoredWindow, sender_id: str, slots: Any) -> DialogueStateTracker:
    """The tracker the window stands for, marked with what of it is stored."""
    state = window.snapshot
    restoring = state_events(state) if state is not None else []
    events = deserialise_events(restoring + window.events)
    tracker = DialogueStateTracker.from_events(sender_id, events, slots)
    if state is not None:
        _restore_trigger_message(tracker, state, window.events)
    part = StoredPart(len(tracker.events), window.last_event_id, window.snapshot_event_id)
    mark_stored(tracker, part)
    return tracker


def deserialise_events(stored: list[dict[str, Any]]) -> list[Event]:
    """Rasa's `deserialise_events`, without its search of every Event subclass for each
    event: that search was most of a tracker read (0.1 ms an event, #21)."""
    events = []
    for data in stored:
        name = data.get("event")
        known = _event_classes().get(name) if isinstance(name, str) else None
        # Anything unusual (no type, an old "topic", a class defined since) goes Rasa's way.
        event = known._from_parameters(data) if known else Event.from_parameters(data)
        if event is not None:
            events.append(event)
    return events


@functools.cache
def _event_classes() -> dict[str, type[Event]]:
    classes: dict[str, type[Event]] = {}
    for cls in all_subclasses(Event):
        classes.setdefault(cls.type_name, cls)  # the first one, as Rasa's search finds
    return classes


def ends_turn(tracker: DialogueStateTracker) -> bool:
    """Whether the tracker rests where a turn ends: Rasa is listening again."""
    last = tracker.events[-1] if tracker.events else None
    return isinstance(last, ActionExecuted) and last.action_name == LISTEN


def snapshot_of(tracker: DialogueStateTracker) -> dict[str, Any]:
    """What `state_events` needs to bring a tracker back to this one's state."""
    loop = tracker.active_loop
    return {
        "timestamp": tracker.events[-1].timestamp,
        # A slot set to its initial value is featurised unlike one never set.
        "slots": {name: slot.value for name, slot in tracker.slots.items() if slot.has_been_set},
        "active_loop": dataclasses.asdict(loop) if loop is not None and loop.name else None,
        "paused": tracker.is_paused(),
    }


def state_events(state: dict[str, Any]) -> list[dict[str, Any]]:
    """Events (as Rasa stores them) that restore `state`, stamped with its time."""
    at = state["timestamp"]
    events: list[dict[str, Any]] = [
        {"event": "slot", "timestamp": at, "name": name, "value": value}
        for name, value in state["slots"].items()
    ]
    loop = state["active_loop"]
    if loop:
        events.append({"event": "active_loop", "timestamp": at, "name": loop["name"]})
        if loop["rejected"]:
            rejected = {"event": "action_execution_rejected", "name": loop["name"]}
            events.append({**rejected, "timestamp": at})
    events.append({"event": "action", "timestamp": at, "name": LISTEN})
    if loop and loop["is_interrupted"]:
        events.append({"event": "loop_interrupted", "timestamp": at, "is_interrupted": True})
    if state["paused"]:
        events.append({"event": "pause", "timestamp": at})
    return events


def _restore_trigger_message(
    tracker: DialogueStateTracker, state: dict[str, Any], window: list[dict[str, Any]]
) -> None:
    # ActiveLoop takes the latest message as the loop's trigger; replayed without the
    # message that opened the loop, it would take none. Nothing in Rasa reads it back, but
    # the action server is sent it.
    loop: TrackerActiveLoop | None = tracker.active_loop
    restored = state["active_loop"]
    reopened = any(event.get("event") == "active_loop" for event in window)
    if loop is not None and restored and loop.name == restored["name"] and not reopened:
        loop.trigger_message = restored["trigger_message"]


def new_event_row(event: Event) -> NewEvent:
    """An event as Rasa's SQLTrackerStore.save writes it."""
    data = event.as_dict()
    intent = (data.get("parse_data") or {}).get("intent", {}).get(INTENT_NAME_KEY)
    return NewEvent(
        type_name=event.type_name,
        timestamp=data.get("timestamp"),
        intent_name=intent,
        action_name=data.get("name"),
        data=json.dumps(data),
    )
