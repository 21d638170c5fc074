"""Marketing consent for an address nobody has proven waits for the address (#17).

A visitor says yes to email and texts in a chat: both grants are recorded as pending,
no campaign may use them, and the confirmation comes from the address itself: a button
behind a signed link in an email, a YES texted from the number.
"""

from __future__ import annotations

import itertools
import re
import uuid

import httpx

from tests.channels.conftest import sign
from tests.channels.fake_twilio import FakeTwilio
from tests.e2e.conftest import Stack, rest_id
from tests.security.conftest import SMS_FROM, Mailbox

_numbers = itertools.count(2000)
PUBLIC_URL = "https://bot.example.test"


def _consenting_visitor(stack: Stack, email: str, phone: str) -> str:
    sender = f"optin-{uuid.uuid4().hex[:10]}"
    stack.say(sender, f"hi, I'm Lena Fischer, {email}, I'd like a demo")
    for answer in (phone, "Fischer Consulting", "Partner", "faster follow-up on leads"):
        if "here's what i have" in stack.text(sender, answer):
            break
    assert "email you" in stack.text(sender, "yes")
    assert f"sent a message to {email}" in stack.text(sender, "yes please")
    assert "sent a message to" in stack.text(sender, "yes")  # and texts
    return sender


def _contact_id(stack: Stack, sender: str) -> str:
    contact = stack.store.contacts.for_identity("rest", rest_id(sender))
    assert contact is not None
    return contact.id


def test_chat_consent_waits_for_a_click_on_the_emailed_link(
    secure_stack: Stack, mailbox: Mailbox
) -> None:
    n = next(_numbers)
    email, phone = f"lena{n}@fischer-consulting.de", f"+1212555{n:04d}"
    contact = _contact_id(secure_stack, _consenting_visitor(secure_stack, email, phone))
    assert not secure_stack.store.consent.is_granted(contact, "email")
    assert {e.purpose for e in secure_stack.store.consent.pending_grants(contact)} == {
        "email",
        "sms",
    }
    [message] = mailbox.wait_for(email, 1)
    body = message.get_payload(decode=True)
    assert isinstance(body, bytes)
    link = re.search(r"https://\S+/webhooks/unsubscribe/c/\S+", body.decode())
    assert link is not None
    local = secure_stack.settings.rasa_url + link.group(0).removeprefix(PUBLIC_URL)
    page = httpx.get(local, timeout=30)  # a mail scanner's fetch confirms nothing
    assert page.status_code == 200 and "<form" in page.text
    assert not secure_stack.store.consent.is_granted(contact, "email")
    forged = httpx.post(local[:-3] + "AAA", timeout=30)
    assert forged.status_code == 404 and not secure_stack.store.consent.is_granted(contact, "email")
    assert httpx.post(local, timeout=30).status_code == 200
    assert secure_stack.store.consent.is_granted(contact, "email")
    steps = [
        (e.source, e.pending)
        for e in secure_stack.store.consent.history(contact)
        if e.purpose == "email"
    ]
    assert steps == [("conversation", True), ("confirmation", False)]


def test_chat_consent_to_texts_waits_for_a_yes_from_the_number(
    secure_stack: Stack, texts: FakeTwilio
) -> None:
    n = next(_numbers)
    email, phone = f"lena{n}@fischer-consulting.de", f"+1212555{n:04d}"
    contact = _contact_id(secure_stack, _consenting_visitor(secure_stack, email, phone))
    [ask] = texts.wait_for(phone, 1)
    assert "reply YES" in ask.body and not secure_stack.store.consent.is_granted(contact, "sms")
    params = {
        "MessageSid": f"SM{uuid.uuid4().hex}",
        "AccountSid": "AC" + "1" * 32,
        "From": phone,
        "To": SMS_FROM,
        "Body": "YES",
        "NumMedia": "0",
    }
    path = "/webhooks/twilio/webhook"
    headers = {"X-Twilio-Signature": sign(path, params, "test-auth-token-0123456789")}
    reply = httpx.post(
        secure_stack.settings.rasa_url + path, data=params, headers=headers, timeout=30
    )
    assert reply.status_code < 300
    thanks = texts.wait_for(phone, 2)[-1]
    assert "confirmed" in thanks.body
    assert secure_stack.store.consent.is_granted(contact, "sms")
    assert secure_stack.store.contacts.is_detail_verified(contact, "phone")
