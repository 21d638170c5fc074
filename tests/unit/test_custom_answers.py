"""Reading free-text answers to marketers' own lead fields (bot/custom_answers.py)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from bot.custom_answers import Context, read_answer, read_date, read_number
from bot.custom_fields import CustomField, fields_from_data

# A Friday: 2026-12-04.
TODAY = date(2026, 12, 4)
CONTEXT = Context(today=TODAY, region="US")


def _field(**data: object) -> CustomField:
    item = {"name": "f", "question": "Q?", **data}
    return fields_from_data({"fields": [item]}).fields[0]


HEARD = _field(
    name="heard_from",
    type="choice",
    options=[
        {
            "id": "search",
            "label": "Search engine",
            "phrasings": ["google", "bing", "searched online"],
        },
        {
            "id": "friend",
            "label": "A friend",
            "phrasings": ["word of mouth", "a colleague told me"],
        },
        {"id": "event", "label": "An event", "phrasings": ["conference", "trade show", "meetup"]},
    ],
)
SEATS = _field(name="seats", type="number", min=1, max=5000)
RENEWAL = _field(name="renewal", type="date")
NEWSLETTER = _field(name="newsletter", type="yes_no")
TOOL = _field(name="current_tool", type="text", max_length=40)
BILLING = _field(name="billing_email", type="email")
OFFICE = _field(name="office_phone", type="phone")


@pytest.mark.parametrize(
    ("said", "expected"),
    [
        ("Search engine", "search"),  # the button's payload
        ("search", "search"),
        ("I googled you", "search"),
        ("found you on Google", "search"),
        ("serch engine", "search"),  # a typo
        ("a friend told me", "friend"),
        ("my frend recommended you", "friend"),
        ("word of mouth", "friend"),
        ("at a conference in Berlin", "event"),
        ("trade shows", "event"),
        ("the second one", "friend"),
        ("3", "event"),
    ],
)
def test_choice_reads_labels_phrasings_typos_and_positions(said: str, expected: str) -> None:
    assert read_answer(HEARD, said, CONTEXT).value == expected


@pytest.mark.parametrize(
    "said",
    [
        "not google",  # named only to say it wasn't
        "google or a friend, can't remember",  # two options: not clear
        "the radio",
        "banana",
        "the ninth one",
    ],
)
def test_choice_stores_nothing_when_unclear(said: str) -> None:
    answer = read_answer(HEARD, said, CONTEXT)
    assert answer.value is None
    assert not answer.declined


@pytest.mark.parametrize(
    ("said", "expected"),
    [
        ("about 40", "40"),
        ("1.200", "1200"),  # European thousands
        ("1,200", "1200"),
        ("2,5", "2.5"),  # European decimal comma
        ("1.200,50", "1200.5"),
        ("two hundred", "200"),
        ("roughly forty-five people", "45"),
        ("2k", "2000"),
    ],
)
def test_number_reads_the_ways_people_write_numbers(said: str, expected: str) -> None:
    assert read_answer(SEATS, said, CONTEXT).value == expected


@pytest.mark.parametrize("said", ["a few", "between 20 and 30", "20-30", "lots", "no idea"])
def test_number_stores_nothing_vague(said: str) -> None:
    assert read_answer(SEATS, said, CONTEXT).value is None


def test_number_outside_the_fields_range_is_refused() -> None:
    answer = read_answer(SEATS, "about 9000", CONTEXT)
    assert (answer.value, answer.problem) == (None, "out_of_range")


def test_read_number_is_a_decimal() -> None:
    assert read_number("12.000") == Decimal(12000)
    assert read_number("nothing") is None


@pytest.mark.parametrize(
    ("said", "region", "expected"),
    [
        ("31/12/2026", "GB", "2026-12-31"),
        ("31/12/2026", "US", "2026-12-31"),  # no 31st month: read either way
        ("03/04/2027", "GB", "2027-04-03"),
        ("03/04/2027", "US", "2027-03-04"),
        ("2027-01-15", "US", "2027-01-15"),
        ("next Friday", "US", "2026-12-11"),
        ("friday", "US", "2026-12-04"),
        ("March 3rd", "US", "2027-03-03"),  # the nearest March 3rd
        ("the 3rd of March 2028", "GB", "2028-03-03"),
        ("on Nov 20", "US", "2026-11-20"),
        ("tomorrow", "US", "2026-12-05"),
        ("in two weeks", "US", "2026-12-18"),
    ],
)
def test_date_reads_written_and_spoken_dates(said: str, region: str, expected: str) -> None:
    context = Context(today=TODAY, region=region)
    assert read_answer(RENEWAL, said, context).value == expected


@pytest.mark.parametrize(
    "said", ["end of March", "next week", "sometime in spring", "31/02/2027", "March 3 or 4th June"]
)
def test_date_stores_nothing_vague_or_impossible(said: str) -> None:
    assert read_answer(RENEWAL, said, CONTEXT).value is None


def test_read_date_needs_one_day() -> None:
    assert read_date("monday or tuesday", today=TODAY) is None


@pytest.mark.parametrize(
    ("said", "expected"),
    [("yes", "yes"), ("yeah sure", "yes"), ("no", "no"), ("nope", "no"), ("no thanks", "no")],
)
def test_yes_no_reads_a_bare_no_as_an_answer_not_a_refusal(said: str, expected: str) -> None:
    answer = read_answer(NEWSLETTER, said, CONTEXT)
    assert (answer.value, answer.declined) == (expected, False)


def test_yes_no_question_back_is_no_answer() -> None:
    assert read_answer(NEWSLETTER, "what newsletter?", CONTEXT).value is None


@pytest.mark.parametrize("said", ["skip", "rather not say", "I'd rather not say", "/skip", "pass"])
def test_skip_words_decline_any_type(said: str) -> None:
    for field in (HEARD, SEATS, RENEWAL, NEWSLETTER, TOOL):
        assert read_answer(field, said, CONTEXT).declined, (field.name, said)


def test_text_drops_lead_ins_and_keeps_the_answer() -> None:
    assert read_answer(TOOL, "we use HubSpot", CONTEXT).value == "we use HubSpot"
    assert read_answer(TOOL, "it's Salesforce", CONTEXT).value == "Salesforce"
    assert read_answer(TOOL, "our current tool is Pipedrive", CONTEXT).value == "Pipedrive"


def test_text_refuses_non_answers_and_long_ones() -> None:
    assert read_answer(TOOL, "no idea", CONTEXT).value is None
    assert read_answer(TOOL, "x" * 41, CONTEXT).problem == "too_long"
    assert read_answer(TOOL, "what do you mean?", CONTEXT).value is None


def test_email_reads_written_and_spoken_addresses() -> None:
    assert read_answer(BILLING, "it's Billing@Acme.io", CONTEXT).value == "billing@acme.io"
    spoken = read_answer(BILLING, "billing at acme dot io", CONTEXT)
    assert spoken.value == "billing@acme.io"
    assert read_answer(BILLING, "billing at acme", CONTEXT).value is None


def test_phone_reads_in_the_callers_country() -> None:
    caller = Context(today=TODAY, region="US", caller="+447700900123")
    assert read_answer(OFFICE, "07700 900456", caller).value == "+447700900456"
    assert read_answer(OFFICE, "+1 415 555 0134", CONTEXT).value == "+14155550134"
    assert read_answer(OFFICE, "call the front desk", CONTEXT).value is None


def test_values_read_are_what_the_strict_normalizer_accepts() -> None:
    cases = [
        (HEARD, "googled"),
        (SEATS, "1.200"),
        (RENEWAL, "next friday"),
        (NEWSLETTER, "yep"),
        (BILLING, "jo at acme dot io"),
    ]
    for field, said in cases:
        value = read_answer(field, said, CONTEXT).value
        assert value is not None
        assert field.normalize(value) == value
