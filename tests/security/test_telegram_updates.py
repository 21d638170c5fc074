"""Telegram updates (#17): one from Telegram that python-telegram-bot cannot read is
acknowledged (200), not refused into endless retries; a shared contact proves a phone
only when Telegram says it is the sender's own, in a private chat."""

from __future__ import annotations

import itertools
import time
from typing import Any

import pytest

from tests.channels.fake_telegram import FakeTelegram
from tests.channels.test_telegram import Chat, message_update, post, user
from tests.e2e.conftest import Stack
from tests.security import public_chat

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

chat_stack, chat_twilio, chat_telegram = (
    public_chat.chat_stack,
    public_chat.chat_twilio,
    public_chat.chat_telegram,
)

_ids = itertools.count(8_100_000)
_numbers = itertools.count(300)
# A poll as Telegram sent it before Bot API 9.6: no `persistent_id`, which
# python-telegram-bot 22.8 requires ("`persistent_id` is a required argument").
OLD_POLL = {
    "id": "5463387418536476672",
    "question": "Which plan?",
    "options": [{"text": "Basic", "voter_count": 1}, {"text": "Pro", "voter_count": 0}],
    "total_voter_count": 1,
    "is_closed": False,
    "is_anonymous": True,
    "type": "regular",
    "allows_multiple_answers": False,
}


@pytest.fixture
def chat(chat_stack: Stack, chat_telegram: FakeTelegram) -> Chat:
    return Chat(chat_stack, chat_telegram)


def new_phone() -> str:
    return f"+1415555{next(_numbers):04d}"


def quiet(fake: FakeTelegram, calls_before: int) -> bool:
    time.sleep(1.5)
    return len(fake.calls) == calls_before


@pytest.mark.parametrize(
    "update",
    [
        {"poll": OLD_POLL},
        {
            "message": {
                "message_id": 1,
                "date": 1_700_000_000,
                "poll": OLD_POLL,
                "chat": {"id": 555_900_001, "type": "private"},
                "from": user(555_900_001),
            }
        },
        {"message": "hello"},
    ],
    ids=["poll", "message-with-poll", "message-is-a-string"],
)
def test_an_unreadable_update_from_telegram_is_acknowledged(
    chat_stack: Stack, chat_telegram: FakeTelegram, update: dict[str, Any]
) -> None:
    before, contacts = len(chat_telegram.calls), chat_stack.store.contacts.count()
    body = {"update_id": next(_ids), **update}
    assert post(chat_stack, body).status_code == 200
    assert post(chat_stack, body, secret="wrong-secret-0123456789").status_code == 403
    assert quiet(chat_telegram, before)
    assert chat_stack.store.contacts.count() == contacts


@pytest.mark.parametrize("body", [b"[]", b'{"update_id": "1"}', b"not json"])
def test_what_is_no_update_at_all_is_still_a_400(chat_stack: Stack, body: bytes) -> None:
    assert post(chat_stack, body).status_code == 400


def test_the_senders_own_shared_contact_verifies_their_phone(chat: Chat, chat_stack: Stack) -> None:
    phone = new_phone()
    chat.send(
        message_update(
            chat.id,
            contact={"phone_number": phone.lstrip("+"), "first_name": "Dana", "user_id": chat.id},
        )
    )
    contact = chat_stack.store.contacts.for_identity("telegram", str(chat.id))
    assert contact is not None and contact.phone == phone
    assert chat_stack.store.contacts.is_detail_verified(contact.id, "phone")


@pytest.mark.parametrize(
    "owner",
    [{"user_id": 42}, {}],
    ids=["someone-else", "no-telegram-user"],
)
def test_a_contact_that_is_not_the_senders_proves_nothing(
    chat: Chat, chat_stack: Stack, owner: dict[str, int]
) -> None:
    phone = new_phone()
    victim = chat_stack.store.leads.update_fields(
        "sms", phone, {"name": "Victim Person", "phone": phone}, phone
    )
    reply = chat.send(
        message_update(chat.id, contact={"phone_number": phone, "first_name": "Victim", **owner})
    )
    assert "your own number" in reply
    mine = chat_stack.store.contacts.for_identity("telegram", str(chat.id))
    assert mine is None or (mine.id != victim.id and mine.phone is None)
    after = chat_stack.store.contacts.for_identity("sms", phone)
    assert after is not None and [i.channel for i in after.channels] == ["sms"]
    assert not chat_stack.store.contacts.is_detail_verified(victim.id, "phone")


def test_a_contact_shared_in_a_group_proves_nothing(
    chat_stack: Stack, chat_telegram: FakeTelegram
) -> None:
    group, member, phone = -100_555_000_001, 555_900_002, new_phone()
    update = message_update(
        member, contact={"phone_number": phone, "first_name": "Dana", "user_id": member}
    )
    update["message"]["chat"] = {"id": group, "type": "group", "title": "Buyers"}
    assert post(chat_stack, update).status_code == 200
    sent = chat_telegram.wait_for(group, 1)
    assert "your own number" in str(sent[-1].params.get("text", "")).lower()
    assert chat_stack.store.contacts.find(phone) is None
