"""New topics (intents made in the studio) against a real studio on loopback whose
content is a temporary copy: creating, refusing, editing, deleting, who may, and
labelling a least understood message into a topic."""

from __future__ import annotations

import html
import json
import re
import time
from pathlib import Path
from typing import Any

import pytest
import yaml

from studio.validation import validate_draft
from studio.workspace import TOPIC_NLU, TOPIC_RULES, Workspace
from tests.store.rasa_tracker import add_tracker_events, user_event
from tests.studio.studio_server import StudioClient, StudioServer

HOME = "/content/topics"
NEW = f"{HOME}/new"
SAVED = "Saved to the draft. Publish to put it live."
CAREERS_EXAMPLES = (
    "are you hiring?",
    "do you have any job openings",
    "I'd like to work for you",
    "where can I send my CV",
    "any vacancies at the moment?",
)
CAREERS = {
    "name": "Careers",
    "examples": "\r\n".join(CAREERS_EXAMPLES) + "\r\n",
    "does": "respond",
    "text": "We'd love to hear from you: see our careers page at https://example.com/careers.",
    "voice": "We'd love to hear from you: our careers page is on our website.",
    "offer": "on",
}


def draft(studio: StudioServer) -> Workspace:
    return Workspace.for_settings(studio.settings).ensure()


def draft_bytes(studio: StudioServer) -> dict[str, bytes]:
    root = draft(studio).root
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def loaded(studio: StudioServer, relative: str) -> Any:
    return yaml.safe_load(draft(studio).read(relative))


def opened(client: StudioClient, path: str) -> dict[str, str]:
    """Open a page as a browser would (CSRF token, the topics' fingerprint)."""
    page = client.get(path)
    assert page.status_code == 200, page.text[:300]
    found = re.search(r'name="base" value="([^"]*)"', page.text)
    assert found, "no base fingerprint on the page"
    return {"base": found.group(1)}


def field_error(page: str, id_: str) -> str:
    found = re.search(rf'<p class="field-error" id="{re.escape(id_)}-error">([^<]*)</p>', page)
    assert found, f"no error next to {id_}"
    assert re.search(rf'id="{re.escape(id_)}"[^>]*aria-invalid="true"', page), id_
    return html.unescape(found.group(1))


def create(client: StudioClient, fields: dict[str, str]) -> str:
    response = client.post(NEW, {**opened(client, NEW), **fields})
    assert response.status_code == 303, response.text[:3000]
    return response.headers["location"]


def rules_for(studio: StudioServer, intent: str) -> dict[str, Any]:
    rules = loaded(studio, TOPIC_RULES)["rules"]
    return {r["rule"]: r for r in rules if r["steps"][0] == {"intent": intent}}


def test_a_new_topic_is_written_to_the_draft_and_validates(studio: StudioServer) -> None:
    client = studio.signed_in("marketer")
    assert f'href="{HOME}"' in client.get("/content").text
    before = (draft(studio).read("data/nlu.yml"), draft(studio).read("data/rules.yml"))
    location = create(client, CAREERS)
    assert location == f"{HOME}/careers?saved=1"
    assert SAVED in client.get(location).text
    domain = loaded(studio, "domain.yml")
    assert "topic_careers" in domain["intents"]
    assert domain["responses"]["utter_topic_careers"] == [
        {"text": CAREERS["text"]},
        {"channel": "twilio_voice", "text": CAREERS["voice"]},
    ]
    [nlu] = loaded(studio, TOPIC_NLU)["nlu"]
    assert nlu["intent"] == "topic_careers"
    assert nlu["examples"] == "".join(f"- {e}\n" for e in CAREERS_EXAMPLES)
    rules = rules_for(studio, "topic_careers")
    assert rules["topic careers"]["steps"][1:] == [
        {"action": "utter_topic_careers"},
        {"action": "utter_greet"},  # then what the bot can do
    ]
    # Mid-form: answered, then the form asks its question again (no offer there).
    assert rules["topic careers in the lead form"] == {
        "rule": "topic careers in the lead form",
        "condition": [{"active_loop": "lead_form"}],
        "steps": [
            {"intent": "topic_careers"},
            {"action": "utter_topic_careers"},
            {"action": "lead_form"},
            {"active_loop": "lead_form"},
        ],
    }
    assert {"topic careers in the qualify form", "topic careers in the booking form"} <= set(rules)
    # The built-in training data is never rewritten; the live content is untouched.
    assert (draft(studio).read("data/nlu.yml"), draft(studio).read("data/rules.yml")) == before
    assert not (studio.settings.content_root / TOPIC_NLU).exists()
    assert validate_draft(draft(studio).root) == []
    listed = client.get(HOME).text
    assert f'href="{HOME}/careers"' in listed and "topic_careers" in listed
    [entry] = [
        e for e in studio.store.privacy.audit_entries() if e.action == "studio.content_saved"
    ]
    assert entry.target == "topic_careers" and entry.actor == "studio:marketer@example.com"
    assert "hiring" not in json.dumps(entry.details)


