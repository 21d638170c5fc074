"""Campaign messages written into the person's Rasa conversation.

SMS, WhatsApp and Telegram conversations are keyed by the phone number or chat id a
campaign sends to, so a reply lands in the same conversation. Appending what we sent as
a bot utterance lets the transcript (handoffs, exports) show what the person answers.
"""

from __future__ import annotations

import logging
import time
from typing import Any
from urllib.parse import quote

import httpx

logger = logging.getLogger(__name__)

CONVERSATIONAL = ("sms", "whatsapp", "telegram")


class ConversationLog:
    def __init__(self, rasa_url: str, token: str, timeout: float = 5.0) -> None:
        self._url, self._token = rasa_url.rstrip("/"), token
        self._client = httpx.AsyncClient(timeout=timeout)

    async def record(self, sender_id: str, text: str, metadata: dict[str, Any]) -> bool:
        """Append a bot utterance; False (logged) when Rasa could not take it. The send
        has happened either way: a missing transcript line is no reason to resend."""
        event = {
            "event": "bot",
            "text": text,
            "timestamp": time.time(),
            "metadata": {"parley_campaign": metadata},
        }
        # Sanic does not unquote path parameters: "+" must stay as it is (it is safe
        # in a path), or the event lands in a conversation named "%2B1415...".
        url = f"{self._url}/conversations/{quote(sender_id, safe='+')}/tracker/events"
        try:
            headers = {"Authorization": f"Bearer {self._token}"}  # never in the URL
            reply = await self._client.post(url, headers=headers, json=event)
        except httpx.HTTPError as error:
            logger.warning("campaign message not added to conversation %s: %s", sender_id, error)
            return False
        if reply.status_code >= 300:
            logger.warning(
                "Rasa refused the campaign message for %s: %s %s",
                sender_id,
                reply.status_code,
                reply.text[:200],
            )
            return False
        return True

    async def close(self) -> None:
        await self._client.aclose()
