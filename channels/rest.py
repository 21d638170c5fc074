"""Parley's REST channel: Rasa's REST contract, hardened against bad input and outages.

`POST /webhooks/rest/webhook` with `{"sender": "...", "message": "..."}` answers with a
JSON list of bot messages, exactly like Rasa's own `rest` channel, but:
  * it is for development and server-to-server use: with PARLEY_REST_TOKEN set every
    call needs `Authorization: Bearer <token>` (401 otherwise); without one it answers
    only in development mode (PARLEY_ENV, loopback only) and only local callers (403);
  * the caller's sender id names a conversation of this channel only: Rasa sees it as
    `rest:<sender>`, so no REST caller can reach an SMS number's or a chat's conversation;
  * caller metadata is dropped except the keys in ALLOWED_METADATA (plain strings), so
    nobody can pass off their own `original_text` as a consent's evidence;
  * callers are rate-limited per client address and per conversation (429, Retry-After);
  * a body that is not UTF-8 JSON, or lacks a string sender/message, is a 400;
  * empty and oversized messages get a polite reply instead of a trip through NLU;
  * the input channel is always `rest` (Rasa's lets the caller claim any channel);
  * when the action server is down or the turn fails, the person gets an apology
    instead of silence, and what they said earlier stays in the stores.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import os
import time
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.settings import ChatSettings, IPNetwork, load_settings
from bot.types import Channel
from channels.collecting import collector_for
from channels.keywords import apply_keywords
from channels.messages import APOLOGY, EMPTY_MESSAGE, TOO_LONG, bot_text
from channels.rate_limits import ChatLimits, is_loopback

logger = logging.getLogger(__name__)

MAX_MESSAGE_CHARS = 4000
MAX_SENDER_CHARS = 256
HEALTH_CACHE_SECONDS = 2.0
REST_NAMESPACE = "rest:"
# What a caller may tell the conversation about itself; everything else it sends as
# metadata is dropped (the channel's own keys, `original_text` and `shown_text` above all).
ALLOWED_METADATA = frozenset(
    {"locale", "page_url", "referrer", "utm_source", "utm_medium", "utm_campaign",
     "utm_term", "utm_content"}
)  # fmt: skip
MAX_METADATA_CHARS = 500
WRONG_TOKEN = "missing or wrong token: send 'Authorization: Bearer <PARLEY_REST_TOKEN>'"
REST_OFF = (
    "the REST channel is off: it answers only with PARLEY_REST_TOKEN set (send it as "
    "'Authorization: Bearer <token>'), or local callers in development mode (PARLEY_ENV)"
)


def rest_conversation_id(sender: str) -> str:
    """The conversation (Rasa sender id) behind a REST caller's sender."""
    return REST_NAMESPACE + sender


def allowed_metadata(metadata: dict[str, Any] | None) -> dict[str, Any]:
    return {
        key: value
        for key, value in (metadata or {}).items()
        if key in ALLOWED_METADATA and isinstance(value, str) and len(value) <= MAX_METADATA_CHARS
    }


class BadRequest(ValueError):
    """The request body does not follow the REST channel's contract."""


def load_json(raw: bytes) -> Any:
    """The body as JSON, or BadRequest: what a stranger sends must never become a 500."""
    try:
        return json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as error:
        raise BadRequest("body is not valid UTF-8") from error
    except json.JSONDecodeError as error:
        raise BadRequest(f"body is not JSON: {error.msg}") from error
    except ValueError as error:
        # An integer of more than 4300 digits is valid JSON that Python refuses.
        raise BadRequest(f"body is not usable JSON: {error}") from error
    except RecursionError as error:
        # `[[[[...` a few thousand deep exhausts the decoder's recursion limit.
        raise BadRequest("body is nested too deeply") from error


def parse_body(raw: bytes) -> tuple[str, str, dict[str, Any] | None]:
    """Return (sender, message, metadata) or raise BadRequest naming the problem."""
    body = load_json(raw)
    if not isinstance(body, dict):
        raise BadRequest("body must be a JSON object")
    sender, message, metadata = body.get("sender"), body.get("message"), body.get("metadata")
    if not isinstance(sender, str) or not sender.strip() or len(sender) > MAX_SENDER_CHARS:
        raise BadRequest(f"'sender' must be a non-empty string of at most {MAX_SENDER_CHARS}")
    if not isinstance(message, str):
        raise BadRequest("'message' must be a string")
    if metadata is not None and not isinstance(metadata, dict):
        raise BadRequest("'metadata' must be an object")
    return sender.strip(), message, metadata


