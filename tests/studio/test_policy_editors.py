"""The scoring and consent editors, against a real studio on loopback."""

from __future__ import annotations

import re
from datetime import datetime, timezone
from html.parser import HTMLParser
from pathlib import Path

from bot.consent import load_consent_config
from bot.scoring.rubric import load_rubric
from bot.settings import PROJECT_ROOT
from studio.policy_editors import next_version
from studio.workspace import Workspace
from tests.studio.studio_server import StudioClient, StudioServer


def draft(studio: StudioServer) -> Path:
    return Workspace.for_settings(studio.settings).ensure().root


def today() -> str:
    return datetime.now(timezone.utc).date().isoformat()


class FormReader(HTMLParser):
    """The fields of one form on a page, as a browser would post them unchanged."""

    def __init__(self, action: str, mode: str = "") -> None:
        super().__init__()
        self.action, self.mode = action, mode
        self.forms: list[dict[str, str]] = []
        self.inside = False
        self.textarea: str | None = None
        self.select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.inside = a.get("action") == self.action
            self.forms.append({})
        elif not self.inside or "name" not in a:
            if tag == "option" and self.select and "selected" in a:
                self.forms[-1][self.select] = a.get("value", "")
        elif tag == "input" and (a.get("type") != "checkbox" or "checked" in a):
            self.forms[-1][a["name"]] = a.get("value", "on")
        elif tag == "textarea":
            self.textarea = a["name"]
            self.forms[-1][a["name"]] = ""
        elif tag == "select":
            self.select = a["name"]
            self.forms[-1][a["name"]] = ""

    def handle_data(self, data: str) -> None:
        if self.textarea:
            self.forms[-1][self.textarea] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea" and self.textarea:
            text = self.forms[-1][self.textarea]
            self.forms[-1][self.textarea] = text[1:] if text.startswith("\n") else text
            self.textarea = None
        elif tag == "select":
            self.select = None
        elif tag == "form":
            self.inside = False


def form_of(client: StudioClient, path: str, mode: str = "") -> dict[str, str]:
    page = client.get(path)
    assert page.status_code == 200, page.text[:500]
    reader = FormReader(path.split("?")[0])
    reader.feed(page.text)
    found = [f for f in reader.forms if f and (not mode or f.get("mode") == mode)]
    assert found, f"no form posting to {path} on the page"
    found[0].pop("csrf_token", None)
    return found[0]


def test_version_scheme() -> None:
    assert next_version("2026-11-24", "2026-11-30") == "2026-11-30"
    assert next_version("2026-11-30", "2026-11-30") == "2026-11-30-2"
    assert next_version("2026-11-30-2", "2026-11-30") == "2026-11-30-3"


def test_rubric_edit_lands_in_the_draft_with_a_new_version(studio: StudioServer) -> None:
    marketer = studio.signed_in("marketer")
    fields = form_of(marketer, "/content/scoring")
    assert fields["grades.A"] == "70" and fields["fit.0.points.over_50k"] == "25"
    fields.update(
        {
            "grades.A": "75",
            "fit.0.points.over_50k": "30",
            "fit.4.words.2.match": "Analyst, Engineer",
            "fit.4.words.2.points": "2",
            "predictive.weight": "0.5",
        }
    )
    response = marketer.post("/content/scoring", fields)
    assert response.status_code == 303
    assert response.headers["location"] == "/content/scoring?saved=1"
    text = (draft(studio) / "scoring.yml").read_text()
    assert "# Lead scoring rubric" in text  # comments survive
    rubric = load_rubric(draft(studio) / "scoring.yml")
    assert rubric.version == today()
    assert dict(rubric.grades)["A"] == 75
    assert rubric.predictive_weight == 0.5
    assert rubric.fit[4].lines[-1] == (("analyst", "engineer"), 2)  # type: ignore[union-attr]
    page = marketer.get("/content/scoring?saved=1")
    assert f"Saved to the draft. Publish to put it live. Its version is now {today()}." in page.text
    saved = [e for e in studio.store.privacy.audit_entries() if e.action == "studio.content_saved"]
    assert saved and saved[0].target == "scoring.yml"
    # A second change on the same day gets the next number.
    fields = form_of(marketer, "/content/scoring")
    fields["grades.C"] = "20"
    assert marketer.post("/content/scoring", fields).status_code == 303
    assert load_rubric(draft(studio) / "scoring.yml").version == f"{today()}-2"


def test_saving_an_unchanged_rubric_keeps_its_version(studio: StudioServer) -> None:
    marketer = studio.signed_in("marketer")
    before = (draft(studio) / "scoring.yml").read_text()
    response = marketer.post("/content/scoring", form_of(marketer, "/content/scoring"))
    assert response.headers["location"] == "/content/scoring?saved=same"
    assert (draft(studio) / "scoring.yml").read_text() == before


