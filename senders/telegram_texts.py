"""Messages to a Telegram chat through the Bot API: chat replies and campaign sends alike.

Texts, photos with a caption, inline buttons. Each `send` makes one attempt and sorts a
failure into retry or never (`SendFailed`); the caller owns retries: the campaign outbox
across ticks, a chat reply at once through `senders.retry`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Message
from telegram.error import (
    BadRequest,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)
from telegram.request import HTTPXRequest

from bot.settings import TelegramSettings
from senders.interface import Button, OutboundMessage, SendFailed, SendReceipt


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
            sent = await self._deliver(message)
        except TelegramError as error:
            raise _failure(error) from error
        return SendReceipt(f"{message.to}:{sent.message_id}")

    async def answer_button(self, query_id: str) -> None:
        """Tell Telegram a button press was seen (it stops the button's spinner)."""
        try:
            await self._bot.answer_callback_query(query_id)
        except TelegramError as error:
            raise _failure(error) from error

    async def close(self) -> None:
        # Bot.shutdown() closes nothing unless Bot.initialize() (a getMe call) ran first.
        await self._request.shutdown()

    async def _deliver(self, message: OutboundMessage) -> Message:
        markup = _keyboard(message.buttons)
        if message.image_url:
            return await self._bot.send_photo(
                message.to, message.image_url, caption=message.text or None, reply_markup=markup
            )
        return await self._bot.send_message(message.to, message.text, reply_markup=markup)


def _failure(error: TelegramError) -> SendFailed:
    """What a Bot API error means for trying again. The order matters: BadRequest and
    TimedOut are NetworkErrors too."""
    if isinstance(error, Forbidden):
        return SendFailed("telegram", str(error), False, "403", "blocked")
    if isinstance(error, BadRequest):
        return SendFailed("telegram", str(error), False, "400")
    if isinstance(error, RetryAfter):
        wait = error.retry_after
        seconds = wait.total_seconds() if isinstance(wait, timedelta) else float(wait)
        reason = f"rate limited for {seconds:.0f} s"
        return SendFailed("telegram", reason, True, "429", retry_after_s=seconds)
    if isinstance(error, TimedOut):
        reason = f"no answer from Telegram: {error}"
        return SendFailed("telegram", reason, False, maybe_sent=True)
    if isinstance(error, NetworkError):
        return SendFailed("telegram", f"Telegram unreachable: {error}", True)
    # A wrong token, a group that moved to a new id: trying again would not change it.
    return SendFailed("telegram", str(error), False)


def _keyboard(buttons: Sequence[Button]) -> InlineKeyboardMarkup | None:
    if not buttons:
        return None
    rows = [[InlineKeyboardButton(b.title, callback_data=b.payload)] for b in buttons]
    return InlineKeyboardMarkup(rows)
