"""Texts to a Telegram chat through the Bot API, each failure sorted into retry or never."""

from __future__ import annotations

from datetime import timedelta

from telegram import Bot
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut
from telegram.request import HTTPXRequest

from bot.settings import TelegramSettings
from senders.interface import OutboundMessage, SendFailed, SendReceipt


class TelegramSender:
    def __init__(self, settings: TelegramSettings) -> None:
        token = settings.bot_token
        if token is None:
            raise ValueError("Telegram is not configured (TELEGRAM_BOT_TOKEN)")
        base = settings.api_base_url
        self._request = HTTPXRequest()
        file_base = base.replace("/bot", "/file/bot")
        self._bot = Bot(token.value, base_url=base, base_file_url=file_base, request=self._request)

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
            reason = f"rate limited for {seconds:.0f} s"
            raise SendFailed("telegram", reason, True, "429") from error
        except TimedOut as error:
            reason = f"no answer from Telegram: {error}"
            raise SendFailed("telegram", reason, False, maybe_sent=True) from error
        except NetworkError as error:
            raise SendFailed("telegram", f"Telegram unreachable: {error}", True) from error
        return SendReceipt(f"{message.to}:{sent.message_id}")

    async def close(self) -> None:
        # Bot.shutdown() closes nothing unless Bot.initialize() (a getMe call) ran first.
        await self._request.shutdown()
