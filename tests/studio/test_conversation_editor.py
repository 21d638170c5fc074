"""Editing the marketers' conversation tests (conversation_tests.yml) against a real
studio on loopback whose content is a temporary copy: adding, editing and deleting
tests in the line format, refusals next to their field (the draft untouched), and who
may do it. Running them against the draft bot is in test_try.py, beside the draft bot."""

from __future__ import annotations

import html
import re
from pathlib import Path

from bot import conversation_tests as ct
from studio.workspace import Workspace
from tests.studio.studio_server import StudioClient, StudioServer

HOME = "/content/tests"
NEW = f"{HOME}/new"
SAVED = "Saved to the draft. Publish to put it live."
LINES = "> I'd like a demo\r\n< your name\r\n# a note, left out\r\n> Dana Reyes\r\n= name: Dana Reyes\r\n= email:\r\n! sorry\r\n"


def draft_path(studio: StudioServer) -> Path:
    return Workspace.for_settings(studio.settings).ensure().root / ct.FILE


def draft_tests(studio: StudioServer) -> list[ct.ConversationTest]:
    return ct.load(draft_path(studio))


def base_of(page: str) -> str:
    found = re.search(r'name="base" value="([^"]*)"', page)
    assert found, "no base fingerprint on the page"
    return found.group(1)


def opened(client: StudioClient, path: str) -> dict[str, str]:
    page = client.get(path)
    assert page.status_code == 200, page.text[:300]
    return {"base": base_of(page.text)}


def field_error(page: str, id_: str) -> str:
    found = re.search(rf'<p class="field-error" id="{id_}-error">([^<]*)</p>', page)
    assert found, f"no error next to {id_}"
    return html.unescape(found.group(1))


def test_the_list_shows_the_shipped_tests_and_is_linked_from_content(
    studio: StudioServer,
) -> None:
    marketer = studio.signed_in("marketer")
    assert f'href="{HOME}"' in marketer.get("/content").text
    page = marketer.get(HOME)
    assert page.status_code == 200
    shipped = ct.load(studio.settings.content_root / ct.FILE)
    assert shipped and all(html.escape(t.name, quote=True) in page.text for t in shipped)
    assert "Run against the draft" in page.text
    edit = marketer.get(f"{HOME}/2")
    assert edit.status_code == 200
    assert "&gt; hi, I&#39;d like a demo\n&lt; your name" in edit.text
    assert marketer.get(f"{HOME}/{len(shipped) + 1}").status_code == 404
    assert marketer.http.get("/api/content/tests/run").json() == {"state": "idle"}


def test_adding_editing_and_deleting_a_test(studio: StudioServer) -> None:
    marketer = studio.signed_in("marketer")
    before = len(draft_tests(studio))
    added = marketer.post(
        NEW, {**opened(marketer, NEW), "name": " A  sales   request ", "lines": LINES}
    )
    assert added.status_code == 303, added.text[:2000]
    assert added.headers["location"] == f"{HOME}/{before + 1}?saved=1"
    tests = draft_tests(studio)
    assert tests[-1] == ct.ConversationTest(
        "A sales request",
        (
            ct.Step("person", "I'd like a demo"),
            ct.Step("bot_says", "your name"),
            ct.Step("person", "Dana Reyes"),
            ct.Step("stored", stored={"name": "Dana Reyes", "email": ""}),
            ct.Step("bot_not_says", "sorry"),
        ),
    )
    page = marketer.get(added.headers["location"]).text
    assert SAVED in page and "= email:\n! sorry" in html.unescape(page)
    # The live content is untouched until a publish.
    assert "A sales request" not in (studio.settings.content_root / ct.FILE).read_text()

    path = f"{HOME}/{before + 1}"
    edited = marketer.post(
        path, {**opened(marketer, path), "name": "A sales request", "lines": "> hi\n< automated"}
    )
    assert edited.status_code == 303
    assert draft_tests(studio)[-1].steps == (
        ct.Step("person", "hi"),
        ct.Step("bot_says", "automated"),
    )
    # Saving a shipped test unchanged leaves the file as it was, byte for byte.
    text = draft_path(studio).read_text()
    first = marketer.get(f"{HOME}/1").text
    lines = html.unescape(re.search(r'name="lines"[^>]*>([^<]*)</textarea>', first).group(1))  # type: ignore[union-attr]
    name = draft_tests(studio)[0].name
    again = marketer.post(f"{HOME}/1", {"base": base_of(first), "name": name, "lines": lines})
    assert again.status_code == 303 and draft_path(studio).read_text() == text

    deleted = marketer.post(f"{path}/delete", opened(marketer, path))
    assert deleted.status_code == 303 and deleted.headers["location"] == f"{HOME}?saved=1"
    assert len(draft_tests(studio)) == before
    actions = [(e.action, e.details) for e in studio.store.privacy.audit_entries()]
    saved = [d for a, d in actions if a == "studio.content_saved" and d.get("file") == ct.FILE]
    assert len(saved) == 4 and saved[0].get("deleted") is True  # newest first


