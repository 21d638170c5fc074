"""Editing responses, the lead form and the qualifying questions: against a real studio
on loopback, whose content is a temporary copy."""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

import yaml

from studio.workspace import Workspace
from tests.studio.studio_server import StudioClient, StudioServer

GREET = "/content/responses/utter_greet"


def draft(studio: StudioServer, relative: str = "domain.yml") -> Any:
    root = Workspace.for_settings(studio.settings).root
    return yaml.safe_load((root / relative).read_text(encoding="utf-8"))


def live(studio: StudioServer, relative: str = "domain.yml") -> Any:
    return yaml.safe_load((studio.settings.content_root / relative).read_text(encoding="utf-8"))


def draft_text(studio: StudioServer) -> str:
    return (Workspace.for_settings(studio.settings).root / "domain.yml").read_text(encoding="utf-8")


def greet_form(**changes: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "text": "What can I do for you today?",
        "button_title": ["Book a demo", "Pricing", "Talk to sales"],
        "button_payload": ["/request_demo", "/ask_pricing", "/talk_to_sales"],
    }
    return {**fields, **changes}


def post(client: StudioClient, path: str, fields: dict[str, Any]) -> Any:
    """A form post with repeated fields (button rows, checkboxes)."""
    return client.http.post(
        path, data={**fields, "csrf_token": client.csrf}, headers={"Origin": client.url}
    )


def field_error(page: str, id_: str, *, on_input: bool = True) -> str:
    found = re.search(rf'<p class="field-error" id="{re.escape(id_)}-error">([^<]*)</p>', page)
    assert found, f"no error next to {id_}"
    if on_input:
        assert re.search(rf'id="{re.escape(id_)}"[^>]*aria-invalid="true"', page), id_
    return html.unescape(found.group(1))


def questions_of(page: str) -> dict[str, str]:
    """The wording fields of a questions form, as the browser would post them."""
    found = re.findall(
        r'<textarea id="[^"]*" name="((?:text|help)_\w+)"[^>]*>([^<]*)</textarea>', page
    )
    return {name: html.unescape(text) for name, text in found}


def test_index_links_every_editor_and_shows_the_changed_files(studio: StudioServer) -> None:
    client = studio.signed_in("marketer")
    page = client.get("/content")
    assert page.status_code == 200
    for href in ("/content/responses", "/content/lead-form", "/content/qualifying",
                 "/content/scoring", "/content/consent", "/content/campaigns"):  # fmt: skip
        assert f'href="{href}"' in page.text
    assert "same as the live content" in page.text
    client.get(GREET)
    assert post(client, GREET, greet_form(text="Hello there! How can I help?")).status_code == 303
    assert "<code>domain.yml</code>" in client.get("/content").text
    discarded = client.post("/content/discard")
    assert discarded.status_code == 303
    assert draft(studio)["responses"]["utter_greet"][0]["text"] == "What can I do for you today?"
    actions = [e.action for e in studio.store.privacy.audit_entries()]
    assert "studio.content_discarded" in actions


def test_responses_list_searches_names_and_text(studio: StudioServer) -> None:
    client = studio.signed_in("marketer")
    everything = client.get("/content/responses")
    assert "utter_greet" in everything.text and "utter_pricing" in everything.text
    found = client.get("/content/responses", params={"q": "plans start"})
    assert "utter_pricing" in found.text and "utter_greet" not in found.text
    assert client.get("/content/responses/utter_nothing_here").status_code == 404


def test_editing_a_response_changes_the_draft_only(studio: StudioServer) -> None:
    client = studio.signed_in("marketer")
    client.get(GREET)
    response = post(client, GREET, greet_form(
        text="Hi! What brings you here?",
        button_title=["Book a demo", "Prices"],
        button_payload=["/request_demo", "/ask_pricing"],
    ))  # fmt: skip
    assert response.status_code == 303, response.text
    page = client.get(response.headers["location"])
    assert "Saved to the draft. Publish to put it live." in page.text
    greet = draft(studio)["responses"]["utter_greet"]
    assert greet == [{
        "text": "Hi! What brings you here?",
        "buttons": [{"title": "Book a demo", "payload": "/request_demo"},
                    {"title": "Prices", "payload": "/ask_pricing"}],
    }]  # fmt: skip
    assert live(studio)["responses"]["utter_greet"][0]["text"] == "What can I do for you today?"
    # The rest of the file is as it was: comments and quoting survive.
    assert "# The order is a default" in draft_text(studio)
    entries = [
        e for e in studio.store.privacy.audit_entries() if e.action == "studio.content_saved"
    ]
    assert entries and entries[0].target == "utter_greet"


