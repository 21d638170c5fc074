"""The one Twilio sender against a fake Twilio on loopback: what it sends, how it sorts
failures (SendFailed), and the immediate retries chat replies get."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator
from dataclasses import replace

import pytest

from bot.settings import Settings
from bot.store import ProfileStore, upgrade
from channels.twilio_messaging import TwilioMessagingInput
from senders.interface import OutboundMessage, SendFailed
from senders.providers import build_senders
from senders.retry import send_with_retries, worth_another_try
from senders.twilio_texts import TwilioError, TwilioTextSender
from tests.channels.fake_twilio import FakeTwilio
from tests.senders.conftest import ACCOUNT_SID, AUTH_TOKEN, PUBLIC_URL, SMS_FROM

# The sender fixture and the tests share the session's loop: aiohttp binds to one loop.
pytestmark = pytest.mark.asyncio(loop_scope="session")

TO = "+14155550142"  # for sends that fail: none of them reaches the fake's record
_numbers = itertools.count(200)


def new_number() -> str:
    return f"+1415555{next(_numbers):04d}"


@pytest.fixture
async def sender(twilio_settings: Settings) -> AsyncIterator[TwilioTextSender]:
    made = TwilioTextSender(twilio_settings.twilio, timeout_s=0.5)
    yield made
    await made.close()


async def failure_of(sender: TwilioTextSender, message: OutboundMessage) -> SendFailed:
    with pytest.raises(SendFailed) as raised:
        await sender.send(message)
    return raised.value


async def test_twilio_sender_sends_from_the_configured_number(
    sender: TwilioTextSender, fake_twilio: FakeTwilio
) -> None:
    to = new_number()
    receipt = await sender.send(OutboundMessage("sms", to, "Hello", reply_from="+15550000000"))
    (sent,) = fake_twilio.to(to)
    assert receipt.provider_message_id.startswith("SM")
    assert (sent.from_, sent.body) == (SMS_FROM, "Hello")
    assert sent.status_callback == f"{PUBLIC_URL}/webhooks/twilio/status"


async def test_twilio_sender_replies_from_the_number_written_to_when_none_is_configured(
    twilio_settings: Settings, fake_twilio: FakeTwilio
) -> None:
    unset, to = TwilioTextSender(replace(twilio_settings.twilio, whatsapp_from="")), new_number()
    try:
        await unset.send(OutboundMessage("whatsapp", to, "Hi", reply_from="whatsapp:+15557770000"))
        failure = await failure_of(unset, OutboundMessage("whatsapp", to, "Hi"))
    finally:
        await unset.close()
    (sent,) = fake_twilio.to(f"whatsapp:{to}")
    assert sent.from_ == "whatsapp:+15557770000"
    assert (failure.retryable, failure.reason) == (False, "no sending number configured")


@pytest.mark.parametrize(
    ("status", "code", "retryable", "do_not_contact"),
    [
        (400, 21211, False, "undeliverable"),
        (400, 21610, False, "carrier_block"),
        (400, 21602, False, None),
        (429, 20429, True, None),
        (500, 20500, True, None),
        (503, 20503, True, None),
    ],
)
async def test_twilio_error_status_sorts_the_failure(
    sender: TwilioTextSender,
    fake_twilio: FakeTwilio,
    status: int,
    code: int,
    retryable: bool,
    do_not_contact: str | None,
) -> None:
    fake_twilio.fail_next(1, status, code)
    failure = await failure_of(sender, OutboundMessage("sms", TO, "Hello"))
    assert (failure.retryable, failure.code) == (retryable, str(code))
    assert failure.do_not_contact == do_not_contact
    assert not failure.maybe_sent


async def test_twilio_timeout_may_have_sent_so_is_not_retryable(
    sender: TwilioTextSender, fake_twilio: FakeTwilio
) -> None:
    fake_twilio.stall_next(1.0)
    failure = await failure_of(sender, OutboundMessage("sms", new_number(), "Hello"))
    assert (failure.retryable, failure.maybe_sent) == (False, True)


async def test_unreachable_twilio_is_retryable(twilio_settings: Settings) -> None:
    closed = replace(twilio_settings.twilio, api_base_url="http://127.0.0.1:9")
    unreachable = TwilioTextSender(closed)
    try:
        failure = await failure_of(unreachable, OutboundMessage("sms", TO, "Hello"))
    finally:
        await unreachable.close()
    assert (failure.retryable, failure.maybe_sent) == (True, False)
    assert "unreachable" in failure.reason


async def test_retries_deliver_after_a_transient_failure(
    sender: TwilioTextSender, fake_twilio: FakeTwilio
) -> None:
    before, to = fake_twilio.requests, new_number()
    fake_twilio.fail_next(2)
    await send_with_retries(sender, OutboundMessage("sms", to, "Again"))
    assert fake_twilio.requests - before == 3
    assert [m.body for m in fake_twilio.to(to)] == ["Again"]


async def test_retries_give_up_with_the_last_failure(
    sender: TwilioTextSender, fake_twilio: FakeTwilio
) -> None:
    before = fake_twilio.requests
    fake_twilio.fail_next(5)
    with pytest.raises(SendFailed) as raised:
        await send_with_retries(sender, OutboundMessage("sms", TO, "Never"))
    assert fake_twilio.requests - before == 3
    assert raised.value.retryable
    fake_twilio.fail_next(0)  # the two failures left must not trip the next test


async def test_retries_stop_at_a_permanent_failure(
    sender: TwilioTextSender, fake_twilio: FakeTwilio
) -> None:
    before = fake_twilio.requests
    fake_twilio.fail_next(1, 400, 21211)
    with pytest.raises(SendFailed):
        await send_with_retries(sender, OutboundMessage("sms", TO, "Never"), worth_another_try)
    assert fake_twilio.requests - before == 1


async def test_chat_replies_retry_a_reply_that_may_have_gone_out(
    sender: TwilioTextSender, fake_twilio: FakeTwilio
) -> None:
    to = new_number()
    fake_twilio.stall_next(1.0)
    await send_with_retries(sender, OutboundMessage("sms", to, "Hi"), worth_another_try)
    # Twilio had taken the first attempt: a double beats silence in a chat.
    assert [m.body for m in fake_twilio.to(to)] == ["Hi", "Hi"]


async def test_chat_replies_and_campaigns_share_one_twilio_sender(
    twilio_settings: Settings,
) -> None:
    upgrade(twilio_settings.database_url)
    store = ProfileStore.from_url(twilio_settings.database_url)
    chat = TwilioMessagingInput(twilio_settings.twilio, store)
    campaigns = build_senders(twilio_settings)
    try:
        assert type(chat.sender) is TwilioTextSender
        assert type(campaigns["sms"]) is TwilioTextSender
        assert campaigns["whatsapp"] is campaigns["sms"]
    finally:
        await chat.sender.close()
        await campaigns["sms"].close()
        store.dispose()


async def test_twilio_sender_posts_the_form_with_the_account_credentials(
    sender: TwilioTextSender, fake_twilio: FakeTwilio
) -> None:
    to = new_number()
    await sender.send(OutboundMessage("sms", to, "Hi & bye, 50% off"))
    (sent,) = fake_twilio.to(to)
    assert (sent.account_sid, sent.auth_token) == (ACCOUNT_SID, AUTH_TOKEN)
    assert sent.content_type == "application/x-www-form-urlencoded"
    assert sent.body == "Hi & bye, 50% off"


async def test_twilio_error_reads_the_code_and_message_of_the_answer() -> None:
    error = TwilioError.parse(400, b'{"code": 21211, "message": "Invalid To", "status": 400}')
    failure = error.failure("sms")
    assert (failure.code, failure.reason) == ("21211", "Unable to create record: Invalid To")
    assert (failure.retryable, failure.do_not_contact) == (False, "undeliverable")


async def test_twilio_error_without_a_readable_answer_counts_the_status_as_its_code() -> None:
    failure = TwilioError.parse(502, b"<html>Bad gateway</html>").failure("sms")
    assert (failure.code, failure.retryable, failure.maybe_sent) == ("502", True, False)
