"""Provider senders for campaigns: Twilio SMS and WhatsApp, Telegram, email over SMTP.

Each makes one attempt and sorts failures into retry-later or never (`SendFailed`); the
campaign outbox owns retries and backoff, so an attempt is never repeated here.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Mapping
from datetime import timedelta

import aiohttp
from telegram import Bot
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut
from twilio.base.exceptions import TwilioRestException
from twilio.rest import Client

from bot import mailer
from bot.errors import DeliveryFailed
from bot.settings import MailSettings, Settings, TelegramSettings, TwilioSettings
from bot.types import DncReason
from bot.unsubscribe import list_unsubscribe_headers
from channels.twilio_sending import RebasedHttpClient
from senders.interface import OutboundMessage, Sender, SendFailed, SendReceipt

WHATSAPP_PREFIX = "whatsapp:"
# Twilio error codes that mean "never to this number": opted out at the carrier, or not
# a number that can receive messages at all.
_TWILIO_BLOCKING: dict[int, DncReason] = {
    21610: "carrier_block",
    21211: "undeliverable",
    21614: "undeliverable",
    63003: "undeliverable",
}


class TwilioTextSender:
    """SMS and WhatsApp through Twilio's Messages API (created inside the running loop)."""

    def __init__(self, settings: TwilioSettings) -> None:
        token = settings.auth_token
        if token is None or not settings.configured:
            raise ValueError("Twilio is not configured (TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN)")
        self._settings = settings
        self._http = RebasedHttpClient(settings.api_base_url)
        self._client = Client(settings.account_sid, token.value, http_client=self._http)

    async def send(self, message: OutboundMessage) -> SendReceipt:
        whatsapp = message.channel == "whatsapp"
        prefix = WHATSAPP_PREFIX if whatsapp else ""
        sender = self._settings.whatsapp_from if whatsapp else self._settings.sms_from
        if not sender:
            raise SendFailed(message.channel, "no sending number configured", retryable=False)
        params: dict[str, object] = {"to": prefix + message.to, "from_": sender}
        if message.content_sid:
            params["content_sid"] = message.content_sid
            params["content_variables"] = json.dumps(dict(message.content_variables))
        else:
            params["body"] = message.text
        if self._settings.public_url:
            params["status_callback"] = f"{self._settings.public_url}/webhooks/twilio/status"
        try:
            sent = await self._client.messages.create_async(**params)
        except TwilioRestException as error:
            raise _twilio_failure(message.channel, error) from error
        except aiohttp.ClientConnectorError as error:
            raise SendFailed(message.channel, f"Twilio unreachable: {error}", True) from error
        except (aiohttp.ClientError, asyncio.TimeoutError) as error:
            raise SendFailed(message.channel, f"no answer from Twilio: {error!r}", False,
                             maybe_sent=True) from error  # fmt: skip
        return SendReceipt(str(sent.sid))

    async def close(self) -> None:
        await self._http.close()


def _twilio_failure(channel: str, error: TwilioRestException) -> SendFailed:
    code = int(error.code) if isinstance(error.code, int) else None
    blocks = _TWILIO_BLOCKING.get(code) if code is not None else None
    retryable = blocks is None and (error.status >= 500 or error.status == 429)
    return SendFailed(channel, str(error.msg), retryable, None if code is None else str(code),
                      blocks)  # fmt: skip


class TelegramSender:
    def __init__(self, settings: TelegramSettings) -> None:
        token = settings.bot_token
        if token is None:
            raise ValueError("Telegram is not configured (TELEGRAM_BOT_TOKEN)")
        base = settings.api_base_url
        self._bot = Bot(token.value, base_url=base, base_file_url=base.replace("/bot", "/file/bot"))

    async def send(self, message: OutboundMessage) -> SendReceipt:
        try:
            sent = await self._bot.send_message(chat_id=message.to, text=message.text)
        except Forbidden as error:
            raise SendFailed("telegram", str(error), False, "403", "blocked") from error
        except BadRequest as error:
            raise SendFailed("telegram", str(error), False, "400") from error
        except RetryAfter as error:
            wait = error.retry_after
            seconds = wait.total_seconds() if isinstance(wait, timedelta) else float(wait)
            raise SendFailed(
                "telegram", f"rate limited for {seconds:.0f} s", True, "429"
            ) from error
        except TimedOut as error:
            raise SendFailed("telegram", f"no answer from Telegram: {error}", False,
                             maybe_sent=True) from error  # fmt: skip
        except NetworkError as error:
            raise SendFailed("telegram", f"Telegram unreachable: {error}", True) from error
        return SendReceipt(f"{message.to}:{sent.message_id}")

    async def close(self) -> None:
        await self._bot.shutdown()


class EmailSender:
    """Email over SMTP with RFC 8058 one-click unsubscribe headers and the postal footer."""

    def __init__(self, settings: MailSettings) -> None:
        if not settings.configured:
            raise ValueError("SMTP is not configured (PARLEY_SMTP_HOST, PARLEY_MAIL_FROM)")
        self._settings = settings

    async def send(self, message: OutboundMessage) -> SendReceipt:
        email = mailer.new_message(self._settings, message.to, message.subject or "", message.text)
        if message.unsubscribe_url:
            # A long URL must stay one unencoded header line (RFC 2369 has no encoded
            # words); the default policy would fold it into =?utf-8?q?...?= pieces.
            email.policy = email.policy.clone(max_line_length=998)
            for header, value in list_unsubscribe_headers(message.unsubscribe_url).items():
                email[header] = value
        try:
            message_id = await asyncio.to_thread(mailer.send, email, self._settings)
        except DeliveryFailed as error:
            # A permanent refusal of the recipient is a hard bounce: the address is dead.
            refused = error.reason.startswith(("recipient refused", "recipients refused"))
            blocks: DncReason | None = "undeliverable" if refused and not error.retryable else None
            raise SendFailed("email", error.reason, error.retryable, None, blocks) from error
        return SendReceipt(message_id)

    async def close(self) -> None:
        return None


def build_senders(settings: Settings) -> Mapping[str, Sender]:
    """A sender for every channel whose provider is configured."""
    senders: dict[str, Sender] = {}
    if settings.twilio.configured and settings.twilio.auth_token is not None:
        twilio = TwilioTextSender(settings.twilio)
        senders["sms"] = senders["whatsapp"] = twilio
    if settings.telegram.configured:
        senders["telegram"] = TelegramSender(settings.telegram)
    if settings.mail.configured:
        senders["email"] = EmailSender(settings.mail)
    return senders
