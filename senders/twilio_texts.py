"""SMS and WhatsApp through Twilio's Messages API: chat replies and campaign sends alike.

Each `send` makes one attempt and sorts a failure into retry-later or never (`SendFailed`);
the caller owns retries: the campaign outbox across ticks, a chat reply at once through
`senders.retry`.

The request is the one twilio-python's `messages.create_async` makes (the same URL,
basic auth, form fields and headers), posted with aiohttp directly: the generated client
cost about as much CPU per message as the rest of a campaign send put together.
"""

from __future__ import annotations

import asyncio
import json
import platform
from dataclasses import dataclass
from urllib.parse import urlencode

import aiohttp

from bot.settings import TwilioSettings
from bot.types import DncReason
from senders.interface import OutboundMessage, SendFailed, SendReceipt

API_VERSION = "2010-04-01"
WHATSAPP_PREFIX = "whatsapp:"
TIMEOUT_S = 15.0
# What twilio-python 8.2.2 says it is; Twilio's support reads these headers.
TWILIO_PYTHON = "8.2.2"
USER_AGENT = (
    f"twilio-python/{TWILIO_PYTHON} ({platform.system()} {platform.machine()}) "
    f"Python/{platform.python_version()}"
)
# Twilio error codes that mean "never to this number": opted out at the carrier, or not
# a number that can receive messages at all.
_TWILIO_BLOCKING: dict[int, DncReason] = {
    21610: "carrier_block",
    21211: "undeliverable",
    21614: "undeliverable",
    63003: "undeliverable",
}


@dataclass(frozen=True)
class TwilioError:
    """Twilio's answer to a message it did not create: the HTTP status and its error
    code (the status itself when the body names none, as twilio-python does)."""

    status: int
    code: int | None
    message: str

    @classmethod
    def parse(cls, status: int, body: bytes) -> TwilioError:
        message = "Unable to create record"
        try:
            payload = json.loads(body)
        except ValueError:
            return cls(status, status, message)
        if not isinstance(payload, dict):
            return cls(status, status, message)
        if "message" in payload:
            message = f"{message}: {payload['message']}"
        code = payload.get("code", status)
        return cls(status, code if isinstance(code, int) else None, message)

    def failure(self, channel: str) -> SendFailed:
        blocks = _TWILIO_BLOCKING.get(self.code) if self.code is not None else None
        retryable = blocks is None and (self.status >= 500 or self.status == 429)
        code = None if self.code is None else str(self.code)
        return SendFailed(channel, self.message, retryable, code, blocks)


class TwilioTextSender:
    """SMS and WhatsApp off the event loop's back; created inside the running loop
    (aiohttp insists)."""

    def __init__(self, settings: TwilioSettings, timeout_s: float = TIMEOUT_S) -> None:
        token = settings.auth_token
        if token is None or not settings.configured:
            raise ValueError("Twilio is not configured (TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN)")
        self._settings = settings
        base = settings.api_base_url.rstrip("/")
        self._url = f"{base}/{API_VERSION}/Accounts/{settings.account_sid}/Messages.json"
        self._headers = {
            "User-Agent": USER_AGENT,
            "X-Twilio-Client": f"python-{TWILIO_PYTHON}",
            "Accept-Charset": "utf-8",
            "Content-Type": "application/x-www-form-urlencoded",
            "Accept": "application/json",
            "Authorization": aiohttp.BasicAuth(settings.account_sid, token.value).encode(),
        }
        # An unset timeout is aiohttp's "wait forever": a Twilio that never answers would
        # hold a reply or a campaign send for good.
        self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=timeout_s))

    async def send(self, message: OutboundMessage) -> SendReceipt:
        body = urlencode(self._form(message)).encode()
        try:
            async with self._session.post(
                self._url, data=body, headers=self._headers, allow_redirects=False
            ) as response:
                status, answer = response.status, await response.read()
        except aiohttp.ClientConnectorError as error:
            raise SendFailed(message.channel, f"Twilio unreachable: {error}", True) from error
        except (aiohttp.ClientError, asyncio.TimeoutError) as error:
            reason = f"no answer from Twilio: {error!r}"
            raise SendFailed(message.channel, reason, False, maybe_sent=True) from error
        if not 200 <= status < 300:
            raise TwilioError.parse(status, answer).failure(message.channel)
        return SendReceipt(_sid_of(message.channel, answer))

    async def close(self) -> None:
        await self._session.close()

    def _form(self, message: OutboundMessage) -> dict[str, str]:
        """Twilio's form fields, in twilio-python's order."""
        whatsapp = message.channel == "whatsapp"
        configured = self._settings.whatsapp_from if whatsapp else self._settings.sms_from
        sender = configured or message.reply_from
        if not sender:
            raise SendFailed(message.channel, "no sending number configured", retryable=False)
        form = {"To": (WHATSAPP_PREFIX if whatsapp else "") + message.to}
        if self._settings.public_url:
            form["StatusCallback"] = f"{self._settings.public_url}/webhooks/twilio/status"
        if message.content_sid:
            form["ContentSid"] = message.content_sid
            form["ContentVariables"] = json.dumps(dict(message.content_variables))
        form["From"] = sender
        if not message.content_sid:
            form["Body"] = message.text
        return form


def _sid_of(channel: str, answer: bytes) -> str:
    """The created message's sid; Twilio took the message even when the answer is
    unreadable, so such an answer may have sent and must not be retried."""
    try:
        sid = json.loads(answer).get("sid")
    except (ValueError, AttributeError):
        sid = None
    if not isinstance(sid, str):
        reason = f"Twilio created the message but its answer had no sid: {answer[:200]!r}"
        raise SendFailed(channel, reason, False, maybe_sent=True)
    return sid
