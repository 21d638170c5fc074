"""Replies from the sales inbox reach people on SMS, WhatsApp and Telegram (#20): the
worker's step against loopback fakes of Twilio and the Telegram Bot API, with the real
senders; each reply is sent once, signed with the writer's name, and a failure is kept
with the provider's reason for the inbox to show."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from bot.settings import Settings, load_settings
from bot.store import ProfileStore, StudioUser, upgrade
from campaigns.inbox_replies import deliver_replies
from senders.providers import build_senders
from senders.twilio_texts import TwilioTextSender
from tests.channels.fake_telegram import FakeTelegram
from tests.channels.fake_twilio import FakeTwilio
from tests.senders.conftest import ACCOUNT_SID, AUTH_TOKEN, PUBLIC_URL, SMS_FROM, TG_TOKEN

pytestmark = pytest.mark.asyncio(loop_scope="session")


@pytest.fixture(scope="module")
def twilio() -> Iterator[FakeTwilio]:
    fake = FakeTwilio().start()
    yield fake
    fake.stop()


@pytest.fixture(scope="module")
def telegram() -> Iterator[FakeTelegram]:
    fake = FakeTelegram(TG_TOKEN).start()
    yield fake
    fake.stop()


@pytest.fixture
def settings(tmp_path: Path, twilio: FakeTwilio, telegram: FakeTelegram) -> Settings:
    return load_settings(environ={
        "PARLEY_DATA_DIR": str(tmp_path), "PARLEY_COMPANY_NAME": "Acme Test Co",
        "TWILIO_ACCOUNT_SID": ACCOUNT_SID, "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
        "TWILIO_SMS_FROM": SMS_FROM, "TWILIO_WHATSAPP_FROM": "whatsapp:+14155238886",
        "PARLEY_PUBLIC_URL": PUBLIC_URL, "TWILIO_API_BASE_URL": twilio.url,
        "TELEGRAM_BOT_TOKEN": TG_TOKEN, "TELEGRAM_WEBHOOK_SECRET": "inbox-webhook-secret_0123",
        "TELEGRAM_API_BASE_URL": telegram.api_base,
    }, dotenv=tmp_path / "none.env")  # fmt: skip


@pytest.fixture
def store(tmp_path: Path) -> Iterator[ProfileStore]:
    url = f"sqlite:///{tmp_path / 'parley.db'}"
    upgrade(url)
    made = ProfileStore.from_url(url)
    yield made
    made.dispose()


def held(store: ProfileStore, channel: str, conversation: str) -> StudioUser:
    """A conversation on `channel` handed to a person, who holds it."""
    contact = store.leads.update_fields(channel, conversation, {"name": "Ada"}, conversation)  # type: ignore[arg-type]
    store.leads.request_handoff(contact.id, conversation_id=conversation, channel=channel,  # type: ignore[arg-type]
                                reason="asked", transcript=[], outbox=[])  # fmt: skip
    if store.studio.user_with_hash("ben@example.com") is None:
        store.studio.create_user("ben@example.com", "Ben", "sales", "x")
    ben = store.studio.users()[0]
    store.inbox.claim(conversation, ben)
    return ben


async def test_replies_go_out_once_on_each_channel(
    store: ProfileStore,
    settings: Settings,
    twilio: FakeTwilio,
    telegram: FakeTelegram,
) -> None:
    ben = held(store, "sms", "+14155550181")
    held(store, "whatsapp", "+14155550182")
    held(store, "telegram", "5550001")
    store.inbox.reply("+14155550181", ben, "Hi Ada, it's Ben.", delivery="queued")
    store.inbox.reply("+14155550182", ben, "Hi on WhatsApp.", delivery="queued")
    store.inbox.reply("5550001", ben, "Hi on Telegram.", delivery="queued")
    senders = build_senders(settings)
    try:
        assert await deliver_replies(store, senders) == 3
        assert await deliver_replies(store, senders) == 0
    finally:
        await senders["sms"].close()
        await senders["telegram"].close()
    assert [m.body for m in twilio.to("+14155550181")] == ["Ben: Hi Ada, it's Ben."]
    assert [m.body for m in twilio.to("whatsapp:+14155550182")] == ["Ben: Hi on WhatsApp."]
    assert [c.params["text"] for c in telegram.sent_to("5550001")] == ["Ben: Hi on Telegram."]
    for conversation in ("+14155550181", "+14155550182", "5550001"):
        assert store.inbox.messages(conversation)[-1].delivery == "sent"


async def test_a_failed_reply_keeps_the_providers_reason(
    store: ProfileStore,
    settings: Settings,
    twilio: FakeTwilio,
) -> None:
    ben = held(store, "sms", "+14155550183")
    store.inbox.reply("+14155550183", ben, "Hello?", delivery="queued")
    twilio.fail_next(1, status=400, code=21211)
    senders = build_senders(settings)
    try:
        await deliver_replies(store, senders)
    finally:
        await senders["sms"].close()
        await senders["telegram"].close()
    last = store.inbox.messages("+14155550183")[-1]
    assert last.delivery == "failed" and "21211" in (last.delivery_error or "")


async def test_a_channel_this_parley_cannot_send_on_fails_visibly(store: ProfileStore) -> None:
    ben = held(store, "telegram", "5550009")
    store.inbox.reply("5550009", ben, "Hello?", delivery="queued")
    assert await deliver_replies(store, {}) == 1
    last = store.inbox.messages("5550009")[-1]
    assert (last.delivery, last.delivery_error) == (
        "failed",
        "telegram is not configured on this Parley",
    )


async def test_a_stop_after_the_reply_was_written_holds(
    store: ProfileStore, settings: Settings, twilio: FakeTwilio
) -> None:
    ben = held(store, "sms", "+14155550184")
    store.inbox.reply("+14155550184", ben, "Hello?", delivery="queued")
    contact = store.inbox.entry("+14155550184").contact_id
    store.consent.block_contact(contact, "sms", "withdrawn", "STOP")
    senders = build_senders(settings)
    try:
        assert await deliver_replies(store, senders) == 1
    finally:
        await senders["sms"].close()
        await senders["telegram"].close()
    assert twilio.to("+14155550184") == []
    last = store.inbox.messages("+14155550184")[-1]
    assert (last.delivery, last.delivery_error) == (
        "failed",
        "the person asked not to be contacted on sms",
    )


async def test_a_reply_a_dead_worker_left_sending_is_reported_uncertain_not_resent(
    store: ProfileStore, settings: Settings, twilio: FakeTwilio
) -> None:
    ben = held(store, "sms", "+14155550185")
    store.inbox.reply("+14155550185", ben, "Hello?", delivery="queued")
    # A worker marked it ten minutes ago and died before the provider answered.
    store.inbox.claim_queued_replies(now=datetime.now(timezone.utc) - timedelta(minutes=10))
    senders = build_senders(settings)
    try:
        assert await deliver_replies(store, senders) == 1
        assert await deliver_replies(store, senders) == 0
    finally:
        await senders["sms"].close()
        await senders["telegram"].close()
    assert twilio.to("+14155550185") == []
    last = store.inbox.messages("+14155550185")[-1]
    assert last.delivery == "uncertain" and "may not have arrived" in (last.delivery_error or "")


async def test_a_reply_the_provider_may_have_taken_is_uncertain(
    store: ProfileStore, settings: Settings, twilio: FakeTwilio
) -> None:
    ben = held(store, "sms", "+14155550186")
    store.inbox.reply("+14155550186", ben, "Hello?", delivery="queued")
    twilio.stall_next(1.0)
    impatient = TwilioTextSender(settings.twilio, timeout_s=0.3)
    try:
        assert await deliver_replies(store, {"sms": impatient}) == 1
    finally:
        await impatient.close()
    last = store.inbox.messages("+14155550186")[-1]
    assert last.delivery == "uncertain" and "it may have arrived" in (last.delivery_error or "")
    assert len(twilio.wait_for("+14155550186", 1)) == 1  # sent once, never twice
    await asyncio.sleep(1.0)  # the fake's stalled answer ends before the fake stops
