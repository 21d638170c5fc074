"""Unsubscribe tokens: only what was signed with the secret names a contact."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.settings import Secret
from bot.unsubscribe import (
    contact_for_token,
    list_unsubscribe_headers,
    unsubscribe_token,
    unsubscribe_url,
)

SECRET = Secret("unsubscribe-secret-one")
CONTACT = "3f2a9c0d8e7b4a61b5c2d9e0f1a2b3c4"


def test_unsubscribe_token_round_trips_to_its_contact() -> None:
    assert contact_for_token(unsubscribe_token(CONTACT, SECRET), SECRET) == CONTACT


def test_unsubscribe_token_is_url_safe() -> None:
    token = unsubscribe_token(CONTACT, SECRET)
    assert token.startswith(CONTACT + ".")
    assert all(c.isascii() and (c.isalnum() or c in "-_.") for c in token)


def test_unsubscribe_token_forged_for_another_contact_is_refused() -> None:
    mac = unsubscribe_token(CONTACT, SECRET).split(".")[1]
    assert contact_for_token(f"{'0' * 32}.{mac}", SECRET) is None


def test_unsubscribe_token_with_a_changed_mac_is_refused() -> None:
    token = unsubscribe_token(CONTACT, SECRET)
    last = "A" if token[-1] != "A" else "B"
    assert contact_for_token(token[:-1] + last, SECRET) is None


def test_unsubscribe_token_truncated_is_refused() -> None:
    token = unsubscribe_token(CONTACT, SECRET)
    for cut in (token[:-1], token[:-10], token.split(".")[0], token.split(".")[0] + "."):
        assert contact_for_token(cut, SECRET) is None


def test_unsubscribe_token_from_another_secret_is_refused() -> None:
    token = unsubscribe_token(CONTACT, Secret("unsubscribe-secret-two"))
    assert contact_for_token(token, SECRET) is None


@pytest.mark.parametrize(
    "garbage", ["", ".", "..", "a.b.c", "é.é", CONTACT, " " + CONTACT, "x" * 5000, "\x00.\x00"]
)
def test_unsubscribe_token_garbage_is_refused(garbage: str) -> None:
    assert contact_for_token(garbage, SECRET) is None


def test_unsubscribe_token_refuses_a_contact_id_that_is_not_url_safe() -> None:
    with pytest.raises(ValueError):
        unsubscribe_token("a/b", SECRET)


@given(st.text(max_size=200))
def test_unsubscribe_token_random_strings_never_raise(token: str) -> None:
    assert contact_for_token(token, SECRET) is None


@given(st.from_regex(r"[A-Za-z0-9_-]{1,64}", fullmatch=True))
def test_unsubscribe_token_round_trips_any_url_safe_id(contact_id: str) -> None:
    assert contact_for_token(unsubscribe_token(contact_id, SECRET), SECRET) == contact_id


def test_unsubscribe_url_points_at_the_channel_route() -> None:
    url = unsubscribe_url("https://bot.example.test/", CONTACT, SECRET)
    token = unsubscribe_token(CONTACT, SECRET)
    assert url == f"https://bot.example.test/webhooks/unsubscribe/u/{token}"


def test_list_unsubscribe_headers_offer_one_click() -> None:
    headers = list_unsubscribe_headers("https://bot.example.test/webhooks/unsubscribe/u/t")
    assert headers == {
        "List-Unsubscribe": "<https://bot.example.test/webhooks/unsubscribe/u/t>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