def test_bad_rubric_is_refused_next_to_the_field(studio: StudioServer) -> None:
    marketer = studio.signed_in("marketer")
    before = (draft(studio) / "scoring.yml").read_text()
    fields = form_of(marketer, "/content/scoring")
    fields.update({"grades.A": "40", "fit.1.points.11-50": "lots", "predictive.weight": "2"})
    response = marketer.post("/content/scoring", fields)
    assert response.status_code == 400
    assert re.search(r'id="error-grades.A">must be higher than B \(45\)', response.text)
    assert re.search(
        r"id=\"error-fit.1.points.11-50\">&#39;lots&#39; is not a whole number", response.text
    )
    assert 'id="error-predictive.weight">must be between 0 and 1' in response.text
    assert 'name="grades.A" value="40"' in response.text  # what they typed is kept
    assert (draft(studio) / "scoring.yml").read_text() == before


def test_protected_words_are_refused(studio: StudioServer) -> None:
    marketer = studio.signed_in("marketer")
    fields = form_of(marketer, "/content/scoring")
    fields.update({"fit.4.words.2.match": "married", "fit.4.words.2.points": "5"})
    response = marketer.post("/content/scoring", fields)
    assert response.status_code == 400
    assert 'id="error-fit.4.words.2.match">&#39;married&#39; is a protected attribute' in (
        response.text
    )


def test_consent_wording_change_is_a_new_version(studio: StudioServer) -> None:
    marketer = studio.signed_in("marketer")
    page = marketer.get("/content/consent")
    shipped = load_consent_config(PROJECT_ROOT / "consent.yml").version
    assert shipped in page.text and today() in page.text  # the version now, and the next
    fields = form_of(marketer, "/content/consent")
    assert fields["purpose.0"] == "email" and fields["requires.1"] == "phone"
    fields["wording.0"] = "May {company} email you news, once a month? Unsubscribe any time."
    fields.update({"purpose.new": "whatsapp", "wording.new": "May {company} WhatsApp you?"})
    response = marketer.post("/content/consent", fields)
    assert response.status_code == 303, response.text[:800]
    config = load_consent_config(draft(studio) / "consent.yml")
    assert config.version == next_version(shipped, today())
    assert config.wording_for("email", "Acme") == (
        "May Acme email you news, once a month? Unsubscribe any time."
    )
    assert [q.purpose for q in config.questions] == ["email", "sms", "whatsapp"]
    assert config.questions[1].requires == "phone"
    saved = marketer.get("/content/consent?saved=1").text
    assert f"Its version is now {next_version(shipped, today())}." in saved
    assert "# What Parley asks permission for" in (draft(studio) / "consent.yml").read_text()


def test_consent_placeholders_and_empty_wording_are_refused(studio: StudioServer) -> None:
    marketer = studio.signed_in("marketer")
    before = (draft(studio) / "consent.yml").read_text()
    fields = form_of(marketer, "/content/consent")
    fields.update(
        {
            "wording.0": "Can {brand} email you?",
            "wording.1": "  ",
            "purpose.new": "email",
            "wording.new": "Again {",
        }
    )
    response = marketer.post("/content/consent", fields)
    assert response.status_code == 400
    assert 'id="error-wording.0">unknown placeholder {brand}' in response.text
    assert 'id="error-wording.1">consent needs exact words' in response.text
    assert 'id="error-purpose.new">email is asked twice' in response.text
    assert 'id="error-wording.new">a { or } without its pair' in response.text
    assert (draft(studio) / "consent.yml").read_text() == before


def test_analyst_and_cross_site_posts_are_refused(studio: StudioServer) -> None:
    before = (draft(studio) / "scoring.yml").read_text()
    marketer = studio.signed_in("marketer")
    fields = form_of(marketer, "/content/scoring")
    fields["grades.A"] = "80"
    assert (
        marketer.post("/content/scoring", fields, origin="https://evil.example").status_code == 403
    )
    analyst = studio.signed_in("analyst")
    analyst.get("/")
    assert analyst.get("/content/scoring").status_code == 403
    assert analyst.post("/content/scoring", fields).status_code == 403
    assert analyst.post("/content/consent", {"wording.0": "x"}).status_code == 403
    assert (draft(studio) / "scoring.yml").read_text() == before


def test_a_form_opened_before_someone_else_saved_is_refused(studio: StudioServer) -> None:
    first, second = studio.signed_in("marketer"), studio.signed_in("admin")
    stale = form_of(first, "/content/scoring")
    fresh = form_of(second, "/content/scoring")
    assert second.post("/content/scoring", {**fresh, "grades.C": "20"}).status_code == 303
    after = (draft(studio) / "scoring.yml").read_text()
    response = first.post("/content/scoring", {**stale, "grades.A": "90"})
    assert response.status_code == 409
    assert "someone else saved it" in response.text
    assert 'name="grades.C" value="20"' in response.text  # the draft as it is now
    assert (draft(studio) / "scoring.yml").read_text() == after
