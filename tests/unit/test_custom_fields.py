"""lead_fields.yml: parsing, the problems a broken list reports, canonical values."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from bot import custom_fields
from bot.custom_fields import FieldsError, LeadFieldsFile, dump, parse
from bot.errors import InvalidField
from bot.settings import PROJECT_ROOT

GOOD = """
version: 1
fields:
  - name: heard_from
    type: choice
    question: How did you hear about us?
    channels: {voice: "How did you hear about us? Say search or a friend."}
    options:
      - {id: search, label: Search engine, phrasings: [google]}
      - {id: friend, label: A friend}
    hubspot_property: how_heard
  - name: seats
    type: number
    question: How many seats would you need?
    min: 1
    max: 100000
    optional: false
  - name: go_live
    type: date
    question: When would you like to go live?
  - name: newsletter
    type: yes_no
    question: Would you like our monthly newsletter?
"""


def test_the_shipped_file_parses_and_defines_nothing() -> None:
    assert len(custom_fields.load(PROJECT_ROOT / "lead_fields.yml")) == 0


def test_a_good_list_parses_in_order_and_round_trips() -> None:
    fields = parse(GOOD)
    assert fields.names == ("heard_from", "seats", "go_live", "newsletter")
    heard = fields.get("heard_from")
    assert heard is not None and heard.label == "Heard from"
    assert heard.question_for("voice").startswith("How did you hear about us? Say")
    assert heard.question_for("whatsapp") == "How did you hear about us?"
    seats = fields.get("seats")
    assert seats is not None and not seats.optional and seats.minimum == Decimal(1)
    assert parse(dump(fields.fields)) == fields


@pytest.mark.parametrize(
    ("name", "given", "stored"),
    [
        ("heard_from", "Search engine", "search"),
        ("heard_from", "FRIEND", "friend"),
        ("seats", "1,200", "1200"),
        ("seats", " 2.50 ", "2.5"),
        ("go_live", "2027-03-01", "2027-03-01"),
        ("newsletter", True, "yes"),
        ("newsletter", "No", "no"),
    ],
)
def test_values_are_stored_in_one_form(name: str, given: object, stored: str) -> None:
    assert parse(GOOD).normalize({name: given}) == {name: stored}


@pytest.mark.parametrize(
    ("name", "given", "reason"),
    [
        ("heard_from", "a billboard", "is not one of search, friend"),
        ("seats", "0", "is less than 1"),
        ("seats", "lots", "is not a number"),
        ("go_live", "next spring", "is not a date"),
        ("newsletter", "maybe", "is not yes or no"),
        ("nickname", "Bo", "not a lead field of this bot"),
        ("seats", "  ", "is empty"),
    ],
)
def test_a_bad_value_names_the_field_and_why(name: str, given: object, reason: str) -> None:
    with pytest.raises(InvalidField) as raised:
        parse(GOOD).normalize({name: given})
    assert raised.value.field == name and reason in raised.value.reason


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        ("fields: [{name: email, type: text, question: 'Q?'}]", "field 1 name", "built-in"),
        ("fields: [{name: x, type: colour, question: 'Q?'}]", "field 1 type", "must be one of"),
        ("fields: [{name: x, type: text}]", "field 1 question", "needs a question"),
        (
            "fields: [{name: x, type: choice, question: 'Q?', options: [{id: a, label: A}]}]",
            "field 1 options",
            "at least two",
        ),
        (
            "fields: [{name: x, type: choice, question: 'Q?', options: "
            "[{id: a, label: A}, {id: a, label: B}]}]",
            "field 1 options",
            "used twice",
        ),
        ("fields: [{name: x, type: text, question: 'Q?', min: 3}]", "field 1 min", "only a number"),
        (
            "fields: [{name: x, type: text, question: 'Q?'}, {name: x, type: text, question: 'R?'}]",
            "field 2 name",
            "used twice",
        ),
        ("fields: {name: x}", "", "`fields:` list"),
        ("fields: [", "", "not valid YAML"),
    ],
)
def test_a_broken_list_names_the_field_and_the_problem(text: str, where: str, message: str) -> None:
    with pytest.raises(FieldsError) as raised:
        parse(text)
    assert any(p.where == where and message in p.message for p in raised.value.problems), (
        raised.value.problems
    )


def test_the_file_is_read_again_when_it_changes(tmp_path: Path) -> None:
    path = tmp_path / "lead_fields.yml"
    watched = LeadFieldsFile(path)
    assert len(watched.current()) == 0
    path.write_text(GOOD, encoding="utf-8")
    assert watched.current().names[0] == "heard_from"
    path.write_text("fields: []\n", encoding="utf-8")
    assert len(watched.current()) == 0


def test_the_store_keeps_values_of_removed_fields_but_not_malformed_names() -> None:
    custom_fields.check_stored({"old_field": "kept"})
    with pytest.raises(InvalidField):
        custom_fields.check_stored({"Bad Name": "x"})
    with pytest.raises(InvalidField):
        custom_fields.check_stored({"company": "x"})
