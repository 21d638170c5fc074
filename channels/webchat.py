"""The web chat channel: a self-hosted widget and the JSON routes it talks to.

Routes under /webhooks/webchat/:
  GET  /                  a demo page with the widget
  GET  /parley-chat.js    the widget (plain JavaScript, no build step, no CDN)
  GET  /parley-chat.css   its styles
  POST /session           a new session id, signed by the server; with
                          {"identity": <token>} (and optionally the "session" so far) an
                          identity the embedding site signed: that email counts as verified
  POST /message           {"session": ..., "message": ...} -> {"messages": [...]}
  GET  /history?session=  the conversation so far, for reloads and other tabs, with what
                          a person from the team wrote in it and a `cursor` for /updates
  GET  /updates?session=&after=  what a person from the team wrote since the cursor
                          (replies, "X joined / left the conversation"), polled by the
                          widget; while a person holds the conversation /message keeps
                          what the visitor writes for them instead of the bot (#20)

Sessions are issued here, never chosen by the browser: the sender id behind a session is
`web-<128 random bits>`, so a visitor can't pick another person's conversation (an SMS
number, say). The conversation runs through the same path as the REST channel, with the
channel `web`. Browsers on other sites may call these routes only from
PARLEY_WEBCHAT_ORIGINS (Rasa's CORS layer, configured by `parley run`). Every route is
rate-limited per client address, and messages per conversation too (429, Retry-After).

A site that knows who its visitor is (they signed in there) vouches for them with an
HS256 JWT signed with PARLEY_WEBCHAT_IDENTITY_SECRET: `sub` (its user id), `email` and
`exp` (at most a day ahead). A valid one marks the email verified for the conversation
(merging the profile that already holds it); anything else is a 401 and stores nothing.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
import os
import secrets
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jwt
from rasa.core.channels.channel import UserMessage
from rasa.shared.core.events import BotUttered, UserUttered
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.errors import ConversationNotInInbox, StoreUnavailable
from bot.leads import normalize_email
from bot.settings import ChatSettings, IPNetwork, load_settings
from bot.store import InboxEntry, InboxMessage, ProfileStore
from bot.types import Channel
from channels.held import agent_of, kept_for_person
from channels.rest import MAX_MESSAGE_CHARS, BadRequest, ParleyRestInput, load_json

logger = logging.getLogger(__name__)

STATIC = Path(__file__).resolve().parent / "static" / "webchat"
_FILES = {
    "parley-chat.js": "application/javascript; charset=utf-8",
    "parley-chat.css": "text/css; charset=utf-8",
    "index.html": "text/html; charset=utf-8",
}
HISTORY_LIMIT = 200
# How soon the widget looks for the team's replies again (#20): while a conversation
# waits for or has a person, and otherwise (it also looks right after each message).
ACTIVE_POLL_MS = 2000
IDLE_POLL_MS = 20000
MAX_IDENTITY_LIFETIME_S = 24 * 3600
MAX_IDENTITY_CHARS = 4096
MAX_USER_ID_CHARS = 256


class BadSession(ValueError):
    pass


class BadIdentity(ValueError):
    """A site identity that is forged, expired, or not one at all: a 401."""


@dataclass(frozen=True)
class SiteIdentity:
    user_id: str
    email: str


def read_identity(token: object, secret: str, now: float | None = None) -> SiteIdentity:
    """The visitor the embedding site vouches for, or BadIdentity saying why not."""
    if not isinstance(token, str) or not token or len(token) > MAX_IDENTITY_CHARS:
        raise BadIdentity("'identity' must be the token your server signed (a JWT string)")
    try:
        claims = jwt.decode(
            token, secret, algorithms=["HS256"], options={"require": ["exp", "sub", "email"]}
        )
    except jwt.ExpiredSignatureError:
        raise BadIdentity("the identity has expired: sign a new one for the page") from None
    except jwt.InvalidTokenError as error:
        raise BadIdentity(f"the identity is not valid: {error}") from None
    if claims["exp"] > (time.time() if now is None else now) + MAX_IDENTITY_LIFETIME_S:
        raise BadIdentity("the identity must expire within 24 hours")
    user_id, email = claims["sub"], claims["email"]
    if not isinstance(user_id, str) or not 0 < len(user_id) <= MAX_USER_ID_CHARS:
        raise BadIdentity(f"'sub' must be the user id, 1 to {MAX_USER_ID_CHARS} characters")
    try:
        return SiteIdentity(user_id, normalize_email(email if isinstance(email, str) else ""))
    except ValueError:
        raise BadIdentity("the identity's 'email' is not an email address") from None


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


def history_of(
    events: list[Any], team: Sequence[InboxMessage] = (), limit: int = HISTORY_LIMIT
) -> list[dict[str, Any]]:
    """The person's and the bot's messages, and what was said while a person from the
    team held the conversation, in order, as the widget shows them."""
    shown: list[tuple[float, dict[str, Any]]] = []
    for event in events:
        if isinstance(event, UserUttered) and event.text:
            original = (event.metadata or {}).get("original_text")
            shown.append((event.timestamp, {"from": "person", "text": original or _typed(event)}))
        elif isinstance(event, BotUttered) and (event.text or event.data.get("image")):
            message: dict[str, Any] = {"from": "bot", "text": event.text or ""}
            if event.data.get("buttons"):
                message["buttons"] = event.data["buttons"]
            if event.data.get("image"):
                message["image"] = event.data["image"]
            shown.append((event.timestamp, message))
    shown.extend((m.created_at.timestamp(), team_message(m)) for m in team)
    return [message for _, message in sorted(shown, key=lambda pair: pair[0])][-limit:]


def team_message(message: InboxMessage) -> dict[str, Any]:
    """A message of the inbox as the widget shows it: the visitor's own, a named
    person's reply, or an event ("Ben joined the conversation")."""
    if message.kind == "person":
        return {"from": "person", "text": message.body}
    if message.kind == "agent":
        return {"from": "agent", "name": message.author or "", "text": message.body}
    return {"from": "event", "text": message.body}


