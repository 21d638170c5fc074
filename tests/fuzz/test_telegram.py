"""The Telegram webhook under hostile input: a wrong or missing secret token is a 403 that
stores nothing; with the right one, junk is a 400 and any update (an object with an
integer update_id) a 200, even one python-telegram-bot cannot read."""

from __future__ import annotations

import itertools
import json
import time
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.fuzz.conftest import (
    TELEGRAM_SECRET,
    Fuzzer,
    FuzzStack,
    content_types,
    fuzz_settings,
    header_values,
    hostile_text,
    identities,
    json_values,
    junk_bodies,
    settled_counts,
    with_content_type,
)

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.fuzz]

WEBHOOK = "/webhooks/telegram/webhook"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
_ids = itertools.count(9_000_000)
_chats = itertools.count(777_000_001)

UPDATE_KEYS = ("message", "edited_message", "callback_query", "my_chat_member", "chat",
               "from", "date", "text", "contact", "photo", "data", "id", "type", "status",
               "new_chat_member", "user_id", "phone_number", "message_id", "is_bot")  # fmt: skip
# Shapes close to real updates, with wrong types and values where Telegram puts others.
update_like = st.recursive(
    json_values,
    lambda inner: st.dictionaries(st.sampled_from(UPDATE_KEYS), inner, max_size=6),
    max_leaves=30,
)


def _post(
    fuzz_stack: FuzzStack,
    fuzzer: Fuzzer,
    route: str,
    body: bytes,
    secret: str | None = TELEGRAM_SECRET,
    content_type: str | None = "application/json",
) -> int:
    headers = with_content_type(content_type)
    if secret is not None:
        headers[SECRET_HEADER] = secret
    reply = fuzzer.send(route, "POST", fuzz_stack.rasa + WEBHOOK, content=body, headers=headers)
    return reply.status_code


def _message(chat: int, text: str) -> dict[str, Any]:
    return {
        "update_id": next(_ids),
        "message": {
            "message_id": next(_ids),
            "date": int(time.time()),
            "text": text,
            "from": {"id": chat, "is_bot": False, "first_name": "Fuzz"},
            "chat": {"id": chat, "type": "private"},
        },
    }


def test_telegram_wrong_secret_is_403_and_stores_nothing(
    fuzz_stack: FuzzStack, fuzzer: Fuzzer
) -> None:
    before = settled_counts(fuzz_stack.stack)

    @fuzz_settings(3)
    @given(
        secret=st.none() | header_values.filter(lambda s: s != TELEGRAM_SECRET),
        body=junk_bodies | update_like.map(lambda u: json.dumps(u).encode()),
        text=hostile_text,
        as_update=st.booleans(),
        content_type=content_types,
    )
    def case(
        secret: str | None, body: bytes, text: str, as_update: bool, content_type: str | None
    ) -> None:
        if as_update:  # a perfectly good update, just without the secret
            body = json.dumps(_message(next(_chats), text)).encode()
        status = _post(fuzz_stack, fuzzer, "telegram (wrong secret)", body, secret, content_type)
        assert status == 403

    case()
    assert settled_counts(fuzz_stack.stack) == before
    fuzz_stack.assert_alive()


def test_telegram_junk_with_the_right_secret_is_400_and_stores_nothing(
    fuzz_stack: FuzzStack, fuzzer: Fuzzer
) -> None:
    before = settled_counts(fuzz_stack.stack)

    @fuzz_settings(3)
    @given(body=junk_bodies | json_values.map(lambda v: json.dumps(v).encode()))
    def case(body: bytes) -> None:
        try:
            parsed = json.loads(body)
        except (ValueError, RecursionError):
            parsed = None
        if isinstance(parsed, dict) and isinstance(parsed.get("update_id"), int):
            return  # an update after all: the next test's business
        assert _post(fuzz_stack, fuzzer, "telegram (junk, right secret)", body) == 400

    case()
    assert settled_counts(fuzz_stack.stack) == before
    fuzz_stack.assert_alive()


def test_telegram_odd_updates_with_the_right_secret_never_fail(
    fuzz_stack: FuzzStack, fuzzer: Fuzzer
) -> None:
    @fuzz_settings(3)
    @given(
        update=st.dictionaries(st.sampled_from(UPDATE_KEYS), update_like, max_size=3),
        update_id=st.integers(min_value=-(2**63), max_value=2**63),
    )
    def case(update: dict[str, Any], update_id: int) -> None:
        body = json.dumps({**update, "update_id": update_id}).encode()
        status = _post(fuzz_stack, fuzzer, "telegram (odd update)", body)
        assert status == 200, status

    case()
    settled_counts(fuzz_stack.stack)
    fuzz_stack.assert_alive()


def test_telegram_hostile_texts_are_answered_for_their_own_chat_only(
    fuzz_stack: FuzzStack, fuzzer: Fuzzer
) -> None:
    known = identities(fuzz_stack.stack)
    chats: set[str] = set()

    @fuzz_settings(0.5)
    @given(text=hostile_text)
    def case(text: str) -> None:
        chat = next(_chats)
        chats.add(str(chat))
        body = json.dumps(_message(chat, text)).encode()
        assert _post(fuzz_stack, fuzzer, "telegram (hostile text)", body) == 200

    case()
    settled_counts(fuzz_stack.stack)
    new = {
        external
        for channel, external in identities(fuzz_stack.stack) - known
        if channel == "telegram"
    }
    assert new <= chats, new - chats
    fuzz_stack.assert_alive()


# The first three were a 500: `Update.de_json` raised AttributeError or OverflowError and
# the decoder RecursionError. Updates python-telegram-bot cannot read are acknowledged
# (Telegram would retry a refused one), bodies that are no update at all are a 400.
BROKEN_UPDATES = {
    "message-is-a-string": (b'{"update_id": 1, "message": "hello"}', 200),
    "date-out-of-range": (json.dumps({"update_id": 2, "message": {
        "message_id": 1, "date": 10**20, "chat": {"id": 1, "type": "private"}}}).encode(), 200),
    "deep-nesting": (b"[" * 50_000 + b"]" * 50_000, 400),
    "huge-integer": (b'{"update_id": ' + b"1" * 5000 + b"}", 400),
}  # fmt: skip


@pytest.mark.parametrize(("body", "status"), BROKEN_UPDATES.values(), ids=BROKEN_UPDATES.keys())
def test_telegram_broken_updates_are_never_a_500(
    fuzz_stack: FuzzStack, fuzzer: Fuzzer, body: bytes, status: int
) -> None:
    assert _post(fuzz_stack, fuzzer, "regressions", body) == status
