"""Editing the routing rules (routing.yml) against a real studio on loopback whose content
is a temporary copy: rules as sentences, added, edited, moved and deleted; bad input
refused next to its field with the draft untouched; stale forms refused; a draft whose
rule points nowhere refused by the publish's validation, before any training."""

from __future__ import annotations

import html
import re
from pathlib import Path

import httpx
import pytest

from bot import routing
from studio.publish_pages import validate_build
from studio.workspace import Workspace
from tests.studio.studio_server import StudioClient, StudioServer

HOME = "/content/routing"
NEW = f"{HOME}/new"
SAVED = "Saved to the draft. Publish to put it live."
VIP = {
    "name": "Big budgets by SMS",
    "grade": ["A", "B"],
    "channel": ["sms"],
    "answers": "budget: over_50k\nphone: known",
    "consent_sms": "granted",
    "then_1_kind": "say",
    "then_1_value": "Thanks {name}, a specialist will text you.",
    "then_1_voice": "Thanks {name}, a specialist will call you.",
    "then_2_kind": "tag",
    "then_2_value": "big-budget",
    "then_3_kind": "enroll",
    "then_3_value": "nurture",
    "then_4_kind": "handoff",
}


def draft_path(studio: StudioServer) -> Path:
    return Workspace.for_settings(studio.settings).ensure().root / "routing.yml"


def draft_rules(studio: StudioServer) -> list[routing.Rule]:
    return routing.parse(draft_path(studio).read_text(encoding="utf-8"))


def opened(client: StudioClient, path: str) -> dict[str, str]:
    page = client.get(path)
    assert page.status_code == 200, page.text[:300]
    found = re.search(r'name="base" value="([^"]*)"', page.text)
    assert found
    return {"base": found.group(1)}


def post(client: StudioClient, path: str, fields: dict[str, object]) -> httpx.Response:
    """A form as a browser posts it: checkboxes repeat their name."""
    data = {**fields, "csrf_token": client.csrf}
    return client.http.post(path, data=data, headers={"Origin": client.url})


def field_error(page: str, id_: str) -> str:
    found = re.search(rf'<p class="field-error" id="{re.escape(id_)}-error">([^<]*)</p>', page)
    assert found, f"no error next to {id_}"
    assert f'aria-invalid="true" aria-describedby="{id_}-error"' in page
    return html.unescape(found.group(1))


def saved_targets(studio: StudioServer) -> list[str]:
    return [
        e.target for e in studio.store.privacy.audit_entries() if e.action == "studio.content_saved"
    ]


def test_the_list_shows_the_rules_in_order_as_sentences(studio: StudioServer) -> None:
    client = studio.signed_in("marketer")
    assert f'href="{HOME}"' in client.get("/content").text
    page = html.unescape(client.get(HOME).text)
    names = [r.name for r in routing.default_rules()]
    assert [page.index(n) for n in names] == sorted(page.index(n) for n in names)
    assert "When the grade is A and the team is away, then hand over to a person now." in page
    assert (
        "When the grade is B, then note on the timeline nurture_requested, then offer a "
        "meeting (utter_route_warm)." in page
    )
    assert "Always end politely (utter_route_close)." in page


def test_a_new_rule_goes_before_the_rule_for_everyone_in_the_draft_only(
    studio: StudioServer,
) -> None:
    client = studio.signed_in("marketer")
    response = post(client, NEW, {**opened(client, NEW), **VIP})
    assert response.status_code == 303, response.text[:3000]
    position = len(routing.default_rules())
    assert response.headers["location"] == f"{HOME}/rules/{position}?saved=1"
    assert SAVED in client.get(response.headers["location"]).text
    rules = draft_rules(studio)
    assert [r.name for r in rules[-2:]] == ["Big budgets by SMS", "Everyone else"]
    rule = rules[-2]
    assert rule.when.grades == {"A", "B"} and rule.when.channels == {"sms"}
    assert rule.when.consent == {"sms": True}
    assert [a.kind for a in rule.then] == ["say", "tag", "enroll", "handoff"]
    assert rule.then[0].wording is not None
    assert rule.then[0].wording.variants == {"voice": "Thanks {name}, a specialist will call you."}
    live = studio.settings.content_root / "routing.yml"
    assert "Big budgets" not in live.read_text(encoding="utf-8")
    assert saved_targets(studio) == ["routing rule Big budgets by SMS"]


