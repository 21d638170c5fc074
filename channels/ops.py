"""Operations endpoints of a Rasa server: `/health`, `/ready` and `/metrics`.

Registered like any connector (credentials.yml), at the root instead of under
`/webhooks/`. It also prepares every agent the server loads: Rasa's in-memory fallback
is taken off the tracker store (`channels.rasa_stores`) and turns are counted and timed per
channel. A load balancer sends traffic only to servers whose `/ready` says 200.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.metrics import TURN_SECONDS, TURNS, exposition
from channels.model_swap import SwapRefused, load_beside
from channels.rasa_api import refusal
from channels.rasa_stores import unwrap_fail_safe
from channels.turn_profiling import install as install_turn_profile

logger = logging.getLogger(__name__)

# How often a newly loaded agent (PUT /model) is looked for.
PREPARE_EVERY_SECONDS = 0.25
CHECK_TIMEOUT_SECONDS = 3.0
KNOWN_CHANNELS = {"rest", "webchat", "telegram", "cmdline"}

OnMessage = Callable[[UserMessage], Awaitable[Any]]


class OpsInput(InputChannel):
    """Not a conversation channel: the server's health, readiness and metrics, and a
    model swap that does not hold up conversations (`PUT /parley/model`)."""

    def __init__(self, token: str = "") -> None:
        self._token = token

    @classmethod
    def name(cls) -> str:
        return "ops"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> OpsInput:
        import os

        # The Rasa server's own API token (channels/rasa_api.py): only its holder swaps models.
        return cls(os.environ.get("PARLEY_RASA_TOKEN", ""))

    def url_prefix(self) -> str:
        return "/"

    def blueprint(self, on_new_message: OnMessage) -> Blueprint:
        ops = Blueprint("parley_ops", url_prefix="/")

        @ops.route("/health", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @ops.route("/ready", methods=["GET"])
        async def ready(request: Request) -> HTTPResponse:
            checks = await readiness(getattr(request.app.ctx, "agent", None))
            ok = all(value == "ok" for value in checks.values())
            return response.json({"ready": ok, "checks": checks}, status=200 if ok else 503)

        @ops.route("/metrics", methods=["GET"])
        async def metrics(_: Request) -> HTTPResponse:
            body, content_type = exposition()
            return response.raw(body, content_type=content_type)

        @ops.route("/parley/model", methods=["PUT"])
        async def swap_model(request: Request) -> HTTPResponse:
            refused = refusal(request, self._token)
            if refused is not None:
                return refused
            body = request.json if request.content_type == "application/json" else None
            model_file = body.get("model_file") if isinstance(body, dict) else None
            if not isinstance(model_file, str):
                return response.json({"error": 'send {"model_file": "<path>"}'}, status=400)
            app = request.app
            lock = getattr(app.ctx, "parley_swap_lock", None)
            if lock is None:
                lock = app.ctx.parley_swap_lock = asyncio.Lock()
            async with lock:
                try:
                    agent = await load_beside(app.ctx.agent, model_file)
                except SwapRefused as error:
                    return response.json({"error": str(error)}, status=400)
                prepare(agent)
                agent.lock_store = app.ctx.agent.lock_store
                app.ctx.agent = agent
            logger.info("model swapped to %s", model_file)
            return response.json({"model_file": model_file}, status=200)

        @ops.listener("after_server_start")
        async def start_preparing(app: Any, _: Any) -> None:
            app.ctx.parley_preparer = asyncio.create_task(keep_agents_prepared(app))

        @ops.listener("before_server_stop")
        async def stop_preparing(app: Any, _: Any) -> None:
            task = getattr(app.ctx, "parley_preparer", None)
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task

        return ops


async def keep_agents_prepared(app: Any) -> None:
    while True:
        agent = getattr(app.ctx, "agent", None)
        if agent is not None and not getattr(agent, "parley_prepared", False):
            prepare(agent)
        await asyncio.sleep(PREPARE_EVERY_SECONDS)


def prepare(agent: Any) -> None:
    if unwrap_fail_safe(agent):
        logger.info("tracker store: Rasa's in-memory fallback is off")
    agent.handle_message = timed(agent.handle_message)
    if install_turn_profile(agent):
        logger.warning("turn profiling is on (PARLEY_TURN_PROFILE_DIR): for benchmarks only")
    agent.parley_prepared = True


def timed(handle: OnMessage) -> OnMessage:
    async def handle_message(message: UserMessage) -> Any:
        channel = channel_label(message)
        started, outcome = time.perf_counter(), "error"
        try:
            result = await handle(message)
            outcome = "ok"
            return result
        finally:
            TURNS.labels(channel, outcome).inc()
            TURN_SECONDS.labels(channel).observe(time.perf_counter() - started)

    return handle_message


def channel_label(message: UserMessage) -> str:
    """A bounded label: the caller cannot invent channels, and SMS and WhatsApp differ."""
    if message.input_channel == "twilio":
        return "whatsapp" if str(message.sender_id).startswith("whatsapp:") else "sms"
    if message.input_channel == "twilio_voice":
        return "voice"
    return message.input_channel if message.input_channel in KNOWN_CHANNELS else "other"


async def readiness(agent: Any) -> dict[str, str]:
    """Each dependency of a turn, "ok" or why not; never the driver's own words, which
    name hosts, users and databases to whoever asks (they go to the log)."""
    if agent is None or not agent.is_ready():
        return {"model": "not loaded"}
    checks = {"model": "ok"}
    if not getattr(agent, "parley_prepared", False):
        checks["tracker_store"] = "still behind Rasa's in-memory fallback"
    else:
        checks["tracker_store"] = await _check("tracker_store", agent.tracker_store)
    checks["lock_store"] = await _check("lock_store", agent.lock_store)
    return checks


async def _check(name: str, store: Any) -> str:
    ping = getattr(store, "ping", None)
    if ping is None:
        return "ok"  # an in-memory store is there as long as the process is
    try:
        await asyncio.wait_for(asyncio.to_thread(ping), CHECK_TIMEOUT_SECONDS)
    except asyncio.TimeoutError:
        logger.warning("not ready: %s did not answer within %g s", name, CHECK_TIMEOUT_SECONDS)
        return "no answer"
    except Exception as error:  # whatever the driver raises, the store is not usable
        logger.warning("not ready: %s unavailable: %r", name, error)
        return "unavailable"
    return "ok"
