"""Custom lead field values (#19) on a contact's page and in its export, against a real
studio on loopback: labels from the published lead_fields.yml, values as people read
them, a removed field's values by name, marked."""

from __future__ import annotations

import json
from datetime import datetime, timezone

from markupsafe import escape

from bot.store import Contact
from tests.studio.studio_server import StudioServer

NOW = datetime(2026, 3, 2, 9, 30, tzinfo=timezone.utc)
FIELDS = """
version: 1
fields:
  - name: heard_from
    label: How they heard of us
    type: choice
    question: How did you hear about us?
    options:
      - {id: search, label: Search engine}
      - {id: friend, label: A friend}
  - name: wants_trial
    label: Wants a trial
    type: yes_no
    question: Would you like a free trial?
  - name: notes
    type: text
    question: Anything else?
"""


def _seed(studio: StudioServer) -> Contact:
    studio.settings.lead_fields_file.write_text(FIELDS, encoding="utf-8")
    store = studio.store
    ada = store.leads.update_fields("web", "s-ada", {"name": "Ada Lovelace"}, "s-ada", now=NOW)
    values = {"heard_from": "friend", "wants_trial": "yes", "notes": "<b>big</b> plans",
              "budget_note": "about 10k"}  # fmt: skip
    store.leads.set_custom_fields(ada.id, values, channel="web", conversation_id="s-ada", now=NOW)
    return ada


def _fields_section(text: str) -> str:
    start = text.index('id="custom-fields"')
    return text[start : text.index("</dl>", start)]


def test_profile_shows_custom_values_by_label_in_the_files_order(studio: StudioServer) -> None:
    ada = _seed(studio)
    page = studio.signed_in("marketer").get(f"/contacts/{ada.id}")
    assert page.status_code == 200
    shown = _fields_section(page.text)
    for label, value in [("How they heard of us", "A friend"), ("Wants a trial", "Yes"),
                         ("Notes", str(escape("<b>big</b> plans")))]:  # fmt: skip
        assert f"<dt>{label}</dt><dd>{value}</dd>" in shown
    assert "<b>big</b>" not in page.text
    assert shown.index("How they heard") < shown.index("Wants a trial") < shown.index("Notes")


def test_a_removed_fields_value_stays_marked_by_its_name(studio: StudioServer) -> None:
    ada = _seed(studio)
    shown = _fields_section(studio.signed_in("analyst").get(f"/contacts/{ada.id}").text)
    assert '<dt>budget_note <span class="muted">(field removed)</span></dt>' in shown
    assert "<dd>about 10k</dd>" in shown
    assert shown.index("Notes") < shown.index("budget_note")
    # Removing every field from the file keeps every value on the page, by name.
    studio.settings.lead_fields_file.write_text("version: 1\nfields: []\n", encoding="utf-8")
    shown = _fields_section(studio.signed_in("analyst").get(f"/contacts/{ada.id}").text)
    assert "<dt>heard_from <span" in shown and "<dd>friend</dd>" in shown


def test_a_contact_without_custom_values_says_so(studio: StudioServer) -> None:
    grace = studio.store.leads.update_fields("web", "s-g", {"name": "Grace"}, "s-g", now=NOW)
    page = studio.signed_in("marketer").get(f"/contacts/{grace.id}")
    assert "No answers to your own lead fields." in page.text


def test_the_contacts_export_carries_custom_values(studio: StudioServer) -> None:
    ada = _seed(studio)
    exported = studio.signed_in("admin").get(f"/contacts/{ada.id}/export")
    assert exported.status_code == 200
    document = json.loads(exported.text)
    assert document["profile"]["fields"]["heard_from"] == "friend"
    assert {"field": "wants_trial", "value": "yes", "channel": "web",
            "conversation_id": "s-ada", "updated_at": NOW.isoformat()} in document["custom_fields"]  # fmt: skip