def test_voice_wording_becomes_a_channel_variation(studio: StudioServer) -> None:
    client = studio.signed_in("marketer")
    client.get(GREET)
    fields = greet_form(
        channel_twilio_voice="How can I help? Say demo, pricing or sales.",
        channel_twilio="Reply with what you need.",
    )
    assert post(client, GREET, fields).status_code == 303
    variations = draft(studio)["responses"]["utter_greet"]
    by_channel = {v.get("channel"): v for v in variations}
    assert by_channel["twilio_voice"]["text"] == "How can I help? Say demo, pricing or sales."
    assert by_channel["twilio"]["text"] == "Reply with what you need."
    # The voice channel reads the buttons out as a menu: they stay on the variation.
    assert len(by_channel["twilio_voice"]["buttons"]) == 3
    page = client.get(GREET)
    assert "Say demo, pricing or sales." in page.text
    # Emptying a channel's field removes its variation again.
    assert post(client, GREET, greet_form()).status_code == 303
    assert [v.get("channel") for v in draft(studio)["responses"]["utter_greet"]] == [None]


def test_unknown_placeholder_is_refused_next_to_the_field(studio: StudioServer) -> None:
    client = studio.signed_in("marketer")
    client.get(GREET)
    before = draft_text(studio)
    response = post(client, GREET, greet_form(text="Hi {nme}!"))
    assert response.status_code == 400
    assert "{nme}" in field_error(response.text, "text")
    assert "Hi {nme}!" in response.text
    assert draft_text(studio) == before


def test_button_to_an_unknown_intent_is_refused(studio: StudioServer) -> None:
    client = studio.signed_in("marketer")
    client.get(GREET)
    before = draft_text(studio)
    fields = greet_form(
        button_title=["Book a demo", "Nope"], button_payload=["/request_demo", "/no_such_intent"]
    )
    response = post(client, GREET, fields)
    assert response.status_code == 400
    assert "/no_such_intent" in field_error(response.text, "button-payload-1")
    assert draft_text(studio) == before


def test_voice_wording_with_a_link_is_refused(studio: StudioServer) -> None:
    client = studio.signed_in("marketer")
    client.get(GREET)
    response = post(client, GREET, greet_form(channel_twilio_voice="See https://example.com"))
    assert response.status_code == 400
    assert "links" in field_error(response.text, "channel-twilio_voice")


def test_lead_form_can_be_reordered(studio: StudioServer) -> None:
    client = studio.signed_in("marketer")
    page = client.get("/content/lead-form")
    assert "What&#39;s your name?" in page.text
    order = ["lead_name", "lead_email", "lead_company", "lead_phone", "lead_role", "lead_need"]
    fields = questions_of(page.text)
    assert len(fields) == 12
    fields |= {f"position_{slot}": str(n) for n, slot in enumerate(order, 1)}
    fields["text_lead_company"] = "Which company do you work for?"
    fields["help_lead_company"] = "Just the company name, e.g. Acme. Or say skip."
    response = post(client, "/content/lead-form", fields)
    assert response.status_code == 303, response.text
    domain = draft(studio)
    assert domain["forms"]["lead_form"]["required_slots"] == order
    assert domain["responses"]["utter_ask_lead_company"][-1]["text"] == (
        "Which company do you work for?"
    )
    # The help variation (shown when the person is stuck) is kept.
    helping = domain["responses"]["utter_ask_lead_company"][0]
    assert helping["condition"][0]["name"] == "needs_help"
    assert helping["text"] == "Just the company name, e.g. Acme. Or say skip."
    assert live(studio)["forms"]["lead_form"]["required_slots"][2] == "lead_phone"


def test_lead_form_keeps_every_question(studio: StudioServer) -> None:
    client = studio.signed_in("marketer")
    fields = questions_of(client.get("/content/lead-form").text)
    before = draft_text(studio)
    fields |= {
        f"position_{s}": "1"
        for s in ("lead_name", "lead_email", "lead_company", "lead_role", "lead_need")
    }
    response = post(client, "/content/lead-form", fields)
    assert response.status_code == 400
    assert "lead_phone" in field_error(response.text, "order", on_input=False)
    assert draft_text(studio) == before


