"""Editing the common questions (knowledge.yml): entries, deleting, CSV and Markdown
imports, against a real studio on loopback whose content is a temporary copy."""

from __future__ import annotations

import html
import re
from pathlib import Path

import httpx
import pytest

from bot import knowledge
from studio.workspace import Workspace
from tests.studio.studio_server import StudioClient, StudioServer

HOME = "/content/knowledge"
NEW = f"{HOME}/new"
IMPORT = f"{HOME}/import"
SAVED = "Saved to the draft. Publish to put it live."
TRIAL = {
    "id": "free_trial",
    "questions": "Is there a free trial?\r\nCan I try it before paying?\r\n",
    "answer": "Yes: every plan starts with 14 days free, no card needed.",
    "channel_voice": "Yes, every plan starts with two weeks free, and no card is needed.",
}


def draft_path(studio: StudioServer) -> Path:
    return Workspace.for_settings(studio.settings).root / "knowledge.yml"


def draft_bytes(studio: StudioServer) -> bytes:
    return draft_path(studio).read_bytes()


def draft_entries(studio: StudioServer) -> dict[str, knowledge.Entry]:
    entries = knowledge.parse(draft_path(studio).read_text(encoding="utf-8"))
    return {e.id: e for e in entries}


def live_entries(studio: StudioServer) -> dict[str, knowledge.Entry]:
    path = studio.settings.content_root / "knowledge.yml"
    return {e.id: e for e in knowledge.parse(path.read_text(encoding="utf-8"))}


def base_of(page: str) -> str:
    found = re.search(r'name="base" value="([^"]*)"', page)
    assert found, "no base fingerprint on the page"
    return found.group(1)


def opened(client: StudioClient, path: str) -> dict[str, str]:
    """Open a page as a browser would (CSRF token, the list's fingerprint)."""
    page = client.get(path)
    assert page.status_code == 200, page.text[:300]
    return {"base": base_of(page.text)}


def field_error(page: str, id_: str) -> str:
    found = re.search(rf'<p class="field-error" id="{re.escape(id_)}-error">([^<]*)</p>', page)
    assert found, f"no error next to {id_}"
    assert re.search(rf'id="{re.escape(id_)}"[^>]*aria-invalid="true"', page) or re.search(
        rf'aria-invalid="true" aria-describedby="{re.escape(id_)}-error"', page
    ), id_
    return html.unescape(found.group(1))


def upload(
    client: StudioClient,
    fields: dict[str, str],
    name: str = "",
    content: bytes = b"",
) -> httpx.Response:
    """The import form, multipart as a browser sends it (with or without a file)."""
    files = {"file": (name, content, "application/octet-stream")}
    return client.http.post(
        IMPORT,
        data={**fields, "csrf_token": client.csrf},
        files=files,
        headers={"Origin": client.url},
    )


def saved_targets(studio: StudioServer) -> list[str]:
    return [
        e.target for e in studio.store.privacy.audit_entries() if e.action == "studio.content_saved"
    ]


def test_list_shows_every_entry_and_the_index_links_it(studio: StudioServer) -> None:
    client = studio.signed_in("marketer")
    assert f'href="{HOME}"' in client.get("/content").text
    page = client.get(HOME).text
    for entry in live_entries(studio).values():
        assert f'href="{HOME}/entries/{entry.id}"' in page
        assert html.escape(entry.questions[0]) in page
    # The channels entry has a spoken variant for calls.
    row = re.search(r'entries/channels">channels</a></td>(.*?)</tr>', page, re.S)
    assert row and "voice" in row.group(1)
    assert f'href="{NEW}"' in page and f'action="{IMPORT}"' in page


def test_a_new_entry_is_saved_to_the_draft_only(studio: StudioServer) -> None:
    client = studio.signed_in("marketer")
    base = opened(client, NEW)
    response = client.post(NEW, {**base, **TRIAL})
    assert response.status_code == 303, response.text[:2000]
    assert response.headers["location"] == f"{HOME}/entries/free_trial?saved=1"
    assert SAVED in client.get(response.headers["location"]).text
    entry = draft_entries(studio)["free_trial"]
    assert entry.questions == ("Is there a free trial?", "Can I try it before paying?")
    assert entry.answer == TRIAL["answer"]
    assert entry.variants == {"voice": TRIAL["channel_voice"]}
    assert "free_trial" not in live_entries(studio)
    assert saved_targets(studio) == ["free_trial"]


