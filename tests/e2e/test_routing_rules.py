"""A routing rule made in the studio, published to a running Parley (no retraining: only
routing.yml changes), and a whole conversation over the REST channel that follows it.
A draft whose rule points nowhere is refused at the publish's validation, before any
training, and the running bot keeps routing by the rules it had."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot import routing
from studio.workspace import Workspace
from tests.e2e.conftest import Stack, launch, models_beside
from tests.e2e.test_publishing import studio_client, wait_for_publish
from tests.e2e.test_qualification_conversations import answer_questions, capture_lead, contact_of
from tests.studio.studio_server import copy_content

pytestmark = [pytest.mark.e2e, pytest.mark.slow]
WORDS = "Thanks {name}! Our small-business team will email you a starter guide today."
RULE = {
    "name": "Small teams get the starter guide",
    "answers": "company_size: 1-10, 11-50",
    "then_1_kind": "tag",
    "then_1_value": "starter-guide",
    "then_2_kind": "end",
    "then_2_value": WORDS,
}
SMALL = {
    "name": "Priya Shah",
    "email": "priya@smallteam-routing.io",
    "phone": "skip",
    "company": "Small Team Co",
    "role": "marketing lead",
    "need": "answer website visitors after hours",
}


@pytest.fixture(scope="module")
def live(trained_model: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    root = tmp_path_factory.mktemp("routing")
    running = launch(
        root / "var", trained_model, PARLEY_CONTENT_DIR=str(copy_content(root / "content")),
        PARLEY_MODELS_DIR=str(models_beside(root, trained_model)),
    )  # fmt: skip
    yield running
    running.supervisor.stop()
    running.store.dispose()


def test_a_rule_added_in_the_studio_and_published_is_followed(live: Stack) -> None:
    with studio_client(live) as client:
        opened = client.get("/content/routing/new")
        assert opened.status_code == 200
        base = opened.text.split('name="base" value="', 1)[1].split('"', 1)[0]
        saved = client.post("/content/routing/new", {"base": base, **RULE})
        assert saved.status_code == 303, saved.text[:2000]
        assert client.post("/publish", {"note": "starter guide for small teams"}).status_code == 303
        job = wait_for_publish(client)
    assert job["state"] == "done", job
    steps = {s["name"]: s for s in job["steps"]}
    # Only routing.yml changed: the model for this content exists already.
    assert steps["train"]["state"] == "skipped", steps["train"]
    live_rules = routing.load(live.settings.content_root / "routing.yml")
    assert RULE["name"] in [r.name for r in live_rules]

    sender = "routing-rule-small"
    reply = capture_lead(live, sender, "hi, I'd like to know more", SMALL)
    reply = answer_questions(
        live,
        sender,
        {
            "company_size": "there are 8 of us",
            "authority": "I influence it",
            "budget": "around 2k a year",
            "timeline": "in a few months",
        },
        reply,
    )
    assert "our small-business team will email you a starter guide" in reply, reply
    assert "priya" in reply
    contact = contact_of(live, sender)
    assert "starter-guide" in live.store.campaigns.tags_of(contact.id)
    [routed] = [e for e in live.store.contacts.timeline(contact.id) if e.kind == "routed"]
    assert routed.data["rule"] == RULE["name"]


def test_a_draft_whose_rule_points_nowhere_is_refused_before_training(live: Stack) -> None:
    draft = Workspace.for_settings(live.settings).ensure()
    text = draft.read("routing.yml")
    draft.write("routing.yml", text.replace("tag: starter-guide", "enroll: no_such_campaign"))
    with studio_client(live) as client:
        assert client.post("/publish", {"note": "broken"}).status_code == 303
        job = wait_for_publish(client)
    assert job["state"] == "failed"
    steps = {s["name"]: s for s in job["steps"]}
    assert steps["validate"]["state"] == "failed"
    assert steps["train"]["state"] == "waiting"
    assert "no campaign 'no_such_campaign'" in job["error"]
    live_text = (live.settings.content_root / "routing.yml").read_text(encoding="utf-8")
    assert "no_such_campaign" not in live_text
    draft.reset()
