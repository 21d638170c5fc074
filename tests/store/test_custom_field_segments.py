"""Segments on custom lead fields (#19), parsed and selected on SQLite and PostgreSQL:
equals, one of, contains, is known and unknown, numbers and dates compared as such, and a
value whose field changed type never breaking the query."""

from __future__ import annotations

import pytest

from bot.custom_fields import parse
from bot.segments.language import SegmentError, describe, parse_segment
from bot.store import ProfileStore
from tests.store.conftest import NOW

FIELDS = parse("""
fields:
  - {name: heard_from, type: choice, question: "How?", options: [
      {id: search, label: Search engine}, {id: friend, label: A friend}]}
  - {name: team_size, type: number, question: "How many?"}
  - {name: renewal, type: date, question: "When?"}
  - {name: notes, type: text, question: "Anything else?"}
""")
People = dict[str, str]


@pytest.fixture
def people(store: ProfileStore) -> People:
    given = {
        "ada": {"heard_from": "search", "team_size": "1200", "renewal": "2026-11-30",
                "notes": "Wants SSO"},
        "bob": {"heard_from": "friend", "team_size": "9", "renewal": "2027-02-01"},
        # Team size was text once: a value that is no number must not break a comparison.
        "cyd": {"team_size": "about forty"},
        "dee": {},
    }  # fmt: skip
    ids = {}
    for name, values in given.items():
        contact = store.contacts.ensure("web", name, now=NOW)
        if values:
            store.leads.set_custom_fields(contact.id, values, channel="web", now=NOW)
        ids[name] = contact.id
    return ids


def _selected(store: ProfileStore, people: People, text: str) -> str:
    names = {contact_id: name for name, contact_id in people.items()}
    segment = parse_segment(text, FIELDS)
    assert parse_segment(describe(segment), FIELDS) == segment, describe(segment)
    ids = store.campaigns.contact_ids_in_segment(segment, NOW)
    return " ".join(sorted(names[contact_id] for contact_id in ids))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("field.heard_from = search", "ada"),
        ("field.heard_from = 'A friend'", "bob"),  # a choice's label reads as its id
        ("field.heard_from != search", "bob cyd dee"),  # no value is "not equal"
        ("field.heard_from in [search, friend]", "ada bob"),
        ("field.heard_from not in [search]", "bob cyd dee"),
        ("has(field.heard_from)", "ada bob"),
        ("not has(field.heard_from)", "cyd dee"),
        ("field.team_size > 100", "ada"),  # 1200 > 100 as numbers, not as text
        ("field.team_size <= 9", "bob"),
        ("field.team_size = '1,200'", "ada"),
        ("field.team_size != 9", "ada cyd dee"),
        ("field.renewal < 2027-01-01", "ada"),
        ("field.renewal >= 2027-01-01", "bob"),
        ("field.notes contains sso", "ada"),
        ("field.notes = 'wants sso'", "ada"),
        ("field.heard_from = search or field.team_size < 10", "ada bob"),
    ],
)
def test_segments_select_on_custom_field_values(
    store: ProfileStore, people: People, text: str, expected: str
) -> None:
    assert _selected(store, people, text) == expected


def test_without_the_fields_any_well_formed_name_is_read_loosely(
    store: ProfileStore, people: People
) -> None:
    names = {contact_id: name for name, contact_id in people.items()}
    for text, expected in [("field.team_size > 100", {"ada"}), ("has(field.gone)", set()),
                           ("field.renewal < '2027-01-01'", {"ada"})]:  # fmt: skip
        ids = store.campaigns.contact_ids_in_segment(parse_segment(text), NOW)
        assert {names[i] for i in ids} == expected, text


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "field.shoe_size = 42",
            "unknown lead field 'field.shoe_size'; lead fields: field.heard_from",
        ),
        ("has(field.shoe_size)", "unknown lead field"),
        ("field.heard_from = radio", "field.heard_from: 'radio' is not one of search, friend"),
        ("field.heard_from > search", "'>' does not apply to field.heard_from"),
        ("field.team_size = lots", "field.team_size: 'lots' is not a number"),
        ("field.renewal < tomorrow", "'tomorrow' is not a date (YYYY-MM-DD)"),
        ("field.notes > 3", "'>' does not apply to field.notes"),
        ("field.Bad-Name = 1", "is not a custom field's name"),
    ],
)
def test_a_bad_condition_on_a_custom_field_is_a_clear_error(text: str, message: str) -> None:
    with pytest.raises(SegmentError) as caught:
        parse_segment(text, FIELDS)
    assert message in caught.value.message


def test_loosely_an_ordering_needs_a_number_or_a_date() -> None:
    with pytest.raises(SegmentError, match="needs a number or a date"):
        parse_segment("field.notes > soon")
