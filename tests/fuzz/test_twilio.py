"""Twilio SMS/WhatsApp and Voice webhooks under hostile input.

Unsigned and forged requests must be a 403 that stores nothing; correctly signed
requests (signed with RequestValidator over exactly the form Parley parses) carry
hostile field values so that the parser behind the signature check is exercised too.
"""

from __future__ import annotations

import itertools
import uuid
from urllib.parse import urlencode

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.fuzz.conftest import (
    ACCOUNT_SID,
    AUTH_TOKEN,
    PUBLIC_URL,
    Fuzzer,
    FuzzStack,
    assert_new_values_as_given,
    content_types,
    fuzz_settings,
    hostile_text,
    identities,
    junk_bodies,
    lead_values,
    public_url_of,
    settled_counts,
    twilio_signature,
    with_content_type,
)

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.fuzz]

MESSAGING = ("/webhooks/twilio/webhook", "/webhooks/twilio/status")
VOICE = tuple(
    f"/webhooks/twilio_voice/{step}"
    for step in ("incoming", "gather", "pickup", "dial", "callback", "status")
)
FORM = "application/x-www-form-urlencoded"
FIELDS = (
    "MessageSid", "SmsSid", "AccountSid", "From", "To", "Body", "NumMedia", "OptOutType",
    "MessageStatus", "SmsStatus", "ErrorCode", "CallSid", "CallStatus", "SpeechResult",
    "Digits", "Confidence", "DialCallStatus", "CallDuration",
)  # fmt: skip
_numbers = itertools.count(1000)

hostile_forms = st.dictionaries(st.sampled_from(FIELDS) | hostile_text, hostile_text, max_size=8)


def _encoded(form: dict[str, str]) -> bytes:
    return urlencode(form).encode()


def _forged_signature(url: str, body: bytes, kind: str, other: str) -> str | None:
    """A signature Parley must not accept: missing, junk, another token's, another URL's,
    or one over another body."""
    if kind == "missing":
        return None
    if kind == "junk":
        return other
    if kind == "wrong token":
        return twilio_signature(url, body, token=AUTH_TOKEN + "x")
    if kind == "wrong url":
        return twilio_signature(url.replace(PUBLIC_URL, "https://evil.test"), body)
    return twilio_signature(url, body + b"&Extra=1")


def test_twilio_forged_requests_are_403_and_store_nothing(
    fuzz_stack: FuzzStack, fuzzer: Fuzzer
) -> None:
    before = settled_counts(fuzz_stack.stack)
    kinds = ("missing", "junk", "wrong token", "wrong url", "other body")

    @fuzz_settings(4)
    @given(
        path=st.sampled_from(MESSAGING + VOICE),
        form=hostile_forms,
        junk=junk_bodies,
        as_junk=st.booleans(),
        kind=st.sampled_from(kinds),
        other=st.text(st.characters(min_codepoint=0x21, max_codepoint=0x7E), max_size=60),
        content_type=st.sampled_from([FORM]) | content_types,
    )
    def case(
        path: str,
        form: dict[str, str],
        junk: bytes,
        as_junk: bool,
        kind: str,
        other: str,
        content_type: str | None,
    ) -> None:
        body = junk if as_junk else _encoded(form)
        local = fuzz_stack.rasa + path
        signature = _forged_signature(public_url_of(local), body, kind, other)
        headers = with_content_type(content_type)
        if signature is not None:
            headers["X-Twilio-Signature"] = signature
        reply = fuzzer.send("twilio (forged)", "POST", local, content=body, headers=headers)
        assert reply.status_code == 403, (reply.status_code, reply.text)

    case()
    assert settled_counts(fuzz_stack.stack) == before
    fuzz_stack.assert_alive()


def _post_signed(fuzz_stack: FuzzStack, fuzzer: Fuzzer, route: str, path: str, body: bytes) -> int:
    local = fuzz_stack.rasa + path
    headers = {
        "Content-Type": FORM,
        "X-Twilio-Signature": twilio_signature(public_url_of(local), body),
    }
    return fuzzer.send(route, "POST", local, content=body, headers=headers).status_code


def _sender_of(from_: str) -> tuple[str, str]:
    value = from_.strip()
    if value.startswith("whatsapp:"):
        return "whatsapp", value.removeprefix("whatsapp:")
    return "sms", value


