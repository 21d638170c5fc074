"""The Try page: chat with the draft bot and call it, before publishing.

The draft bot (studio.sandbox) is shared by the studio; each conversation is the user's
own: the sender id is `studio-<user id>-<conversation>`, where the conversation id is
made per page load and per reset, and a call is kept per user and conversation. Chats
are test data in the sandbox's own stores, so they are not audited; starting the draft
bot is.
"""

from __future__ import annotations

import asyncio
import json
import re
import secrets
import xml.etree.ElementTree as ElementTree
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from aiohttp import web

from bot.call_simulator import PREFIX, CallSimulator
from bot.errors import ParleyError
from bot.settings import Settings
from studio.sandbox import Sandbox
from studio.web import SETTINGS, audit, in_thread, render, requires, user_of

routes = web.RouteTableDef()
SANDBOX = web.AppKey("try_sandbox", Sandbox)
CONVERSATION = re.compile(r"[A-Za-z0-9_-]{8,40}")
DIGITS = re.compile(r"[0-9*#]{1,20}")
MAX_BODY = 16 * 1024
MAX_TEXT = 4000
MAX_CALLS = 200
NOT_RUNNING = "The draft bot is not running: start it first."


class WaitingForCaller(Exception):
    """The call reached a question: the caller's answer comes with the next request."""


@dataclass
class TryCall:
    simulator: CallSimulator
    generation: int
    pending: ElementTree.Element | None = None
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)


CALLS = web.AppKey("try_calls", dict[str, TryCall])


def setup(app: web.Application) -> None:
    app[SANDBOX] = Sandbox(app[SETTINGS])
    app[CALLS] = {}
    app.cleanup_ctx.append(_sandbox_lifetime)


async def _sandbox_lifetime(app: web.Application) -> AsyncIterator[None]:
    """The draft bot never outlives the studio: its processes stop with the app."""
    yield
    app[CALLS].clear()
    await in_thread(app[SANDBOX].stop)


def new_conversation() -> str:
    return secrets.token_urlsafe(12)


# ---------------------------------------------------------------------- the page and state


@routes.get("/try")
@requires("content.edit")
async def page(request: web.Request) -> web.Response:
    status = await in_thread(request.app[SANDBOX].status)
    return render(request, "try/try.html", bot=status, conversation=new_conversation())


@routes.get("/api/try/status")
@requires("content.edit")
async def status(request: web.Request) -> web.Response:
    found = await in_thread(request.app[SANDBOX].status)
    return web.json_response(found.as_json())


@routes.post("/api/try/start")
@requires("content.edit")
async def start(request: web.Request) -> web.Response:
    sandbox = request.app[SANDBOX]
    before = await in_thread(sandbox.status)
    started = await in_thread(sandbox.start)
    request.app[CALLS].clear()  # calls belong to the bot that answered them
    await audit(
        request, "studio.try_started", "draft", restarted=before.running, state=started.state
    )
    return web.json_response(started.as_json())


@routes.post("/api/try/reset")
@requires("content.edit")
async def reset(request: web.Request) -> web.Response:
    body = await _json(request)
    old = body.get("conversation")
    if isinstance(old, str):
        await _drop_call(request, _call_key(request, old))
    return web.json_response({"conversation": new_conversation()})


# ---------------------------------------------------------------------- chat


@routes.post("/api/try/message")
@requires("content.edit")
async def message(request: web.Request) -> web.Response:
    body = await _json(request)
    conversation = _conversation(body)
    text = body.get("text")
    if not isinstance(text, str) or not text.strip():
        raise _bad("Type a message first.")
    if len(text) > MAX_TEXT:
        raise _bad(f"A message can be at most {MAX_TEXT} characters.")
    bot = _running(request)
    sender = f"studio-{user_of(request).id}-{conversation}"
    replies = await _post_to_rest(bot, sender, text)
    return web.json_response({"messages": [_message_of(m) for m in replies]})


