"""SMS and WhatsApp through Twilio, end to end: signed webhooks into a real Parley, replies
out to a fake Twilio REST API on loopback, results checked in the profile store."""

from __future__ import annotations

import time

import pytest

from bot.store import ProfileStore
from channels.messages import MEDIA_UNREADABLE
from tests.channels.conftest import (
    ACCOUNT_SID,
    SMS_FROM,
    WHATSAPP_FROM,
    Phone,
    new_number,
    post_signed,
    sign,
)
from tests.channels.fake_twilio import FakeTwilio
from tests.e2e.conftest import Stack

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

STATUS_PATH = "/webhooks/twilio/status"
WEBHOOK_PATH = "/webhooks/twilio/webhook"


def capture_lead(phone: Phone) -> str:
    """A whole lead form over text messages, confirmed; returns the reply to the confirmation."""
    first = phone.say("hello there")
    assert "automated assistant" in first and "example.test/privacy" in first
    assert "what's your name" in phone.say("i'd like to see a demo of the product")
    answers = {
        "name": "Dana Reyes",
        "email": f"dana.{phone.number[-4:]}@acme-widgets.com",
        "phone": phone.number,
        "company": "Acme Widgets",
        "role": "Head of Growth",
        "need": "we lose web leads because nobody follows up quickly",
    }
    for _ in range(8):
        requested = phone.slots().get("requested_slot")
        if not isinstance(requested, str):
            break
        if "here's what i have" in phone.say(answers[requested.removeprefix("lead_")]):
            break
    return phone.say("yep that's all correct")


def grant_everything_asked(phone: Phone, first_question: str) -> None:
    question = first_question
    for _ in range(6):
        if "all set" in question or "?" not in question:
            return
        # A bare "yes" is an answer here: YES is a carrier keyword only after an opt-out.
        question = phone.say("yes")


def test_lead_over_sms_is_stored_with_sms_identity_and_phone(sms: Phone) -> None:
    assert "thanks, dana reyes" in capture_lead(sms)
    contact = sms.contact()
    assert (contact.name, contact.phone, contact.company) == (
        "Dana Reyes",
        sms.number,
        "Acme Widgets",
    )
    assert contact.lead_status == "confirmed"
    assert ("sms", sms.number) in {(i.channel, i.external_id) for i in contact.channels}
    sent = sms.fake.to(sms.number)
    assert {(m.from_, m.account_sid) for m in sent} == {(SMS_FROM, ACCOUNT_SID)}
    assert all(m.status_callback == "https://bot.example.test/webhooks/twilio/status" for m in sent)


def test_lead_over_whatsapp_is_stored_with_whatsapp_identity(whatsapp: Phone) -> None:
    assert "thanks, dana reyes" in capture_lead(whatsapp)
    contact = whatsapp.contact()
    assert (contact.name, contact.phone) == ("Dana Reyes", whatsapp.number)
    identities = {(i.channel, i.external_id) for i in contact.channels}
    assert ("whatsapp", whatsapp.number) in identities
    assert {m.from_ for m in whatsapp.fake.to(whatsapp.address)} == {WHATSAPP_FROM}


def test_buttons_become_numbered_lines_and_a_number_picks_one(sms: Phone) -> None:
    reply = sms.say("hi")
    if "reply 1 for" not in reply:
        reply = sms.say("hmm what")
    assert "reply 1 for book a demo" in reply
    assert "what's your name" in sms.say("1")


def test_forged_signature_is_refused_and_nothing_happens(
    twilio_stack: Stack, fake_twilio: FakeTwilio
) -> None:
    number = new_number()
    params = {"MessageSid": "SMforged", "From": number, "To": SMS_FROM, "Body": "hello"}
    forged = sign(WEBHOOK_PATH, params, token="not-the-token")
    assert post_signed(twilio_stack, WEBHOOK_PATH, params, signature=forged).status_code == 403
    assert post_signed(twilio_stack, WEBHOOK_PATH, params, signature="").status_code == 403
    time.sleep(2)
    assert fake_twilio.to(number) == []
    assert twilio_stack.store.contacts.for_identity("sms", number) is None
    assert twilio_stack.store.messages.claim_inbound("twilio", "SMforged")


def test_replayed_message_sid_is_one_turn(sms: Phone) -> None:
    first = sms.post("hello there", sid="SMreplayed" + sms.number[-4:])
    assert first.status_code == 200 and first.headers["content-type"].startswith("text/xml")
    assert "<Response/>" in first.text
    replies = len(sms.replies_after(0))
    again = sms.post("hello there", sid="SMreplayed" + sms.number[-4:])
    assert again.status_code == 200 and "<Response/>" in again.text
    time.sleep(3)
    assert len(sms.fake.to(sms.number)) == replies


