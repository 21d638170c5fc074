"""The sales inbox (#20): conversations handed to a person, waiting against the target
time; each with its transcript, profile, score and consent; claim (one person at a
time), reply, private notes, saved replies, hand back to the bot, close with an
outcome. Every read and every step goes to the audit log with the user."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any
from urllib.parse import quote

from aiohttp import web

from bot.errors import (
    ContactNotFound,
    ConversationClosed,
    ConversationHeld,
    ConversationNotInInbox,
    InvalidField,
    OptedOut,
    OutsideReplyWindow,
    ParleyError,
    ReplyNotResendable,
)
from bot.settings import Settings
from bot.store import InboxEntry, ProfileStore, SavedReply, conversation_events
from campaigns.guards import in_whatsapp_window
from studio.contacts import Profile, load_profile
from studio.web import SETTINGS, STORE, audit, form, in_thread, redirect, render, requires, user_of

routes = web.RouteTableDef()
CONVERSATION = "/inbox/c/{conversation_id:[^/]{1,255}}"
# Shown in the conversation's transcript: who wrote it, for the team's eyes.
WHO = {"person": "Person", "bot": "Bot"}
# The ones a reply reaches through a provider; the web chat widget fetches its own.
QUEUED_CHANNELS = ("sms", "whatsapp", "telegram")
RESENDABLE = ("failed", "uncertain")


@dataclass(frozen=True)
class Line:
    at: datetime
    kind: str  # person, bot, agent, note, handoff, joined, left, closed
    who: str
    text: str
    delivery: str | None = None
    delivery_error: str | None = None
    # An inbox message's id: a reply that failed or may not have arrived is resent by it.
    message_id: int | None = None

    @property
    def resendable(self) -> bool:
        return self.kind == "agent" and self.delivery in RESENDABLE


@dataclass(frozen=True)
class ConversationView:
    entry: InboxEntry
    lines: list[Line]
    profile: Profile
    saved: list[SavedReply]
    # A phone call is answered by calling back: the caller's number, as the call gave it.
    callback_number: str | None


def load_conversation(
    store: ProfileStore, settings: Settings, conversation_id: str
) -> ConversationView:
    """Raises ConversationNotInInbox, ContactNotFound."""
    entry = store.inbox.entry(conversation_id)
    events = conversation_events(settings.tracker_store_url, [conversation_id]).get(
        conversation_id, []
    )
    lines = [*_bot_lines(events), *_inbox_lines(store, conversation_id)]
    profile = load_profile(store, entry.contact_id)
    return ConversationView(
        entry=entry,
        lines=sorted(lines, key=lambda line: line.at),
        profile=profile,
        saved=store.inbox.saved_replies(),
        callback_number=_caller(events) or profile.contact.phone
        if entry.channel == "voice"
        else None,
    )


def _caller(events: list[dict[str, Any]]) -> str | None:
    """The number the call came from (the voice channel puts it on every turn)."""
    for event in reversed(events):
        caller = (event.get("metadata") or {}).get("caller")
        if event.get("event") == "user" and isinstance(caller, str) and caller:
            return caller
    return None


def _bot_lines(events: list[dict[str, Any]]) -> list[Line]:
    kinds = {"user": "person", "bot": "bot"}
    return [
        Line(_time(e.get("timestamp")), kinds[e["event"]], WHO[kinds[e["event"]]], e["text"])
        for e in events
        if e.get("event") in kinds and isinstance(e.get("text"), str) and e["text"]
    ]


def _inbox_lines(store: ProfileStore, conversation_id: str) -> list[Line]:
    return [
        Line(
            m.created_at,
            m.kind,
            m.author or WHO.get(m.kind, ""),
            m.body,
            m.delivery,
            m.delivery_error,
            m.id,
        )
        for m in store.inbox.messages(conversation_id)
    ]


def _time(raw: object) -> datetime:
    seconds = float(raw) if isinstance(raw, int | float) else 0.0
    return datetime.fromtimestamp(seconds, timezone.utc)


# ---------------------------------------------------------------- pages


@routes.get("/inbox")
@requires("inbox.work")
async def inbox_page(request: web.Request) -> web.Response:
    entries = await in_thread(request.app[STORE].inbox.queue)
    # Conversation ids can be phone numbers: the log names contacts by id only.
    await audit(request, "studio.inbox_listed", "inbox",
                contact_ids=",".join(e.contact_id for e in entries))  # fmt: skip
    return render(
        request,
        "inbox/list.html",
        entries=entries,
        now=datetime.now(timezone.utc),
        target=request.app[SETTINGS].studio.inbox_target_minutes,
    )


@routes.get(CONVERSATION)
@requires("inbox.work")
async def conversation_page(request: web.Request) -> web.Response:
    return await _show(request, _conversation_id(request))


@routes.get("/inbox/m/{message_id:[0-9]{1,12}}")
@requires("inbox.work")
async def message_link(request: web.Request) -> web.Response:
    """Where an email notice links: by an inbox message's id, so that the link names no
    conversation (its id can be a phone number)."""
    found = await in_thread(request.app[STORE].inbox.message, int(request.match_info["message_id"]))
    if found is None:
        message = "There is no such message in the inbox: it may have been erased."
        return render(request, "error.html", status=404, message=message)
    return redirect(f"/inbox/c/{_quoted(found.conversation_id)}")


async def _show(
    request: web.Request, conversation_id: str, *, status: int = 200, error: str = ""
) -> web.Response:
    store, settings = request.app[STORE], request.app[SETTINGS]
    try:
        view = await in_thread(load_conversation, store, settings, conversation_id)
    except (ConversationNotInInbox, ContactNotFound):
        message = "There is no such conversation in the inbox: it may have been erased."
        return render(request, "error.html", status=404, message=message)
    await audit(request, "studio.inbox_read", view.entry.contact_id, channel=view.entry.channel)
    return render(
        request,
        "inbox/conversation.html",
        status=status,
        error=error,
        v=view,
        e=view.entry,
        p=view.profile,
        me=user_of(request),
        now=datetime.now(timezone.utc),
        target=settings.studio.inbox_target_minutes,
    )


# ---------------------------------------------------------------- steps


@routes.post(CONVERSATION + "/claim")
@requires("inbox.work")
async def claim(request: web.Request) -> web.Response:
    conversation_id = _conversation_id(request)
    user = user_of(request)
    return await _step(
        request, conversation_id, "studio.inbox_claimed",
        lambda store: store.inbox.claim(conversation_id, user).contact_id,
    )  # fmt: skip


@routes.post(CONVERSATION + "/take-over")
@requires("inbox.take_over")
async def take_over(request: web.Request) -> web.Response:
    """An admin takes a conversation someone else holds; the log names whom from, and
    the holder sees it in the conversation (live, as a note and "left/joined")."""
    conversation_id, user = _conversation_id(request), user_of(request)
    previous: dict[str, str] = {}

    def take(store: ProfileStore) -> str:
        taken, held_by = store.inbox.take_over(conversation_id, user)
        previous["taken_from"] = held_by or "nobody"
        return taken.contact_id

    return await _step(request, conversation_id, "studio.inbox_taken_over", take, details=previous)


@routes.post(CONVERSATION + "/reply")
@requires("inbox.work")
async def reply(request: web.Request) -> web.Response:
    conversation_id = _conversation_id(request)
    data = await form(request)
    user = user_of(request)
    body = await _reply_text(request, data.get("body", ""), data.get("saved_reply", ""))

    def send(store: ProfileStore) -> str:
        now = datetime.now(timezone.utc)
        delivery = delivery_for(store, store.inbox.entry(conversation_id), now)
        return store.inbox.reply(conversation_id, user, body, delivery=delivery).contact_id

    return await _step(request, conversation_id, "studio.inbox_replied", send)


@routes.post(CONVERSATION + "/resend")
@requires("inbox.work")
async def resend(request: web.Request) -> web.Response:
    """A reply that failed or may not have arrived, sent again as a new reply: the
    salesperson decides, since sending an uncertain one again may send it twice."""
    conversation_id = _conversation_id(request)
    raw, user = (await form(request)).get("message", ""), user_of(request)

    def send(store: ProfileStore) -> str:
        if not re.fullmatch(r"[0-9]{1,12}", raw):
            raise InvalidField("message", "the id of a reply in this conversation")
        delivery = delivery_for(
            store, store.inbox.entry(conversation_id), datetime.now(timezone.utc)
        )
        return store.inbox.resend(conversation_id, int(raw), user, delivery=delivery).contact_id

    return await _step(request, conversation_id, "studio.inbox_resent", send, message=raw)


@routes.post(CONVERSATION + "/note")
@requires("inbox.work")
async def note(request: web.Request) -> web.Response:
    conversation_id = _conversation_id(request)
    body, user = (await form(request)).get("body", ""), user_of(request)
    return await _step(
        request, conversation_id, "studio.inbox_noted",
        lambda store: store.inbox.note(conversation_id, user, body).contact_id,
    )  # fmt: skip


@routes.post(CONVERSATION + "/hand-back")
@requires("inbox.work")
async def hand_back(request: web.Request) -> web.Response:
    conversation_id = _conversation_id(request)
    user = user_of(request)
    return await _step(
        request, conversation_id, "studio.inbox_handed_back",
        lambda store: store.inbox.hand_back(conversation_id, user).contact_id,
    )  # fmt: skip


@routes.post(CONVERSATION + "/close")
@requires("inbox.work")
async def close(request: web.Request) -> web.Response:
    conversation_id = _conversation_id(request)
    data, user = await form(request), user_of(request)
    outcome = data.get("outcome", "") or None
    value, currency, reason = (
        data.get(k, "").strip() or None for k in ("value", "currency", "reason")
    )

    def close_it(store: ProfileStore) -> str:
        closed = store.inbox.close(conversation_id, user, outcome=outcome, value=value,
                                   currency=currency, reason=reason)  # fmt: skip
        return closed.contact_id

    return await _step(
        request, conversation_id, "studio.inbox_closed", close_it, outcome=outcome or "none"
    )


async def _step(
    request: web.Request,
    conversation_id: str,
    action: str,
    work: Callable[[ProfileStore], str],
    details: dict[str, str] | None = None,
    **more: Any,
) -> web.Response:
    """Run `work(store)` (it returns the contact id), audit it with `more` and whatever
    `work` put in `details`, and show the conversation again; a refusal is the page with
    the reason and its status."""
    try:
        contact_id = await in_thread(work, request.app[STORE])
    except ConversationNotInInbox:
        return await _show(request, conversation_id)  # its 404
    except (
        ConversationHeld, ConversationClosed, OutsideReplyWindow, OptedOut, ReplyNotResendable,
    ) as refused:  # fmt: skip
        entry = await in_thread(request.app[STORE].inbox.entry, conversation_id)
        await audit(request, action + "_refused", entry.contact_id, why=type(refused).__name__)
        return await _show(request, conversation_id, status=409, error=_sentence(refused))
    except InvalidField as bad:
        return await _show(request, conversation_id, status=400, error=_sentence(bad))
    await audit(request, action, contact_id, **(details or {}), **more)
    return redirect(f"/inbox/c/{_quoted(conversation_id)}")


def delivery_for(store: ProfileStore, entry: InboxEntry, now: datetime) -> str:
    """How a reply reaches the person: shown in their web chat, or queued for a provider.
    Raises InvalidField for a channel no reply reaches (a phone call: call them back),
    OutsideReplyWindow for WhatsApp more than 24 hours after the person last wrote,
    OptedOut when the person said STOP there."""
    if store.consent.is_do_not_contact(entry.contact_id, entry.channel):
        raise OptedOut(entry.channel)
    if entry.channel == "web":
        return "shown"
    if entry.channel == "whatsapp":
        snapshot = store.campaigns.contact_snapshot(entry.contact_id, now)
        if not in_whatsapp_window(snapshot, now):
            raise OutsideReplyWindow("whatsapp", snapshot.last_inbound.get("whatsapp"))
    if entry.channel in QUEUED_CHANNELS:
        return "queued"
    raise InvalidField("channel", f"a {entry.channel} conversation takes no written reply")


async def _reply_text(request: web.Request, body: str, saved_id: str) -> str:
    if body.strip() or not re.fullmatch(r"[0-9]{1,9}", saved_id):
        return body
    saved = await in_thread(request.app[STORE].inbox.saved_replies)
    return next((r.body for r in saved if r.id == int(saved_id)), body)


def _sentence(error: ParleyError) -> str:
    if isinstance(error, ConversationHeld):
        return f"{error.holder} holds this conversation: only they can answer it now."
    if isinstance(error, ConversationClosed):
        return "This conversation is closed; nothing was sent. A new handoff opens it again."
    if isinstance(error, ReplyNotResendable):
        return f"Nothing was sent: {error}."
    if isinstance(error, InvalidField) and error.field == "channel":
        return f"Nothing was sent: {error.reason}."
    if isinstance(error, InvalidField):
        return f"Nothing was changed: {error.field}: {error.reason}."
    if isinstance(error, OptedOut):
        return (f"Nothing was sent: the person asked not to be contacted on {error.channel} "
                "(STOP). Reach them only another way they agreed to.")  # fmt: skip
    if isinstance(error, OutsideReplyWindow):
        last = error.last_message_at
        since = (
            f"they last wrote {last:%Y-%m-%d %H:%M} UTC"
            if isinstance(last, datetime)
            else ("they have not written on WhatsApp")
        )
        return ("Nothing was sent: WhatsApp takes a free-form reply only within 24 hours of "
                f"the person's last message, and {since}. Reach them another way, or wait "
                "until they write again.")  # fmt: skip
    return f"Nothing was sent: {error}."


def _conversation_id(request: web.Request) -> str:
    return request.match_info["conversation_id"]


def _quoted(conversation_id: str) -> str:
    return quote(conversation_id, safe="")


# ---------------------------------------------------------------- saved replies


@routes.get("/inbox/replies")
@requires("inbox.work")
async def saved_replies_page(request: web.Request) -> web.Response:
    return await _replies(request)


async def _replies(request: web.Request, status: int = 200, error: str = "") -> web.Response:
    saved = await in_thread(request.app[STORE].inbox.saved_replies)
    return render(request, "inbox/replies.html", status=status, saved=saved, error=error)


@routes.post("/inbox/replies")
@requires("inbox.work")
async def save_reply(request: web.Request) -> web.Response:
    data, user = await form(request), user_of(request)
    store = request.app[STORE]
    if re.fullmatch(r"[0-9]{1,9}", data.get("delete", "")):
        if await in_thread(store.inbox.delete_saved_reply, int(data["delete"])):
            await audit(request, "studio.saved_reply_deleted", data["delete"])
        return redirect("/inbox/replies")
    try:
        saved = await in_thread(store.inbox.save_reply, data.get("title", ""),
                                data.get("body", ""), f"studio:{user.email}")  # fmt: skip
    except InvalidField as bad:
        return await _replies(request, 400, _sentence(bad))
    await audit(request, "studio.saved_reply_saved", str(saved.id))
    return redirect("/inbox/replies")