async def _post_to_rest(bot: Settings, sender: str, text: str) -> list[dict[str, Any]]:
    url = f"{bot.rasa_url}/webhooks/rest/webhook"
    timeout = aiohttp.ClientTimeout(total=60)
    try:
        async with (
            aiohttp.ClientSession(timeout=timeout) as session,
            session.post(
                url, json={"sender": sender, "message": text}, headers=bot.chat.rest_headers()
            ) as reply,
        ):
            if reply.status != 200:
                raise _unavailable(f"The draft bot answered {reply.status}.")
            found = await reply.json()
    except (aiohttp.ClientError, asyncio.TimeoutError) as error:
        raise _unavailable(f"The draft bot did not answer ({type(error).__name__}).") from None
    return [m for m in found if isinstance(m, dict)] if isinstance(found, list) else []


def _message_of(raw: dict[str, Any]) -> dict[str, Any]:
    """What the page shows of one bot message: its text, buttons and image."""
    buttons = [
        {"title": str(b.get("title", "")), "payload": str(b.get("payload", ""))}
        for b in raw.get("buttons") or []
        if isinstance(b, dict)
    ]
    found: dict[str, Any] = {"text": str(raw.get("text") or ""), "buttons": buttons}
    if isinstance(raw.get("image"), str):
        found["image"] = raw["image"]
    return found


# ---------------------------------------------------------------------- voice


@routes.post("/api/try/call/start")
@requires("content.edit")
async def call_start(request: web.Request) -> web.Response:
    body = await _json(request)
    key = _call_key(request, _conversation(body))
    bot = _running(request)
    await _drop_call(request, key)
    calls = request.app[CALLS]
    while len(calls) >= MAX_CALLS:
        calls.pop(next(iter(calls)))
    caller = f"+1202555{user_of(request).id % 10000:04d}"
    call = calls[key] = TryCall(CallSimulator(bot, caller), request.app[SANDBOX].generation)
    async with call.lock:
        return await _advance(call, None, first=True)


@routes.post("/api/try/call/say")
@requires("content.edit")
async def call_say(request: web.Request) -> web.Response:
    body = await _json(request)
    speech = body.get("speech", "")
    if not isinstance(speech, str) or len(speech) > MAX_TEXT:
        raise _bad(f"Say at most {MAX_TEXT} characters.")
    # A leading # or / would read as keys or a command to the simulator.
    return await _answer(request, body, speech.strip().lstrip("#/").strip())


@routes.post("/api/try/call/press")
@requires("content.edit")
async def call_press(request: web.Request) -> web.Response:
    body = await _json(request)
    digits = body.get("digits")
    if not isinstance(digits, str) or not DIGITS.fullmatch(digits):
        raise _bad("Press keys 0-9, * and # (up to 20).")
    return await _answer(request, body, f"#{digits}")


@routes.post("/api/try/call/hangup")
@requires("content.edit")
async def call_hangup(request: web.Request) -> web.Response:
    body = await _json(request)
    call = request.app[CALLS].pop(_call_key(request, _conversation(body)), None)
    heard: list[str] = []
    if call is not None and not call.simulator.ended and _current(request, call):
        async with call.lock:
            call.simulator.say = heard.append
            await in_thread(_hang_up, call.simulator)
    return web.json_response(
        {"heard": [_line(h) for h in heard], "ended": True, "single_key": False}
    )


def _hang_up(simulator: CallSimulator) -> None:
    try:
        simulator.hang_up()
    except (ParleyError, OSError):
        simulator.ended = True  # the bot is gone: the call is over either way


async def _answer(request: web.Request, body: dict[str, Any], answer: str) -> web.Response:
    call = request.app[CALLS].get(_call_key(request, _conversation(body)))
    if call is None or call.simulator.ended or call.pending is None:
        raise _conflict("There is no call in progress: press Call first.")
    if not _current(request, call):
        raise _conflict("The draft bot was restarted: start a new call.")
    async with call.lock:
        return await _advance(call, answer)