@pytest.mark.parametrize(
    ("changes", "field", "says"),
    [
        ({"questions": "Is there a free trial?"}, "questions", "at least two"),
        ({"answer": "   "}, "answer", "empty"),
        ({"id": "Free Trial"}, "entry-id", "lower-case"),
        ({"id": "languages"}, "entry-id", "already has the id"),
        ({"questions": "is it?\nwhat about it"}, "questions", "little words"),
        ({"channel_sms": "x" * 1001}, "channel-sms", "at most 1000"),
    ],
)
def test_a_bad_entry_is_refused_next_to_its_field(
    studio: StudioServer, changes: dict[str, str], field: str, says: str
) -> None:
    client = studio.signed_in("marketer")
    base = opened(client, NEW)
    before = draft_bytes(studio)
    response = client.post(NEW, {**base, **TRIAL, **changes})
    assert response.status_code == 400
    assert says in field_error(response.text, field)
    assert html.escape(TRIAL["answer"]) in response.text or "answer" in changes
    assert draft_bytes(studio) == before
    assert saved_targets(studio) == []


def test_an_entry_is_edited_renamed_and_deleted(studio: StudioServer) -> None:
    client = studio.signed_in("marketer")
    entry_id = next(iter(live_entries(studio)))
    edit = f"{HOME}/entries/{entry_id}"
    page = client.get(edit).text
    base = {"base": base_of(page)}
    questions = html.unescape(re.search(r'name="questions"[^>]*>([^<]*)<', page).group(1))  # type: ignore[union-attr]
    fields = {**base, "id": "spoken_languages", "questions": questions,
              "answer": "English today; more languages are coming.",
              "channel_telegram": "English for now."}  # fmt: skip
    response = client.post(edit, fields)
    assert response.status_code == 303, response.text[:2000]
    entries = list(draft_entries(studio))
    assert entries[0] == "spoken_languages" and entry_id not in entries  # same place
    assert draft_entries(studio)["spoken_languages"].variants == {"telegram": "English for now."}
    base = opened(client, f"{HOME}/entries/spoken_languages")
    deleted = client.post(f"{HOME}/entries/spoken_languages/delete", base)
    assert deleted.status_code == 303
    assert deleted.headers["location"] == f"{HOME}?saved=1"
    assert "spoken_languages" not in draft_entries(studio)
    assert len(draft_entries(studio)) == len(live_entries(studio)) - 1
    assert saved_targets(studio) == ["spoken_languages", "spoken_languages"]
    assert client.get(f"{HOME}/entries/spoken_languages").status_code == 404


def test_a_form_opened_before_someone_else_saved_is_refused(studio: StudioServer) -> None:
    first, second = studio.signed_in("marketer"), studio.signed_in("admin")
    stale = opened(first, NEW)
    assert second.post(NEW, {**opened(second, NEW), **TRIAL}).status_code == 303
    after = draft_bytes(studio)
    response = first.post(NEW, {**stale, **TRIAL, "id": "trial_again"})
    assert response.status_code == 409
    assert "someone else saved it" in response.text
    assert draft_bytes(studio) == after


def test_csv_import_adds_refuses_known_ids_and_replaces(studio: StudioServer) -> None:
    client = studio.signed_in("marketer")
    rows = (
        "id,question,question,answer,voice\n"
        "free_trial,Is there a free trial?|Can I try it first?,Do you offer a trial?,"
        "Yes, 14 days.,Yes: two weeks.\n"
    )
    # A value with a comma must be quoted in CSV; this row's is, the header's columns line up.
    rows = rows.replace("Yes, 14 days.", '"Yes, 14 days."')
    added = upload(client, {**opened(client, HOME), "mode": "add"}, "faq.csv", rows.encode())
    assert added.status_code == 303, added.text[:2000]
    entry = draft_entries(studio)["free_trial"]
    assert entry.questions == (
        "Is there a free trial?",
        "Can I try it first?",
        "Do you offer a trial?",
    )
    assert entry.variants == {"voice": "Yes: two weeks."}
    assert len(draft_entries(studio)) == len(live_entries(studio)) + 1

    before = draft_bytes(studio)
    again = upload(client, {**opened(client, HOME), "mode": "add"}, "faq.csv", rows.encode())
    assert again.status_code == 400
    assert "free_trial" in field_error(again.text, "import-mode")
    assert draft_bytes(studio) == before

    changed = rows.replace('"Yes, 14 days."', '"Yes, 30 days."')
    fields = {**opened(client, HOME), "mode": "add", "replace_same": "on"}
    assert upload(client, fields, "faq.csv", changed.encode()).status_code == 303
    assert draft_entries(studio)["free_trial"].answer == "Yes, 30 days."
    assert len(draft_entries(studio)) == len(live_entries(studio)) + 1

    plain = "Is there an app?|Do you have a mobile app?,Not yet: the web chat works on phones.\n"
    fields = {**opened(client, HOME), "mode": "replace", "format": "csv", "text": plain}
    assert upload(client, fields).status_code == 303
    [only] = draft_entries(studio).values()
    assert only.questions == ("Is there an app?", "Do you have a mobile app?")
    assert saved_targets(studio) == ["knowledge"] * 3


