"""The Telegram sender against a fake Bot API on loopback: texts, photos and buttons,
receipts, SendFailed, and the immediate retries chat replies get."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator

import pytest

from bot.settings import Settings
from senders.interface import Button, OutboundMessage, SendFailed
from senders.retry import send_with_retries, worth_another_try
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
        (500, "Internal Server Error", {}, (True, None, None)),
        (502, "Bad Gateway", {}, (True, None, None)),
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


async def test_a_429_says_how_long_telegram_asked_to_wait(
    sender: TelegramSender, fake_telegram: FakeTelegram
) -> None:
    fake_telegram.fail_next(429, "Too Many Requests: retry after 7", retry_after=7)
    with pytest.raises(SendFailed) as raised:
        await sender.send(OutboundMessage("telegram", CHAT, "Hello"))
    assert raised.value.retry_after_s == 7


async def test_buttons_go_out_as_an_inline_keyboard_one_a_row(
    sender: TelegramSender, fake_telegram: FakeTelegram
) -> None:
    buttons = (Button("Book a demo", "/book_demo"), Button("Pricing", "k:0123456789abcdef0123"))
    await sender.send(OutboundMessage("telegram", CHAT, "What can I do?", buttons=buttons))
    call = fake_telegram.sent_to(CHAT)[-1]
    assert (call.method, call.params["text"]) == ("sendMessage", "What can I do?")
    rows = call.params["reply_markup"]["inline_keyboard"]
    assert rows == [
        [{"text": "Book a demo", "callback_data": "/book_demo"}],
        [{"text": "Pricing", "callback_data": "k:0123456789abcdef0123"}],
    ]


async def test_an_image_goes_out_as_a_photo_with_the_text_as_caption(
    sender: TelegramSender, fake_telegram: FakeTelegram
) -> None:
    image = "https://cdn.example.test/plans.png"
    message = OutboundMessage(
        "telegram", CHAT, "Our plans", image_url=image, buttons=(Button("Pro", "/pro"),)
    )
    receipt = await sender.send(message)
    call = fake_telegram.sent_to(CHAT)[-1]
    assert call.method == "sendPhoto"
    assert (call.params["photo"], call.params["caption"]) == (image, "Our plans")
    assert call.params["reply_markup"]["inline_keyboard"] == [
        [{"text": "Pro", "callback_data": "/pro"}]
    ]
    assert receipt.provider_message_id.startswith(f"{CHAT}:")


async def test_an_image_without_text_has_no_caption(
    sender: TelegramSender, fake_telegram: FakeTelegram
) -> None:
    image = "https://cdn.example.test/map.png"
    await sender.send(OutboundMessage("telegram", CHAT, "", image_url=image))
    call = fake_telegram.sent_to(CHAT)[-1]
    assert call.params["photo"] == image and "caption" not in call.params


async def test_a_blocked_bot_refuses_a_photo_as_do_not_contact(
    sender: TelegramSender, fake_telegram: FakeTelegram
) -> None:
    fake_telegram.fail_next(403, "Forbidden: bot was blocked by the user")
    message = OutboundMessage("telegram", CHAT, "", image_url="https://cdn.example.test/a.png")
    with pytest.raises(SendFailed) as raised:
        await sender.send(message)
    assert (raised.value.retryable, raised.value.do_not_contact) == (False, "blocked")
    assert fake_telegram.refused[-1].method == "sendPhoto"


async def test_a_reply_waits_out_flood_control_and_a_5xx_then_goes_out(
    sender: TelegramSender, fake_telegram: FakeTelegram
) -> None:
    fake_telegram.fail_next(429, "Too Many Requests: retry after 1", retry_after=1)
    fake_telegram.fail_next(500, "Internal Server Error")
    started = time.monotonic()
    reply = OutboundMessage("telegram", CHAT, "Still there?")
    await send_with_retries(sender, reply, worth_another_try, attempts=4)
    assert time.monotonic() - started >= 1.0  # Telegram's retry_after, not our 0.5 s
    assert [c.method for c in fake_telegram.refused[-2:]] == ["sendMessage", "sendMessage"]
    assert fake_telegram.sent_to(CHAT)[-1].params["text"] == "Still there?"


async def test_a_refusal_is_not_retried(
    sender: TelegramSender, fake_telegram: FakeTelegram
) -> None:
    fake_telegram.fail_next(403, "Forbidden: bot was blocked by the user")
    before = len(fake_telegram.sent_to(CHAT))
    with pytest.raises(SendFailed):
        await send_with_retries(sender, OutboundMessage("telegram", CHAT, "Hi"), worth_another_try)
    assert len(fake_telegram.sent_to(CHAT)) == before


async def test_a_button_press_is_answered(
    sender: TelegramSender, fake_telegram: FakeTelegram
) -> None:
    await sender.answer_button("4242")
    assert fake_telegram.called("answerCallbackQuery")[-1].params["callback_query_id"] == "4242"
    fake_telegram.fail_next(400, "Bad Request: query is too old")
    with pytest.raises(SendFailed) as raised:
        await sender.answer_button("4243")
    assert (raised.value.retryable, raised.value.code) == (False, "400")
