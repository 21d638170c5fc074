"""Typing someone else's email or phone reaches nothing of theirs (#17).

An outsider talks to a running Parley (real Rasa, real action server, SQLite) and
types a stranger's email: they must not see, change or erase the stranger's profile,
nor guess their way in. The owner of the address, who receives the code, gets it all.
"""

from __future__ import annotations

import itertools
import uuid

from bot.store import Contact
from tests.channels.fake_twilio import FakeTwilio
from tests.e2e.conftest import Stack, rest_id
from tests.security.conftest import Mailbox, code_in, last_code_mailed

_numbers = itertools.count(1000)


def _victim(stack: Stack) -> Contact:
    n = next(_numbers)
    phone = f"+1415555{n:04d}"
    return stack.store.leads.update_fields(
        "sms", phone,
        {"name": "Priya Raman", "email": f"priya{n}@victimholdings.com", "phone": phone,
         "company": "Victim Holdings", "role": "CFO"},
        f"sms-{n}",
    )  # fmt: skip


def _visitor() -> str:
    return f"outsider-{uuid.uuid4().hex[:10]}"


def _claims_email(stack: Stack, sender: str, email: str) -> str:
    return stack.text(sender, f"Hi, I'm Mallory Stone, my email is {email}, I'd like a demo")


def _reveals(reply: str, victim: Contact) -> bool:
    """Whether the reply shows any detail of the victim's but the address typed."""
    reply = reply.replace((victim.email or "").lower(), "")
    return any(
        secret.lower() in reply
        for secret in ("Priya", "Victim Holdings", "CFO", victim.phone or "")
    )


def test_a_typed_email_shows_nothing_of_its_owner(secure_stack: Stack, mailbox: Mailbox) -> None:
    victim, sender = _victim(secure_stack), _visitor()
    assert victim.email is not None
    assert not _reveals(_claims_email(secure_stack, sender, victim.email), victim)
    reply = secure_stack.text(sender, "what do you know about me?")
    assert not _reveals(reply, victim)
    assert "6-digit code" in reply
    assert len(mailbox.wait_for(victim.email, 1)) == 1  # the code went to the owner only
    assert secure_stack.store.contacts.get(victim.id) == victim


def test_a_typed_email_prefills_and_overwrites_nothing(secure_stack: Stack) -> None:
    victim, sender = _victim(secure_stack), _visitor()
    assert victim.email is not None
    _claims_email(secure_stack, sender, victim.email)
    slots = secure_stack.slots(sender)
    assert slots["lead_company"] is None and slots["lead_role"] is None
    secure_stack.text(sender, "actually my company is Evil Corp")
    secure_stack.text(sender, "and my name is Eve Attacker")
    assert secure_stack.store.contacts.get(victim.id) == victim
    own = secure_stack.store.contacts.for_identity("rest", rest_id(sender))
    assert own is not None and own.id != victim.id and own.email is None


def test_a_typed_email_erases_nothing_of_its_owner(secure_stack: Stack, mailbox: Mailbox) -> None:
    victim, sender = _victim(secure_stack), _visitor()
    assert victim.email is not None
    _claims_email(secure_stack, sender, victim.email)
    secure_stack.text(sender, "delete my data")
    reply = secure_stack.text(sender, "yes")
    assert "deleted" in reply and "6-digit code" in reply
    assert secure_stack.store.contacts.get(victim.id) == victim
    assert (
        secure_stack.store.contacts.for_identity("rest", rest_id(sender)) is None
    )  # their own: gone
    assert len(mailbox.wait_for(victim.email, 1)) == 1


def test_guessing_the_code_locks_it(secure_stack: Stack, mailbox: Mailbox) -> None:
    victim, sender = _victim(secure_stack), _visitor()
    assert victim.email is not None
    _claims_email(secure_stack, sender, victim.email)
    secure_stack.text(sender, "what do you know about me")
    real = last_code_mailed(mailbox, victim.email, 1)
    guesses = [f"{(int(real) + step) % 10**6:06d}" for step in range(1, 6)]
    answers = [secure_stack.text(sender, guess) for guess in guesses]
    assert all("doesn't match" in a for a in answers[:4]), answers
    assert "no longer works" in answers[4]
    after = secure_stack.text(sender, real)  # too late: read as an answer to the form
    assert not _reveals(after, victim) and "confirmed" not in after
    assert secure_stack.store.contacts.get(victim.id) == victim