async def _advance(call: TryCall, answer: str | None, *, first: bool = False) -> web.Response:
    try:
        heard, pending = await in_thread(_play, call.simulator, call.pending, answer, first)
    except (ParleyError, OSError, ElementTree.ParseError) as error:
        call.simulator.ended = True
        raise _unavailable(f"The call failed: {error}") from None
    call.pending = pending
    single = pending is not None and any(
        g.attrib.get("numDigits") == "1" for g in pending.iter("Gather")
    )
    ended = pending is None
    call.simulator.ended = call.simulator.ended or ended
    return web.json_response(
        {"heard": [_line(h) for h in heard], "ended": ended, "single_key": single}
    )


def _play(
    simulator: CallSimulator, pending: ElementTree.Element | None, answer: str | None, first: bool
) -> tuple[list[str], ElementTree.Element | None]:
    """Play the call as `parley call` does, up to the caller's next turn.

    With an answer, the pending TwiML (whose words the caller already heard) is played
    again silently up to its question, which the answer then answers. Returns what the
    caller heard and the TwiML now waiting for them (None: the call is over).
    """
    heard: list[str] = []
    speaking = answer is None

    def say(line: str) -> None:
        if speaking:
            heard.append(line)

    def ask(prompt: str) -> str:
        nonlocal answer, speaking
        if prompt.lstrip().startswith("(transferring"):
            # Nobody staffs the sales line for a try-out: the transfer goes unanswered.
            heard.append(f"  {prompt.strip().split(';')[0]}: nobody answers in a try-out)")
            return "n"
        if answer is None:
            raise WaitingForCaller()
        given, answer, speaking = answer, None, True
        return given

    simulator.say = say
    twiml = simulator.post(f"{PREFIX}/incoming") if first else pending
    while twiml is not None:
        try:
            following = simulator.play(twiml, ask)
        except WaitingForCaller:
            return heard, twiml
        twiml = following
    return heard, None


def _line(said: str) -> dict[str, str]:
    """One thing the caller heard: the bot's words, or a note such as "(Parley hung up)"."""
    text = said.strip()
    if text.startswith("Parley:"):
        return {"who": "bot", "text": text.removeprefix("Parley:").strip()}
    return {"who": "note", "text": text.strip("()")}


async def _drop_call(request: web.Request, key: str) -> None:
    call = request.app[CALLS].pop(key, None)
    if call is not None and not call.simulator.ended and _current(request, call):
        call.simulator.say = lambda _: None
        await in_thread(_hang_up, call.simulator)


def _current(request: web.Request, call: TryCall) -> bool:
    return call.generation == request.app[SANDBOX].generation


# ---------------------------------------------------------------------- helpers


async def _json(request: web.Request) -> dict[str, Any]:
    if request.content_length is not None and request.content_length > MAX_BODY:
        raise _bad(f"The request is too large (at most {MAX_BODY} bytes).")
    try:
        body = json.loads(await request.text() or "{}")
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise _bad("Send a JSON object.") from None
    if not isinstance(body, dict):
        raise _bad("Send a JSON object.")
    return body


def _conversation(body: dict[str, Any]) -> str:
    found = body.get("conversation")
    if not isinstance(found, str) or not CONVERSATION.fullmatch(found):
        raise _bad("The conversation id is missing or malformed: reload the page.")
    return found


def _call_key(request: web.Request, conversation: str) -> str:
    return f"{user_of(request).id}:{conversation}"


def _running(request: web.Request) -> Settings:
    bot = request.app[SANDBOX].bot_settings
    if bot is None:
        raise _conflict(NOT_RUNNING)
    return bot


def _error(kind: type[web.HTTPException], message: str) -> web.HTTPException:
    return kind(text=json.dumps({"error": message}), content_type="application/json")


def _bad(message: str) -> web.HTTPException:
    return _error(web.HTTPBadRequest, message)


def _conflict(message: str) -> web.HTTPException:
    return _error(web.HTTPConflict, message)


def _unavailable(message: str) -> web.HTTPException:
    return _error(web.HTTPBadGateway, message)