def test_stop_withdraws_sms_consent_and_adds_do_not_contact(sms: Phone) -> None:
    sms.say("hello there")
    reply = sms.say("STOP")
    assert "won't contact you by" in reply and "start" in reply
    contact = sms.contact()
    assert sms.stack.store.consent.state(contact.id)["sms"].granted is False
    entries = sms.stack.store.consent.do_not_contact(contact.id)
    assert [(e.channel, e.reason) for e in entries] == [("sms", "withdrawn")]


def test_twilio_opt_out_type_counts_as_the_keyword(sms: Phone) -> None:
    sms.say("hello there")
    assert "won't contact you by" in sms.say("arrêtez", OptOutType="STOP")
    history = sms.stack.store.consent.history(sms.contact().id)
    assert history[-1].evidence["text"] == "arrêtez" and history[-1].evidence["keyword"]


def test_help_says_who_and_how_to_stop(sms: Phone) -> None:
    reply = sms.say("HELP")
    assert "acme test co" in reply and "stop" in reply and "privacy@example.com" in reply


def test_start_after_stop_restores_sms(sms: Phone) -> None:
    grant_everything_asked(sms, capture_lead(sms))
    store: ProfileStore = sms.stack.store
    contact = sms.contact()
    assert store.consent.is_granted(contact.id, "sms")
    sms.say("STOP")
    assert not store.consent.is_granted(contact.id, "sms")
    assert "subscribed again" in sms.say("START")
    assert store.consent.is_granted(contact.id, "sms")
    assert not store.consent.is_do_not_contact(contact.id, "sms")


def test_yes_after_stop_resubscribes_but_before_it_answers(sms: Phone) -> None:
    grant_everything_asked(sms, capture_lead(sms))  # answered with bare "yes"
    store: ProfileStore = sms.stack.store
    contact = sms.contact()
    assert store.consent.is_granted(contact.id, "sms")  # the number texting us is proven
    # The email typed in the texts is not: that yes waits for its confirmation.
    assert [e.purpose for e in store.consent.pending_grants(contact.id)] == ["email"]
    sms.say("STOP")
    assert "subscribed again" in sms.say("YES")
    assert store.consent.is_granted(contact.id, "sms")


def test_picture_without_text_gets_a_polite_reply(sms: Phone) -> None:
    reply = sms.say("", NumMedia="1", MediaUrl0="https://api.twilio.com/media/ME1")
    assert reply == MEDIA_UNREADABLE.lower()
    assert sms.stack.store.contacts.for_identity("sms", sms.number) is None


def test_carrier_opt_out_status_adds_carrier_block(sms: Phone) -> None:
    capture_lead(sms)
    params = {
        "MessageSid": "SMcarrier" + sms.number[-4:],
        "MessageStatus": "undelivered",
        "ErrorCode": "21610",
        "To": sms.number,
        "From": SMS_FROM,
    }
    assert post_signed(sms.stack, STATUS_PATH, params).status_code in {200, 204}
    store = sms.stack.store
    entries = store.consent.do_not_contact(sms.contact().id)
    assert [(e.channel, e.reason) for e in entries] == [("sms", "carrier_block")]
    (status,) = store.messages.statuses("twilio", params["MessageSid"])
    assert (status.status, status.error_code) == ("undelivered", "21610")


def test_unsigned_status_is_refused(twilio_stack: Stack) -> None:
    params = {"MessageSid": "SMunsigned", "MessageStatus": "delivered"}
    assert post_signed(twilio_stack, STATUS_PATH, params, signature="").status_code == 403
    assert twilio_stack.store.messages.statuses("twilio", "SMunsigned") == []


@pytest.mark.parametrize("missing", ["From", "MessageSid"])
def test_malformed_webhook_is_a_400(twilio_stack: Stack, missing: str) -> None:
    params = {"MessageSid": "SMmalformed", "From": new_number(), "Body": "hi"}
    del params[missing]
    assert post_signed(twilio_stack, WEBHOOK_PATH, params).status_code == 400


def test_reply_arrives_after_the_api_fails_once(sms: Phone, fake_twilio: FakeTwilio) -> None:
    requests_before, sent_before = fake_twilio.requests, len(fake_twilio.sent)
    fake_twilio.fail_next(1)
    assert "automated assistant" in sms.say("hello there")
    delivered = len(fake_twilio.sent) - sent_before
    assert fake_twilio.requests - requests_before == delivered + 1
