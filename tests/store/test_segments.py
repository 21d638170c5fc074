"""Segments against real contacts, on SQLite and PostgreSQL: exactly who each selects."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import insert

from bot.errors import ContactNotFound
from bot.segments import And, Compare, Everyone, Or, Tag
from bot.segments.language import parse_segment
from bot.store import ProfileStore
from bot.store.schema import contact_tags
from bot.types import LeadField, Purpose
from tests.store.conftest import NOW

DAY = timedelta(days=1)
People = dict[str, str]


def _consent(
    store: ProfileStore, contact: str, purpose: Purpose, granted: bool, days: float
) -> None:
    store.consent.record(
        contact,
        purpose,
        granted,
        channel="web",
        wording="May we write to you?",
        wording_version="v1",
        source="conversation",
        evidence={"conversation_id": contact},
        now=NOW - days * DAY,
    )


def _score(
    store: ProfileStore, contact: str, score: int, grade: str, stage: str, days: float
) -> None:
    store.leads.save_score(
        contact,
        score=score,
        grade=grade,
        stage=stage,
        rubric_version="v1",
        model_version=None,
        explanation=[],
        now=NOW - days * DAY,
    )


def _tag(store: ProfileStore, contact: str, tag: str) -> None:
    with store.engine.begin() as conn:
        conn.execute(insert(contact_tags).values(contact_id=contact, tag=tag, added_at=NOW))


def _ada(store: ProfileStore) -> str:
    """Created 40 days ago, last active 1 day ago: an A with SMS consent on two channels."""
    fields: dict[LeadField, str] = {
        "name": "Ada Lovelace",
        "email": "ada@acme.io",
        "company": "Acme",
    }
    ada = store.leads.update_fields("web", "ada", fields, "c-ada", now=NOW - 40 * DAY).id
    store.contacts.link_identity(ada, "telegram", "111", now=NOW - DAY)
    _consent(store, ada, "sms", True, 1)
    _score(store, ada, 80, "A", "mql", 1)
    store.leads.record_qualification(
        ada, {"budget": "over_50k"}, channel="web", conversation_id="c-ada", now=NOW - DAY
    )
    _tag(store, ada, "vip")
    return ada


def _bob(store: ProfileStore) -> str:
    """Created 10 days ago, last active 5 days ago: rescored from D to A, withdrew SMS."""
    fields: dict[LeadField, str] = {"name": "Bob", "company": "ACME Corp", "phone": "+15550002"}
    bob = store.leads.update_fields("telegram", "222", fields, "c-bob", now=NOW - 10 * DAY).id
    _consent(store, bob, "sms", True, 10)
    _score(store, bob, 30, "D", "new", 6)
    _score(store, bob, 90, "A", "sql", 5)
    _consent(store, bob, "sms", False, 5)
    return bob


def _cyd(store: ProfileStore) -> str:
    """Created and last active 20 days ago: no name, no company, no score, SMS blocked."""
    cyd = store.contacts.ensure("sms", "+15550003", now=NOW - 20 * DAY).id
    _consent(store, cyd, "email", True, 20)
    store.consent.block_contact(cyd, "sms", "withdrawn", now=NOW - 20 * DAY)
    return cyd


def _dee(store: ProfileStore) -> str:
    """Created and last active 3 days ago; two scores and two consent events at one
    instant (the later recorded wins), a lifted SMS block, tagged customer."""
    fields: dict[LeadField, str] = {"name": "Dee", "email": "dee@globex.com", "company": "Globex"}
    dee = store.leads.update_fields("web", "dee", fields, "c-dee", now=NOW - 3 * DAY).id
    _score(store, dee, 70, "B", "mql", 3)
    _score(store, dee, 50, "C", "mql", 3)
    _consent(store, dee, "sms", True, 3)
    _consent(store, dee, "sms", False, 3)
    store.consent.block_contact(dee, "sms", "withdrawn", now=NOW - 3 * DAY)
    store.consent.lift_block(dee, "sms", now=NOW - 3 * DAY)
    _tag(store, dee, "customer")
    return dee


@pytest.fixture
def people(store: ProfileStore) -> People:
    return {"ada": _ada(store), "bob": _bob(store), "cyd": _cyd(store), "dee": _dee(store)}


def _selected(store: ProfileStore, people: People, text: str) -> set[str]:
    names = {contact_id: name for name, contact_id in people.items()}
    ids = store.campaigns.contact_ids_in_segment(parse_segment(text), NOW)
    return {names[contact_id] for contact_id in ids}


def _check(store: ProfileStore, people: People, cases: list[tuple[str, str]]) -> None:
    wrong = {}
    for text, expected in cases:
        got = _selected(store, people, text)
        if got != set(expected.split()):
            wrong[text] = sorted(got)
    assert not wrong, f"selected instead: {wrong}"


def test_segment_everyone_selects_every_contact(store: ProfileStore, people: People) -> None:
    _check(store, people, [("everyone", "ada bob cyd dee"), ("not everyone", "")])


def test_segment_text_fields_compare_ignoring_case_and_missing_values_are_not_equal(
    store: ProfileStore, people: People
) -> None:
    cases = [
        ("company = acme", "ada"),
        ("company = 'ACME CORP'", "bob"),
        ("company contains acme", "ada bob"),
        ("company != Acme", "bob cyd dee"),
        ("company not in [acme, GLOBEX]", "bob cyd"),
        ("company in [acme, globex]", "ada dee"),
        ("not company = acme", "bob cyd dee"),
        ("email contains '@acme.'", "ada"),
        ("email contains '%'", ""),
        ("name contains '_'", ""),
        ("lead_status = new", "cyd"),
        ("lead_status != new", "ada bob dee"),
    ]
    _check(store, people, cases)


def test_segment_score_fields_use_the_latest_score_and_never_match_the_unscored(
    store: ProfileStore, people: People
) -> None:
    cases = [
        ("score >= 80", "ada bob"),
        ("score < 60", "dee"),
        ("score = 50", "dee"),
        ("score != 80", "bob dee"),
        ("score in [30, 70]", ""),
        ("grade = A", "ada bob"),
        ("grade != A", "dee"),
        ("grade not in [A, B]", "dee"),
        ("not grade = A", "cyd dee"),
        ("grade in [B, D]", ""),
        ("stage = sql", "bob"),
        ("has(score)", "ada bob dee"),
    ]
    _check(store, people, cases)


def test_segment_qualification_answers_and_unanswered_is_not_equal(
    store: ProfileStore, people: People
) -> None:
    cases = [
        ("budget = over_50k", "ada"),
        ("budget in [under_1k, over_50k]", "ada"),
        ("budget != over_50k", "bob cyd dee"),
        ("budget not in [over_50k]", "bob cyd dee"),
        ("timeline = now", ""),
    ]
    _check(store, people, cases)


def test_segment_consent_dnc_channel_tag_and_has(store: ProfileStore, people: People) -> None:
    cases = [
        ("consent(sms)", "ada"),
        ("consent(email)", "cyd"),
        ("not consent(sms)", "bob cyd dee"),
        ("dnc(sms)", "cyd"),
        ("dnc(email)", ""),
        ("channel(telegram)", "ada bob"),
        ("channel(sms)", "cyd"),
        ("channel(web)", "ada dee"),
        ("tag(vip)", "ada"),
        ("tag(VIP)", ""),
        ("not tag(customer)", "ada bob cyd"),
        ("has(company)", "ada bob dee"),
        ("has(email)", "ada dee"),
        ("has(phone)", "bob"),
    ]
    _check(store, people, cases)


def test_segment_days_since_counts_whole_days_before_now(
    store: ProfileStore, people: People
) -> None:
    cases = [
        ("days_since_activity >= 3", "bob cyd dee"),
        ("days_since_activity > 3", "bob cyd"),
        ("days_since_activity = 3", "dee"),
        ("days_since_activity < 3", "ada"),
        ("days_since_activity <= 5", "ada bob dee"),
        ("days_since_activity != 5", "ada cyd dee"),
        ("days_since_activity = 2.5", ""),
        ("days_since_activity >= 2.5", "bob cyd dee"),
        ("days_since_activity in [1, 20]", "ada cyd"),
        ("days_since_activity >= 1000000000", ""),
        ("days_since_created >= 30", "ada"),
        ("days_since_created in [10, 20]", "bob cyd"),
        ("days_since_created not in [10, 20]", "ada dee"),
    ]
    _check(store, people, cases)


def test_segment_activity_includes_timeline_events(store: ProfileStore, people: People) -> None:
    store.contacts.record_event(people["cyd"], "note_added", {}, now=NOW - 2 * DAY)
    _check(
        store,
        people,
        [("days_since_activity = 2", "cyd"), ("days_since_activity >= 3", "bob dee")],
    )


def test_segment_combinations_select_the_intersection_and_union(
    store: ProfileStore, people: People
) -> None:
    cases = [
        (
            'grade in [A, B] and not tag("customer") and (channel(telegram) or has(phone))',
            "ada bob",
        ),
        (
            'grade in [A, B] and consent(sms) and not tag("customer") and '
            "days_since_activity >= 3 and (channel(telegram) or has(phone))",
            "",
        ),
        ("consent(sms) or dnc(sms)", "ada cyd"),
        ("not (consent(sms) or dnc(sms)) and has(company)", "bob dee"),
    ]
    _check(store, people, cases)


def test_segment_trees_built_in_code_select_like_parsed_ones(
    store: ProfileStore, people: People
) -> None:
    empty_and, empty_or = And(()), Or(())
    assert store.campaigns.count_in_segment(empty_and, NOW) == 4
    assert store.campaigns.count_in_segment(empty_or, NOW) == 0
    assert store.campaigns.count_in_segment(Compare("company", "contains", "ACME"), NOW) == 2


def test_count_in_segment_counts_the_selected(store: ProfileStore, people: People) -> None:
    assert store.campaigns.count_in_segment(parse_segment("grade = A"), NOW) == 2
    assert store.campaigns.count_in_segment(Everyone(), NOW) == 4


def test_segment_sample_returns_contacts_oldest_first(store: ProfileStore, people: People) -> None:
    sample = store.campaigns.segment_sample(Everyone(), NOW, limit=3)
    assert [contact.id for contact in sample] == [people["ada"], people["cyd"], people["bob"]]
    ada = sample[0]
    assert (ada.name, ada.company) == ("Ada Lovelace", "Acme")
    assert {identity.channel for identity in ada.channels} == {"web", "telegram"}


def test_segment_sample_refuses_a_limit_below_one(store: ProfileStore) -> None:
    with pytest.raises(ValueError, match="limit"):
        store.campaigns.segment_sample(Everyone(), NOW, limit=0)


def test_contact_ids_in_segment_pages_by_id(store: ProfileStore, people: People) -> None:
    expected = sorted(people.values())
    pages, after = [], None
    while True:
        page = store.campaigns.contact_ids_in_segment(Everyone(), NOW, after=after, limit=3)
        pages.append(page)
        if len(page) < 3:
            break
        after = page[-1]
    assert pages == [expected[:3], expected[3:]]


def test_in_segment_answers_for_one_contact(store: ProfileStore, people: People) -> None:
    assert store.campaigns.in_segment(people["ada"], Tag("vip"), NOW)
    assert not store.campaigns.in_segment(people["bob"], Tag("vip"), NOW)


def test_in_segment_accepts_a_merged_away_id(store: ProfileStore) -> None:
    first = store.leads.update_fields("web", "z-1", {"email": "z@x.io"}, "c1", now=NOW).id
    second = store.contacts.ensure("sms", "+15550009", now=NOW).id
    survivor = store.leads.update_fields("sms", "+15550009", {"email": "z@x.io"}, "c2", now=NOW)
    merged_away = second if survivor.id == first else first
    assert store.campaigns.in_segment(
        merged_away, parse_segment("channel(sms) and channel(web)"), NOW
    )


def test_in_segment_refuses_an_unknown_contact(store: ProfileStore) -> None:
    with pytest.raises(ContactNotFound):
        store.campaigns.in_segment("nobody", Everyone(), NOW)
