"""The contacts pages against a real studio on loopback: search, profile, export, erasure."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest
from markupsafe import escape

from bot.scoring import ScoreResult, load_rubric, score_contact
from bot.store import Contact
from tests.store.rasa_tracker import add_tracker_events, tracker_rows, user_event
from tests.studio.studio_server import StudioServer

NOW = datetime(2026, 3, 2, 9, 30, tzinfo=timezone.utc)
ADA = {"name": "Ada Lovelace", "email": "ada@analytical.example", "phone": "+14155550134",
       "company": "Analytical Engines", "role": "CTO", "need": "A difference engine"}  # fmt: skip
GRACE = {"name": "Grace Hopper", "email": "grace@navy.example", "company": "US Navy"}
WORDING = "May we email you our product news? Reply YES to agree."


def at(minutes: int) -> datetime:
    return NOW + timedelta(minutes=minutes)


def seed_ada(studio: StudioServer) -> tuple[Contact, ScoreResult]:
    """Ada, with consent evidence, qualifying answers, a real score and a conversation."""
    store = studio.store
    ada = store.leads.update_fields("web", "sess-ada", ADA, "sess-ada", now=NOW)  # type: ignore[arg-type]
    store.consent.record(
        ada.id,
        "email",
        True,
        channel="web",
        wording=WORDING,
        wording_version="email-v3",
        source="conversation",
        evidence={"conversation_id": "sess-ada", "message_id": "msg-1717"},
        now=at(1),
    )
    store.leads.record_qualification(
        ada.id,
        {"budget": "10k_50k", "authority": "decides"},
        channel="web",
        conversation_id="sess-ada",
        now=at(2),
    )
    store.contacts.record_event(
        ada.id, "note", {"text": "asked about the analytical engine"}, now=at(3)
    )
    rubric = load_rubric(studio.settings.scoring_file)
    result = score_contact(store, ada.id, rubric=rubric, now=at(4))
    add_tracker_events(
        studio.settings.tracker_store_url,
        [user_event("sess-ada", at(0).timestamp(), "hi, I am Ada"),
         user_event("someone-else", at(0).timestamp(), "hello")],
    )  # fmt: skip
    return ada, result


def seed_grace(studio: StudioServer) -> Contact:
    return studio.store.leads.update_fields("telegram", "tg-grace", GRACE, "tg-grace", now=at(10))  # type: ignore[arg-type]


def actions(studio: StudioServer) -> list[tuple[str, str]]:
    return [(e.action, e.target) for e in studio.store.privacy.audit_entries(500)]


def test_contact_pages_need_a_session(studio: StudioServer) -> None:
    ada, _ = seed_ada(studio)
    client = studio.client()
    for path in ("/contacts", f"/contacts/{ada.id}", f"/contacts/{ada.id}/export"):
        response = client.get(path)
        assert response.status_code == 303
        assert response.headers["location"] == f"/login?next={path}"


def test_search_by_email_phone_digits_and_company(studio: StudioServer) -> None:
    ada, _ = seed_ada(studio)
    grace = seed_grace(studio)
    marketer = studio.signed_in("marketer")
    for query, expected, absent in [
        ("ADA@analytical", ada, grace),
        ("+1 415 555", ada, grace),
        ("(415) 555-0134", ada, grace),
        ("navy", grace, ada),
    ]:
        page = marketer.get("/contacts", params={"q": query})
        assert page.status_code == 200
        assert f"/contacts/{expected.id}" in page.text, query
        assert f"/contacts/{absent.id}" not in page.text, query
    everyone = marketer.get("/contacts").text
    # Newest first when nothing is searched for.
    assert everyone.index(f"/contacts/{grace.id}") < everyone.index(f"/contacts/{ada.id}")
    nobody = marketer.get("/contacts", params={"q": "100%_nobody"})
    assert "No contact matches" in nobody.text
    searches = [
        e for e in studio.store.privacy.audit_entries(500) if e.action == "studio.contacts_searched"
    ]
    assert len(searches) == 6
    # The log names who was shown, never what was typed (an email is personal data).
    assert all("analytical" not in json.dumps(e.details) for e in searches)
    assert ada.id in searches[-1].details["contact_ids"]


def test_bad_search_input_is_a_clear_400(studio: StudioServer) -> None:
    analyst = studio.signed_in("analyst")
    too_long = analyst.get("/contacts", params={"q": "x" * 201})
    assert too_long.status_code == 400 and "at most 200 characters" in too_long.text
    bad_page = analyst.get("/contacts", params={"page": "zero"})
    assert bad_page.status_code == 400 and "whole number" in bad_page.text


def test_profile_shows_timeline_consent_evidence_and_score_explanation(
    studio: StudioServer,
) -> None:
    ada, result = seed_ada(studio)
    page = studio.signed_in("marketer").get(f"/contacts/{ada.id}")
    assert page.status_code == 200
    text = page.text
    for shown in ("Ada Lovelace", "ada@analytical.example", "+14155550134", "sess-ada"):
        assert shown in text
    # Consent: the exact wording, its version, the channel and the evidence ids.
    assert str(escape(WORDING)) in text
    assert "email-v3" in text and "msg-1717" in text and "granted" in text
    # Timeline, newest first.
    assert "asked about the analytical engine" in text
    assert text.index("grade changed") < text.index("contact created")
    # The score and every line that gave it points.
    assert result.reasons, "the rubric should give Ada points for her role and budget"
    assert f"<strong>{result.score}</strong>" in text
    for reason in result.reasons:
        assert str(escape(reason.detail)) in text
    assert "Unanswered qualifying questions: timeline, company_size" in text
    assert "10k_50k" in text
    assert ("studio.contact_viewed", ada.id) in actions(studio)


def test_unknown_contact_is_a_404(studio: StudioServer) -> None:
    response = studio.signed_in("analyst").get(f"/contacts/{'0' * 32}")
    assert response.status_code == 404
    assert "may have been erased" in response.text


def test_analyst_can_export_but_not_erase(studio: StudioServer) -> None:
    ada, _ = seed_ada(studio)
    analyst = studio.signed_in("analyst")
    profile = analyst.get(f"/contacts/{ada.id}").text
    assert f"/contacts/{ada.id}/export" in profile
    assert "/erase" not in profile
    export = analyst.get(f"/contacts/{ada.id}/export")
    assert export.status_code == 200
    assert export.headers["content-type"].startswith("application/json")
    assert "attachment" in export.headers["content-disposition"]
    document = export.json()
    assert document["profile"]["email"] == ADA["email"]
    assert document["consent_history"][0]["evidence"]["message_id"] == "msg-1717"
    assert document["scores"] and document["timeline"]
    assert [e["text"] for e in document["conversations"]["sess-ada"]] == ["hi, I am Ada"]
    refused = analyst.post(f"/contacts/{ada.id}/erase", {"confirm": "ERASE"})
    assert refused.status_code == 403
    assert studio.store.contacts.find(ada.id) is not None
    assert ("studio.contact_exported", ada.id) in actions(studio)


def test_marketer_can_neither_export_nor_erase(studio: StudioServer) -> None:
    ada, _ = seed_ada(studio)
    marketer = studio.signed_in("marketer")
    profile = marketer.get(f"/contacts/{ada.id}").text
    assert "/export" not in profile and "/erase" not in profile
    assert marketer.get(f"/contacts/{ada.id}/export").status_code == 403
    assert marketer.post(f"/contacts/{ada.id}/erase", {"confirm": "ERASE"}).status_code == 403
    assert studio.store.contacts.find(ada.id) is not None
    assert len(tracker_rows(studio.settings.tracker_store_url)) == 2
    forbidden = [
        e for e in studio.store.privacy.audit_entries(500) if e.action == "studio.forbidden"
    ]
    assert len(forbidden) == 2


@pytest.mark.parametrize("typed", ["", "erase", "yes", "ERASE please"])
def test_erasure_needs_the_word_erase(studio: StudioServer, typed: str) -> None:
    ada, _ = seed_ada(studio)
    admin = studio.signed_in("admin")
    assert 'name="confirm"' in admin.get(f"/contacts/{ada.id}").text
    response = admin.post(f"/contacts/{ada.id}/erase", {"confirm": typed})
    assert response.status_code == 400
    assert "Type ERASE" in response.text and "nothing was erased" in response.text
    assert studio.store.contacts.find(ada.id) is not None
    assert "studio.contact_erased" not in [action for action, _ in actions(studio)]


def test_admin_erases_a_contact_and_their_conversations(studio: StudioServer) -> None:
    ada, _ = seed_ada(studio)
    grace = seed_grace(studio)
    admin = studio.signed_in("admin")
    admin.get(f"/contacts/{ada.id}")
    response = admin.post(f"/contacts/{ada.id}/erase", {"confirm": "ERASE"})
    assert response.status_code == 200
    assert "Erasure receipt" in response.text and ada.id in response.text
    # The receipt names no personal data of the person erased.
    assert ADA["email"] not in response.text and ADA["phone"] not in response.text
    assert studio.store.contacts.find(ada.id) is None
    assert studio.store.contacts.find(ADA["email"]) is None
    assert [sender for sender, _ in tracker_rows(studio.settings.tracker_store_url)] == [
        "someone-else"
    ]
    search = admin.get("/contacts", params={"q": "Ada"})
    assert f"/contacts/{ada.id}" not in search.text
    assert f"/contacts/{grace.id}" in admin.get("/contacts").text
    assert admin.get(f"/contacts/{ada.id}").status_code == 404
    erased = [
        e for e in studio.store.privacy.audit_entries(500) if e.action == "studio.contact_erased"
    ]
    assert [(e.target, e.actor) for e in erased] == [(ada.id, "studio:admin@example.com")]
    assert erased[0].details["conversations"] >= 1


def test_a_cross_site_erase_is_refused(studio: StudioServer) -> None:
    ada, _ = seed_ada(studio)
    admin = studio.signed_in("admin")
    admin.get(f"/contacts/{ada.id}")
    forged = admin.post(
        f"/contacts/{ada.id}/erase", {"confirm": "ERASE"}, origin="https://evil.example"
    )
    assert forged.status_code == 403
    tokenless = admin.post(f"/contacts/{ada.id}/erase", {"confirm": "ERASE"}, csrf=False)
    assert tokenless.status_code == 403
    assert studio.store.contacts.find(ada.id) is not None
    assert len(tracker_rows(studio.settings.tracker_store_url)) == 2


def test_view_search_export_and_erasure_are_audited_by_id(studio: StudioServer) -> None:
    ada, _ = seed_ada(studio)
    admin = studio.signed_in("admin")
    admin.get("/contacts", params={"q": ADA["email"]})
    admin.get(f"/contacts/{ada.id}")
    admin.get(f"/contacts/{ada.id}/export")
    admin.post(f"/contacts/{ada.id}/erase", {"confirm": "ERASE"})
    entries = [
        e for e in studio.store.privacy.audit_entries(500) if e.actor == "studio:admin@example.com"
    ]
    done = {(e.action, e.target) for e in entries}
    for action in ("studio.contact_viewed", "studio.contact_exported", "studio.contact_erased"):
        assert (action, ada.id) in done
    assert ("studio.contacts_searched", "contacts") in done
    # The log outlives the erasure, so it holds ids and counts, never the person's data.
    for entry in entries:
        written = entry.target + json.dumps(entry.details)
        assert ADA["email"] not in written and ADA["name"] not in written


def test_the_id_of_a_merged_contact_leads_to_the_one_it_was_merged_into(
    studio: StudioServer,
) -> None:
    ada, _ = seed_ada(studio)
    other = studio.store.contacts.ensure("sms", "sms-ada", now=at(5))
    survivor = studio.store.leads.update_fields(
        "sms", "sms-ada", {"email": ADA["email"]}, "sms-ada", now=at(6)
    )
    merged_away = other.id if survivor.id == ada.id else ada.id
    response = studio.signed_in("analyst").get(f"/contacts/{merged_away}")
    assert response.status_code == 303
    assert response.headers["location"] == f"/contacts/{survivor.id}"


def test_the_list_pages_fifty_at_a_time(studio: StudioServer) -> None:
    ids = [studio.store.contacts.ensure("web", f"s{i}", now=at(i)).id for i in range(51)]
    analyst = studio.signed_in("analyst")
    first = analyst.get("/contacts").text
    assert f"/contacts/{ids[-1]}" in first and f"/contacts/{ids[0]}" not in first
    assert "page=2" in first
    second = analyst.get("/contacts", params={"page": "2"}).text
    assert f"/contacts/{ids[0]}" in second and f"/contacts/{ids[-1]}" not in second
    assert "page=3" not in second and "page=1" in second


def _possible_duplicate(studio: StudioServer) -> tuple[Contact, Contact]:
    ada, _ = seed_ada(studio)
    typed = studio.store.contacts.record_stated_details(
        "web", "sess-typed", {"name": "A. L.", "email": ADA["email"]}, "sess-typed"
    )
    return ada, typed


def test_a_possible_duplicate_shows_on_both_profiles_and_admins_settle_it(
    studio: StudioServer,
) -> None:
    ada, typed = _possible_duplicate(studio)
    admin = studio.signed_in("admin")
    for profile in (admin.get(f"/contacts/{ada.id}").text, admin.get(f"/contacts/{typed.id}").text):
        assert "Possible duplicates" in profile and 'value="merge"' in profile
    [claim] = studio.store.contacts.possible_duplicates(ada.id)
    merged = admin.post(
        f"/contacts/{typed.id}/duplicates", {"claim_id": str(claim.id), "decision": "merge"}
    )
    assert merged.status_code == 303 and merged.headers["location"] == f"/contacts/{ada.id}"
    assert studio.store.contacts.get(typed.id).id == ada.id
    assert ("studio.duplicate_merged", ada.id) in actions(studio)


def test_only_admins_merge_and_a_dismissal_keeps_both(studio: StudioServer) -> None:
    ada, typed = _possible_duplicate(studio)
    [claim] = studio.store.contacts.possible_duplicates(ada.id)
    marketer = studio.signed_in("marketer")
    assert 'value="merge"' not in marketer.get(f"/contacts/{ada.id}").text
    decision = {"claim_id": str(claim.id), "decision": "merge"}
    assert marketer.post(f"/contacts/{ada.id}/duplicates", decision).status_code == 403
    admin = studio.signed_in("admin")
    admin.get(f"/contacts/{ada.id}")
    assert (
        admin.post(f"/contacts/{ada.id}/duplicates", {**decision, "decision": "x"}).status_code
        == 400
    )
    admin.post(f"/contacts/{ada.id}/duplicates", {**decision, "decision": "dismiss"})
    assert studio.store.contacts.get(typed.id).id == typed.id != ada.id
    assert "Possible duplicates" not in admin.get(f"/contacts/{ada.id}").text


def test_a_pending_grant_shows_as_waiting_for_confirmation(studio: StudioServer) -> None:
    typed = studio.store.contacts.record_stated_details(
        "web", "s", {"email": "new@example.org"}, "s"
    )
    studio.store.consent.record(
        typed.id,
        "email",
        True,
        channel="web",
        wording=WORDING,
        wording_version="v1",
        source="conversation",
        evidence={"message_id": "m"},
        pending=True,
    )
    page = studio.signed_in("analyst").get(f"/contacts/{typed.id}").text
    assert "waiting for confirmation" in page and "pending confirmation" in page