class ActionServerProbe:
    """Asks the action server's /health, remembering a good answer for a moment."""

    def __init__(self, health_url: str | None) -> None:
        self._url = health_url
        self._healthy_until = 0.0

    async def is_up(self) -> bool:
        if self._url is None or time.monotonic() < self._healthy_until:
            return True
        try:
            timeout = aiohttp.ClientTimeout(total=2)
            async with (
                aiohttp.ClientSession(timeout=timeout) as session,
                session.get(self._url) as reply,
            ):
                healthy = reply.status == 200
        except aiohttp.ClientError:
            healthy = False  # refused or broken: the action server is not there
        # On Python 3.10 aiohttp's timeout is asyncio.TimeoutError, not the builtin. A slow
        # answer under load is usually this server's own busy event loop, not a dead
        # action server: let the turn run (a real failure still ends in the apology).
        except asyncio.TimeoutError:
            logger.warning("action server health check was slow; going ahead with the turn")
            return True
        if healthy:
            self._healthy_until = time.monotonic() + HEALTH_CACHE_SECONDS
        return healthy


def _health_url(action_webhook_url: str | None) -> str | None:
    if not action_webhook_url:
        return None
    return action_webhook_url.rsplit("/webhook", 1)[0] + "/health"


class RestAccess:
    """Who may call the REST channel: token holders, or local callers in development."""

    def __init__(self, chat: ChatSettings, limits: ChatLimits) -> None:
        self._token = chat.rest_token.value.encode() if chat.rest_token else None
        self._development = chat.environment == "development"
        self._limits = limits

    def refusal(self, request: Request) -> HTTPResponse | None:
        if self._token is not None:
            scheme, _, given = request.headers.get("authorization", "").partition(" ")
            if scheme.lower() == "bearer" and hmac.compare_digest(
                given.strip().encode(), self._token
            ):
                return None
            return response.json(
                {"error": WRONG_TOKEN},
                status=401,
                headers={"WWW-Authenticate": 'Bearer realm="parley-rest"'},
            )
        if self._development and self._is_local(request):
            return None
        return response.json({"error": REST_OFF}, status=403)

    def _is_local(self, request: Request) -> bool:
        # In development, a proxy in front of Parley would make the world look local.
        forwarded = request.headers.get("x-forwarded-for") or request.headers.get("forwarded")
        return is_loopback(self._limits.client_of(request)) and not forwarded


class ParleyRestInput(InputChannel):
    """Drop-in replacement for Rasa's `rest` channel (same URL and JSON)."""

    # What the actions see as the channel (metadata `parley_channel`).
    parley_channel: Channel = "rest"

    def __init__(
        self,
        action_endpoint_url: str | None,
        chat: ChatSettings,
        trusted_proxies: tuple[IPNetwork, ...] = (),
    ) -> None:
        self._probe = ActionServerProbe(_health_url(action_endpoint_url))
        self._chat = chat
        self.limits = ChatLimits(chat, trusted_proxies)

    @classmethod
    def name(cls) -> str:
        return "rest"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> ParleyRestInput:
        settings = load_settings()
        # Read once at start-up; `parley run` exports it beside endpoints.yml.
        return cls(
            os.environ.get("PARLEY_ACTION_ENDPOINT_URL"),
            settings.chat,
            settings.studio.trusted_proxies,
        )

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = Blueprint("parley_rest_webhook", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        access = RestAccess(self._chat, self.limits)

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            refused = self.limits.check_address(request) or access.refusal(request)
            if refused is not None:
                return refused
            try:
                sender, text, metadata = parse_body(request.body or b"")
            except BadRequest as error:
                return response.json({"error": str(error)}, status=400)
            conversation = rest_conversation_id(sender)
            throttled = self.limits.check_conversation(conversation)
            if throttled is not None:
                return throttled
            messages = await self.handle(
                on_new_message, conversation, text, allowed_metadata(metadata)
            )
            # The caller knows its conversation by the sender it chose.
            return response.json([{**m, "recipient_id": sender} for m in messages])

        return webhook

    async def handle(
        self,
        on_new_message: Callable[[UserMessage], Awaitable[Any]],
        sender: str,
        text: str,
        metadata: dict[str, Any] | None,
    ) -> list[dict[str, Any]]:
        if not text.strip():
            return [bot_text(sender, EMPTY_MESSAGE)]
        if len(text) > MAX_MESSAGE_CHARS:
            return [bot_text(sender, TOO_LONG.format(limit=MAX_MESSAGE_CHARS))]
        if not await self._probe.is_up():
            logger.error("action server unreachable; apologising to %s", sender)
            return [bot_text(sender, APOLOGY)]
        collector = collector_for(self.name())
        text, metadata = apply_keywords(text, metadata, self.parley_channel)
        message = UserMessage(text, collector, sender, input_channel=self.name(), metadata=metadata)
        try:
            await on_new_message(message)
        except Exception:
            # Whatever broke (tracker store down, model error), the person must not be
            # left in silence; the traceback goes to the log for the operator.
            logger.exception("turn failed for sender %s", sender)
            return [*collector.messages, bot_text(sender, APOLOGY)]
        return collector.messages or [bot_text(sender, APOLOGY)]
