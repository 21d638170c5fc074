"""The email sender against a real SMTP server on loopback (aiosmtpd): the one-click
unsubscribe headers, and refusals sorted into bounce, retry or neither."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from bot.runner import free_port
from bot.settings import Settings
from bot.unsubscribe import ONE_CLICK_BODY
from senders.interface import OutboundMessage, SendFailed
from senders.mail import EmailSender
from tests.handoff.conftest import Inbox
from tests.senders.conftest import SettingsFor

UNSUBSCRIBE = "https://bot.example.test/unsubscribe/" + "t" * 120


class RefusingInbox(Inbox):
    """Refuses every recipient whose address names a reply code (`550@...`)."""

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        local = address.split("@", 1)[0]
        if local.isdigit():
            return f"{local} refused for the test"
        envelope.rcpt_tos.append(address)
        return "250 OK"


@pytest.fixture
def inbox() -> Iterator[tuple[RefusingInbox, int]]:
    handler, port = RefusingInbox(), free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    yield handler, port
    controller.stop()


@pytest.fixture
def mail_settings(settings_for: SettingsFor, inbox: tuple[RefusingInbox, int]) -> Settings:
    return settings_for(
        PARLEY_SMTP_HOST="127.0.0.1",
        PARLEY_SMTP_PORT=str(inbox[1]),
        PARLEY_SMTP_SECURITY="none",
        PARLEY_MAIL_FROM="parley@acme.test",
        PARLEY_POSTAL_ADDRESS="Acme Test Co, 1 Main St, Springfield",
    )


async def test_email_sender_adds_one_click_unsubscribe_and_the_postal_footer(
    mail_settings: Settings, inbox: tuple[RefusingInbox, int]
) -> None:
    message = OutboundMessage(
        "email", "dana@example.test", "Thanks", subject="Hello", unsubscribe_url=UNSUBSCRIBE
    )
    receipt = await EmailSender(mail_settings.mail).send(message)
    (received,) = inbox[0].messages
    assert received["Message-ID"] == receipt.provider_message_id
    assert received["List-Unsubscribe"] == f"<{UNSUBSCRIBE}>"
    assert received["List-Unsubscribe-Post"] == ONE_CLICK_BODY
    assert "1 Main St" in received.get_payload()


@pytest.mark.parametrize(
    ("code", "retryable", "do_not_contact"), [(550, False, "undeliverable"), (450, True, None)]
)
async def test_refused_recipient_is_a_bounce_only_when_permanent(
    mail_settings: Settings, code: int, retryable: bool, do_not_contact: str | None
) -> None:
    message = OutboundMessage("email", f"{code}@example.test", "Thanks", subject="Hello")
    with pytest.raises(SendFailed) as raised:
        await EmailSender(mail_settings.mail).send(message)
    assert (raised.value.retryable, raised.value.do_not_contact) == (retryable, do_not_contact)


async def test_unreachable_smtp_server_is_retryable(settings_for: SettingsFor) -> None:
    closed = settings_for(
        PARLEY_SMTP_HOST="127.0.0.1",
        PARLEY_SMTP_PORT="9",
        PARLEY_SMTP_SECURITY="none",
        PARLEY_MAIL_FROM="parley@acme.test",
    )
    with pytest.raises(SendFailed) as raised:
        await EmailSender(closed.mail).send(OutboundMessage("email", "a@example.test", "x"))
    assert (raised.value.retryable, raised.value.do_not_contact) == (True, None)
