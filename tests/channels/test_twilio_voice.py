"""Whole phone calls as sequences of signed Twilio Voice webhooks against a real stack."""

from __future__ import annotations

import itertools
import os
import signal
import uuid
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from twilio.request_validator import RequestValidator

from bot.call_simulator import twilio_signature
from channels.twilio_voice import Choice, chunks, pick, speakable
from tests.channels.conftest import ACCOUNT_SID, AUTH_TOKEN, PUBLIC_URL
from tests.e2e.conftest import Stack, launch

pytestmark = [pytest.mark.e2e, pytest.mark.slow]
SALES = "+15005550009"
PREFIX = "/webhooks/twilio_voice"
_callers = itertools.count(300)


def voice_env(**extra: str) -> dict[str, str]:
    return {
        "TWILIO_ACCOUNT_SID": ACCOUNT_SID,
        "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
        "PARLEY_PUBLIC_URL": PUBLIC_URL,
        "PARLEY_VOICE_SALES_NUMBER": SALES,
        "PARLEY_VOICE_REPROMPTS": "2",
        **extra,
    }


@pytest.fixture(scope="module")
def voice_stack(trained_model: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    running = launch(tmp_path_factory.mktemp("voice"), trained_model, 1, **voice_env())
    yield running
    running.supervisor.stop()
    running.store.dispose()


class PhoneCall:
    """One caller: each step posts what Twilio would post, signed with RequestValidator."""

    def __init__(self, stack: Stack, caller: str | None = None) -> None:
        self.stack = stack
        self.sid = "CA" + uuid.uuid4().hex
        self.caller = caller or f"+1415555{next(_callers):04d}"
        self.twiml: ElementTree.Element | None = None

    def post(
        self, url: str, extra: dict[str, str] | None = None, signature: str | None = None
    ) -> httpx.Response:
        params = {
            "CallSid": self.sid,
            "AccountSid": ACCOUNT_SID,
            "From": self.caller,
            "To": "+15005550006",
            "CallStatus": "in-progress",
            **(extra or {}),
        }
        full = url if url.startswith("http") else PUBLIC_URL + url
        sign = RequestValidator(AUTH_TOKEN).compute_signature(full, params)
        local = self.stack.settings.rasa_url + full.removeprefix(PUBLIC_URL)
        headers = {"X-Twilio-Signature": sign if signature is None else signature}
        return httpx.post(local, data=params, headers=headers, timeout=60)

    def step(self, url: str, extra: dict[str, str] | None = None) -> ElementTree.Element:
        reply = self.post(url, extra)
        assert reply.status_code == 200, reply.text
        assert reply.headers["content-type"].startswith("text/xml")
        self.twiml = ElementTree.fromstring(reply.text)
        return self.twiml

    def start(self, extra: dict[str, str] | None = None) -> str:
        self.step(f"{PREFIX}/incoming", extra)
        return self.heard()

    def heard(self) -> str:
        assert self.twiml is not None
        return " | ".join(e.text or "" for e in self.twiml.iter("Say")).lower()

    def gather_url(self) -> str:
        assert self.twiml is not None
        (gather,) = list(self.twiml.iter("Gather"))
        return gather.attrib["action"]

    def say(self, speech: str) -> str:
        self.step(self.gather_url(), {"SpeechResult": speech, "Confidence": "0.92"})
        return self.follow()

    def press(self, digits: str) -> str:
        self.step(self.gather_url(), {"Digits": digits})
        return self.follow()

    def silence(self) -> str:
        self.step(self.gather_url())
        return self.heard()

    def follow(self) -> str:
        """Follow <Redirect>s (holding lines) to the answer."""
        assert self.twiml is not None
        said = [self.heard()]
        while (redirect := self.twiml.find("Redirect")) is not None:
            self.step(redirect.text or "")
            said.append(self.heard())
        return " | ".join(said)


def test_speakable_text_and_splitting() -> None:
    assert speakable("**Hi** 👋 see https://example.com/privacy now") == "Hi see our website now"
    # An address read back keeps its underscores: the caller checks it letter by letter.
    assert speakable("**Email:** priya_nair88@yahoo.com") == "Email: priya_nair88@yahoo.com"
    assert all(len(part) <= 600 for part in chunks("A sentence. " * 200))
    choices = [Choice("Book a demo", "/request_demo"), Choice("Pricing", "/ask_pricing")]
    assert pick(choices, "", "2") == "/ask_pricing"
    assert pick(choices, "I'd like to book a demo please", "") == "/request_demo"
    assert pick(choices, "two", "") == "/ask_pricing"
    assert pick(choices, "something else", "") is None


def test_the_simulator_signs_like_twilio() -> None:
    params = {"CallSid": "CA1", "From": "+14155550100", "SpeechResult": "hello & bye"}
    url = f"{PUBLIC_URL}{PREFIX}/gather?seq=3"
    assert twilio_signature(AUTH_TOKEN, url, params) == RequestValidator(
        AUTH_TOKEN
    ).compute_signature(url, params)


def test_lead_captured_by_voice_with_consent_by_keypress(voice_stack: Stack) -> None:
    call = PhoneCall(voice_stack)
    greeting = call.start()
    assert "automated assistant" in greeting and "press 1" in greeting and "book a demo" in greeting
    assert "our website" in greeting and "http" not in greeting
    (gather,) = list(call.twiml.iter("Gather"))  # type: ignore[union-attr]
    assert gather.attrib["input"] == "speech dtmf" and gather.attrib["numDigits"] == "1"
    assert "Book a demo" in gather.attrib["hints"]
    assert "name" in call.press("1")
    assert "email" in call.say("Dana Reyes")
    assert "phone" in call.say("dana at voice-test dot io")
    assert "company" in call.press("4155550134#")
    assert "role" in call.say("Acme Widgets")
    assert "solve" in call.say("Head of Growth")
    assert "is that right" in call.say("answering leads faster")
    assert "email you" in call.say("yes that's right")
    call.press("1")
    contact = voice_stack.store.contacts.for_identity("voice", call.sid)
    assert (
        contact is not None
        and contact.email == "dana@voice-test.io"
        and contact.phone == "+14155550134"
    )
    (consent,) = voice_stack.store.consent.history(contact.id)
    assert consent.granted and consent.channel == "voice"
    assert consent.evidence["text"] == "pressed 1"


def test_silence_reprompts_then_says_goodbye_and_hangs_up(voice_stack: Stack) -> None:
    call = PhoneCall(voice_stack)
    call.start()
    assert "didn't catch that" in call.silence()
    assert "didn't catch that" in call.silence()
    assert "goodbye" in call.silence()
    assert call.twiml is not None and call.twiml.find("Hangup") is not None


def test_asking_for_a_person_transfers_and_a_failed_transfer_takes_a_callback(
    voice_stack: Stack,
) -> None:
    call = PhoneCall(voice_stack)
    call.start()
    said = call.say("can I talk to a real person please")
    assert "passed our conversation" in said
    dial = call.twiml.find("Dial")  # type: ignore[union-attr]
    assert dial is not None and dial.findtext("Number") == SALES
    call.step(dial.attrib["action"], {"DialCallStatus": "no-answer"})
    assert "call you back" in call.heard()
    call.step(call.gather_url(), {"SpeechResult": "Dana, after 3pm"})
    assert call.twiml is not None and call.twiml.find("Hangup") is not None
    contact = voice_stack.store.contacts.for_identity("voice", call.sid)
    assert contact is not None and contact.phone == call.caller
    kinds = {e.kind: e.data for e in voice_stack.store.contacts.timeline(contact.id)}
    assert kinds["callback_requested"]["said"] == "Dana, after 3pm"
    assert "handoff_requested" in kinds


def test_a_caller_who_says_bye_to_the_callback_offer_is_not_called_back(
    voice_stack: Stack,
) -> None:
    call = PhoneCall(voice_stack)
    call.start()
    call.say("can I talk to a real person please")
    dial = call.twiml.find("Dial")  # type: ignore[union-attr]
    assert dial is not None
    call.step(dial.attrib["action"], {"DialCallStatus": "busy"})
    call.step(call.gather_url(), {"SpeechResult": "uh no it's okay bye"})
    assert "thanks for calling" in call.heard()
    assert call.twiml is not None and call.twiml.find("Hangup") is not None
    contact = voice_stack.store.contacts.for_identity("voice", call.sid)
    assert contact is not None and contact.phone is None  # their caller ID is not their detail
    kinds = {e.kind for e in voice_stack.store.contacts.timeline(contact.id)}
    assert "callback_declined" in kinds and "callback_requested" not in kinds


def test_a_forged_signature_is_403_and_nothing_happens(voice_stack: Stack) -> None:
    call = PhoneCall(voice_stack)
    assert call.post(f"{PREFIX}/incoming", signature="forged").status_code == 403
    assert call.post(f"{PREFIX}/incoming", signature="").status_code == 403
    assert voice_stack.store.contacts.for_identity("voice", call.sid) is None


def test_a_replayed_webhook_has_one_effect(voice_stack: Stack) -> None:
    call = PhoneCall(voice_stack)
    call.start()
    url = call.gather_url()
    first = call.post(url, {"SpeechResult": "Dana Reyes"})
    again = call.post(url, {"SpeechResult": "Dana Reyes"})
    assert first.text == again.text
    events = voice_stack.tracker(call.sid)["events"]
    assert [e.get("text") for e in events if e["event"] == "user"].count("Dana Reyes") <= 1


def test_a_caller_the_carrier_vouches_for_is_recognised(voice_stack: Stack) -> None:
    caller = f"+1415555{next(_callers):04d}"
    known = voice_stack.store.leads.update_fields(
        "sms", caller, {"name": "Priya Raman", "phone": caller}, caller
    )
    call = PhoneCall(voice_stack, caller)
    assert "welcome back, priya raman" in call.start({"StirVerstat": "TN-Validation-Passed-A"})
    joined = voice_stack.store.contacts.for_identity("voice", call.sid)
    assert joined is not None and joined.id == known.id


def test_a_spoofable_caller_id_reaches_nobodys_profile(voice_stack: Stack) -> None:
    caller = f"+1415555{next(_callers):04d}"
    voice_stack.store.leads.update_fields(
        "sms", caller, {"name": "Priya Raman", "phone": caller}, caller
    )
    for verstat in ({}, {"StirVerstat": "TN-Validation-Passed-B"}):
        call = PhoneCall(voice_stack, caller)
        assert "priya" not in call.start(verstat)
        assert voice_stack.store.contacts.for_identity("voice", call.sid) is None


def test_call_status_ends_the_call(voice_stack: Stack) -> None:
    call = PhoneCall(voice_stack)
    call.start()
    assert (
        call.post(f"{PREFIX}/status", {"CallStatus": "completed", "CallDuration": "31"}).status_code
        == 204
    )
    late = call.step(call.gather_url(), {"SpeechResult": "hello?"})
    assert late.find("Hangup") is not None


@pytest.fixture(scope="module")
def slow_stack(trained_model: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    running = launch(
        tmp_path_factory.mktemp("voice-slow"),
        trained_model,
        1,
        **voice_env(PARLEY_VOICE_ANSWER_BUDGET_S="1"),
    )
    yield running
    running.supervisor.stop()
    running.store.dispose()


def test_a_slow_action_gets_a_holding_line_and_a_redirect(slow_stack: Stack) -> None:
    call = PhoneCall(slow_stack)
    call.start()
    actions = slow_stack.supervisor.children["action server"].process
    os.killpg(actions.pid, signal.SIGSTOP)  # the action server stalls mid-call
    try:
        call.step(call.gather_url(), {"Digits": "1"})
        assert "one moment" in call.heard()
        redirect = call.twiml.find("Redirect")  # type: ignore[union-attr]
        assert redirect is not None and "/pickup" in (redirect.text or "")
    finally:
        os.killpg(actions.pid, signal.SIGCONT)
    assert "name" in call.follow()


def test_the_call_simulator_holds_a_call(voice_stack: Stack) -> None:
    from bot.call_simulator import CallSimulator

    heard: list[str] = []
    answers = iter(["#1", "Dana Reyes", "/hangup"])
    simulator = CallSimulator(voice_stack.settings, "+14155550123", say=heard.append)
    twiml: ElementTree.Element | None = simulator.post(f"{PREFIX}/incoming")
    while twiml is not None:
        twiml = simulator.play(twiml, lambda _prompt: next(answers))
    spoken = " ".join(heard).lower()
    assert "press 1" in spoken and "what's your name" in spoken and "email" in spoken
    assert simulator.ended
    contact = voice_stack.store.contacts.for_identity("voice", simulator.sid)
    assert contact is not None and contact.name == "Dana Reyes"
