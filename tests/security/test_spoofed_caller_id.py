"""Caller ID is a claim: a spoofed number reaches nothing of its owner's (#17)."""

from __future__ import annotations

import itertools

from tests.channels.test_twilio_voice import PhoneCall
from tests.e2e.conftest import Stack

_numbers = itertools.count(3000)


def _owner(stack: Stack) -> tuple[str, str]:
    phone = f"+1415555{next(_numbers):04d}"
    contact = stack.store.leads.update_fields(
        "sms", phone, {"name": "Priya Raman", "phone": phone, "company": "Victim Holdings"}, phone
    )
    return contact.id, phone


def test_a_spoofed_caller_is_not_greeted_shown_or_able_to_erase(secure_stack: Stack) -> None:
    owner, phone = _owner(secure_stack)
    call = PhoneCall(secure_stack, phone)
    assert "priya" not in call.start()  # no StirVerstat: not full attestation
    heard = call.say("what do you know about me")
    assert "priya" not in heard and "victim holdings" not in heard
    call.say("delete my data")
    call.say("yes")
    assert secure_stack.store.contacts.get(owner).name == "Priya Raman"
    assert secure_stack.store.contacts.for_identity("voice", call.sid) is None


def test_a_partly_attested_caller_is_still_a_claim(secure_stack: Stack) -> None:
    owner, phone = _owner(secure_stack)
    call = PhoneCall(secure_stack, phone)
    assert "priya" not in call.start({"StirVerstat": "TN-Validation-Passed-C"})
    joined = secure_stack.store.contacts.for_identity("voice", call.sid)
    assert joined is None or joined.id != owner


def test_a_fully_attested_caller_is_recognised(secure_stack: Stack) -> None:
    owner, phone = _owner(secure_stack)
    call = PhoneCall(secure_stack, phone)
    assert "priya" in call.start({"StirVerstat": "TN-Validation-Passed-A"})
    joined = secure_stack.store.contacts.for_identity("voice", call.sid)
    assert joined is not None and joined.id == owner
