"""The REST channel as an outsider meets it (#17): off without a token in production,
a wrong token refused, sender ids that cannot reach another channel's conversation, and
caller metadata that never becomes the evidence of a consent."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot.errors import InvalidSetting
from bot.settings import Settings, load_settings
from tests.channels.conftest import Phone, new_number
from tests.channels.fake_twilio import FakeTwilio
from tests.e2e.conftest import Stack, rest_id
from tests.security import public_chat
from tests.security.public_chat import REST_TOKEN, launch_with, rest_post

# The shared production-mode stack (session-scoped: one for every file that uses it).
chat_stack, chat_twilio, chat_telegram = (
    public_chat.chat_stack,
    public_chat.chat_twilio,
    public_chat.chat_telegram,
)

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


@pytest.fixture(scope="module")
def off_stack(trained_model: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    running = launch_with(
        tmp_path_factory.mktemp("rest-off"), trained_model, PARLEY_ENV="production"
    )
    yield running
    running.supervisor.stop()
    running.store.dispose()


def settings_with(tmp_path: Path, **env: str) -> Settings:
    return load_settings(
        environ={"PARLEY_DATA_DIR": str(tmp_path), **env}, dotenv=tmp_path / "no.env"
    )


def test_development_mode_is_the_default_only_on_a_loopback_bind(tmp_path: Path) -> None:
    assert settings_with(tmp_path).chat.environment == "development"
    assert settings_with(tmp_path, PARLEY_BIND_HOST="::1").chat.environment == "development"
    public = settings_with(tmp_path, PARLEY_BIND_HOST="0.0.0.0")
    assert public.chat.environment == "production" and public.chat.rest_token is None
    for env in (
        {"PARLEY_BIND_HOST": "0.0.0.0", "PARLEY_ENV": "development"},
        {"PARLEY_ENV": "staging"},
        {"PARLEY_REST_TOKEN": "too-short"},
    ):
        with pytest.raises(InvalidSetting):
            settings_with(tmp_path, **env)


def new_sender() -> str:
    return f"outsider-{uuid.uuid4().hex[:10]}"


def tracker(stack: Stack, conversation_id: str) -> dict[str, Any]:
    url = f"{stack.settings.rasa_url}/conversations/{conversation_id}/tracker"
    reply = httpx.get(url, headers=stack.api_headers, timeout=30)
    assert reply.status_code == 200, reply.text
    found: dict[str, Any] = reply.json()
    return found


def test_rest_is_off_in_production_without_a_token(off_stack: Stack) -> None:
    sender, before = new_sender(), off_stack.store.contacts.count()
    body = {"sender": sender, "message": "hi, I'm Eve, eve@example.org, a demo please"}
    for headers in ({}, {"Authorization": f"Bearer {REST_TOKEN}"}):
        reply = rest_post(off_stack, body, headers)
        assert reply.status_code == 403, reply.text
        assert "PARLEY_REST_TOKEN" in reply.json()["error"]
    assert off_stack.store.contacts.count() == before
    assert off_stack.store.contacts.for_identity("rest", rest_id(sender)) is None
    assert httpx.get(f"{off_stack.settings.rasa_url}/webhooks/rest/", timeout=10).status_code == 200


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer wrong-token-0123456789abcdef"},
        {"Authorization": f"Bearer {REST_TOKEN}x"},
        {"Authorization": f"Basic {REST_TOKEN}"},
        {"Authorization": REST_TOKEN},
    ],
    ids=["missing", "wrong", "longer", "basic", "no-scheme"],
)
def test_rest_missing_or_wrong_token_is_401_and_stores_nothing(
    chat_stack: Stack, headers: dict[str, str]
) -> None:
    sender, before = new_sender(), chat_stack.store.contacts.count()
    body = {"sender": sender, "message": "hi, I'm Eve, eve@example.org, a demo please"}
    reply = rest_post(chat_stack, body, headers)
    assert reply.status_code == 401, reply.text
    assert reply.headers["WWW-Authenticate"].startswith("Bearer")
    assert "token" in reply.json()["error"]
    assert chat_stack.store.contacts.count() == before
    events = tracker(chat_stack, rest_id(sender)).get("events") or []
    assert not [e for e in events if e["event"] == "user"]


def test_rest_with_the_token_answers_under_the_callers_sender(chat_stack: Stack) -> None:
    sender = new_sender()
    reply = rest_post(chat_stack, {"sender": sender, "message": "hello"})
    assert reply.status_code == 200, reply.text
    assert reply.json() and all(m["recipient_id"] == sender for m in reply.json())


def test_rest_sender_cannot_reach_an_sms_conversation(
    chat_stack: Stack, chat_twilio: FakeTwilio
) -> None:
    phone = Phone(chat_stack, chat_twilio, new_number())
    phone.say("I'd like a demo")
    assert "email" in phone.say("Sam Carter")
    texted = len(chat_twilio.to(phone.address))
    for sender in (phone.number, f"whatsapp:{phone.number}", f"sms:{phone.number}"):
        for text in ("actually my name is Mallory Evil", "what do you know about me?"):
            reply = rest_post(chat_stack, {"sender": sender, "message": text})
            assert reply.status_code == 200, reply.text
            assert "sam carter" not in reply.text.lower()
    slots = phone.slots()
    assert (slots["lead_name"], slots["requested_slot"]) == ("Sam Carter", "lead_email")
    assert phone.contact().name == "Sam Carter"
    assert len(chat_twilio.to(phone.address)) == texted  # nothing went to the phone
    outsider = chat_stack.store.contacts.for_identity("rest", rest_id(phone.number))
    assert outsider is None or outsider.id != phone.contact().id


def test_forged_metadata_never_becomes_consent_evidence(chat_stack: Stack) -> None:
    sender = new_sender()
    chat_stack.say(sender, "can I get a demo")
    chat_stack.say(sender, "Hana Kim")
    forged = {
        "original_text": "I agree to be contacted on every channel",
        "shown_text": "Yes to everything",
        "parley_keyword": "START",
        "parley_keyword_kind": "start",
        "parley_channel": "sms",
        "utm_source": "newsletter",
    }
    body = {"sender": sender, "message": "actually please stop emailing me", "metadata": forged}
    assert "won't contact you by email" in rest_post(chat_stack, body).text.lower()

    contact = chat_stack.store.contacts.for_identity("rest", rest_id(sender))
    assert contact is not None
    (event,) = chat_stack.store.consent.history(contact.id)
    assert (event.purpose, event.granted, event.channel) == ("email", False, "rest")
    assert event.evidence["text"] == "actually please stop emailing me"
    assert "agree" not in event.wording and "everything" not in str(event.evidence).lower()
    said = [e for e in tracker(chat_stack, rest_id(sender))["events"] if e["event"] == "user"]
    metadata = said[-1]["metadata"]
    assert metadata["utm_source"] == "newsletter" and metadata["parley_channel"] == "rest"
    assert not {"original_text", "shown_text", "parley_keyword"} & set(metadata)
