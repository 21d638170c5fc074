"""Telegram against a real stack and a fake Bot API: real Update JSON in, Bot API calls out."""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from cli.main import main
from tests.channels.fake_telegram import FakeTelegram
from tests.e2e.conftest import Stack, launch

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

TOKEN = "123456:TEST-token-abcdefghijklmnopqrstuv"
SECRET = "telegram-webhook-secret_0123"
QUIET_S = 0.6
_ids = itertools.count(1000)
_chats = itertools.count(555_000_001)


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeTelegram]:
    running = FakeTelegram(TOKEN).start()
    yield running
    running.stop()


def telegram_env(fake: FakeTelegram) -> dict[str, str]:
    return {
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_WEBHOOK_SECRET": SECRET,
        "TELEGRAM_API_BASE_URL": fake.api_base,
    }


@pytest.fixture(scope="module")
def tg_stack(
    trained_model: Path, tmp_path_factory: pytest.TempPathFactory, fake: FakeTelegram
) -> Iterator[Stack]:
    running = launch(tmp_path_factory.mktemp("telegram"), trained_model, **telegram_env(fake))
    yield running
    running.supervisor.stop()
    running.store.dispose()


def user(chat: int) -> dict[str, Any]:
    return {"id": chat, "is_bot": False, "first_name": "Dana", "language_code": "en"}


def message_update(chat: int, text: str | None = None, **extra: Any) -> dict[str, Any]:
    message: dict[str, Any] = {
        "message_id": next(_ids),
        "date": int(time.time()),
        "from": user(chat),
        "chat": {"id": chat, "type": "private", "first_name": "Dana"},
        **extra,
    }
    if text is not None:
        message["text"] = text
        if text.startswith("/"):
            message["entities"] = [
                {"type": "bot_command", "offset": 0, "length": len(text.split()[0])}
            ]
    return {"update_id": next(_ids), "message": message}


def button_update(chat: int, data: str, title: str) -> dict[str, Any]:
    return {"update_id": next(_ids), "callback_query": {
        "id": str(next(_ids)), "from": user(chat), "chat_instance": "ci-1", "data": data,
        "message": {"message_id": next(_ids), "date": int(time.time()), "chat": {"id": chat, "type": "private"},
                    "text": "question", "reply_markup": {"inline_keyboard": [[{"text": title, "callback_data": data}]]}},
    }}  # fmt: skip


def post(
    stack: Stack, update: dict[str, Any] | bytes, secret: str | None = SECRET
) -> httpx.Response:
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers["X-Telegram-Bot-Api-Secret-Token"] = secret
    body = update if isinstance(update, bytes) else httpx.Request("POST", "/", json=update).content
    return httpx.post(
        f"{stack.settings.rasa_url}/webhooks/telegram/webhook",
        content=body,
        headers=headers,
        timeout=30,
    )


class Chat:
    def __init__(self, stack: Stack, fake: FakeTelegram) -> None:
        self.stack, self.fake, self.id = stack, fake, next(_chats)

    def send(self, update: dict[str, Any]) -> str:
        before = len(self.fake.sent_to(self.id))
        reply = post(self.stack, update)
        assert reply.status_code == 200, reply.text
        sent = self.fake.wait_for(self.id, before + 1)
        while True:
            time.sleep(QUIET_S)
            later = self.fake.sent_to(self.id)
            if len(later) == len(sent):
                break
            sent = later
        return " | ".join(str(c.params.get("text", "")) for c in sent[before:]).lower()

    def say(self, text: str) -> str:
        return self.send(message_update(self.id, text))

    def last_buttons(self) -> list[dict[str, Any]]:
        for call in reversed(self.fake.sent_to(self.id)):
            markup = call.params.get("reply_markup")
            if markup:
                return [b for row in markup["inline_keyboard"] for b in row]
        return []

    def click(self, title: str) -> str:
        (button,) = [b for b in self.last_buttons() if b["text"] == title]
        return self.send(button_update(self.id, button["callback_data"], title))


@pytest.fixture
def chat(tg_stack: Stack, fake: FakeTelegram) -> Chat:
    return Chat(tg_stack, fake)


def test_start_then_a_whole_lead_capture_with_buttons(chat: Chat, fake: FakeTelegram) -> None:
    first = chat.say("/start from-newsletter")
    assert "automated assistant" in first and "what can i do for you" in first
    assert "what's your name" in chat.click("Book a demo")
    assert fake.called("answerCallbackQuery")
    assert "email" in chat.say("Dana Reyes")
    assert "phone" in chat.say("dana@telegram-test.io")
    assert "company" in chat.say("+1 415 555 0199")
    assert "role" in chat.say("Acme Widgets")
    assert "solve" in chat.say("Head of Growth")
    assert "here's what i have" in chat.say("answer leads faster")
    assert "email you" in chat.click("Yes, that's right")
    contact = chat.stack.store.contacts.for_identity("telegram", str(chat.id))
    assert contact is not None and contact.lead_status == "confirmed"
    assert (contact.email, contact.phone) == ("dana@telegram-test.io", "+14155550199")


def test_a_shared_contact_fills_the_phone_and_joins_the_sms_profile(
    chat: Chat, tg_stack: Stack
) -> None:
    phone = "+14155550177"
    sms_contact = tg_stack.store.leads.update_fields(
        "sms", phone, {"name": "Sam Lee", "phone": phone}, phone
    )
    chat.say("I'd like a demo")
    chat.say("Sam Lee")
    chat.say("sam@shared-contact.io")
    reply = chat.send(
        message_update(
            chat.id,
            contact={"phone_number": "14155550177", "first_name": "Sam", "user_id": chat.id},
        )
    )
    assert "company" in reply
    merged = tg_stack.store.contacts.for_identity("telegram", str(chat.id))
    assert merged is not None and merged.phone == phone and merged.id == sms_contact.id