def test_refusals_are_shown_next_to_the_field_and_change_nothing(studio: StudioServer) -> None:
    marketer = studio.signed_in("marketer")
    draft = Workspace.for_settings(studio.settings).ensure()
    before = draft_path(studio).read_bytes()
    base = opened(marketer, NEW)

    bad_lines = marketer.post(
        NEW, {**base, "name": "Broken", "lines": "> hi\nbot: hello\n= colour: blue\n="}
    )
    assert bad_lines.status_code == 400
    error = field_error(bad_lines.text, "test-lines")
    assert error.startswith("line 2: 'bot: hello': start each line with >")
    assert "line 3: unknown stored field 'colour'" in error
    assert "line 4: = needs a field and a value" in error
    assert "> hi" in html.unescape(bad_lines.text)  # what was typed comes back

    bot_first = marketer.post(NEW, {**base, "name": "Bot first", "lines": "< hello\n> hi"})
    assert bot_first.status_code == 400
    assert "the first step must be what the person says" in field_error(
        bot_first.text, "test-lines"
    )
    nothing = marketer.post(NEW, {**base, "name": "Talk only", "lines": "> hi"})
    assert "the test checks nothing" in field_error(nothing.text, "test-lines")
    budget = marketer.post(NEW, {**base, "name": "Budget", "lines": "> hi\n\n= budget: lots"})
    assert field_error(budget.text, "test-lines").startswith("line 3: budget is stored as one of")

    taken = ct.load(draft.root / ct.FILE)[0].name
    same_name = marketer.post(NEW, {**base, "name": taken.upper(), "lines": "> hi\n< hello"})
    assert same_name.status_code == 400
    assert field_error(same_name.text, "test-name") == "another test has this name"
    no_name = marketer.post(NEW, {**base, "name": "  ", "lines": "> hi\n< hello"})
    assert field_error(no_name.text, "test-name") == "the test needs a name"

    stale = marketer.post(NEW, {"base": "0" * 16, "name": "Late", "lines": "> hi\n< hello"})
    assert stale.status_code == 409 and "someone else saved it" in stale.text
    assert draft_path(studio).read_bytes() == before
    assert (
        marketer.post(f"{HOME}/99", {**base, "name": "x", "lines": "> a\n< b"}).status_code == 400
    )


def test_a_file_broken_by_hand_is_said_plainly(studio: StudioServer) -> None:
    marketer = studio.signed_in("marketer")
    draft = Workspace.for_settings(studio.settings).ensure()
    draft.write(ct.FILE, "tests:\n  - name: Hand made\n    steps:\n      - persn: hi\n")
    page = marketer.get(HOME)
    assert page.status_code == 200
    assert "cannot be read" in page.text and "unknown step" in html.unescape(page.text)
    assert marketer.get(f"{HOME}/1").status_code == 409
    ran = marketer.post(f"{HOME}/run", {})
    assert ran.status_code == 409 and "cannot be read" in ran.text


def test_only_content_editors_may_see_edit_or_run_tests(studio: StudioServer) -> None:
    before = draft_path(studio).read_bytes() if draft_path(studio).exists() else None
    analyst = studio.signed_in("analyst")
    assert analyst.get(HOME).status_code == 403
    assert analyst.get(NEW).status_code == 403
    assert analyst.get(f"{HOME}/1").status_code == 403
    assert analyst.post(NEW, {"name": "x", "lines": "> a\n< b"}).status_code == 403
    assert analyst.post(f"{HOME}/1", {"name": "x", "lines": "> a\n< b"}).status_code == 403
    assert analyst.post(f"{HOME}/1/delete", {}).status_code == 403
    assert analyst.post(f"{HOME}/run", {}).status_code == 403
    assert analyst.http.get("/api/content/tests/run").status_code == 403
    assert f'href="{HOME}"' not in analyst.get("/").text
    stranger = studio.client()
    assert stranger.get(HOME).status_code == 303
    assert stranger.http.get("/api/content/tests/run").status_code == 401
    after = draft_path(studio).read_bytes() if draft_path(studio).exists() else None
    assert after == before