def test_qualifying_questions_order_and_skip_when(studio: StudioServer) -> None:
    client = studio.signed_in("marketer")
    page = client.get("/content/qualifying")
    assert "How many people work at your company?" in page.text
    fields: dict[str, Any] = {
        **questions_of(page.text),
        "position_company_size": "1", "position_authority": "3",
        "position_budget": "2", "position_timeline": "4",
        "skip_authority_company_size": ["1-10", "11-50"],
        "text_timeline": "When do you need it?",
    }  # fmt: skip
    response = post(client, "/content/qualifying", fields)
    assert response.status_code == 303, response.text
    config = draft(studio, "qualification.yml")
    assert [q["field"] for q in config["questions"]] == [
        "company_size",
        "budget",
        "authority",
        "timeline",
    ]
    authority = config["questions"][2]
    assert authority["skip_when"] == {"company_size": ["1-10", "11-50"]}
    # budget lost its skip_when: nothing was ticked for it.
    assert "skip_when" not in config["questions"][1]
    assert (
        draft(studio)["responses"]["utter_ask_qual_timeline"][0]["text"] == "When do you need it?"
    )


def test_qualifying_skip_values_are_validated(studio: StudioServer) -> None:
    client = studio.signed_in("marketer")
    fields = questions_of(client.get("/content/qualifying").text)
    root = Workspace.for_settings(studio.settings).root
    before = (root / "qualification.yml").read_text(encoding="utf-8")
    fields |= {
        f"position_{f}": str(n)
        for n, f in enumerate(("company_size", "authority", "budget", "timeline"), 1)
    }
    fields["skip_budget_company_size"] = "enormous"
    response = post(client, "/content/qualifying", fields)
    assert response.status_code == 400
    assert "enormous" in field_error(response.text, "skip-budget", on_input=False)
    assert (root / "qualification.yml").read_text(encoding="utf-8") == before


def test_analyst_may_not_edit(studio: StudioServer) -> None:
    client = studio.signed_in("analyst")
    assert client.get("/content").status_code == 403
    client.get("/")
    assert post(client, GREET, greet_form(text="Hi")).status_code == 403
    assert post(client, "/content/discard", {}).status_code == 403
    marketer = studio.signed_in("marketer")
    marketer.get(GREET)
    assert draft(studio)["responses"]["utter_greet"][0]["text"] == "What can I do for you today?"


def test_cross_site_post_is_refused(studio: StudioServer) -> None:
    client = studio.signed_in("marketer")
    client.get(GREET)
    response = client.post(GREET, {"text": "Hi"}, origin="https://evil.example")
    assert response.status_code == 403
    assert live(studio)["responses"]["utter_greet"][0]["text"] == "What can I do for you today?"
    assert draft(studio)["responses"]["utter_greet"][0]["text"] == "What can I do for you today?"


def test_pages_render_for_every_response(studio: StudioServer, tmp_path: Path) -> None:
    client = studio.signed_in("marketer")
    for name in live(studio)["responses"]:
        assert client.get(f"/content/responses/{name}").status_code == 200, name


def test_lead_form_help_wording_is_validated_too(studio: StudioServer) -> None:
    client = studio.signed_in("marketer")
    fields = questions_of(client.get("/content/lead-form").text)
    fields |= {f"position_{s}": str(n) for n, s in enumerate(
        ("lead_name", "lead_email", "lead_phone", "lead_company", "lead_role", "lead_need"), 1)}  # fmt: skip
    before = draft_text(studio)
    fields["help_lead_email"] = "Type it like name@company.com, {first_name}."
    response = post(client, "/content/lead-form", fields)
    assert response.status_code == 400
    assert "{first_name}" in field_error(response.text, "help-lead_email")
    assert "name@company.com, {first_name}." in response.text
    assert draft_text(studio) == before
    fields["help_lead_email"] = "Type it like name@company.com."
    assert post(client, "/content/lead-form", fields).status_code == 303
    saved = [e for e in studio.store.privacy.audit_entries() if e.action == "studio.content_saved"]
    assert [e.target for e in saved] == ["lead_form"]
