"""Twilio SMS and WhatsApp: signed webhooks in, replies out through Twilio's REST API.

Routes (under /webhooks/twilio/):
  * `POST /webhook`: an inbound SMS or WhatsApp message (WhatsApp when `From` starts with
    `whatsapp:`). Answered at once with empty TwiML; the turn and the replies run in the
    background. The sender id is the bare phone number, so one person on SMS and on
    WhatsApp is one conversation and one contact.
  * `POST /status`: delivery reports for the messages Parley sent.
Both check `X-Twilio-Signature` against PARLEY_PUBLIC_URL; without TWILIO_AUTH_TOKEN
every request is refused, so unsigned traffic is never accepted.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request, RequestParameters
from sanic.response import HTTPResponse
from twilio.request_validator import RequestValidator

from bot.errors import StoreUnavailable
from bot.settings import TwilioSettings, load_settings
from bot.store import ProfileStore
from bot.types import Channel
from channels.activity import note_inbound
from channels.collecting import collector_for
from channels.held import agent_of, kept_for_person
from channels.inbound import InboundWork
from channels.keywords import apply_keywords
from channels.messages import (
    APOLOGY,
    CONSENT_CONFIRMED,
    EMPTY_MESSAGE,
    MEDIA_UNREADABLE,
    bot_text,
)
from channels.texting import SMS_LIMIT, WHATSAPP_LIMIT, ChosenOptions, render
from senders.interface import OutboundMessage, SendChannel, SendFailed
from senders.retry import send_with_retries, worth_another_try
from senders.twilio_texts import TwilioTextSender

logger = logging.getLogger(__name__)

PROVIDER = "twilio"
WHATSAPP_PREFIX = "whatsapp:"
EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response/>'
CARRIER_OPT_OUT = "21610"
_OPT_OUT_TYPES = frozenset({"STOP", "START", "HELP"})

OnNewMessage = Callable[[UserMessage], Awaitable[Any]]


class BadRequest(ValueError):
    """A webhook body without the fields every Twilio message has."""


@dataclass(frozen=True)
class Inbound:
    message_sid: str
    sender: str  # the bare E.164 number: the Rasa sender id
    channel: Channel
    reply_to: str  # `From` as Twilio gave it, prefix included
    to: str
    body: str
    num_media: int
    opt_out_type: str | None

    @property
    def limit(self) -> int:
        return WHATSAPP_LIMIT if self.channel == "whatsapp" else SMS_LIMIT


def parse_inbound(form: Mapping[str, Any]) -> Inbound:
    sid, sender = field_of(form, "MessageSid") or field_of(form, "SmsSid"), field_of(form, "From")
    if not sid or not sender:
        raise BadRequest("MessageSid and From are required")
    media = field_of(form, "NumMedia") or "0"
    opt_out = (field_of(form, "OptOutType") or "").upper()
    return Inbound(
        message_sid=sid,
        sender=sender.removeprefix(WHATSAPP_PREFIX),
        channel="whatsapp" if sender.startswith(WHATSAPP_PREFIX) else "sms",
        reply_to=sender,
        to=field_of(form, "To") or "",
        body=field_of(form, "Body") or "",
        num_media=int(media) if media.isdigit() else 0,
        opt_out_type=opt_out if opt_out in _OPT_OUT_TYPES else None,
    )


def form_of(request: Request) -> RequestParameters:
    """The form as Twilio signed it: blank values (an empty Body) included, which
    Sanic's own `request.form` drops."""
    if not (request.content_type or "").startswith("application/x-www-form-urlencoded"):
        return RequestParameters()
    raw = (request.body or b"").decode("utf-8", errors="replace")
    return RequestParameters(parse_qs(raw, keep_blank_values=True))


def refusal(
    validator: RequestValidator | None, public_url: str, request: Request
) -> HTTPResponse | None:
    """A 403 unless the request carries Twilio's signature over our public URL (so it
    works behind a proxy); None when it is genuine. Shared by SMS/WhatsApp and voice."""
    if validator is None:
        return response.text("Twilio is not configured", status=403)
    url = public_url + request.path
    if request.query_string:
        url += "?" + request.query_string
    signature = request.headers.get("X-Twilio-Signature", "")
    if not signature or not validator.validate(url, form_of(request), signature):
        logger.warning(
            "refused a Twilio request to %s with a missing or wrong signature", request.path
        )
        return response.text("invalid signature", status=403)
    return None


