"""A real Parley stack wired to a fake Twilio REST API, and signed webhooks to drive it."""

from __future__ import annotations

import itertools
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from twilio.request_validator import RequestValidator

from bot.store import Contact
from bot.types import Channel
from tests.channels.fake_twilio import FakeTwilio, SentMessage
from tests.e2e.conftest import Stack, launch

ACCOUNT_SID = "AC" + "0" * 32
AUTH_TOKEN = "test-auth-token-0123456789"
SMS_FROM = "+15005550006"
WHATSAPP_FROM = "whatsapp:+14155238886"
PUBLIC_URL = "https://bot.example.test"
QUIET_S = 0.6
_numbers = itertools.count(100)


@pytest.fixture(scope="module")
def fake_twilio() -> Iterator[FakeTwilio]:
    fake = FakeTwilio().start()
    yield fake
    fake.stop()


@pytest.fixture(scope="module")
def twilio_stack(
    trained_model: Path, tmp_path_factory: pytest.TempPathFactory, fake_twilio: FakeTwilio
) -> Iterator[Stack]:
    running = launch(
        tmp_path_factory.mktemp("twilio"),
        trained_model,
        TWILIO_ACCOUNT_SID=ACCOUNT_SID,
        TWILIO_AUTH_TOKEN=AUTH_TOKEN,
        TWILIO_SMS_FROM=SMS_FROM,
        TWILIO_WHATSAPP_FROM=WHATSAPP_FROM,
        PARLEY_PUBLIC_URL=PUBLIC_URL,
        TWILIO_API_BASE_URL=fake_twilio.url,
    )
    yield running
    running.supervisor.stop()
    running.store.dispose()


@pytest.fixture(scope="module")
def unconfigured_stack(
    trained_model: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Stack]:
    running = launch(tmp_path_factory.mktemp("no-twilio"), trained_model)
    yield running
    running.supervisor.stop()
    running.store.dispose()


def sign(path: str, params: dict[str, str], token: str = AUTH_TOKEN) -> str:
    return str(RequestValidator(token).compute_signature(PUBLIC_URL + path, params))


def post_signed(
    stack: Stack, path: str, params: dict[str, str], signature: str | None = None
) -> httpx.Response:
    """POST a form to Parley as Twilio would, signed unless `signature` is given."""
    headers = {"X-Twilio-Signature": sign(path, params) if signature is None else signature}
    return httpx.post(f"{stack.settings.rasa_url}{path}", data=params, headers=headers, timeout=30)


@dataclass
class Phone:
    """One person texting Parley over SMS or WhatsApp."""

    stack: Stack
    fake: FakeTwilio
    number: str
    whatsapp: bool = False

    @property
    def address(self) -> str:
        return f"whatsapp:{self.number}" if self.whatsapp else self.number

    def post(self, body: str, sid: str | None = None, **extra: str) -> httpx.Response:
        params = {
            "MessageSid": sid or f"SM{uuid.uuid4().hex}",
            "AccountSid": ACCOUNT_SID,
            "From": self.address,
            "To": WHATSAPP_FROM if self.whatsapp else SMS_FROM,
            "Body": body,
            "NumMedia": "0",
            **extra,
        }
        return post_signed(self.stack, "/webhooks/twilio/webhook", params)

    def say(self, body: str, **extra: str) -> str:
        """Text Parley; its replies (once they stop coming) as one lower-cased string."""
        before = len(self.fake.to(self.address))
        reply = self.post(body, **extra)
        assert reply.status_code == 200, reply.text
        return " | ".join(m.body for m in self.replies_after(before)).lower()

    def replies_after(self, before: int) -> list[SentMessage]:
        sent = self.fake.wait_for(self.address, before + 1)
        while True:
            time.sleep(QUIET_S)
            later = self.fake.to(self.address)
            if len(later) == len(sent):
                return sent[before:]
            sent = later

    def slots(self) -> dict[str, object]:
        return self.stack.tracker_slots(self.number)

    def contact(self) -> Contact:
        channel: Channel = "whatsapp" if self.whatsapp else "sms"
        contact = self.stack.store.contacts.for_identity(channel, self.number)
        assert contact is not None, f"nothing stored for {channel} {self.number}"
        return contact


def new_number() -> str:
    """A fresh valid US number per call (555-01xx are reserved for fiction)."""
    return f"+1415555{next(_numbers):04d}"


@pytest.fixture
def sms(twilio_stack: Stack, fake_twilio: FakeTwilio) -> Phone:
    return Phone(twilio_stack, fake_twilio, new_number())


@pytest.fixture
def whatsapp(twilio_stack: Stack, fake_twilio: FakeTwilio) -> Phone:
    return Phone(twilio_stack, fake_twilio, new_number(), whatsapp=True)
