"""Editing the marketers' own lead fields (lead_fields.yml) against a real studio on
loopback whose content is a temporary copy; the publish lints and the flow page."""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import pytest

from bot import custom_fields
from studio.flow import read_flow
from studio.repackage import repackageable
from studio.validation import lint
from studio.workspace import Workspace
from tests.studio.studio_server import StudioClient, StudioServer, copy_content

HOME = "/content/fields"
NEW = f"{HOME}/new"
SAVED = "Saved to the draft. Publish to put it live."
HEARD = {
    "name": "heard_from",
    "label": "How they heard of us",
    "type": "choice",
    "question": "How did you hear about us?",
    "channel_voice": "How did you hear about us? Say search, a friend, or an event.",
    "channel_sms": "How did you hear about us? Reply with a number.",
    "help": "It tells us which of our channels work.",
    "optional": "on",
    "options": "search | Search engine | google, bing\r\nfriend | A friend\r\nevent | An event | conference",
    "hubspot_property": "how_heard",
}
SEATS = {
    "name": "seats",
    "label": "Seats",
    "type": "number",
    "question": "How many people would use it?",
    "min": "1",
    "max": "5000",
}


def draft_path(studio: StudioServer) -> Path:
    return Workspace.for_settings(studio.settings).root / "lead_fields.yml"


def draft_bytes(studio: StudioServer) -> bytes:
    path = draft_path(studio)
    return path.read_bytes() if path.is_file() else b""


def draft_fields(studio: StudioServer) -> list[custom_fields.CustomField]:
    return list(custom_fields.load(draft_path(studio)).fields)


def base_of(page: str) -> str:
    found = re.search(r'name="base" value="([^"]*)"', page)
    assert found, "no base fingerprint on the page"
    return found.group(1)


def opened(client: StudioClient, path: str) -> dict[str, str]:
    page = client.get(path)
    assert page.status_code == 200, page.text[:300]
    return {"base": base_of(page.text)}


def field_error(page: str, id_: str) -> str:
    found = re.search(rf'<p class="field-error" id="{re.escape(id_)}-error">([^<]*)</p>', page)
    assert found, f"no error next to {id_}"
    assert re.search(rf'id="{re.escape(id_)}"[^>]*aria-invalid="true"', page), id_
    return html.unescape(found.group(1))


def saved_targets(studio: StudioServer) -> list[str]:
    return [
        e.target for e in studio.store.privacy.audit_entries() if e.action == "studio.content_saved"
    ]


def add(client: StudioClient, fields: dict[str, str]) -> None:
    response = client.post(NEW, {**opened(client, NEW), **fields})
    assert response.status_code == 303, response.text[:2000]


def test_a_choice_field_is_saved_to_the_draft_only_and_listed(studio: StudioServer) -> None:
    client = studio.signed_in("marketer")
    assert f'href="{HOME}"' in client.get("/content").text
    response = client.post(NEW, {**opened(client, NEW), **HEARD})
    assert response.status_code == 303, response.text[:2000]
    assert response.headers["location"] == f"{HOME}/heard_from?saved=1"
    assert SAVED in client.get(response.headers["location"]).text
    [heard] = draft_fields(studio)
    assert heard.type == "choice" and heard.optional
    assert [(o.id, o.label, o.phrasings) for o in heard.options] == [
        ("search", "Search engine", ("google", "bing")),
        ("friend", "A friend", ()),
        ("event", "An event", ("conference",)),
    ]
    assert heard.question_for("voice") == HEARD["channel_voice"]
    assert heard.question_for("whatsapp") == HEARD["channel_sms"]
    assert heard.hubspot_property == "how_heard"
    live = custom_fields.load(studio.settings.content_root / "lead_fields.yml")
    assert len(live) == 0
    assert saved_targets(studio) == ["heard_from"]
    listed = client.get(HOME).text
    assert f'href="{HOME}/heard_from"' in listed and "Choice (with buttons)" in listed


@pytest.mark.parametrize(
    ("changes", "field", "says"),
    [
        ({"question": "  "}, "field-question", "needs a question"),
        ({"name": "Heard From"}, "field-name", "lower-case"),
        ({"name": "email"}, "field-name", "built-in"),
        ({"type": "colour"}, "field-type", "must be one of"),
        ({"options": "search | Search engine"}, "field-options", "at least two options"),
        ({"options": "Search!! | Search\nfriend | A friend"}, "field-options", "lower-case"),
        ({"channel_voice": "x" * 301}, "channel-voice", "over 300"),
        ({"hubspot_property": "How Heard"}, "field-hubspot", "HubSpot internal name"),
        ({"label": "x" * 61}, "field-label", "over 60"),
    ],
)
def test_a_bad_field_is_refused_next_to_its_input_and_nothing_changes(
    studio: StudioServer, changes: dict[str, str], field: str, says: str
) -> None:
    client = studio.signed_in("marketer")
    add(client, SEATS)
    before = draft_bytes(studio)
    response = client.post(NEW, {**opened(client, NEW), **HEARD, **changes})
    assert response.status_code == 400
    assert says in field_error(response.text, field)
    assert draft_bytes(studio) == before
    assert saved_targets(studio) == ["seats"]


