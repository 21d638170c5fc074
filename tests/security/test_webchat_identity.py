"""Websites vouching for their visitors (#17 item 3): an identity the embedding site signed
(HS256 JWT over user id, email and expiry) makes the web chat's email verified; a forged,
expired or wrongly signed one is a 401 and stores nothing."""

from __future__ import annotations

import base64
import json
import time
import uuid
from collections.abc import Callable
from typing import Any

import httpx
import jwt
import pytest

from bot.store import Contact
from channels.webchat import BadIdentity, SessionSigner, read_identity
from tests.e2e.conftest import Stack
from tests.security import public_chat
from tests.security.public_chat import IDENTITY_SECRET, webchat_url

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

chat_stack, chat_twilio, chat_telegram = (
    public_chat.chat_stack,
    public_chat.chat_twilio,
    public_chat.chat_telegram,
)


def signed(email: str, sub: str = "user-42", expires_in: float = 600, **claims: Any) -> str:
    """What the embedding site's server does (the README's snippet)."""
    payload = {"sub": sub, "email": email, "exp": int(time.time() + expires_in), **claims}
    return jwt.encode(payload, IDENTITY_SECRET, algorithm="HS256")


def new_email() -> str:
    return f"visitor-{uuid.uuid4().hex[:8]}@site.example"


def start(stack: Stack, **body: Any) -> httpx.Response:
    return httpx.post(webchat_url(stack, "/session"), json=body, timeout=30)


def contact_of(stack: Stack, session: str) -> Contact | None:
    sender = SessionSigner(stack.settings.webchat_secret.value).sender_of(session)
    return stack.store.contacts.for_identity("web", sender)


def test_valid_identity_makes_the_email_verified(chat_stack: Stack) -> None:
    email = new_email()
    reply = start(chat_stack, identity=signed(email.upper()))
    assert reply.status_code == 200, reply.text
    assert reply.json()["verified"] == {"email": email}
    contact = contact_of(chat_stack, reply.json()["session"])
    assert contact is not None and contact.email == email
    assert chat_stack.store.contacts.is_detail_verified(contact.id, "email")
    said = httpx.post(
        webchat_url(chat_stack, "/message"),
        timeout=60,
        json={"session": reply.json()["session"], "message": "hello"},
    )
    assert said.status_code == 200 and said.json()["messages"]


def test_a_vouched_visitor_gets_the_profile_holding_their_email(chat_stack: Stack) -> None:
    email, phone = new_email(), f"+1415555{uuid.uuid4().int % 10_000:04d}"
    known = chat_stack.store.leads.update_fields(
        "sms", phone, {"name": "Known Person", "email": email}, phone
    )
    reply = start(chat_stack, identity=signed(email))
    assert reply.status_code == 200, reply.text
    contact = contact_of(chat_stack, reply.json()["session"])
    assert contact is not None and contact.id == known.id and contact.name == "Known Person"
    assert {i.channel for i in contact.channels} == {"sms", "web"}


def test_an_anonymous_session_goes_on_signed_in(chat_stack: Stack) -> None:
    session = start(chat_stack).json()["session"]
    email = new_email()
    reply = start(chat_stack, identity=signed(email), session=session)
    assert reply.status_code == 200 and reply.json()["session"] == session
    contact = contact_of(chat_stack, session)
    assert contact is not None and contact.email == email


def test_another_users_identity_gets_a_session_of_its_own(chat_stack: Stack) -> None:
    first, second = new_email(), new_email()
    session = start(chat_stack, identity=signed(first, sub="alice")).json()["session"]
    reply = start(chat_stack, identity=signed(second, sub="bob"), session=session)
    assert reply.status_code == 200 and reply.json()["session"] != session
    alice, bob = contact_of(chat_stack, session), contact_of(chat_stack, reply.json()["session"])
    assert alice is not None and bob is not None and alice.id != bob.id
    assert (alice.email, bob.email) == (first, second)


def _tampered(victim: str) -> str:
    header, _, signature = signed(new_email()).split(".")
    claims = {"sub": "user-42", "email": victim, "exp": int(time.time()) + 600}
    body = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    return f"{header}.{body}.{signature}"


FORGERIES = {
    "expired": lambda victim: signed(victim, expires_in=-60),
    "wrong-secret": lambda victim: jwt.encode(
        {"sub": "x", "email": victim, "exp": int(time.time()) + 600},
        "not-the-site-secret-0123456789abcdef",
        algorithm="HS256",
    ),
    "tampered-payload": _tampered,
    "unsigned": lambda victim: jwt.encode(
        {"sub": "x", "email": victim, "exp": int(time.time()) + 600}, None, algorithm="none"
    ),
    "other-algorithm": lambda victim: jwt.encode(
        {"sub": "x", "email": victim, "exp": int(time.time()) + 600},
        IDENTITY_SECRET,
        algorithm="HS512",
    ),
    "no-expiry": lambda victim: jwt.encode(
        {"sub": "x", "email": victim}, IDENTITY_SECRET, algorithm="HS256"
    ),
    "expires-in-a-week": lambda victim: signed(victim, expires_in=7 * 86400),
    "no-user-id": lambda victim: jwt.encode(
        {"email": victim, "exp": int(time.time()) + 600}, IDENTITY_SECRET, algorithm="HS256"
    ),
    "not-a-token": lambda victim: victim,
}


@pytest.mark.parametrize("forge", FORGERIES.values(), ids=FORGERIES.keys())
def test_forged_identity_is_refused_and_stores_nothing(chat_stack: Stack, forge: Any) -> None:
    victim = new_email()
    session = start(chat_stack).json()["session"]
    before = chat_stack.store.contacts.count()
    for body in ({"identity": forge(victim)}, {"identity": forge(victim), "session": session}):
        reply = start(chat_stack, **body)
        assert reply.status_code == 401, reply.text
        assert "identity" in reply.json()["error"] and "session" not in reply.json()
    assert chat_stack.store.contacts.find(victim) is None
    assert contact_of(chat_stack, session) is None
    assert chat_stack.store.contacts.count() == before


@pytest.mark.parametrize(
    ("body", "status"),
    # Made when the test runs: a token signed at collection may expire before it does.
    [
        (lambda: {"identity": 42}, 401),
        (lambda: {"identity": signed("a@b.example"), "session": "x.y"}, 403),
    ],
)
def test_malformed_identity_requests_get_a_clear_error(
    chat_stack: Stack, body: Callable[[], dict[str, Any]], status: int
) -> None:
    reply = start(chat_stack, **body())
    assert reply.status_code == status and reply.json()["error"]


def test_identity_checks_expiry_against_the_clock() -> None:
    token = signed("dana@site.example", expires_in=3600)
    assert read_identity(token, IDENTITY_SECRET).email == "dana@site.example"
    with pytest.raises(BadIdentity, match="24 hours"):
        read_identity(token, IDENTITY_SECRET, now=time.time() - 86400)