def test_a_topic_with_two_examples_is_refused_before_anything_is_written(
    studio: StudioServer,
) -> None:
    client = studio.signed_in("marketer")
    before = draft_bytes(studio)
    fields = {**CAREERS, "examples": "are you hiring?\nany job openings?"}
    response = client.post(NEW, {**opened(client, NEW), **fields})
    assert response.status_code == 400
    assert "at least 5 examples" in field_error(response.text, "examples")
    assert "there are 2" in field_error(response.text, "examples")
    # What was typed comes back to be corrected.
    assert "any job openings?</textarea>" in response.text
    assert draft_bytes(studio) == before


@pytest.mark.parametrize(
    ("changes", "field", "says"),
    [
        (
            # "how much does it cost" is an example of the built-in ask_pricing.
            {"examples": "\n".join([*CAREERS_EXAMPLES[:4], "How much does it cost?"])},
            "examples",
            "\u201cHow much does it cost?\u201d (ask_pricing)",
        ),
        ({"examples": "\n".join([*CAREERS_EXAMPLES, "Are you  HIRING"])}, "examples", "twice"),
        (
            {"examples": "\n".join([*CAREERS_EXAMPLES[:4], "hiring " * 40])},
            "examples",
            "at most 200 characters",
        ),
        ({"name": "jobs & careers!"}, "topic-name", "letters (a to z)"),
        ({"name": "  "}, "topic-name", "Give the topic a name"),
        ({"name": "new"}, "topic-name", "kept for the studio's own page"),
        ({"text": ""}, "text", "Write what the bot says"),
        ({"does": "dance"}, "does", "Choose what the bot does"),
        # Parley's lints on the draft: a link cannot be spoken on a call.
        ({"voice": "See https://example.com/careers"}, "voice", "leave out links"),
    ],
)
def test_what_is_wrong_is_refused_next_to_its_field(
    studio: StudioServer, changes: dict[str, str], field: str, says: str
) -> None:
    client = studio.signed_in("marketer")
    before = draft_bytes(studio)
    response = client.post(NEW, {**opened(client, NEW), **CAREERS, **changes})
    assert response.status_code == 400, response.text[:2000]
    assert says in field_error(response.text, field)
    assert draft_bytes(studio) == before


def test_a_name_already_taken_is_refused(studio: StudioServer) -> None:
    client = studio.signed_in("marketer")
    create(client, CAREERS)
    others = "\n".join(f"{e}, please" for e in CAREERS_EXAMPLES)
    response = client.post(NEW, {**opened(client, NEW), **CAREERS, "examples": others})
    assert response.status_code == 400
    assert "already a topic named careers" in field_error(response.text, "topic-name")


def test_editing_a_topic_to_hand_over_to_a_person(studio: StudioServer) -> None:
    client = studio.signed_in("marketer")
    create(client, CAREERS)
    page = client.get(f"{HOME}/careers").text
    assert "any vacancies at the moment?" in page and 'name="name"' not in page
    fields = {
        **opened(client, f"{HOME}/careers"),
        "examples": "\n".join([*CAREERS_EXAMPLES, "is there a job for me"]),
        "does": "handoff",
    }
    response = client.post(f"{HOME}/careers", fields)
    assert response.status_code == 303, response.text[:3000]
    assert "utter_topic_careers" not in loaded(studio, "domain.yml")["responses"]
    assert "- is there a job for me\n" in loaded(studio, TOPIC_NLU)["nlu"][0]["examples"]
    rules = rules_for(studio, "topic_careers")
    assert rules["topic careers"]["steps"][1:] == [{"action": "action_human_handoff"}]
    # As asking for a person in each form.
    assert rules["topic careers in the lead form"]["steps"][1] == {
        "action": "action_handoff_in_form"
    }
    assert rules["topic careers in the qualify form"]["steps"][1:] == [
        {"action": "action_deactivate_loop"},
        {"active_loop": None},
        {"action": "action_human_handoff"},
    ]
    assert validate_draft(draft(studio).root) == []
    assert "Hands over to a person" in client.get(HOME).text


