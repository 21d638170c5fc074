"""Telegram: secret-checked webhooks in (read by python-telegram-bot), replies out through
the Telegram sender campaigns use too (`senders.telegram_texts`).

Route (under /webhooks/telegram/):
  * `POST /webhook`: one Update. The `X-Telegram-Bot-Api-Secret-Token` header must equal
    TELEGRAM_WEBHOOK_SECRET (compared in constant time) or the answer is 403 and nothing
    is stored. The update is answered with 200 at once; the turn and the replies run in
    the background, one chat's updates in order. A repeated `update_id` is handled once.
    An update python-telegram-bot cannot read (a shape from another Bot API version) is
    logged and acknowledged with 200 too: Telegram retries a refused update for a day.
    Only a body that is no Update at all (not a JSON object with an integer update_id) is
    a 400.
    `parley telegram poll` feeds updates from getUpdates to this same route.
Handled: /start (deep-link parameter kept), text, inline-keyboard buttons (the callback
query is answered), a shared contact, and `my_chat_member` (the person blocked the bot:
do-not-contact for Telegram). Other updates are acknowledged and ignored.
A shared contact proves a phone number only when Telegram says it is the sender's own
(`contact.user_id` is the sender's id, in a private chat): then it is verified on their
profile, so SMS, WhatsApp and voice from it are the same person. Anyone else's contact
is refused and stored nowhere.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from telegram import Message, Update

from bot.errors import StoreUnavailable
from bot.leads import normalize_phone
from bot.settings import TelegramSettings, load_settings
from bot.store import ProfileStore
from channels.activity import note_inbound
from channels.collecting import collector_for
from channels.held import agent_of, kept_for_person
from channels.inbound import InboundWork
from channels.keywords import apply_keywords
from channels.messages import APOLOGY, EMPTY_MESSAGE, MEDIA_UNREADABLE, bot_text
from channels.rest import load_json
from senders.interface import Button, OutboundMessage, SendFailed
from senders.retry import send_with_retries, worth_another_try
from senders.telegram_texts import TelegramSender

logger = logging.getLogger(__name__)

PROVIDER = "telegram"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MAX_BODY_BYTES = 1_000_000
CALLBACK_LIMIT = 64  # bytes Telegram allows in callback_data
SEND_ATTEMPTS = 4  # a reply's tries, the first included
OnNewMessage = Callable[[UserMessage], Awaitable[Any]]
# `Update.de_json` trusts Telegram's shapes: a field of the wrong type trips over it as
# whichever of these the first wrong access raises (a string `message`, a year-10^12 date).
_MALFORMED = (ValueError, TypeError, KeyError, AttributeError, OverflowError)


class CallbackPayloads:
    """Button payloads longer than Telegram's 64 bytes travel as a short key."""

    def __init__(self, max_keys: int = 10_000) -> None:
        self._by_key: dict[str, str] = {}
        self._max = max_keys

    def key_for(self, payload: str) -> str:
        if len(payload.encode()) <= CALLBACK_LIMIT and not payload.startswith("k:"):
            return payload
        key = "k:" + hashlib.sha256(payload.encode()).hexdigest()[:20]
        if len(self._by_key) >= self._max:
            self._by_key.pop(next(iter(self._by_key)))
        self._by_key[key] = payload
        return key

    def payload_of(self, data: str) -> str | None:
        return self._by_key.get(data) if data.startswith("k:") else data


