"""The campaign editor, against a real studio on loopback."""

from __future__ import annotations

from pathlib import Path

from campaigns.definitions import SendStep, load_campaign, load_campaigns
from tests.studio.studio_server import StudioServer
from tests.studio.test_policy_editors import draft, form_of

WELCOME = "/content/campaigns/welcome"
TEXT = "steps[1].send.variants[0].message.text"


def welcome_file(studio: StudioServer) -> Path:
    return draft(studio) / "campaigns" / "welcome.yml"


def test_list_shows_the_draft_campaigns(studio: StudioServer) -> None:
    page = studio.signed_in("marketer").get("/content/campaigns")
    assert page.status_code == 200
    assert 'href="/content/campaigns/welcome"' in page.text
    assert "lead_captured" in page.text and "grade_changed" in page.text


def test_message_edit_lands_in_the_draft_and_loads(studio: StudioServer) -> None:
    marketer = studio.signed_in("marketer")
    fields = form_of(marketer, WELCOME)
    assert fields[TEXT].startswith('Hi {{ first_name | default("there") }}, thanks')
    fields[TEXT] = "Hi {{ first_name | default('there') }}, fancy a 20-minute demo?"
    fields["audience"] = "consent(email) and grade in [A, B]"
    fields["steps[3].wait"] = "3d"
    response = marketer.post(WELCOME, fields)
    assert response.status_code == 303, response.text[:1500]
    assert response.headers["location"] == f"{WELCOME}?saved=1"
    assert "Saved to the draft. Publish to put it live." in marketer.get(f"{WELCOME}?saved=1").text
    campaign = load_campaign(welcome_file(studio))
    send = campaign.steps[1]
    assert isinstance(send, SendStep)
    assert send.variants[0].message.texts["text"].source.startswith("Hi {{ first_name")
    assert "fancy a 20-minute demo" in send.variants[0].message.texts["text"].source
    assert campaign.audience_text == "consent(email) and grade in [A, B]"
    text = welcome_file(studio).read_text()
    assert "# Welcome: a lead captured" in text and "\n  - id: settle\n" in text
    assert sorted(load_campaigns(welcome_file(studio).parent)) == ["nurture", "welcome"]
    saved = [e for e in studio.store.privacy.audit_entries() if e.action == "studio.content_saved"]
    assert saved[0].target == "campaigns/welcome.yml"


def test_unchanged_form_changes_nothing(studio: StudioServer) -> None:
    marketer = studio.signed_in("marketer")
    before = welcome_file(studio).read_text()
    response = marketer.post(WELCOME, form_of(marketer, WELCOME))
    assert response.headers["location"] == f"{WELCOME}?saved=same"
    assert welcome_file(studio).read_text() == before


def test_template_and_segment_errors_are_shown_next_to_their_field(studio: StudioServer) -> None:
    marketer = studio.signed_in("marketer")
    before = welcome_file(studio).read_text()
    fields = form_of(marketer, WELCOME)
    broken = marketer.post(WELCOME, {**fields, TEXT: "Hi {{ first_name "})
    assert broken.status_code == 400
    assert f'id="error-{TEXT}">line 1: unexpected end of template' in broken.text
    assert "Hi {{ first_name </textarea>" in broken.text  # what they typed is kept
    unknown = marketer.post(WELCOME, {**fields, TEXT: "Hi {{ nickname }}"})
    assert f'id="error-{TEXT}">unknown variable nickname' in unknown.text
    segment = marketer.post(WELCOME, {**fields, "audience": "grade = Q or"})
    assert segment.status_code == 400
    assert 'id="error-audience">&#39;Q&#39; is not a valid grade' in segment.text
    branch = marketer.post(WELCOME, {**fields, "steps[2].branch[0].if": "score >> 3"})
    assert branch.status_code == 400 and 'id="error-steps[2].branch[0].if">' in branch.text
    channel = marketer.post(WELCOME, {**fields, "steps[1].send.channels": "email, fax"})
    assert 'id="error-steps[1].send.channels">' in channel.text and "fax" in channel.text
    goto = marketer.post(WELCOME, {**fields, "steps[2].branch[0].goto": "nowhere"})
    assert "goto &#39;nowhere&#39;: no step has that id" in goto.text
    assert welcome_file(studio).read_text() == before


def test_steps_yaml_replaces_the_steps_or_is_refused(studio: StudioServer) -> None:
    marketer = studio.signed_in("marketer")
    fields = form_of(marketer, WELCOME, mode="yaml")
    before = welcome_file(studio).read_text()
    bad = marketer.post(WELCOME, {"mode": "yaml", "steps_yaml": "- id: a\n  wait: 3q\n"})
    assert bad.status_code == 400
    assert 'id="error-steps_yaml">steps[0].wait: &#39;3q&#39;: a duration' in bad.text
    assert welcome_file(studio).read_text() == before
    fields["steps_yaml"] = fields["steps_yaml"].replace("wait: 2d", "wait: 4d")
    assert marketer.post(WELCOME, fields).status_code == 303
    assert "wait: 4d" in welcome_file(studio).read_text()
    load_campaign(welcome_file(studio))


def test_new_campaign_is_created_valid(studio: StudioServer) -> None:
    marketer = studio.signed_in("marketer")
    response = marketer.post("/content/campaigns/new", {"name": "spring-sale"})
    assert response.status_code == 303
    assert response.headers["location"] == "/content/campaigns/spring-sale?saved=1"
    created = load_campaign(draft(studio) / "campaigns" / "spring-sale.yml")
    assert created.name == "spring-sale" and created.trigger.kind == "manual"
    assert marketer.get("/content/campaigns/spring-sale").status_code == 200
    again = marketer.post("/content/campaigns/new", {"name": "spring-sale"})
    assert again.status_code == 400 and "already a campaign file" in again.text
    bad = marketer.post("/content/campaigns/new", {"name": "../Spring Sale"})
    assert bad.status_code == 400 and 'id="error-name"' in bad.text
    assert marketer.get("/content/campaigns/nope").status_code == 404


def test_analyst_and_cross_site_posts_are_refused(studio: StudioServer) -> None:
    before = welcome_file(studio).read_text()
    marketer = studio.signed_in("marketer")
    fields = form_of(marketer, WELCOME)
    fields[TEXT] = "Hello"
    assert marketer.post(WELCOME, fields, origin="https://evil.example").status_code == 403
    analyst = studio.signed_in("analyst")
    assert analyst.get("/content/campaigns").status_code == 403
    assert analyst.post(WELCOME, fields).status_code == 403
    assert analyst.post("/content/campaigns/new", {"name": "x"}).status_code == 403
    assert welcome_file(studio).read_text() == before
    assert not (draft(studio) / "campaigns" / "x.yml").exists()


def test_a_form_opened_before_the_steps_changed_is_refused(studio: StudioServer) -> None:
    marketer = studio.signed_in("marketer")
    stale = form_of(marketer, WELCOME)
    steps = form_of(marketer, WELCOME, mode="yaml")
    steps["steps_yaml"] = steps["steps_yaml"].replace("  - id: settle\n    wait: {idle: 3m}\n", "")
    assert marketer.post(WELCOME, steps).status_code == 303
    after = welcome_file(studio).read_text()
    assert "id: settle" not in after
    response = marketer.post(WELCOME, {**stale, TEXT: "Hello"})
    assert response.status_code == 409 and "someone else saved it" in response.text
    assert welcome_file(studio).read_text() == after
