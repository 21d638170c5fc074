"""Adding, editing and removing qualifying questions of the marketer's own, against a
real studio on loopback whose content is a temporary copy."""

from __future__ import annotations

import re
from typing import Any

import pytest

from bot.qualification import load_qualification_config
from bot.scoring import load_content_rubric
from studio.validation import validate_draft
from studio.workspace import Workspace
from tests.studio.studio_server import StudioClient, StudioServer
from tests.studio.test_content import draft, field_error, post, questions_of

NEW = "/content/qualifying/new"
CRM = "/content/qualifying/custom/crm"


def base_of(page: str) -> str:
    found = re.search(r'name="base" value="([0-9a-f]+)"', page)
    assert found
    return found.group(1)


def crm_form(**changes: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "id": "crm",
        "text": "Which CRM does your team use today?",
        "voice": "Which CRM does your team use at the moment?",
        "position": "2",
        "option_1_label": "HubSpot",
        "option_1_id": "hubspot",
        "option_1_phrasings": "hubspot\nwe are on hubspot",
        "option_1_points": "20",
        "option_2_label": "Salesforce",
        "option_2_id": "salesforce",
        "option_2_phrasings": "salesforce\nsales cloud",
        "option_2_points": "30",
        "option_3_label": "No CRM yet",
        "option_3_id": "none",
        "option_3_voice": "None yet",
        "option_3_phrasings": "we don't have one\nno crm",
        "skip_company_size": ["1-10"],
    }
    return {**fields, **changes}


def files(studio: StudioServer) -> tuple[str, str]:
    root = Workspace.for_settings(studio.settings).root
    return tuple(  # type: ignore[return-value]
        (root / name).read_text(encoding="utf-8") for name in ("qualification.yml", "scoring.yml")
    )


def add_crm(client: StudioClient, **changes: Any) -> Any:
    page = client.get(NEW)
    assert page.status_code == 200
    return post(client, NEW, {**crm_form(**changes), "base": base_of(page.text)})


def test_a_custom_question_is_added_with_options_points_and_skips(studio: StudioServer) -> None:
    client = studio.signed_in("marketer")
    response = add_crm(client)
    assert response.status_code == 303, response.text
    config = draft(studio, "qualification.yml")
    assert [q.get("field") or q.get("id") for q in config["questions"]] == [
        "company_size", "crm", "authority", "budget", "timeline",
    ]  # fmt: skip
    crm = config["questions"][1]
    assert crm["voice"] == "Which CRM does your team use at the moment?"
    assert crm["options"][2] == {
        "id": "none",
        "label": "No CRM yet",
        "voice": "None yet",
        "phrasings": ["we don't have one", "no crm"],
    }
    assert crm["skip_when"] == {"company_size": ["1-10"]}
    rubric = draft(studio, "scoring.yml")
    assert {"field": "crm", "points": {"hubspot": 20, "salesforce": 30}} in rubric["fit"]
    assert rubric["version"] != "2026-11-24"
    # The bot's own readers take the draft as it is.
    root = Workspace.for_settings(studio.settings).root
    loaded = load_qualification_config(root / "qualification.yml")
    assert loaded.custom_choices == {"crm": ("hubspot", "salesforce", "none")}
    rules = load_content_rubric(root / "scoring.yml", root / "qualification.yml").fit
    assert any(r.field == "crm" for r in rules)
    page = client.get("/content/qualifying")
    assert "Which CRM does your team use today?" in page.text
    assert 'href="/content/qualifying/custom/crm"' in page.text
    entries = [
        e for e in studio.store.privacy.audit_entries() if e.action == "studio.content_saved"
    ]
    assert any(e.target == "qualifying:crm" for e in entries)


