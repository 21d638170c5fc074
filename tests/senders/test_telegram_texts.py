"""The Telegram sender against a fake Bot API on loopback: receipts and SendFailed."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.settings import Settings
from senders.interface import OutboundMessage, SendFailed
from senders.telegram_texts import TelegramSender
from tests.channels.fake_telegram import FakeTelegram
from tests.senders.conftest import TG_TOKEN, SettingsFor

pytestmark = pytest.mark.asyncio(loop_scope="session")

CHAT = "555000777"


@pytest.fixture
def telegram_settings(settings_for: SettingsFor, fake_telegram: FakeTelegram) -> Settings:
    return settings_for(
        TELEGRAM_BOT_TOKEN=TG_TOKEN,
        TELEGRAM_WEBHOOK_SECRET="senders-webhook-secret_0123",
        TELEGRAM_API_BASE_URL=fake_telegram.api_base,
    )


@pytest.fixture
async def sender(telegram_settings: Settings) -> AsyncIterator[TelegramSender]:
    made = TelegramSender(telegram_settings.telegram)
    yield made
    await made.close()


async def test_telegram_sender_answers_with_chat_and_message_id(
    sender: TelegramSender, fake_telegram: FakeTelegram
) -> None:
    receipt = await sender.send(OutboundMessage("telegram", CHAT, "Hello"))
    call = fake_telegram.sent_to(CHAT)[-1]
    assert call.params["text"] == "Hello"
    assert receipt.provider_message_id.startswith(f"{CHAT}:")


@pytest.mark.parametrize(
    ("status", "description", "parameters", "expected"),
    [
        (403, "Forbidden: bot was blocked by the user", {}, (False, "403", "blocked")),
        (400, "Bad Request: chat not found", {}, (False, "400", None)),
        (429, "Too Many Requests: retry after 3", {"retry_after": 3}, (True, "429", None)),
    ],
)
async def test_telegram_refusal_sorts_the_failure(
    sender: TelegramSender,
    fake_telegram: FakeTelegram,
    status: int,
    description: str,
    parameters: dict[str, int],
    expected: tuple[bool, str, str | None],
) -> None:
    fake_telegram.fail_next(status, description, **parameters)
    with pytest.raises(SendFailed) as raised:
        await sender.send(OutboundMessage("telegram", CHAT, "Hello"))
    failure = raised.value
    assert (failure.retryable, failure.code, failure.do_not_contact) == expected