senders = st.one_of(
    st.builds(lambda n: f"+1415555{n:04d}", st.integers(0, 9999)),
    st.builds(lambda n: f"whatsapp:+1415556{n:04d}", st.integers(0, 9999)),
    hostile_text,
)


def test_twilio_signed_hostile_messages_are_answered_and_stored_as_given(
    fuzz_stack: FuzzStack, fuzzer: Fuzzer
) -> None:
    known, before = identities(fuzz_stack.stack), lead_values(fuzz_stack.stack)
    said: list[str] = []
    expected: set[tuple[str, str]] = set()

    @fuzz_settings(0.5)
    @given(from_=senders, body=hostile_text, extra=hostile_forms, sid=st.none() | hostile_text)
    def case(from_: str, body: str, extra: dict[str, str], sid: str | None) -> None:
        form = {
            **extra,
            "AccountSid": ACCOUNT_SID,
            "From": from_,
            "Body": body,
            "MessageSid": sid if sid is not None else f"SM{uuid.uuid4().hex}",
        }
        said.extend(form.values())
        expected.add(_sender_of(from_))
        status = _post_signed(
            fuzz_stack, fuzzer, "twilio message (signed)", MESSAGING[0], _encoded(form)
        )
        required = form["MessageSid"].strip() and from_.strip()
        assert status == (200 if required else 400)

    case()
    settled_counts(fuzz_stack.stack)
    new = identities(fuzz_stack.stack) - known
    texting = {(channel, external) for channel, external in new if channel in ("sms", "whatsapp")}
    assert texting <= expected, texting - expected
    assert all(external for _, external in new), new
    assert_new_values_as_given(fuzz_stack.stack, before, said)
    fuzz_stack.assert_alive()


def test_twilio_signed_hostile_status_callbacks_never_fail(
    fuzz_stack: FuzzStack, fuzzer: Fuzzer
) -> None:
    @fuzz_settings(2)
    @given(form=hostile_forms, carrier_block=st.booleans(), to=senders)
    def case(form: dict[str, str], carrier_block: bool, to: str) -> None:
        if carrier_block:
            form = {**form, "ErrorCode": "21610", "To": to}
        status = _post_signed(
            fuzz_stack, fuzzer, "twilio status (signed)", MESSAGING[1], _encoded(form)
        )
        assert status in (204, 400), status

    case()
    fuzz_stack.assert_alive()


def test_twilio_signed_junk_bodies_never_fail(fuzz_stack: FuzzStack, fuzzer: Fuzzer) -> None:
    @fuzz_settings(2)
    @given(path=st.sampled_from(MESSAGING + VOICE), body=junk_bodies)
    def case(path: str, body: bytes) -> None:
        status = _post_signed(fuzz_stack, fuzzer, "twilio junk (signed)", path, body)
        assert status in (200, 204, 400), status

    case()
    fuzz_stack.assert_alive()


# ------------------------------------------------------------------ voice


def test_voice_signed_hostile_steps_get_twiml_or_a_400(
    fuzz_stack: FuzzStack, fuzzer: Fuzzer
) -> None:
    calls = [f"CA{uuid.uuid4().hex}" for _ in range(4)]
    for sid in calls:  # live calls, so that gathers reach the conversation
        form = {
            "CallSid": sid,
            "AccountSid": ACCOUNT_SID,
            "From": f"+1415557{next(_numbers):04d}",
            "CallStatus": "ringing",
        }
        assert (
            _post_signed(fuzz_stack, fuzzer, "voice step (signed)", VOICE[0], _encoded(form)) == 200
        )

    @fuzz_settings(0.6)
    @given(
        step=st.sampled_from(VOICE),
        sid=st.sampled_from(calls) | hostile_text,
        seq=st.none() | hostile_text,
        extra=hostile_forms,
        speech=hostile_text,
        digits=st.text("0123456789#*", max_size=6) | hostile_text,
    )
    def case(
        step: str, sid: str, seq: str | None, extra: dict[str, str], speech: str, digits: str
    ) -> None:
        form = {
            **extra,
            "CallSid": sid,
            "AccountSid": ACCOUNT_SID,
            "SpeechResult": speech,
            "Digits": digits,
        }
        if step.endswith("status"):
            form.setdefault("CallStatus", "completed")
        path = step if seq is None else f"{step}?{urlencode({'seq': seq})}"
        status = _post_signed(fuzz_stack, fuzzer, "voice step (signed)", path, _encoded(form))
        assert status in (200, 204, 400), status

    case()
    fuzz_stack.assert_alive()
