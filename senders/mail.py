"""Marketing email over SMTP (through `bot.mailer`, the one SMTP client), with RFC 8058
one-click unsubscribe headers; a permanent refusal of the recipient is a hard bounce."""

from __future__ import annotations

import asyncio

from bot import mailer
from bot.errors import DeliveryFailed
from bot.settings import MailSettings
from bot.types import DncReason
from bot.unsubscribe import list_unsubscribe_headers
from senders.interface import OutboundMessage, SendFailed, SendReceipt


class EmailSender:
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
            raise _bounce_or_failure(error) from error
        return SendReceipt(message_id)

    async def close(self) -> None:
        return None


def _bounce_or_failure(error: DeliveryFailed) -> SendFailed:
    # A permanent refusal of the recipient is a hard bounce: the address is dead.
    refused = error.reason.startswith(("recipient refused", "recipients refused"))
    blocks: DncReason | None = "undeliverable" if refused and not error.retryable else None
    return SendFailed("email", error.reason, error.retryable, None, blocks)
