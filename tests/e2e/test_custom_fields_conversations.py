"""A lead field made in the studio, published without training, then asked and stored on
the REST channel (as web chat uses it), over SMS through a fake Twilio and on a simulated
call (#19 item 1). Needs a trained model: runs with the e2e suite."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot import custom_fields
from tests.channels.conftest import (
    ACCOUNT_SID,
    AUTH_TOKEN,
    PUBLIC_URL,
    SMS_FROM,
    Phone,
)
from tests.channels.fake_twilio import FakeTwilio
from tests.channels.test_twilio_voice import PhoneCall
from tests.e2e.conftest import Stack, launch, models_beside, rest_id
from tests.e2e.test_publishing import draft, studio_client, wait_for_publish
from tests.studio.studio_server import copy_content

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

HEARD = {
    "name": "heard_from",
    "label": "How they heard of us",
    "type": "choice",
    "question": "How did you hear about us?",
    "channel_voice": "How did you hear about us? You can say search, a friend, or an event.",
    "help": "It tells us which of our channels work.",
    "optional": "on",
    "options": "search | Search engine | google, bing\nfriend | A friend | word of mouth\n"
    "event | An event | conference, trade show",
}


@pytest.fixture(scope="module")
def fake_twilio() -> Iterator[FakeTwilio]:
    fake = FakeTwilio().start()
    yield fake
    fake.stop()


@pytest.fixture(scope="module")
def live(
    trained_model: Path, tmp_path_factory: pytest.TempPathFactory, fake_twilio: FakeTwilio
) -> Iterator[Stack]:
    root = tmp_path_factory.mktemp("custom-fields")
    running = launch(
        root / "var", trained_model, PARLEY_CONTENT_DIR=str(copy_content(root / "content")),
        PARLEY_MODELS_DIR=str(models_beside(root, trained_model)),
        TWILIO_ACCOUNT_SID=ACCOUNT_SID, TWILIO_AUTH_TOKEN=AUTH_TOKEN, TWILIO_SMS_FROM=SMS_FROM,
        PARLEY_PUBLIC_URL=PUBLIC_URL, TWILIO_API_BASE_URL=fake_twilio.url,
    )  # fmt: skip
    yield running
    running.supervisor.stop()
    running.store.dispose()


@pytest.fixture(scope="module")
def published(live: Stack) -> Stack:
    """The marketer adds the field in the studio and publishes: no training needed."""
    draft(live).reset()
    with studio_client(live) as client:
        page = client.get("/content/fields/new")
        base = re.search(r'name="base" value="([^"]*)"', page.text)
        assert base is not None, page.text[:500]
        saved = client.post("/content/fields/new", {"base": base.group(1), **HEARD})
        assert saved.status_code == 303, saved.text[:2000]
        assert client.post("/publish", {"note": "how they heard of us"}).status_code == 303
        job = wait_for_publish(client)
    assert job["state"] == "done", job
    train = {s["name"]: s for s in job["steps"]}["train"]["detail"]
    assert "not needed" in train or "no retraining" in train, train
    live_fields = custom_fields.load(live.settings.content_root / "lead_fields.yml")
    assert live_fields.names == ("heard_from",)
    return live


ANSWERS = {
    "name": "Dana Reyes",
    "phone": "skip",
    "company": "Acme Widgets",
    "role": "Head of Growth",
    "need": "we lose web leads because nobody follows up quickly",
}


def test_web_chat_asks_the_new_question_with_buttons_and_stores_the_answer(
    published: Stack,
) -> None:
    sender = f"custom-web-{uuid.uuid4().hex[:8]}"
    published.say(sender, "hello")
    assert "what's your name" in published.text(sender, "I'd like a demo")
    answers = {**ANSWERS, "email": f"dana.{sender[-6:]}@acme-widgets.com"}
    reply: list[dict[str, Any]] = []
    for _ in range(8):
        requested = published.tracker_slots(rest_id(sender)).get("requested_slot")
        if requested == "custom_field_value":
            break
        assert isinstance(requested, str), requested
        reply = published.say(sender, answers[requested.removeprefix("lead_")])
    asked = next(m for m in reply if "hear about us" in str(m.get("text", "")).lower())
    titles = [b["title"] for b in asked["buttons"]]
    assert titles == ["Search engine", "A friend", "An event", "Skip"]
    assert "here's what i have" in published.text(sender, "a colleague, word of mouth")
    contact = published.store.contacts.for_identity("rest", rest_id(sender))
    assert contact is not None
    assert published.store.leads.custom_fields(contact.id) == {"heard_from": "friend"}


def test_sms_asks_the_new_question_as_a_numbered_menu_and_stores_the_answer(
    published: Stack, fake_twilio: FakeTwilio
) -> None:
    phone = Phone(published, fake_twilio, f"+1415555{uuid.uuid4().int % 10000:04d}")
    phone.say("hello there")
    assert "what's your name" in phone.say("i'd like to see a demo of the product")
    answers = {**ANSWERS, "email": f"dana.{phone.number[-4:]}@acme-widgets.com"}
    question = ""
    for _ in range(8):
        requested = phone.slots().get("requested_slot")
        if requested == "custom_field_value":
            break
        assert isinstance(requested, str), requested
        question = phone.say(answers[requested.removeprefix("lead_")])
    assert "how did you hear about us" in question and "reply 3 for an event" in question
    assert "here's what i have" in phone.say("3")
    assert published.store.leads.custom_fields(phone.contact().id) == {"heard_from": "event"}


def test_a_caller_hears_the_spoken_question_and_answers_by_voice(published: Stack) -> None:
    call = PhoneCall(published)
    call.start()
    assert "name" in call.press("1")
    assert "email" in call.say("Dana Reyes")
    assert "phone" in call.say("dana at custom-voice dot io")
    assert "company" in call.say("skip")
    assert "role" in call.say("Acme Widgets")
    assert "solve" in call.say("Head of Growth")
    heard = call.say("answering leads faster")
    assert "you can say search, a friend, or an event" in heard
    assert "press 1 or say search engine" in heard
    assert "is that right" in call.say("I found you on google")
    contact = published.store.contacts.for_identity("voice", call.sid)
    assert contact is not None
    assert published.store.leads.custom_fields(contact.id) == {"heard_from": "search"}


def test_a_field_with_no_question_is_refused_before_training(published: Stack) -> None:
    workspace = draft(published)
    workspace.reset()
    broken = "version: 1\nfields:\n  - {name: budget_owner, type: text}\n"
    with workspace.lock:
        workspace.write("lead_fields.yml", broken)
    versions = len(published.store.studio.versions())
    with studio_client(published) as client:
        assert client.post("/publish", {"note": "broken field"}).status_code == 303
        job = wait_for_publish(client)
    assert job["state"] == "failed"
    steps = {s["name"]: s for s in job["steps"]}
    assert steps["validate"]["state"] == "failed"
    assert steps["train"]["state"] != "done"
    assert "field 1 question" in job["error"]
    assert len(published.store.studio.versions()) == versions
    workspace.reset()
