"""Sending texts through Twilio's REST API, off the event loop's back, with retries."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import aiohttp
from twilio.base.exceptions import TwilioRestException
from twilio.http.async_http_client import AsyncTwilioHttpClient
from twilio.http.response import Response
from twilio.rest import Client

logger = logging.getLogger(__name__)
# twilio-python logs every request and response header at INFO; only trouble is news.
_http_logger = logging.getLogger(f"{__name__}.http")
_http_logger.setLevel(logging.WARNING)

TWILIO_API = "https://api.twilio.com"
ATTEMPTS = 3
FIRST_BACKOFF_S = 0.5


class RebasedHttpClient(AsyncTwilioHttpClient):
    """Twilio's async HTTP client, talking to `base_url` instead of api.twilio.com."""

    def __init__(self, base_url: str, timeout: float = 15.0) -> None:
        super().__init__(timeout=timeout, logger=_http_logger)
        self.base_url = base_url.rstrip("/")

    async def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> Response:
        if url.startswith(TWILIO_API):
            url = self.base_url + url.removeprefix(TWILIO_API)
        return await super().request(method, url, *args, **kwargs)


def _retryable(error: Exception) -> bool:
    if isinstance(error, TwilioRestException):
        return error.status >= 500 or error.status == 429
    return isinstance(error, (aiohttp.ClientError, asyncio.TimeoutError))


class TwilioSender:
    """Sends one text at a time; created inside the running loop (aiohttp insists)."""

    def __init__(self, account_sid: str, auth_token: str, base_url: str, status_url: str):
        self._http = RebasedHttpClient(base_url)
        self._client = Client(account_sid, auth_token, http_client=self._http)
        self._status_url = status_url

    async def send(self, to: str, from_: str, body: str) -> str | None:
        """The message sid, or None when every attempt failed (logged, never raised)."""
        for attempt in range(1, ATTEMPTS + 1):
            try:
                message = await self._client.messages.create_async(
                    to=to, from_=from_, body=body, status_callback=self._status_url
                )
                return str(message.sid)
            except (TwilioRestException, aiohttp.ClientError, asyncio.TimeoutError) as error:
                if attempt == ATTEMPTS or not _retryable(error):
                    logger.error("Twilio send to %s failed after %d tries: %s", to, attempt, error)
                    return None
                logger.warning(
                    "Twilio send to %s failed (try %d), retrying: %s", to, attempt, error
                )
                await asyncio.sleep(FIRST_BACKOFF_S * 2 ** (attempt - 1))
        return None

    async def close(self) -> None:
        await self._http.close()