def test_a_custom_question_is_edited_reordered_and_skipped_on(studio: StudioServer) -> None:
    client = studio.signed_in("marketer")
    assert add_crm(client).status_code == 303
    page = client.get(CRM)
    assert page.status_code == 200 and "we are on hubspot" in page.text
    changed = crm_form(text="What do you keep your contacts in?", position="5", option_2_points="")
    response = post(client, CRM, {**changed, "base": base_of(page.text)})
    assert response.status_code == 303, response.text
    config = draft(studio, "qualification.yml")
    assert config["questions"][-1]["text"] == "What do you keep your contacts in?"
    assert {"field": "crm", "points": {"hubspot": 20}} in draft(studio, "scoring.yml")["fit"]
    # The list page reorders it and lets a built-in question skip on its answers.
    listing = client.get("/content/qualifying")
    fields: dict[str, Any] = {
        **questions_of(listing.text),
        "position_company_size": "1", "position_crm": "2", "position_authority": "3",
        "position_budget": "4", "position_timeline": "5",
        "skip_budget_crm": ["none"],
    }  # fmt: skip
    response = post(client, "/content/qualifying", fields)
    assert response.status_code == 303, response.text
    config = draft(studio, "qualification.yml")
    assert [q.get("field") or q.get("id") for q in config["questions"]][:2] == [
        "company_size",
        "crm",
    ]
    assert config["questions"][3]["skip_when"] == {"crm": ["none"]}
    assert config["questions"][1]["text"] == "What do you keep your contacts in?"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"id": "budget"}, "question-id", "already a question"),
        ({"id": "email"}, "question-id", "lead field"),
        ({"id": "Which CRM?"}, "question-id", "lower-case"),
        ({"text": ""}, "question-text", "empty"),
        ({"text": "x" * 301}, "question-text", "at most 300"),
        ({"option_2_label": "", "option_2_id": "", "option_2_phrasings": "",
          "option_2_points": "", "option_3_label": "", "option_3_id": "",
          "option_3_voice": "", "option_3_phrasings": ""}, "options", "at least two"),
        ({"option_2_id": "hubspot"}, "option-2-id", "also option 1"),
        ({"option_3_phrasings": ""}, "option-3-phrasings", "at least one"),
        ({"option_1_points": "lots"}, "option-1-points", "whole number"),
        ({"option_1_points": "500"}, "option-1-points", "whole number"),
        ({"skip_company_size": ["enormous"]}, "skip", "enormous"),
        ({"position": "first"}, "question-position", "whole number"),
        ({"text": "What is your age?"}, "question-text", "protected attribute"),
    ],
)  # fmt: skip
def test_bad_input_is_refused_next_to_its_field_and_nothing_changes(
    studio: StudioServer, changes: dict[str, Any], field: str, message: str
) -> None:
    client = studio.signed_in("marketer")
    before = files(studio) if client.get(NEW).status_code == 200 else None
    response = add_crm(client, **changes)
    assert response.status_code == 400
    on_input = field not in ("options", "skip")
    assert message in field_error(response.text, field, on_input=on_input)
    assert files(studio) == before


@pytest.mark.parametrize(
    ("skips", "message"),
    [
        ({"skip_colour": ["red"]}, "no question colour"),
        ({"skip_crm": ["none"]}, "no question crm"),  # on its own answer
    ],
)
def test_a_skip_on_an_unknown_question_is_refused(
    studio: StudioServer, skips: dict[str, Any], message: str
) -> None:
    client = studio.signed_in("marketer")
    page = client.get(NEW)
    before = files(studio)
    response = post(client, NEW, {**crm_form(), **skips, "base": base_of(page.text)})
    assert response.status_code == 400
    assert message in field_error(response.text, "skip", on_input=False)
    assert files(studio) == before


def test_an_edit_on_files_changed_since_is_refused(studio: StudioServer) -> None:
    client = studio.signed_in("marketer")
    assert add_crm(client).status_code == 303
    stale = base_of(client.get(CRM).text)
    assert post(client, CRM, {**crm_form(option_1_points="5"), "base": stale}).status_code == 303
    before = files(studio)
    response = post(client, CRM, {**crm_form(option_1_points="9"), "base": stale})
    assert response.status_code == 409
    assert files(studio) == before


def test_removing_a_question_keeps_its_answers_and_drops_its_points(
    studio: StudioServer,
) -> None:
    client = studio.signed_in("marketer")
    assert add_crm(client).status_code == 303
    contact = studio.store.leads.update_fields("web", "v-1", {"email": "dana@acme.io"}, "v-1")
    studio.store.leads.record_qualification(
        contact.id, {"crm": "hubspot"}, channel="web", conversation_id="v-1"
    )
    page = client.get(CRM)
    response = post(client, f"{CRM}/remove", {"base": base_of(page.text)})
    assert response.status_code == 303, response.text
    config = draft(studio, "qualification.yml")
    assert "crm" not in [q.get("id") for q in config["questions"]]
    assert all(rule["field"] != "crm" for rule in draft(studio, "scoring.yml")["fit"])
    assert studio.store.leads.qualification(contact.id) == {"crm": "hubspot"}
    assert client.get(CRM).status_code == 404


def test_a_question_others_skip_on_is_not_removed(studio: StudioServer) -> None:
    client = studio.signed_in("marketer")
    assert add_crm(client).status_code == 303
    root = Workspace.for_settings(studio.settings).root
    text = files(studio)[0].replace(
        "\n  - field: budget\n", "\n  - field: budget\n    skip_when: {crm: [none]}\n"
    )
    (root / "qualification.yml").write_text(text, encoding="utf-8")
    before = files(studio)
    page = client.get(CRM)
    response = post(client, f"{CRM}/remove", {"base": base_of(page.text)})
    assert response.status_code == 400
    assert "take those skips off first" in response.text
    assert files(studio) == before


def test_the_publish_lint_refuses_points_for_an_option_that_does_not_exist(
    studio: StudioServer,
) -> None:
    client = studio.signed_in("marketer")
    assert add_crm(client).status_code == 303
    root = Workspace.for_settings(studio.settings).root
    scoring = root / "scoring.yml"
    scoring.write_text(
        scoring.read_text(encoding="utf-8").replace("hubspot: 20", "pipedrive: 20"),
        encoding="utf-8",
    )
    problems = validate_draft(root)
    assert any(p.file == "scoring.yml" and "pipedrive" in p.message for p in problems)
