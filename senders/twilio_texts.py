"""SMS and WhatsApp through Twilio's Messages API: chat replies and campaign sends alike.

Each `send` makes one attempt and sorts a failure into retry-later or never (`SendFailed`);
the caller owns retries: the campaign outbox across ticks, a chat reply at once through
`senders.retry`.
"""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

import aiohttp
from twilio.base.exceptions import TwilioRestException
from twilio.http.async_http_client import AsyncTwilioHttpClient
from twilio.http.response import Response
from twilio.rest import Client

from bot.settings import TwilioSettings
from bot.types import DncReason
from senders.interface import OutboundMessage, SendFailed, SendReceipt

# twilio-python logs every request and response header at INFO; only trouble is news.
_http_logger = logging.getLogger(f"{__name__}.http")
_http_logger.setLevel(logging.WARNING)

TWILIO_API = "https://api.twilio.com"
WHATSAPP_PREFIX = "whatsapp:"
TIMEOUT_S = 15.0
# Twilio error codes that mean "never to this number": opted out at the carrier, or not
# a number that can receive messages at all.
_TWILIO_BLOCKING: dict[int, DncReason] = {
    21610: "carrier_block",
    21211: "undeliverable",
    21614: "undeliverable",
    63003: "undeliverable",
}


class RebasedHttpClient(AsyncTwilioHttpClient):
    """Twilio's async HTTP client, talking to `base_url` instead of api.twilio.com."""

    def __init__(self, base_url: str, timeout: float = TIMEOUT_S) -> None:
        super().__init__(timeout=timeout, logger=_http_logger)
        self.base_url = base_url.rstrip("/")

    async def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> Response:
        if url.startswith(TWILIO_API):
            url = self.base_url + url.removeprefix(TWILIO_API)
        if kwargs.get("timeout") is None:
            # twilio-python passes timeout=None, which aiohttp takes for "wait forever":
            # a Twilio that never answers would hold a reply or a campaign send for good.
            kwargs["timeout"] = self.timeout
        return await super().request(method, url, *args, **kwargs)


class TwilioTextSender:
    """SMS and WhatsApp off the event loop's back; created inside the running loop
    (aiohttp insists)."""

    def __init__(self, settings: TwilioSettings, timeout_s: float = TIMEOUT_S) -> None:
        token = settings.auth_token
        if token is None or not settings.configured:
            raise ValueError("Twilio is not configured (TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN)")
        self._settings = settings
        self._http = RebasedHttpClient(settings.api_base_url, timeout_s)
        self._client = Client(settings.account_sid, token.value, http_client=self._http)

    async def send(self, message: OutboundMessage) -> SendReceipt:
        params = self._params(message)
        try:
            sent = await self._client.messages.create_async(**params)
        except TwilioRestException as error:
            raise _twilio_failure(message.channel, error) from error
        except aiohttp.ClientConnectorError as error:
            raise SendFailed(message.channel, f"Twilio unreachable: {error}", True) from error
        except (aiohttp.ClientError, asyncio.TimeoutError) as error:
            reason = f"no answer from Twilio: {error!r}"
            raise SendFailed(message.channel, reason, False, maybe_sent=True) from error
        return SendReceipt(str(sent.sid))

    async def close(self) -> None:
        await self._http.close()

    def _params(self, message: OutboundMessage) -> dict[str, object]:
        whatsapp = message.channel == "whatsapp"
        configured = self._settings.whatsapp_from if whatsapp else self._settings.sms_from
        sender = configured or message.reply_from
        if not sender:
            raise SendFailed(message.channel, "no sending number configured", retryable=False)
        prefix = WHATSAPP_PREFIX if whatsapp else ""
        params: dict[str, object] = {"to": prefix + message.to, "from_": sender}
        if message.content_sid:
            params["content_sid"] = message.content_sid
            params["content_variables"] = json.dumps(dict(message.content_variables))
        else:
            params["body"] = message.text
        if self._settings.public_url:
            params["status_callback"] = f"{self._settings.public_url}/webhooks/twilio/status"
        return params


def _twilio_failure(channel: str, error: TwilioRestException) -> SendFailed:
    code = int(error.code) if isinstance(error.code, int) else None
    blocks = _TWILIO_BLOCKING.get(code) if code is not None else None
    retryable = blocks is None and (error.status >= 500 or error.status == 429)
    code_text = None if code is None else str(code)
    return SendFailed(channel, str(error.msg), retryable, code_text, blocks)