def test_a_typed_phone_sends_its_code_by_sms_to_the_owner(
    secure_stack: Stack, texts: FakeTwilio
) -> None:
    victim, sender = _victim(secure_stack), _visitor()
    assert victim.phone is not None
    secure_stack.text(sender, f"I'm Mallory Stone and my number is {victim.phone}, book a demo")
    reply = secure_stack.text(sender, "what info do you have on me")
    assert not _reveals(reply.replace(victim.phone.lower(), ""), victim)
    [sms] = texts.wait_for(victim.phone, 1)
    assert "code is" in sms.body and "unsubscribe" not in sms.body.lower()
    assert secure_stack.store.contacts.get(victim.id) == victim


def test_the_owner_proves_their_email_and_gets_their_profile(
    secure_stack: Stack, mailbox: Mailbox
) -> None:
    owner, sender = _victim(secure_stack), _visitor()
    assert owner.email is not None
    secure_stack.text(sender, f"hello, I'm Priya, my email is {owner.email}")
    secure_stack.text(sender, "what do you know about me?")
    code = last_code_mailed(mailbox, owner.email, 1)
    reply = secure_stack.text(sender, f"the code is {code}")
    assert "confirmed" in reply and "victim holdings" in reply and "cfo" in reply
    joined = secure_stack.store.contacts.for_identity("rest", rest_id(sender))
    assert joined is not None and joined.id == owner.id
    assert secure_stack.store.contacts.is_detail_verified(owner.id, "email")


def test_the_owner_proves_their_email_and_is_erased(secure_stack: Stack, mailbox: Mailbox) -> None:
    owner, sender = _victim(secure_stack), _visitor()
    assert owner.email is not None
    secure_stack.text(sender, f"hi, Priya here, {owner.email}")
    secure_stack.text(sender, "please delete all my personal data")
    secure_stack.text(sender, "yes")
    code = last_code_mailed(mailbox, owner.email, 1)
    reply = secure_stack.text(sender, code)
    assert "everything we held" in reply
    assert secure_stack.store.contacts.find(owner.email) is None
    assert secure_stack.store.contacts.find(owner.id) is None


def test_the_code_email_is_transactional(secure_stack: Stack, mailbox: Mailbox) -> None:
    victim, sender = _victim(secure_stack), _visitor()
    assert victim.email is not None
    _claims_email(secure_stack, sender, victim.email)
    secure_stack.text(sender, "show me my data")
    [message] = mailbox.wait_for(victim.email, 1)
    body = message.get_payload(decode=True)
    assert isinstance(body, bytes)
    text = body.decode()
    assert code_in(text) and "ignore this email" in text
    assert "List-Unsubscribe" not in message and "Mallory" not in text


def test_a_stranger_to_this_chat_names_their_email_and_gets_a_code_not_the_profile(
    secure_stack: Stack, mailbox: Mailbox
) -> None:
    owner, sender = _victim(secure_stack), _visitor()
    assert owner.email is not None
    asked = secure_stack.text(sender, "hey, could you show me whatever data you keep on me")
    assert "which email address or phone number did you use" in asked
    reply = secure_stack.text(sender, f"sure, it was {owner.email}")
    assert "6-digit code" in reply and not _reveals(reply, owner)
    code = last_code_mailed(mailbox, owner.email, 1)
    proven = secure_stack.text(sender, code)
    assert "victim holdings" in proven and "cfo" in proven


def test_the_address_is_asked_for_once(secure_stack: Stack) -> None:
    sender = _visitor()
    first = secure_stack.text(sender, "what personal info have you got about me?")
    assert "which email address or phone number did you use" in first
    again = secure_stack.text(sender, "what do you know about me")
    assert "which email address or phone number did you use" not in again


def test_an_address_nobody_holds_gets_the_reply_a_held_one_gets_and_is_not_stored(
    secure_stack: Stack, mailbox: Mailbox
) -> None:
    owner = _victim(secure_stack)
    assert owner.email is not None
    held, unheld = _visitor(), _visitor()
    secure_stack.text(held, "which of my details do you have stored?")
    secure_stack.text(unheld, "which of my details do you have stored?")
    email = f"{unheld}@unheard-of.example"
    to_held = secure_stack.text(held, f"I used {owner.email}")
    to_unheld = secure_stack.text(unheld, f"I used {email}")
    # Nobody learns from the reply whether an address is on file.
    assert to_unheld.replace(email, "ADDRESS") == to_held.replace(owner.email, "ADDRESS")
    assert mailbox.to(email) == []
    assert secure_stack.store.contacts.for_identity("rest", rest_id(unheld)) is None


def test_moving_on_instead_of_naming_an_address_gets_one_ordinary_answer(
    secure_stack: Stack,
) -> None:
    sender = _visitor()
    secure_stack.text(sender, "do you have any of my personal information?")
    reply = secure_stack.text(sender, "ah ok never mind, cheers")
    assert "couldn't find an email" not in reply
    assert reply.count("sorry") <= 1 and "which email address" not in reply
