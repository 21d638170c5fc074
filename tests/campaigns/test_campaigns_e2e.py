"""Campaigns end to end: a real Parley (Rasa, actions, campaign worker) with fake Twilio
and Telegram APIs and a real SMTP server on loopback. Nobody runs the engine by hand:
the worker `parley run` starts does everything."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import datetime, timezone
from email.message import Message
from pathlib import Path
from typing import Any

import httpx
import pytest
from aiosmtpd.controller import Controller

from bot.stack import child_env
from tests.campaigns.conftest import grant
from tests.channels.conftest import (
    ACCOUNT_SID,
    AUTH_TOKEN,
    PUBLIC_URL,
    SMS_FROM,
    WHATSAPP_FROM,
    Phone,
    new_number,
)
from tests.channels.fake_telegram import FakeTelegram
from tests.channels.fake_twilio import FakeTwilio, SentMessage
from tests.channels.test_twilio_messaging import capture_lead, grant_everything_asked
from tests.e2e.conftest import Stack, free_port, launch
from tests.handoff.conftest import Inbox

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

TG_TOKEN = "123456:TEST-token-abcdefghijklmnopqrstuv"
FOLLOW_UP = """
name: follow-up
trigger: {event: lead_captured}
audience: consent(sms) or consent(email)
steps:
  # Consent is asked after the lead form: let the conversation finish.
  - id: settle
    wait: 20s
  - id: thanks
    send:
      channels: [preferred, email]
      message:
        text: "Thanks {{ first_name | default('there') }}, this is our follow-up."
        email:
          subject: "Thanks, {{ first_name | default('there') }}"
          body: "Thanks for talking to {{ company_name }}."
  - id: later
    wait: 1h
  - id: again
    send: {channels: [sms], message: {text: "Second touch"}}
"""
MANUAL = """
name: manual
trigger: {event: manual}
steps:
  - id: hello
    send:
      channels: [telegram, email]
      message:
        text: "Hello from the manual campaign"
        email: {subject: Hello, body: Hello}