@pytest.mark.parametrize(
    ("changes", "field", "says"),
    [
        ({"then_3_value": "ghost"}, "rule-then_3", "no campaign 'ghost'"),
        (
            {"answers": "shoe_size: known"},
            "rule-answers",
            "no qualifying question or lead field 'shoe_size'",
        ),
        ({"answers": "budget: lots"}, "rule-answers", "budget is never lots"),
        ({"grade": ["E"]}, "rule-grade", "unknown E"),
        ({"channel": ["fax"]}, "rule-channel", "unknown fax"),
        ({"hours": "nine to five"}, "rule-hours", "24-hour time"),
        (
            {"then_3_kind": "offer_meeting", "then_3_value": "Meet?"},
            "rule-then_4",
            "one question per rule",
        ),
        ({"then_1_value": "utter_nowhere"}, "rule-then_1", "no response utter_nowhere"),
        ({"name": ""}, "rule-name", "give the rule a name"),
        ({"name": "Hot lead"}, "rule-name", "has this name already"),
    ],
)
def test_a_bad_rule_is_refused_next_to_its_field_and_nothing_changes(
    studio: StudioServer, changes: dict[str, object], field: str, says: str
) -> None:
    client = studio.signed_in("marketer")
    before = draft_path(studio).read_bytes()
    response = post(client, NEW, {**opened(client, NEW), **VIP, **changes})
    assert response.status_code == 400, response.text[:2000]
    assert says in field_error(response.text, field)
    assert draft_path(studio).read_bytes() == before
    assert saved_targets(studio) == []


def test_an_empty_rule_and_a_question_asked_again_that_is_not_asked_are_refused(
    studio: StudioServer,
) -> None:
    client = studio.signed_in("marketer")
    before = draft_path(studio).read_bytes()
    empty = post(client, NEW, {**opened(client, NEW), "name": "Nothing", "grade": ["A"]})
    assert empty.status_code == 400
    assert "at least one action" in field_error(empty.text, "rule-then")
    unknown = post(client, NEW, {**opened(client, NEW), "name": "Again", "grade": ["C"],
                                 "then_1_kind": "ask", "then_1_value": "shoe_size"})  # fmt: skip
    assert "ask one of the qualifying questions" in field_error(unknown.text, "rule-then_1")
    assert draft_path(studio).read_bytes() == before


def test_rules_are_edited_moved_and_deleted_and_the_rule_for_everyone_stays_last(
    studio: StudioServer,
) -> None:
    client = studio.signed_in("marketer")
    hot = f"{HOME}/rules/2"
    form = client.get(hot).text
    assert 'value="Hot lead"' in form and "utter_route_hot" in form
    edited = post(client, hot, {**opened(client, hot), "name": "Hot lead", "grade": ["A"],
                                "then_1_kind": "tag", "then_1_value": "hot",
                                "then_2_kind": "offer_person",
                                "then_2_value": "utter_route_hot"})  # fmt: skip
    assert edited.status_code == 303, edited.text[:2000]
    assert [a.kind for a in draft_rules(studio)[1].then] == ["tag", "offer_person"]

    moved = client.post(f"{HOME}/rules/2/up", opened(client, HOME))
    assert moved.status_code == 303
    assert [r.name for r in draft_rules(studio)[:2]] == [
        "Hot lead",
        "Hot lead while the team is away",
    ]

    # Below the rule for everyone, a rule would never apply.
    before = draft_path(studio).read_bytes()
    last = len(draft_rules(studio))
    refused = client.post(f"{HOME}/rules/{last - 1}/down", opened(client, HOME))
    assert refused.status_code == 400
    assert "never applies" in html.unescape(refused.text)
    refused = client.post(f"{HOME}/rules/{last}/delete", opened(client, HOME))
    assert refused.status_code == 400
    assert "the last rule must apply to everyone" in html.unescape(refused.text)
    assert draft_path(studio).read_bytes() == before

    deleted = client.post(f"{HOME}/rules/1/delete", opened(client, HOME))
    assert deleted.status_code == 303
    assert "Hot lead" not in [r.name for r in draft_rules(studio)]
    assert client.get(f"{HOME}/rules/{last}").status_code == 404


def test_a_form_opened_before_someone_else_saved_is_refused(studio: StudioServer) -> None:
    first, second = studio.signed_in("marketer"), studio.signed_in("admin")
    stale = opened(first, f"{HOME}/rules/2")
    assert post(second, NEW, {**opened(second, NEW), **VIP}).status_code == 303
    after = draft_path(studio).read_bytes()
    response = post(first, f"{HOME}/rules/2", {**stale, "name": "Hot", "grade": ["A"],
                                              "then_1_kind": "handoff"})  # fmt: skip
    assert response.status_code == 409
    assert "someone else saved it" in response.text
    moved = first.post(f"{HOME}/rules/2/up", stale)
    assert moved.status_code == 409
    assert draft_path(studio).read_bytes() == after


def test_a_draft_whose_rule_points_nowhere_is_refused_before_training(
    studio: StudioServer,
) -> None:
    ws = Workspace.for_settings(studio.settings).ensure()
    text = draft_path(studio).read_text(encoding="utf-8")
    ws.write("routing.yml", text.replace("note: nurture_requested", "enroll: ghost_campaign"))
    problems = validate_build(ws.root)
    assert problems == [
        "routing.yml rule 3 then[1]: no campaign 'ghost_campaign' (campaigns: nurture, welcome)"
    ]
    client = studio.signed_in("marketer")
    page = html.unescape(client.get(HOME).text)
    assert "Warm lead" in page  # the list still shows, so it can be mended