class TelegramInput(InputChannel):
    def __init__(self, settings: TelegramSettings, store: ProfileStore, region: str) -> None:
        self.settings = settings
        self.store = store
        self.region = region
        self._payloads = CallbackPayloads()
        self._sender: TelegramSender | None = None
        self._work = InboundWork(store, PROVIDER)

    @classmethod
    def name(cls) -> str:
        return "telegram"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> TelegramInput:
        settings = load_settings()
        return cls(
            settings.telegram, ProfileStore.from_url(settings.database_url), settings.default_region
        )

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        hooks = Blueprint("parley_telegram_webhook", __name__)

        @hooks.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            if not self._authentic(request):
                return response.text("forbidden", status=403)
            body = request.body or b""
            if len(body) > MAX_BODY_BYTES:
                return response.text("update too large", status=413)
            try:
                data = load_json(body)
                if not isinstance(data, dict) or not isinstance(data.get("update_id"), int):
                    raise ValueError("an Update needs an integer update_id")
            except _MALFORMED as error:
                return response.text(f"malformed update: {error}", status=400)
            update = self._parse(data)
            if update is None:
                return response.empty(status=200)
            if await self._work.first_delivery(str(update.update_id)):
                self._work.spawn(self._handle(on_new_message, update, request.app))
            return response.empty(status=200)

        @hooks.listener("before_server_stop")
        async def finish(*_: Any) -> None:
            await self._work.finish()
            if self._sender is not None:
                await self._sender.close()

        return hooks

    def _parse(self, data: dict[str, Any]) -> Update | None:
        try:
            # No bot bound: replies and button answers go through the sender, not the update.
            update = Update.de_json(data, None)
        except _MALFORMED as error:
            # From Telegram (the secret matched) yet unreadable here, such as a poll from
            # before Bot API 9.6 without `persistent_id`: refusing it would only bring it back.
            logger.warning(
                "ignored Telegram update %s that cannot be read: %s", data["update_id"], error
            )
            return None
        if update is None:
            logger.warning("ignored empty Telegram update %s", data["update_id"])
        return update

    @property
    def sender(self) -> TelegramSender:
        """The Telegram sender campaigns use too, made on first use inside the running
        loop; an unconfigured channel refuses every webhook before it gets this far."""
        if self._sender is None:
            self._sender = TelegramSender(self.settings)
        return self._sender

    def _authentic(self, request: Request) -> bool:
        expected = self.settings.webhook_secret
        if expected is None or self.settings.bot_token is None:
            logger.warning(
                "refused a Telegram webhook: TELEGRAM_BOT_TOKEN/TELEGRAM_WEBHOOK_SECRET unset"
            )
            return False
        given = request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), expected.value.encode()):
            logger.warning("refused a Telegram webhook with a missing or wrong secret token")
            return False
        return True

    async def _handle(self, on_new_message: OnNewMessage, update: Update, app: Any) -> None:
        try:
            if update.my_chat_member is not None:
                await self._membership(update)
                return
            said = await self._said(update)
            if said is None:
                return  # an update type Parley does not act on
            chat, text, metadata = said
            await note_inbound(self.store, "telegram", chat)
            async with self._work.turn_lock(chat):
                shown = str(metadata.get("shown_text", ""))
                if await kept_for_person(self.store, agent_of(app), chat, text, "telegram", shown):
                    return  # for the person from the team who holds the conversation
                messages = await self._turn(on_new_message, chat, text, metadata)
                await self._reply(chat, messages)
        except Exception:
            logger.exception("Telegram update %s failed", update.update_id)

    async def _said(self, update: Update) -> tuple[str, str, dict[str, Any]] | None:
        query = update.callback_query
        if query is not None and query.message is not None:
            await self._answer_button(query.id)
            payload = self._payloads.payload_of(query.data or "")
            chat = str(query.message.chat.id)
            if payload is None:
                return chat, "", {"parley_button_expired": True}
            return chat, payload, {"shown_text": _button_title(query, query.data or "")}
        message = update.message
        if message is None:
            return None
        chat = str(message.chat.id)
        if message.contact is not None:
            return chat, *(await self._shared_contact(update, chat))
        text = message.text or ""
        if text.startswith("/start"):
            parameter = text.removeprefix("/start").strip()
            return chat, "/greet", {"telegram_start": parameter} if parameter else {}
        if not text and (message.photo or message.document or message.voice or message.sticker):
            return chat, "", {"parley_media": True}
        return chat, text, {}

    async def _shared_contact(self, update: Update, chat: str) -> tuple[str, dict[str, Any]]:
        message = update.message
        assert message is not None and message.contact is not None
        if not _own_contact(message):
            # Someone else's number: not theirs to give us.
            return "", {"parley_foreign_contact": True}
        try:
            phone = normalize_phone(message.contact.phone_number, self.region)
        except ValueError:
            return "", {"parley_foreign_contact": True}
        try:
            await asyncio.to_thread(
                self.store.contacts.verify_detail,
                "telegram",
                chat,
                "phone",
                phone,
                "telegram_contact",
            )
        except StoreUnavailable as error:
            logger.error("could not record Telegram chat %s's own number: %s", chat, error)
        # Said as a statement of their number, so the lead form files it like typed text.
        return f"my phone number is {phone}", {"telegram_shared_contact": True}

    async def _turn(
        self, on_new_message: OnNewMessage, chat: str, text: str, metadata: dict[str, Any]
    ) -> list[dict[str, Any]]:
        if metadata.get("parley_media"):
            return [bot_text(chat, MEDIA_UNREADABLE)]
        if metadata.get("parley_foreign_contact"):
            return [
                bot_text(
                    chat,
                    "Thanks, but I can only take your own number; please share your own contact.",
                )
            ]
        if metadata.get("parley_button_expired"):
            return [bot_text(chat, "That button has expired. Could you type your answer instead?")]
        if not text.strip():
            return [bot_text(chat, EMPTY_MESSAGE)]
        text, stamped = apply_keywords(text, metadata, "telegram")
        collector = collector_for(self.name())
        message = UserMessage(text, collector, chat, input_channel=self.name(), metadata=stamped)
        try:
            await on_new_message(message)
        except Exception:
            logger.exception("turn failed for Telegram chat %s", chat)
            return [*collector.messages, bot_text(chat, APOLOGY)]
        return collector.messages or [bot_text(chat, APOLOGY)]

    async def _reply(self, chat: str, messages: list[dict[str, Any]]) -> None:
        for message in messages:
            reply = self._outbound(chat, message)
            if reply is not None and not await self._send(reply):
                return  # blocked or refused: the rest would fail the same way

    def _outbound(self, chat: str, message: Mapping[str, Any]) -> OutboundMessage | None:
        """Rasa's message as Telegram shows it: a photo captioned with the text, or the
        text, with its buttons; None when it has neither."""
        image, text = message.get("image"), message.get("text")
        if not image and not text:
            return None
        buttons = tuple(
            Button(str(b.get("title", "")), self._payloads.key_for(str(b.get("payload", ""))))
            for b in message.get("buttons") or []
        )
        image_url = str(image) if image else None
        return OutboundMessage(
            "telegram", chat, str(text or ""), image_url=image_url, buttons=buttons
        )

    async def _send(self, reply: OutboundMessage) -> bool:
        """Send with retries; False when it did not go out."""
        try:
            await send_with_retries(self.sender, reply, worth_another_try, SEND_ATTEMPTS)
        except SendFailed as failure:
            await self._not_sent(reply.to, failure)
            return False
        return True

    async def _not_sent(self, chat: str, failure: SendFailed) -> None:
        if failure.do_not_contact is not None:
            logger.warning("Telegram chat %s refuses messages: %s", chat, failure.reason)
            await self._block(chat, f"send refused: {failure.reason}")
        elif worth_another_try(failure):
            logger.error(
                "gave up sending to Telegram chat %s after %d attempts: %s",
                chat,
                SEND_ATTEMPTS,
                failure,
            )
        else:
            logger.error("Telegram rejected a message to %s: %s", chat, failure.reason)

    async def _membership(self, update: Update) -> None:
        member = update.my_chat_member
        assert member is not None
        chat = str(member.chat.id)
        status = member.new_chat_member.status
        if status == "kicked":
            await self._block(chat, "the person blocked the bot")
        elif status == "member":
            await asyncio.to_thread(self._note, chat, "telegram_unblocked")

    async def _block(self, chat: str, note: str) -> None:
        def work() -> None:
            contact = self.store.contacts.ensure("telegram", chat)
            self.store.consent.block_contact(contact.id, "telegram", "blocked", note)

        try:
            await asyncio.to_thread(work)
        except StoreUnavailable as error:
            logger.error("could not record that Telegram chat %s blocked the bot: %s", chat, error)

    def _note(self, chat: str, kind: str) -> None:
        contact = self.store.contacts.for_identity("telegram", chat)
        if contact is not None:
            # Unblocking is not consent: do-not-contact stays until the person opts in.
            self.store.contacts.record_event(contact.id, kind, {"chat": chat})

    async def _answer_button(self, query_id: str) -> None:
        try:
            await self.sender.answer_button(query_id)
        except SendFailed as failure:
            # The spinner runs on a while; the press itself is handled all the same.
            logger.warning("Telegram call failed: %s", failure)


def _own_contact(message: Message) -> bool:
    """Telegram vouches that a contact is the sender's own only by its user id; in a group
    the chat (the conversation) is not one person, so nothing there proves a number."""
    sender = message.from_user.id if message.from_user else None
    owner = message.contact.user_id if message.contact else None
    return message.chat.type == "private" and sender is not None and owner == sender


def _button_title(query: Any, data: str) -> str:
    markup = getattr(query.message, "reply_markup", None)
    for row in getattr(markup, "inline_keyboard", None) or []:
        for button in row:
            if button.callback_data == data:
                return str(button.text)
    return data