def field_of(form: Mapping[str, Any], name: str) -> str | None:
    """Sanic keeps form values as lists; Twilio sends each field once."""
    value = form.get(name)
    if isinstance(value, list):
        value = value[0] if value else None
    return value.strip() if isinstance(value, str) and value.strip() else None


def keyword_text(inbound: Inbound, said: str) -> tuple[str, dict[str, Any]]:
    """The text for NLU and its metadata. Twilio's own opt-out detection (OptOutType)
    counts like the keyword itself, whatever the words were."""
    text, metadata = apply_keywords(
        inbound.opt_out_type or said, {"twilio_message_sid": inbound.message_sid}, inbound.channel
    )
    if inbound.opt_out_type and "original_text" in metadata:
        metadata["original_text"] = inbound.body
    return text, metadata


class TwilioMessagingInput(InputChannel):
    """SMS and WhatsApp through Twilio."""

    def __init__(self, settings: TwilioSettings, store: ProfileStore) -> None:
        self.settings = settings
        self.store = store
        token = settings.auth_token
        self._validator = RequestValidator(token.value) if token and settings.configured else None
        self._options = ChosenOptions()
        self._sender: TwilioTextSender | None = None
        self._work = InboundWork(store, PROVIDER)

    @classmethod
    def name(cls) -> str:
        return "twilio"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> TwilioMessagingInput:
        settings = load_settings()
        return cls(settings.twilio, ProfileStore.from_url(settings.database_url))

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        hooks = Blueprint("parley_twilio_webhook", __name__)

        @hooks.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            refusal = self._refusal(request)
            if refusal is not None:
                return refusal
            try:
                inbound = parse_inbound(form_of(request))
            except BadRequest as error:
                return response.text(str(error), status=400)
            if await self._work.first_delivery(inbound.message_sid):
                self._work.spawn(self._converse(on_new_message, inbound, request.app))
            return response.text(EMPTY_TWIML, content_type="text/xml")

        @hooks.route("/status", methods=["POST"])
        async def status(request: Request) -> HTTPResponse:
            return self._refusal(request) or await self._record_status(form_of(request))

        @hooks.listener("before_server_stop")
        async def finish(*_: Any) -> None:
            await self._work.finish()
            if self._sender is not None:
                await self._sender.close()

        return hooks

    def _refusal(self, request: Request) -> HTTPResponse | None:
        return refusal(self._validator, self.settings.public_url, request)

    async def _converse(self, on_new_message: OnNewMessage, inbound: Inbound, app: Any) -> None:
        # One sender's turns (and their replies) in the order they arrived.
        await note_inbound(self.store, inbound.channel, inbound.sender)
        async with self._work.turn_lock(inbound.sender):
            messages = await self._turn(on_new_message, inbound, app)
            if not messages:
                return  # kept for the person from the team who holds the conversation
            rendered = render(messages, inbound.limit)
            self._options.offer(inbound.sender, rendered.options)
            for text in rendered.texts:
                await self._send(inbound, text)

    async def _turn(
        self, on_new_message: OnNewMessage, inbound: Inbound, app: Any
    ) -> list[dict[str, Any]]:
        if inbound.num_media and not inbound.body:
            return [bot_text(inbound.sender, MEDIA_UNREADABLE)]
        if not inbound.body and not inbound.opt_out_type:
            return [bot_text(inbound.sender, EMPTY_MESSAGE)]
        held = inbound.opt_out_type or inbound.body
        if await kept_for_person(self.store, agent_of(app), inbound.sender, held, inbound.channel):
            return []
        said = self._options.resolve(inbound.sender, inbound.body)
        text, metadata = keyword_text(inbound, said)
        if metadata.get("parley_keyword") == "YES" and await self._confirmed_by_text(inbound):
            return [bot_text(inbound.sender, CONSENT_CONFIRMED)]
        if metadata.get("parley_keyword") == "YES" and not await self._opted_out(inbound):
            # YES re-subscribes only someone who opted out; otherwise it is just "yes"
            # (to "Is that right?" or "may we text you?").
            text, metadata = said, {k: v for k, v in metadata.items() if "keyword" not in k}
            metadata.pop("original_text", None)
        collector = collector_for(self.name())
        message = UserMessage(
            text,
            collector,
            inbound.sender,
            input_channel=self.name(),
            metadata=metadata,
            message_id=inbound.message_sid,
        )
        try:
            await on_new_message(message)
        except Exception:
            # Whatever broke, the person must not be left in silence; the traceback goes
            # to the log for the operator.
            logger.exception("turn failed for sender %s", inbound.sender)
            return [*collector.messages, bot_text(inbound.sender, APOLOGY)]
        return collector.messages or [bot_text(inbound.sender, APOLOGY)]

    async def _confirmed_by_text(self, inbound: Inbound) -> bool:
        """YES from a number whose texts someone asked for in a chat confirms that grant
        (double opt-in): the text itself proves the number."""

        def confirm() -> bool:
            contact = self.store.contacts.find(inbound.sender)
            if contact is None or contact.phone != inbound.sender:
                return False
            waiting = [
                e
                for e in self.store.consent.pending_grants(contact.id)
                if e.purpose in ("sms", "whatsapp")
            ]
            evidence = {
                "message_sid": inbound.message_sid,
                "keyword": "YES",
                "channel": inbound.channel,
            }
            done = [self.store.consent.confirm(e.id, "text_reply", evidence) for e in waiting]
            return any(done)

        try:
            return await asyncio.to_thread(confirm)
        except StoreUnavailable as error:
            logger.error("could not check for a consent to confirm: %s", error)
            return False

    async def _opted_out(self, inbound: Inbound) -> bool:
        def lookup() -> bool:
            contact = self.store.contacts.for_identity(inbound.channel, inbound.sender)
            return contact is not None and self.store.consent.is_do_not_contact(
                contact.id, inbound.channel
            )

        try:
            return await asyncio.to_thread(lookup)
        except StoreUnavailable:
            return True  # keep the carrier's meaning when we cannot tell

    @property
    def sender(self) -> TwilioTextSender:
        """The Twilio sender campaigns use too, made on first use inside the running
        loop (aiohttp insists); a refused webhook never gets this far."""
        if self._sender is None:
            self._sender = TwilioTextSender(self.settings)
        return self._sender

    async def _send(self, inbound: Inbound, text: str) -> None:
        channel: SendChannel = "whatsapp" if inbound.channel == "whatsapp" else "sms"
        reply = OutboundMessage(channel, inbound.sender, text, reply_from=inbound.to)
        try:
            await send_with_retries(self.sender, reply, worth_another_try)
        except SendFailed as failure:
            logger.error("Twilio reply to %s failed: %s", inbound.reply_to, failure)

    async def _record_status(self, form: Mapping[str, Any]) -> HTTPResponse:
        sid = field_of(form, "MessageSid") or field_of(form, "SmsSid")
        state = field_of(form, "MessageStatus") or field_of(form, "SmsStatus")
        if not sid or not state:
            return response.text("MessageSid and MessageStatus are required", status=400)
        error_code, to = field_of(form, "ErrorCode"), field_of(form, "To") or ""
        try:
            await asyncio.to_thread(
                self.store.messages.record_status, PROVIDER, sid, state, error_code
            )
            if error_code == CARRIER_OPT_OUT:
                await asyncio.to_thread(self._block_at_carrier, to, sid)
        except StoreUnavailable as error:
            logger.error("status of %s not recorded: %s", sid, error)
            return response.text("store unavailable", status=503)
        return response.empty()

    def _block_at_carrier(self, to: str, message_sid: str) -> None:
        """The carrier says this number opted out: never text it again (blocking)."""
        number = to.removeprefix(WHATSAPP_PREFIX)
        channel: Channel = "whatsapp" if to.startswith(WHATSAPP_PREFIX) else "sms"
        contact = self.store.contacts.find(number) or self.store.contacts.for_identity(
            channel, number
        )
        if contact is None:
            logger.warning("carrier opt-out for an unknown number (message %s)", message_sid)
            return
        note = f"Twilio error {CARRIER_OPT_OUT} on {message_sid}"
        self.store.consent.block_contact(contact.id, channel, "carrier_block", note)