def test_number_bounds_are_checked_next_to_their_inputs(studio: StudioServer) -> None:
    client = studio.signed_in("marketer")
    base = opened(client, NEW)  # the draft is made when first opened
    before = draft_bytes(studio)
    response = client.post(NEW, {**base, **SEATS, "min": "lots"})
    assert response.status_code == 400
    assert "not a number" in field_error(response.text, "field-min")
    response = client.post(NEW, {**opened(client, NEW), **SEATS, "min": "10", "max": "5"})
    assert "less than min" in field_error(response.text, "field-max")
    assert draft_bytes(studio) == before


def test_fields_are_edited_moved_and_listed_in_order(studio: StudioServer) -> None:
    client = studio.signed_in("marketer")
    add(client, HEARD)
    add(client, SEATS)
    assert [f.name for f in draft_fields(studio)] == ["heard_from", "seats"]
    moved = client.post(f"{HOME}/seats/move", {**opened(client, HOME), "direction": "up"})
    assert moved.status_code == 303
    assert [f.name for f in draft_fields(studio)] == ["seats", "heard_from"]
    first = client.post(f"{HOME}/seats/move", {**opened(client, HOME), "direction": "up"})
    assert first.status_code == 400 and "already first" in first.text
    edit = f"{HOME}/seats"
    response = client.post(
        edit, {**opened(client, edit), **SEATS, "question": "How many seats?", "max": "900"}
    )
    assert response.status_code == 303, response.text[:2000]
    [seats, _] = draft_fields(studio)
    assert seats.question == "How many seats?" and str(seats.maximum) == "900"
    assert not seats.optional  # the box was not ticked


def test_a_form_opened_before_someone_else_saved_is_refused(studio: StudioServer) -> None:
    first, second = studio.signed_in("marketer"), studio.signed_in("admin")
    stale = opened(first, NEW)
    add(second, SEATS)
    after = draft_bytes(studio)
    response = first.post(NEW, {**stale, **HEARD})
    assert response.status_code == 409
    assert "someone else saved it" in response.text
    moved = first.post(f"{HOME}/seats/move", {**stale, "direction": "down"})
    assert moved.status_code == 409
    assert draft_bytes(studio) == after


def test_deleting_a_field_keeps_the_values_already_stored(studio: StudioServer) -> None:
    client = studio.signed_in("marketer")
    add(client, HEARD)
    contact = studio.store.contacts.record_stated_details(
        "web", "visitor-9", {"name": "Dana Reyes"}, conversation_id="visitor-9"
    )
    studio.store.leads.set_custom_fields(contact.id, {"heard_from": "friend"}, channel="web")
    deleted = client.post(f"{HOME}/heard_from/delete", opened(client, f"{HOME}/heard_from"))
    assert deleted.status_code == 303
    page = client.get(deleted.headers["location"]).text
    assert "stay on their contact pages" in page
    assert draft_fields(studio) == []
    assert studio.store.leads.custom_fields(contact.id) == {"heard_from": "friend"}
    assert saved_targets(studio) == ["heard_from", "heard_from"]
    assert client.get(f"{HOME}/heard_from").status_code == 404


def _tree(tmp_path: Path, fields_yaml: str) -> Path:
    root = copy_content(tmp_path / "tree")
    (root / "lead_fields.yml").write_text(fields_yaml, encoding="utf-8")
    return root


BROKEN = """version: 1
fields:
  - name: heard_from
    type: choice
    options: [{id: a, label: A}, {id: b, label: B}]
"""
GOOD = """version: 1
fields:
  - name: heard_from
    type: choice
    question: How did you hear about us?
    options: [{id: a, label: A}, {id: b, label: B}]
"""


def test_a_field_with_no_question_is_refused_before_training(tmp_path: Path) -> None:
    problems = lint(_tree(tmp_path, BROKEN))
    assert [(p.file, p.field) for p in problems] == [("lead_fields.yml", "field 1 question")]
    assert "needs a question" in problems[0].message


def test_a_fields_only_change_needs_no_training(tmp_path: Path) -> None:
    live = copy_content(tmp_path / "live")
    changed = tmp_path / "changed"
    shutil.copytree(live, changed)
    (changed / "lead_fields.yml").write_text(GOOD, encoding="utf-8")
    assert lint(changed) == []
    assert repackageable(live, changed)


def test_the_flow_shows_custom_fields_as_lead_form_steps(tmp_path: Path) -> None:
    flow = read_flow(_tree(tmp_path, GOOD))
    last = flow.lead_form[-1]
    assert (last.slot, last.text) == ("heard_from", "How did you hear about us?")
    assert flow.lead_form[0].slot == "lead_name"
