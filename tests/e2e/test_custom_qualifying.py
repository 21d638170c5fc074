"""A qualifying question a marketer adds in the studio, end to end: added with points,
published without retraining, then asked and answered in web chat (free text) and on a
phone call (a key from the spoken menu), each answer stored and scored.

Needs a trained model (it starts a real stack): run with the e2e tests, not alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.channels.test_twilio_voice import PhoneCall, voice_env
from tests.e2e.conftest import Stack, launch, models_beside
from tests.e2e.test_publishing import studio_client, wait_for_publish
from tests.e2e.test_qualification_conversations import capture_lead, contact_of
from tests.studio.studio_server import copy_content

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

QUESTION = "Which CRM does your team use today?"
HEARD = "which crm does your team use at the moment"
CRM_FORM = {
    "id": "crm",
    "text": QUESTION,
    "voice": "Which CRM does your team use at the moment?",
    "position": "1",
    "option_1_label": "HubSpot",
    "option_1_id": "hubspot",
    "option_1_phrasings": "hubspot\nwe are on hubspot",
    "option_1_points": "20",
    "option_2_label": "Salesforce",
    "option_2_id": "salesforce",
    "option_2_phrasings": "salesforce\nsales cloud\nSFDC",
    "option_2_points": "30",
    "option_3_label": "No CRM yet",
    "option_3_id": "none",
    "option_3_voice": "None yet",
    "option_3_phrasings": "we don't have one\nno crm\nnothing yet",
}
LEAD = {
    "name": "Ines Okafor",
    "email": "ines@crm-e2e-widgets.com",
    "phone": "skip",
    "company": "Okafor Widgets",
    "role": "Head of Sales",
    "need": "our web leads wait a day for an answer",
}


@pytest.fixture(scope="module")
def live(trained_model: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    root = tmp_path_factory.mktemp("custom-qualifying")
    running = launch(
        root / "var", trained_model, 1, PARLEY_CONTENT_DIR=str(copy_content(root / "content")),
        PARLEY_MODELS_DIR=str(models_beside(root, trained_model)), **voice_env(),
    )  # fmt: skip
    yield running
    running.supervisor.stop()
    running.store.dispose()


@pytest.fixture(scope="module")
def published(live: Stack) -> Stack:
    with studio_client(live) as client:
        page = client.get("/content/qualifying/new").text
        base = re.search(r'name="base" value="([0-9a-f]+)"', page)
        assert base is not None
        added = client.post("/content/qualifying/new", {**CRM_FORM, "base": base.group(1)})
        assert added.status_code == 303, added.text
        assert client.post("/publish", {"note": "a CRM question"}).status_code == 303
        job = wait_for_publish(client)
    assert job["state"] == "done", job
    # Content only: the question needs no new intent or slot, so the training inputs are
    # unchanged and the live model serves the new content as it is.
    train = {s["name"]: s for s in job["steps"]}["train"]
    assert train["state"] == "skipped" and "not needed" in train["detail"], train
    return live


def test_web_chat_asks_the_new_question_and_stores_a_free_text_answer(published: Stack) -> None:
    sender = "custom-question-web"
    reply = capture_lead(published, sender, "Hi, can I get a demo?", LEAD)
    assert QUESTION.lower() in reply, reply
    assert published.slots(sender)["requested_slot"] == "qual_custom"
    reply = published.text(sender, "we're mostly running everything through salesforce")
    contact = contact_of(published, sender)
    assert published.store.leads.qualification(contact.id)["crm"] == "salesforce"
    # The next question follows: the built-in company size.
    assert "how many people work at your company" in reply, reply


def test_an_unclear_answer_is_asked_again_in_other_words_then_set_aside(
    published: Stack,
) -> None:
    sender = "custom-question-unclear"
    reply = capture_lead(
        published, sender, "Hi, can I get a demo?", {**LEAD, "email": "ines2@crm-e2e.com"}
    )
    assert QUESTION.lower() in reply, reply
    again = published.text(sender, "hubspot or salesforce, it depends on the team")
    assert "which of these is closest" in again, again
    after = published.text(sender, "purple elephants")
    assert "how many people work at your company" in after, after
    contact = contact_of(published, sender)
    assert "crm" not in published.store.leads.qualification(contact.id)


def test_a_call_hears_the_new_question_and_a_key_press_stores_its_answer(
    published: Stack,
) -> None:
    call = PhoneCall(published)
    call.start()
    assert "name" in call.press("1")
    assert "email" in call.say("Ines Okafor")
    assert "phone" in call.say("ines at crm-call-test dot io")
    assert "company" in call.press("4155550177#")
    assert "role" in call.say("Okafor Widgets")
    assert "solve" in call.say("Head of Sales")
    assert "is that right" in call.say("answering leads faster")
    heard = call.say("yes that's right")
    for _ in range(3):  # the consent questions, each a yes by key
        if HEARD in heard:
            break
        heard = call.press("1")
    assert HEARD in heard, heard
    # The options are read as a menu: 1 HubSpot, 2 Salesforce, 3 None yet.
    assert "none yet" in heard and "salesforce" in heard
    call.press("2")
    contact = published.store.contacts.for_identity("voice", call.sid)
    assert contact is not None
    assert published.store.leads.qualification(contact.id)["crm"] == "salesforce"