def test_markdown_import_and_its_errors_name_the_entry(studio: StudioServer) -> None:
    client = studio.signed_in("marketer")
    text = (
        "## Do you integrate with Salesforce?\n"
        "- salesforce integration\n"
        "- can it sync to our CRM\n\n"
        "Today Parley syncs with HubSpot; Salesforce is on the roadmap.\n\n"
        "## Is there an API?\n"
        "- rest api\n\n"
        "Yes, a REST API and webhooks.\n"
    )
    response = upload(client, {**opened(client, HOME), "mode": "add"}, "faq.md", text.encode())
    assert response.status_code == 303, response.text[:2000]
    entries = draft_entries(studio)
    salesforce = next(e for e in entries.values() if "Salesforce" in e.questions[0])
    assert salesforce.questions[1:] == ("salesforce integration", "can it sync to our CRM")
    assert salesforce.answer == "Today Parley syncs with HubSpot; Salesforce is on the roadmap."

    before = draft_bytes(studio)
    broken = "## Is there an API?\n\nYes.\n"  # one phrasing only
    fields = {**opened(client, HOME), "mode": "add", "format": "markdown", "text": broken}
    refused = upload(client, fields)
    assert refused.status_code == 400
    assert "entry 1 questions" in html.unescape(refused.text)
    assert "Is there an API?" in refused.text  # the pasted text comes back
    assert draft_bytes(studio) == before


def test_uploads_that_are_too_large_or_not_text_are_refused(studio: StudioServer) -> None:
    client = studio.signed_in("marketer")
    base = opened(client, HOME)
    before = draft_bytes(studio)
    big = b"question,answer\n" + b"What is it?|Tell me about it,It is a bot.\n" * 20_000
    response = upload(client, {**base, "mode": "add"}, "faq.csv", big)
    assert response.status_code == 413
    assert "larger than 512 KB" in field_error(response.text, "import-file")
    latin = "question,answer\nCafé?|Un café?,Oui.\n".encode("latin-1")
    response = upload(client, {**base, "mode": "add"}, "faq.csv", latin)
    assert response.status_code == 400
    assert "UTF-8" in field_error(response.text, "import-file")
    response = upload(client, {**base, "mode": "add"}, "faq.txt", b"question,answer\n")
    assert "CSV or Markdown" in field_error(response.text, "import-format")
    assert draft_bytes(studio) == before


def test_roles_that_may_not_edit_content_get_403(studio: StudioServer) -> None:
    marketer = studio.signed_in("marketer")
    base = opened(marketer, HOME)
    before = draft_bytes(studio)
    for role in ("analyst", "sales"):
        client = studio.signed_in(role)
        client.get("/")
        for path in (HOME, NEW, f"{HOME}/entries/languages"):
            assert client.get(path).status_code == 403, (role, path)
        assert client.post(NEW, {**base, **TRIAL}).status_code == 403
        assert client.post(f"{HOME}/entries/languages/delete", base).status_code == 403
        assert upload(client, {**base, "mode": "replace", "text": "a b,c"}).status_code == 403
    assert draft_bytes(studio) == before


def test_a_list_broken_by_hand_is_reported_with_the_entry_named(studio: StudioServer) -> None:
    client = studio.signed_in("marketer")
    client.get(HOME)
    text = draft_path(studio).read_text(encoding="utf-8")
    # By hand: the second entry is left with a single phrasing.
    second = list(draft_entries(studio).values())[1]
    kept = f"  - {second.questions[0]}\n"
    dropped = "".join(f"  - {q}\n" for q in second.questions[1:])
    start = text.index(kept, text.index(f"id: {second.id}"))
    broken = text[:start] + kept + text[start + len(kept) :].replace(dropped, "", 1)
    draft_path(studio).write_text(broken, encoding="utf-8")
    assert len(knowledge.parse(text)) > 1
    # Another editor's save runs the draft's lints, which name the entry and its field.
    page = client.get("/content/responses/utter_greet")
    assert page.status_code == 200
    response = client.http.post(
        "/content/responses/utter_greet",
        data={"text": "Hello!", "csrf_token": client.csrf},
        headers={"Origin": client.url},
    )
    assert response.status_code == 400
    assert "knowledge.yml: entry 2 questions: give at least two ways" in html.unescape(
        response.text
    )
    # The list page says so too, and only replacing the whole list mends it from here.
    listing = html.unescape(client.get(HOME).text)
    assert "cannot be read (entry 2 questions" in listing
    assert draft_path(studio).read_text(encoding="utf-8") == broken