"""


@pytest.fixture(scope="module")
def fakes() -> Iterator[tuple[FakeTwilio, FakeTelegram, Inbox, int]]:
    twilio, telegram, inbox = FakeTwilio().start(), FakeTelegram(TG_TOKEN).start(), Inbox()
    port = free_port()
    smtp = Controller(inbox, hostname="127.0.0.1", port=port)
    smtp.start()
    yield twilio, telegram, inbox, port
    smtp.stop()
    telegram.stop()
    twilio.stop()


@pytest.fixture(scope="module")
def campaign_stack(
    trained_model: Path,
    tmp_path_factory: pytest.TempPathFactory,
    fakes: tuple[FakeTwilio, FakeTelegram, Inbox, int],
) -> Iterator[Stack]:
    twilio, telegram, _, smtp_port = fakes
    data = tmp_path_factory.mktemp("campaigns")
    definitions = data / "definitions"
    definitions.mkdir()
    (definitions / "follow-up.yml").write_text(FOLLOW_UP)
    (definitions / "manual.yml").write_text(MANUAL)
    running = launch(
        data, trained_model,
        PARLEY_CAMPAIGNS_DIR=str(definitions), PARLEY_QUIET_HOURS="00:00-00:00",
        TWILIO_ACCOUNT_SID=ACCOUNT_SID, TWILIO_AUTH_TOKEN=AUTH_TOKEN, TWILIO_SMS_FROM=SMS_FROM,
        TWILIO_WHATSAPP_FROM=WHATSAPP_FROM, PARLEY_PUBLIC_URL=PUBLIC_URL,
        TWILIO_API_BASE_URL=twilio.url, TELEGRAM_BOT_TOKEN=TG_TOKEN,
        TELEGRAM_WEBHOOK_SECRET="telegram-webhook-secret_0123",
        TELEGRAM_API_BASE_URL=telegram.api_base, PARLEY_SMTP_HOST="127.0.0.1",
        PARLEY_SMTP_PORT=str(smtp_port), PARLEY_SMTP_SECURITY="none",
        PARLEY_MAIL_FROM="news@acme.test", PARLEY_POSTAL_ADDRESS="Acme Test Co, 1 Main St",
    )  # fmt: skip
    yield running
    running.supervisor.stop()
    running.store.dispose()


def wait_until(check: Callable[[], object], timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(0.25)


def test_a_lead_captured_over_sms_gets_the_follow_up_by_itself(
    campaign_stack: Stack, fakes: tuple[FakeTwilio, FakeTelegram, Inbox, int]
) -> None:
    twilio = fakes[0]
    phone = Phone(campaign_stack, twilio, new_number())
    grant_everything_asked(phone, capture_lead(phone))
    contact = phone.contact()
    assert campaign_stack.store.consent.is_granted(contact.id, "sms")

    def follow_ups() -> list[SentMessage]:
        return [m for m in twilio.to(phone.number) if "our follow-up" in m.body]

    wait_until(follow_ups, timeout=60)
    [message] = follow_ups()
    assert message.body == "Thanks Dana, this is our follow-up.\nReply STOP to opt out."
    assert message.from_ == SMS_FROM

    # It is part of their conversation, as the bot's own words (wherever it fell among
    # the replies to the turn whose consent made it sendable).
    def said() -> list[str]:
        events = _tracker(campaign_stack, phone.number)
        return [str(e.get("text")) for e in events if e["event"] == "bot"]

    wait_until(lambda: message.body in said(), timeout=30)
    [enrollment] = campaign_stack.store.campaigns.enrollments("follow-up", contact.id)
    assert enrollment.status == "active" and enrollment.last_sent_at is not None
    # Their answer lands in the same conversation: STOP there opts them out.
    reply = phone.say("STOP")
    assert "won't contact you by" in reply
    assert campaign_stack.store.consent.is_granted(contact.id, "sms") is False


def test_an_email_lead_gets_mail_with_a_working_one_click_unsubscribe(
    campaign_stack: Stack, fakes: tuple[FakeTwilio, FakeTelegram, Inbox, int]
) -> None:
    inbox = fakes[2]
    store = campaign_stack.store
    contact = store.leads.update_fields(
        "web", "web-e2e-mail", {"name": "Eve Lane", "email": "eve@example.com"}, "web-e2e-mail"
    )
    grant(store, contact.id, "email", True, _now())
    store.leads.set_status(contact.id, "captured", "web-e2e-mail")
    wait_until(lambda: _mail_to(inbox, "eve@example.com"), timeout=60)
    [mail] = _mail_to(inbox, "eve@example.com")
    assert mail["Subject"] == "Thanks, Eve"
    url = mail["List-Unsubscribe"].strip("<>")
    assert url.startswith(f"{PUBLIC_URL}/webhooks/unsubscribe/u/")
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    body = mail.get_payload(decode=True).decode()
    assert "Acme Test Co, 1 Main St" in body and url in body
    # The mail client's one-click POST, sent to the stack in place of the public URL.
    local = url.replace(PUBLIC_URL, campaign_stack.settings.rasa_url)
    answer = httpx.post(local, data={"List-Unsubscribe": "One-Click"}, timeout=30)
    assert answer.status_code == 200
    assert store.consent.is_granted(contact.id, "email") is False
    assert store.consent.is_do_not_contact(contact.id, "email")


def test_manual_enrollment_from_the_cli_reaches_telegram(
    campaign_stack: Stack, fakes: tuple[FakeTwilio, FakeTelegram, Inbox, int]
) -> None:
    telegram = fakes[1]
    store = campaign_stack.store
    contact = store.contacts.ensure("telegram", "424242")
    grant(store, contact.id, "telegram", True, _now())
    done = _cli(campaign_stack, "campaigns", "enroll", "manual", "--contact", contact.id)
    assert done.returncode == 0, done.stderr
    assert "enrolled 1 of 1 in manual" in done.stdout
    [call] = telegram.wait_for("424242", 1)
    assert call.params["text"] == "Hello from the manual campaign"
    stats = _cli(campaign_stack, "campaigns", "stats", "manual")
    assert "campaign manual: 1 enrolled" in stats.stdout
    assert " hello " in stats.stdout and "telegram" in stats.stdout


def test_the_worker_reports_health(campaign_stack: Stack) -> None:
    port = campaign_stack.settings.campaigns.worker_port
    health = httpx.get(f"http://127.0.0.1:{port}/health", timeout=10).json()
    assert health["status"] == "ok"
    assert health["campaigns"] == ["follow-up", "manual"]
    assert httpx.get(f"http://127.0.0.1:{port}/ready", timeout=10).status_code == 200


def _cli(stack: Stack, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **child_env(stack.settings)}
    return subprocess.run(
        [sys.executable, "-m", "cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _tracker(stack: Stack, sender: str) -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = stack.tracker(sender)["events"]
    return events


def _mail_to(inbox: Inbox, address: str) -> list[Message]:
    return [m for m in inbox.messages if m["To"] == address]


def _now() -> datetime:
    return datetime.now(timezone.utc)


def test_the_api_server_runs_with_the_stack(campaign_stack: Stack) -> None:
    made = subprocess.run(
        [sys.executable, "-m", "cli.main", "api-token", "create", "e2e", "--scopes", "read"],
        env={**os.environ, **child_env(campaign_stack.settings)}, capture_output=True,
        text=True, timeout=120, check=False,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    token = next(w for w in made.stdout.split() if w.startswith("pk_"))
    base = f"http://127.0.0.1:{campaign_stack.settings.api.port}"
    reply = httpx.get(
        f"{base}/api/v1/contacts", headers={"Authorization": f"Bearer {token}"}, timeout=10
    )
    assert reply.status_code == 200 and "items" in reply.json()
    assert httpx.get(f"{base}/api/v1/contacts", timeout=10).status_code == 401
