"""The action server's side of a turn profile (bot/turn_profile.py), when one is asked for.

With PARLEY_TURN_PROFILE_DIR set, each /webhook call is timed from the request to the
answer, with its body's size (Rasa sends the tracker every time, the domain only to a
few actions: endpoints.yml), and the profile-store calls its action made are added up on
the same line. Unset, nothing is registered and `timed_store_call` costs one
context-variable read.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from sanic import Sanic
from sanic.exceptions import InvalidUsage
from sanic.request import Request
from sanic.response import BaseHTTPResponse

from bot.turn_profile import recorder


@dataclass
class StoreTime:
    """The profile-store calls of one action run."""

    calls: list[str] = field(default_factory=list)
    ms: float = 0.0


_store_time: ContextVar[StoreTime | None] = ContextVar("parley_store_time", default=None)


@contextmanager
def timed_store_call(method: Callable[..., Any]) -> Iterator[None]:
    spent = _store_time.get()
    if spent is None:
        yield
        return
    started = time.perf_counter()
    try:
        yield
    finally:
        spent.ms += (time.perf_counter() - started) * 1000
        spent.calls.append(getattr(method, "__qualname__", "store call"))


def add_profiling(app: Sanic) -> bool:
    """Time /webhook calls if profiling is on; True if it is."""
    stages = recorder("actions")
    if stages is None:
        return False

    async def started(request: Request) -> None:
        if request.path == "/webhook":
            request.ctx.profile_started = (time.time(), time.perf_counter())
            # Set here, read in the handler: Sanic runs both in the request's own task.
            _store_time.set(StoreTime())

    async def answered(request: Request, _: BaseHTTPResponse) -> None:
        begun = getattr(request.ctx, "profile_started", None)
        spent = _store_time.get()
        if begun is None or spent is None:
            return
        at, clock = begun
        ms = (time.perf_counter() - clock) * 1000
        # Counting the tracker's events is not the action's time: after the answer.
        asyncio.get_running_loop().call_soon(record, request, at, ms, spent)

    def record(request: Request, at: float, ms: float, spent: StoreTime) -> None:
        call = _body(request)
        stages.record(
            "action_run",
            str(call.get("sender_id", "")),
            at,
            ms,
            action=call.get("next_action"),
            request_bytes=len(request.body),
            events=len((call.get("tracker") or {}).get("events") or []),
            store_ms=round(spent.ms, 3),
            store_calls=spent.calls,
        )

    app.register_middleware(started, "request")
    app.register_middleware(answered, "response")
    return True


def _body(request: Request) -> dict[str, Any]:
    try:
        call = request.json  # parsed once by rasa-sdk, kept by Sanic
    except InvalidUsage:  # compressed or not JSON: the line keeps its timing only
        return {}
    return call if isinstance(call, dict) else {}
