"""A running Parley that can send one-time codes: fake SMTP and fake Twilio on loopback."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from email.message import Message
from email.parser import BytesParser
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from bot.runner import free_port
from tests.channels.fake_twilio import FakeTwilio
from tests.e2e.conftest import Stack, launch

ACCOUNT_SID = "AC" + "1" * 32
SMS_FROM = "+15005550006"


class Mailbox:
    """An SMTP server's delivered messages, by recipient."""

    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(BytesParser().parsebytes(envelope.content))
        return "250 OK"

    def to(self, address: str) -> list[Message]:
        return [m for m in self.messages if m["To"] == address]

    def wait_for(self, address: str, count: int, timeout: float = 30) -> list[Message]:
        deadline = time.monotonic() + timeout
        while len(self.to(address)) < count and time.monotonic() < deadline:
            time.sleep(0.1)
        return self.to(address)


def code_in(body: str) -> str:
    found = re.search(r"code is (\d{6})", body)
    assert found is not None, body
    return found.group(1)


def last_code_mailed(mailbox: Mailbox, address: str, count: int) -> str:
    messages = mailbox.wait_for(address, count)
    assert len(messages) == count, [m["To"] for m in mailbox.messages]
    body = messages[-1].get_payload(decode=True)
    assert isinstance(body, bytes)
    return code_in(body.decode())


@pytest.fixture(scope="module")
def mailbox() -> Iterator[Mailbox]:
    box = Mailbox()
    controller = Controller(box, hostname="127.0.0.1", port=free_port())
    controller.start()
    box.port = controller.port  # type: ignore[attr-defined]
    yield box
    controller.stop()


@pytest.fixture(scope="module")
def texts() -> Iterator[FakeTwilio]:
    fake = FakeTwilio().start()
    yield fake
    fake.stop()


@pytest.fixture(scope="module")
def secure_stack(
    trained_model: Path,
    tmp_path_factory: pytest.TempPathFactory,
    mailbox: Mailbox,
    texts: FakeTwilio,
) -> Iterator[Stack]:
    running = launch(
        tmp_path_factory.mktemp("secure"),
        trained_model,
        PARLEY_SMTP_HOST="127.0.0.1",
        PARLEY_SMTP_PORT=str(mailbox.port),  # type: ignore[attr-defined]
        PARLEY_SMTP_SECURITY="none",
        PARLEY_MAIL_FROM="parley@acme.test",
        PARLEY_PRIVACY_CONTACT="privacy@acme.test",
        TWILIO_ACCOUNT_SID=ACCOUNT_SID,
        TWILIO_AUTH_TOKEN="test-auth-token-0123456789",
        TWILIO_SMS_FROM=SMS_FROM,
        PARLEY_PUBLIC_URL="https://bot.example.test",
        TWILIO_API_BASE_URL=texts.url,
    )
    yield running
    running.supervisor.stop()
    running.store.dispose()
