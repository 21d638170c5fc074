"""The Rasa server's side of a turn profile (bot/turn_profile.py), when one is asked for.

Rasa 3.6 has no per-stage timing of its own, so `install` wraps, on one agent's own
objects, the calls a turn is made of: the tracker store's read and write, NLU, slot
extraction, each policy prediction, each action run and each request to the action
server. Nothing is wrapped unless PARLEY_TURN_PROFILE_DIR is set, so an ordinary server
runs Rasa's code untouched.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from typing import Any

from bot.turn_profile import StageRecorder, recorder

AsyncCall = Callable[..., Awaitable[Any]]


def install(agent: Any) -> bool:
    """Time this agent's stages if profiling is on; True if it is."""
    stages = recorder("rasa")
    if stages is None or agent.processor is None:
        return False
    processor, store = agent.processor, agent.tracker_store
    agent.handle_message = _timed(stages, "turn", agent.handle_message, _message_sender)
    store.retrieve = _timed(stages, "tracker_read", store.retrieve, _first_argument)
    store.save = _timed(stages, "tracker_save", store.save, _tracker_sender)
    processor.tracker_store = store
    processor.parse_message = _timed(stages, "nlu", processor.parse_message, _message_sender)
    processor.run_action_extract_slots = _timed(
        stages, "extract_slots", processor.run_action_extract_slots, _tracker_argument
    )
    processor._run_action = _timed(stages, "actions", processor._run_action, _tracker_argument)
    processor._predict_next_with_tracker = _timed_policies(
        stages, processor._predict_next_with_tracker
    )
    endpoint = processor.action_endpoint
    if endpoint is not None:
        endpoint.request = _timed_action_call(stages, endpoint.request)
    return True


def _message_sender(*args: Any, **_: Any) -> str:
    return str(args[0].sender_id)


def _first_argument(*args: Any, **_: Any) -> str:
    return str(args[0])


def _tracker_sender(*args: Any, **_: Any) -> str:
    return str(args[0].sender_id)


def _tracker_argument(*args: Any, **kwargs: Any) -> str:
    # (output_channel, tracker) and (action, tracker, ...), positional or by name.
    tracker = kwargs["tracker"] if "tracker" in kwargs else args[1]
    return str(tracker.sender_id)


def _timed(
    stages: StageRecorder, stage: str, call: AsyncCall, sender_of: Callable[..., str]
) -> AsyncCall:
    @functools.wraps(call)
    async def timed(*args: Any, **kwargs: Any) -> Any:
        with stages.timing(stage, sender_of(*args, **kwargs)) as details:
            result = await call(*args, **kwargs)
            if stage == "actions":
                action = kwargs["action"] if "action" in kwargs else args[0]
                details["action"] = action.name()
            if stage in ("tracker_read", "tracker_save"):
                tracker = result if stage == "tracker_read" else args[0]
                details["events"] = len(tracker.events) if tracker is not None else 0
            return result

    return timed


def _timed_policies(stages: StageRecorder, predict: Callable[[Any], Any]) -> Callable[[Any], Any]:
    @functools.wraps(predict)
    def timed(tracker: Any) -> Any:
        with stages.timing("policies", str(tracker.sender_id)) as details:
            prediction = predict(tracker)
            details["policy"] = prediction.policy_name
            return prediction

    return timed


def _timed_action_call(stages: StageRecorder, request: AsyncCall) -> AsyncCall:
    @functools.wraps(request)
    async def timed(*args: Any, **kwargs: Any) -> Any:
        body = kwargs.get("json") or {}
        sender = str(body.get("sender_id", ""))
        with stages.timing("action_call", sender, action=body.get("next_action")):
            return await request(*args, **kwargs)

    return timed