def _cursor(raw: str) -> int:
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 12:
        raise ValueError("'after' must be the cursor the chat was given")
    return int(raw)


def _typed(event: UserUttered) -> str:
    # A button sends its payload ("/affirm"); the widget showed the button's title.
    shown = (event.metadata or {}).get("shown_text")
    return str(shown) if shown else str(event.text)


class WebChatInput(ParleyRestInput):
    parley_channel: Channel = "web"

    def __init__(
        self,
        action_endpoint_url: str | None,
        chat: ChatSettings,
        secret: str,
        store: ProfileStore,
        trusted_proxies: tuple[IPNetwork, ...] = (),
    ) -> None:
        super().__init__(action_endpoint_url, chat, trusted_proxies)
        self._signer = SessionSigner(secret)
        self._identity_secret = chat.identity_secret.value if chat.identity_secret else None
        self._store = store

    @classmethod
    def name(cls) -> str:
        return "webchat"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> WebChatInput:
        settings = load_settings()
        return cls(
            os.environ.get("PARLEY_ACTION_ENDPOINT_URL"),
            settings.chat,
            settings.webchat_secret.value,
            ProfileStore.from_url(settings.database_url),
            settings.studio.trusted_proxies,
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
            refused = self.limits.check_address(request)
            if refused is not None:
                return refused
            try:
                return await self._start(request)
            except BadSession as error:
                return self._json(request, {"error": str(error)}, status=403)
            except BadIdentity as error:
                return self._json(request, {"error": str(error)}, status=401)
            except ValueError as error:
                return self._json(request, {"error": str(error)}, status=400)

        @chat.route("/message", methods=["POST"])
        async def message(request: Request) -> HTTPResponse:
            refused = self.limits.check_address(request)
            if refused is not None:
                return refused
            try:
                sender, text, shown = self._read_message(request.body or b"")
            except BadSession as error:
                return self._json(request, {"error": str(error)}, status=403)
            except ValueError as error:
                return self._json(request, {"error": str(error)}, status=400)
            throttled = self.limits.check_conversation(sender)
            if throttled is not None:
                return throttled
            agent = agent_of(request.app)
            if await kept_for_person(self._store, agent, sender, text, "web", shown or ""):
                return self._json(request, {"messages": [], "held": True})
            metadata = {"shown_text": shown} if shown else None
            messages = await self.handle(on_new_message, sender, text, metadata)
            return self._json(request, {"messages": messages})

        @chat.route("/history", methods=["GET"])
        async def history(request: Request) -> HTTPResponse:
            refused = self.limits.check_address(request)
            if refused is not None:
                return refused
            try:
                sender = self._signer.sender_of(request.args.get("session"))
            except BadSession as error:
                return self._json(request, {"error": str(error)}, status=403)
            tracker = await request.app.ctx.agent.tracker_store.retrieve(sender)
            events = list(tracker.events) if tracker is not None else []
            try:
                team = await asyncio.to_thread(self._store.inbox.messages, sender, 0, True)
            except StoreUnavailable as error:
                logger.error("history without the team's messages: %s", error)
                team = []
            cursor = max((m.id for m in team if m.kind != "person"), default=0)
            return self._json(request, {"messages": history_of(events, team), "cursor": cursor})

        @chat.route("/updates", methods=["GET"])
        async def updates(request: Request) -> HTTPResponse:
            refused = self.limits.check_address(request)
            if refused is not None:
                return refused
            try:
                sender = self._signer.sender_of(request.args.get("session"))
                after = _cursor(request.args.get("after", "0"))
            except BadSession as error:
                return self._json(request, {"error": str(error)}, status=403)
            except ValueError as error:
                return self._json(request, {"error": str(error)}, status=400)
            try:
                return self._json(request, await asyncio.to_thread(self._updates, sender, after))
            except StoreUnavailable:
                return self._json(request, {"error": "please try again in a moment"}, status=503)

        return chat

    def _updates(self, sender: str, after: int) -> dict[str, Any]:
        """What the team wrote since `after`, and how soon to look again: often while the
        conversation waits for or has a person, seldom otherwise (every open widget polls)."""
        new = self._store.inbox.messages(sender, after, shown_to_person=True)
        try:
            entry: InboxEntry | None = self._store.inbox.entry(sender)
        except ConversationNotInInbox:
            entry = None
        active = entry is not None and entry.state in ("waiting", "claimed")
        # The visitor's own messages are not sent back, nor counted: one whose id came
        # after a reply's could commit before it (PostgreSQL), and the reply be skipped.
        team = [m for m in new if m.kind != "person"]
        return {
            "messages": [team_message(m) for m in team],
            "cursor": max((m.id for m in team), default=after),
            "held_by": entry.holder if entry is not None and entry.state == "claimed" else None,
            "poll_ms": ACTIVE_POLL_MS if active else IDLE_POLL_MS,
        }

    async def _start(self, request: Request) -> HTTPResponse:
        """A new session, or a signed identity for a new or the current one."""
        body = _json_object(request.body or b"{}")
        if body.get("identity") is None:
            return self._json(request, {"session": self._signer.issue()})
        if self._identity_secret is None:
            raise ValueError(
                "this chat does not accept signed identities (PARLEY_WEBCHAT_IDENTITY_SECRET "
                "is unset)"
            )
        who = read_identity(body["identity"], self._identity_secret)
        known = body.get("session")
        sender = None if known is None else self._signer.sender_of(known)
        try:
            session = await asyncio.to_thread(self._vouch, known, sender, who)
        except StoreUnavailable as error:
            logger.error("could not record a site identity: %s", error)
            return self._json(request, {"error": "please try again in a moment"}, status=503)
        return self._json(request, {"session": session, "verified": {"email": who.email}})

    def _vouch(self, session: str | None, sender: str | None, who: SiteIdentity) -> str:
        """The session `who` goes on in, with their email verified: the current one,
        unless it already belongs to someone else the site vouched for (another user
        signed in on the same browser), who keeps it to themselves."""
        if session is None or sender is None or not self._same_person(sender, who):
            session = self._signer.issue()
            sender = self._signer.sender_of(session)
        self._store.contacts.verify_detail("web", sender, "email", who.email, "site_token")
        return session

    def _same_person(self, sender: str, who: SiteIdentity) -> bool:
        contact = self._store.contacts.for_identity("web", sender)
        if contact is None or contact.email in (None, who.email):
            return True
        return not self._store.contacts.is_detail_verified(contact.id, "email")

    def _read_message(self, raw: bytes) -> tuple[str, str, str | None]:
        body = _json_object(raw)
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


def _json_object(raw: bytes) -> dict[str, Any]:
    try:
        body = load_json(raw)
    except BadRequest:
        raise ValueError("body must be UTF-8 JSON") from None
    if not isinstance(body, dict):
        raise ValueError("body must be a JSON object")
    return body