def test_a_form_opened_before_another_save_is_refused(studio: StudioServer) -> None:
    client = studio.signed_in("marketer")
    create(client, CAREERS)
    stale = opened(client, f"{HOME}/careers")
    other = studio.signed_in("admin")
    other.post(f"{HOME}/careers", {**opened(other, f"{HOME}/careers"), **CAREERS, "offer": ""})
    response = client.post(f"{HOME}/careers", {**stale, **CAREERS})
    assert response.status_code == 409
    assert "someone else saved it" in response.text
    assert rules_for(studio, "topic_careers")["topic careers"]["steps"][-1] == {
        "action": "utter_topic_careers"
    }


def test_deleting_a_topic_removes_every_trace(studio: StudioServer) -> None:
    client = studio.signed_in("marketer")
    before = {
        path: draft(studio).read(path) for path in ("domain.yml", "data/nlu.yml", "data/rules.yml")
    }
    create(client, CAREERS)
    response = client.post(f"{HOME}/careers/delete", opened(client, f"{HOME}/careers"))
    assert response.status_code == 303 and response.headers["location"] == f"{HOME}?saved=1"
    domain = loaded(studio, "domain.yml")
    assert "topic_careers" not in domain["intents"]
    assert "utter_topic_careers" not in domain["responses"]
    assert loaded(studio, TOPIC_NLU)["nlu"] == [] and loaded(studio, TOPIC_RULES)["rules"] == []
    assert draft(studio).read("domain.yml") == before["domain.yml"]  # byte for byte
    assert validate_draft(draft(studio).root) == []
    assert client.get(f"{HOME}/careers").status_code == 404
    assert [
        e.details.get("deleted")
        for e in studio.store.privacy.audit_entries()
        if e.action == "studio.content_saved"
    ] == [True, None]


@pytest.mark.parametrize("role", ["analyst", "sales"])
def test_only_content_editors_may(studio: StudioServer, role: str) -> None:
    client = studio.signed_in(role)
    before = draft_bytes(studio)
    assert client.get(HOME).status_code == 403
    assert client.get(NEW).status_code == 403
    assert client.post(NEW, CAREERS).status_code == 403
    assert client.post(f"{HOME}/careers/delete", {}).status_code == 403
    assert draft_bytes(studio) == before


def least_understood(studio: StudioServer, text: str) -> None:
    row = user_event("visitor", time.time() - 3600, text)
    data = json.loads(row["data"])
    data["parse_data"] = {"intent": {"name": "nlu_fallback", "confidence": 0.4}}
    add_tracker_events(
        studio.settings.tracker_store_url,
        [{**row, "intent_name": "nlu_fallback", "data": json.dumps(data)}],
    )


def test_the_dashboard_labels_a_message_into_a_topic(studio: StudioServer) -> None:
    said = "Are you taking on graduates this year? Write to sam.jones@example.org"
    least_understood(studio, said)
    marketer = studio.signed_in("marketer")
    row = marketer.get("/dashboard").text.split('<td class="message">', 1)[1]
    # A new topic from the message: its first example, without the email address.
    link = re.search(r'href="(/content/topics/new\?example=[^"]+)"', row)
    assert link is not None and "New topic from this message" in row
    page = marketer.get(html.unescape(link.group(1))).text
    assert "Are you taking on graduates this year? Write to" in page
    assert "sam.jones@example.org" not in page
    # Once the topic exists, the message can be added to it like to any intent.
    create(marketer, CAREERS)
    row = marketer.get("/dashboard").text.split('<td class="message">', 1)[1]
    assert '<option value="topic_careers"' in row
    response = marketer.post("/dashboard/examples", {"intent": "topic_careers", "text": said})
    assert response.status_code == 303, response.text[:2000]
    [nlu] = loaded(studio, TOPIC_NLU)["nlu"]
    assert nlu["examples"].splitlines()[-1].startswith("- Are you taking on graduates this year?")
    assert "sam.jones" not in draft(studio).read(TOPIC_NLU)
    assert "graduates" not in draft(studio).read("data/nlu.yml")
    assert "graduates" in marketer.get(f"{HOME}/careers").text
    assert validate_draft(draft(studio).root) == []


def test_the_topic_files_are_content_the_studio_publishes(tmp_path: Path) -> None:
    from studio.workspace import check_path, content_files

    (tmp_path / "data").mkdir()
    for relative in (TOPIC_NLU, TOPIC_RULES):
        assert check_path(relative) == relative
        (tmp_path / relative).write_text("version: '3.1'\n")
    assert set(content_files(tmp_path)) == {TOPIC_NLU, TOPIC_RULES}
