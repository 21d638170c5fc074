"""The web chat channel: a self-hosted widget and the JSON routes it talks to.

Routes under /webhooks/webchat/:
  GET  /                  a demo page with the widget
  GET  /parley-chat.js    the widget (plain JavaScript, no build step, no CDN)
  GET  /parley-chat.css   its styles
  POST /session           a new session id, signed by the server
  POST /message           {"session": ..., "message": ...} -> {"messages": [...]}
  GET  /history?session=  the conversation so far, for reloads and other tabs

Sessions are issued here, never chosen by the browser: the sender id behind a session is
`web-<128 random bits>`, so a visitor can't pick another person's conversation (an SMS
number, say). The conversation runs through the same path as the REST channel, with the
channel `web`. Browsers on other sites may call these routes only from
PARLEY_WEBCHAT_ORIGINS (Rasa's CORS layer, configured by `parley run`).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.shared.core.events import BotUttered, UserUttered
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.settings import load_settings
from bot.types import Channel
from channels.rest import MAX_MESSAGE_CHARS, BadRequest, ParleyRestInput, load_json

STATIC = Path(__file__).resolve().parent / "static" / "webchat"
_FILES = {
    "parley-chat.js": "application/javascript; charset=utf-8",
    "parley-chat.css": "text/css; charset=utf-8",
    "index.html": "text/html; charset=utf-8",
}
HISTORY_LIMIT = 200


class BadSession(ValueError):
    pass


class SessionSigner:
    """Session ids the server issued: `<id>.<hmac>`; the sender id is `web-<id>`."""

    def __init__(self, secret: str) -> None:
        self._key = hashlib.sha256(b"parley-webchat:" + secret.encode()).digest()

    def issue(self) -> str:
        raw = secrets.token_hex(16)
        return f"{raw}.{self._sign(raw)}"

    def sender_of(self, session: object) -> str:
        if not isinstance(session, str) or session.count(".") != 1:
            raise BadSession("missing or malformed session")
        raw, signature = session.split(".")
        if len(raw) != 32 or any(c not in "0123456789abcdef" for c in raw):
            raise BadSession("malformed session")
        if not hmac.compare_digest(signature, self._sign(raw)):
            raise BadSession("unknown session")
        return f"web-{raw}"

    def _sign(self, raw: str) -> str:
        return hmac.new(self._key, raw.encode(), hashlib.sha256).hexdigest()[:32]


def history_of(events: list[Any], limit: int = HISTORY_LIMIT) -> list[dict[str, Any]]:
    """The person's and the bot's messages, as the widget shows them."""
    shown: list[dict[str, Any]] = []
    for event in events:
        if isinstance(event, UserUttered) and event.text:
            original = (event.metadata or {}).get("original_text")
            shown.append({"from": "person", "text": original or _typed(event)})
        elif isinstance(event, BotUttered) and (event.text or event.data.get("image")):
            message: dict[str, Any] = {"from": "bot", "text": event.text or ""}
            if event.data.get("buttons"):
                message["buttons"] = event.data["buttons"]
            if event.data.get("image"):
                message["image"] = event.data["image"]
            shown.append(message)
    return shown[-limit:]


def _typed(event: UserUttered) -> str:
    # A button sends its payload ("/affirm"); the widget showed the button's title.
    shown = (event.metadata or {}).get("shown_text")
    return str(shown) if shown else str(event.text)


class WebChatInput(ParleyRestInput):
    parley_channel: Channel = "web"

    def __init__(self, action_endpoint_url: str | None, secret: str) -> None:
        super().__init__(action_endpoint_url)
        self._signer = SessionSigner(secret)

    @classmethod
    def name(cls) -> str:
        return "webchat"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> WebChatInput:
        import os

        settings = load_settings()
        return cls(
            os.environ.get("PARLEY_ACTION_ENDPOINT_URL"),
            settings.webchat_secret.value,
        )

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        chat = Blueprint("parley_webchat", __name__)

        @chat.route("/", methods=["GET"])
        async def page(request: Request) -> HTTPResponse:
            return self._static(request, "index.html")

        @chat.route("/<name:str>", methods=["GET"])
        async def asset(request: Request, name: str) -> HTTPResponse:
            if name in ("", "index.html"):
                return self._static(request, "index.html")
            if name not in _FILES:
                return response.json({"error": "not found"}, status=404)
            return self._static(request, name)

        @chat.route("/session", methods=["POST"])
        async def session(request: Request) -> HTTPResponse:
            return self._json(request, {"session": self._signer.issue()})

        @chat.route("/message", methods=["POST"])
        async def message(request: Request) -> HTTPResponse:
            try:
                sender, text, shown = self._read_message(request.body or b"")
            except BadSession as error:
                return self._json(request, {"error": str(error)}, status=403)
            except ValueError as error:
                return self._json(request, {"error": str(error)}, status=400)
            metadata = {"shown_text": shown} if shown else None
            messages = await self.handle(on_new_message, sender, text, metadata)
            return self._json(request, {"messages": messages})

        @chat.route("/history", methods=["GET"])
        async def history(request: Request) -> HTTPResponse:
            try:
                sender = self._signer.sender_of(request.args.get("session"))
            except BadSession as error:
                return self._json(request, {"error": str(error)}, status=403)
            tracker = await request.app.ctx.agent.tracker_store.retrieve(sender)
            events = list(tracker.events) if tracker is not None else []
            return self._json(request, {"messages": history_of(events)})

        return chat

    def _read_message(self, raw: bytes) -> tuple[str, str, str | None]:
        try:
            body = load_json(raw)
        except BadRequest:
            raise ValueError("body must be UTF-8 JSON") from None
        if not isinstance(body, dict):
            raise ValueError("body must be a JSON object")
        sender = self._signer.sender_of(body.get("session"))
        text = body.get("message")
        if not isinstance(text, str):
            raise ValueError("'message' must be a string")
        if len(text) > MAX_MESSAGE_CHARS:
            raise ValueError(f"'message' is longer than {MAX_MESSAGE_CHARS} characters")
        shown = body.get("shown")
        return sender, text, shown if isinstance(shown, str) and len(shown) <= 200 else None

    def _static(self, request: Request, name: str) -> HTTPResponse:
        body = (STATIC / name).read_bytes()
        headers = {"Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff"}
        return response.raw(body, content_type=_FILES[name], headers=headers)

    def _json(self, request: Request, body: dict[str, Any], status: int = 200) -> HTTPResponse:
        # CORS headers come from Rasa's own CORS layer, set to PARLEY_WEBCHAT_ORIGINS by
        # `parley run` (bot/stack.py): adding them here too would send them twice.
        return response.json(body, status=status, headers={"Cache-Control": "no-store"})