def test_someone_elses_contact_is_refused(chat: Chat, tg_stack: Stack) -> None:
    reply = chat.send(
        message_update(
            chat.id, contact={"phone_number": "+14155550166", "first_name": "Other", "user_id": 42}
        )
    )
    assert "your own number" in reply
    assert tg_stack.store.contacts.find("+14155550166") is None


def test_wrong_or_missing_secret_is_403_and_nothing_happens(chat: Chat, fake: FakeTelegram) -> None:
    before = len(fake.calls)
    assert post(chat.stack, message_update(chat.id, "hello"), secret=None).status_code == 403
    assert (
        post(chat.stack, message_update(chat.id, "hello"), secret=SECRET + "x").status_code == 403
    )
    time.sleep(1)
    assert len(fake.calls) == before
    assert chat.stack.store.contacts.for_identity("telegram", str(chat.id)) is None


@pytest.mark.parametrize(
    "body", [b"not json", b"[]", b'{"no_update_id": 1}', b'{"update_id": "x"}']
)
def test_malformed_updates_are_400(tg_stack: Stack, body: bytes) -> None:
    assert post(tg_stack, body).status_code == 400


def test_unknown_update_types_are_acknowledged_and_ignored(chat: Chat, fake: FakeTelegram) -> None:
    before = len(fake.calls)
    edited = message_update(chat.id, "edited text")
    edited["edited_message"] = edited.pop("message")
    future = {"update_id": next(_ids), "a_type_from_the_future": {"id": 1}}
    for update in (edited, future):
        assert post(chat.stack, update).status_code == 200
    time.sleep(1)
    assert len(fake.calls) == before


def test_a_repeated_update_id_is_handled_once(chat: Chat, fake: FakeTelegram) -> None:
    update = message_update(chat.id, "hello")
    chat.send(update)
    count = len(fake.sent_to(chat.id))
    assert post(chat.stack, update).status_code == 200
    time.sleep(2)
    assert len(fake.sent_to(chat.id)) == count


def test_stop_help_and_start_keywords(chat: Chat) -> None:
    assert "won't contact you" in chat.say("STOP")
    assert "reply stop" in chat.say("HELP") or "stop" in chat.say("HELP")


def test_blocking_the_bot_is_do_not_contact(chat: Chat, tg_stack: Stack) -> None:
    chat.say("hello")
    update = {"update_id": next(_ids), "my_chat_member": {
        "chat": {"id": chat.id, "type": "private"}, "from": user(chat.id), "date": int(time.time()),
        "old_chat_member": {"user": {"id": 7000001, "is_bot": True, "first_name": "Parley"}, "status": "member"},
        "new_chat_member": {"user": {"id": 7000001, "is_bot": True, "first_name": "Parley"}, "status": "kicked",
                            "until_date": 0},
    }}  # fmt: skip
    assert post(tg_stack, update).status_code == 200
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        contact = tg_stack.store.contacts.for_identity("telegram", str(chat.id))
        if contact and tg_stack.store.consent.is_do_not_contact(contact.id, "telegram"):
            return
        time.sleep(0.3)
    raise AssertionError("no do-not-contact entry after the bot was blocked")


def test_rate_limits_and_server_errors_are_retried(chat: Chat, fake: FakeTelegram) -> None:
    fake.fail_next(429, "Too Many Requests: retry after 1", retry_after=1)
    fake.fail_next(500, "Internal Server Error")
    assert "what can i do for you" in chat.say("hi there")
    assert [c.method for c in fake.refused[-2:]] == ["sendMessage", "sendMessage"]


def test_a_403_when_sending_means_blocked(chat: Chat, fake: FakeTelegram, tg_stack: Stack) -> None:
    fake.fail_next(403, "Forbidden: bot was blocked by the user")
    assert post(tg_stack, message_update(chat.id, "hello")).status_code == 200
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        contact = tg_stack.store.contacts.for_identity("telegram", str(chat.id))
        if contact and tg_stack.store.consent.is_do_not_contact(contact.id, "telegram"):
            return
        time.sleep(0.3)
    raise AssertionError("a 403 from sendMessage did not record do-not-contact")


def test_cli_sets_the_webhook_and_polls(
    tg_stack: Stack,
    fake: FakeTelegram,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    for key, value in {
        **telegram_env(fake),
        "PARLEY_DATA_DIR": str(tg_stack.settings.data_dir),
        "PARLEY_RASA_PORT": str(tg_stack.settings.rasa_port),
    }.items():
        monkeypatch.setenv(key, value)
    assert (
        main(["telegram", "set-webhook", "https://bot.example.test/webhooks/telegram/webhook"]) == 0
    )
    assert fake.webhook["secret_token"] == SECRET
    assert set(fake.webhook["allowed_updates"]) == {"message", "callback_query", "my_chat_member"}
    assert main(["telegram", "set-webhook", "http://insecure.example.test/hook"]) == 1
    chat_id = next(_chats)
    fake.updates = [message_update(chat_id, "hello")]
    assert main(["telegram", "poll", "--once"]) == 0
    assert (
        "what can i do for you" in str(fake.wait_for(chat_id, 2)[-1].params.get("text", "")).lower()
    )
    assert fake.webhook == {}  # polling removed the webhook first
