"""Reading lead details from what people type."""

from __future__ import annotations

import pytest

from bot.leads import clean_free_text, normalize_email, normalize_phone, read_message


@pytest.mark.parametrize(
    ("text", "requested", "persons", "orgs", "expected"),
    [
        ("I'm Dana Reyes from Acme, dana@acme.io", None, [], [],
         {"name": "Dana Reyes", "company": "Acme", "email": "dana@acme.io"}),
        ("I'm Li Wei, CTO at Lumen Labs", None, [], [], {"name": "Li Wei", "company": "Lumen Labs"}),
        ("my name is jonas weber", "name", [], [], {"name": "jonas weber"}),
        ("Dana", "name", [], [], {"name": "Dana"}),
        ("Dana Reyes, dana@acme.io", "name", [], [], {"name": "Dana Reyes", "email": "dana@acme.io"}),
        ("actually my email is Dana.R@Acme.io", "phone", [], [], {"email": "dana.r@acme.io"}),
        ("dana at acme dot io", "email", [], [], {"email": "dana@acme.io"}),
        ("call me on (212) 555-0199", "phone", [], [], {"phone": "+12125550199"}),
        ("+44 20 7946 0958", "phone", [], [], {"phone": "+442079460958"}),
        ("I work at Initech", "company", [], [], {"company": "Initech"}),
        ("Initech", "company", [], [], {"company": "Initech"}),
        ("Acme Inc", "role", [], ["Acme Inc"], {"role": "Acme Inc"}),
        ("Head of Marketing at Globex", "role", [], ["Globex"], {"role": "Head of Marketing", "company": "Globex"}),
        ("we need to capture more leads from our website", "need", [], [],
         {"need": "we need to capture more leads from our website"}),
        ("Robert'); DROP TABLE contacts;--", "name", [], [], {"name": "Robert'); DROP TABLE contacts;--"}),
        ("<b>Big</b> & Co", "company", [], [], {"company": "<b>Big</b> & Co"}),
    ],
)  # fmt: skip
def test_read_message_finds_details(
    text: str, requested: str | None, persons: list[str], orgs: list[str], expected: dict[str, str]
) -> None:
    reading = read_message(
        text, region="US", requested=requested, persons=persons, organizations=orgs
    )  # type: ignore[arg-type]
    assert reading.values == expected


@pytest.mark.parametrize(
    ("text", "requested", "problem"),
    [
        ("dana@acme", "email", "invalid_email"),
        ("no idea", "email", "no_email"),
        ("12 34", "phone", "invalid_phone"),
        ("nope", "phone", "no_phone"),
        ("🙂🙂", "name", "not_a_name"),
        ("tell me a joke", "name", "not_a_name"),
        ("yes", "company", "not_an_answer"),
        ("x" * 300, "company", "too_long"),
    ],
)
def test_read_message_reports_problems(text: str, requested: str, problem: str) -> None:
    reading = read_message(text, region="US", requested=requested)  # type: ignore[arg-type]
    assert reading.problems.get(requested) == problem  # type: ignore[call-overload]
    assert requested not in reading.values


def test_spotted_company_does_not_overwrite_a_known_one_from_a_need() -> None:
    reading = read_message(
        "we need something like HubSpot", region="US", requested="need",
        organizations=["HubSpot"], known=("company",),
    )  # fmt: skip
    assert "company" not in reading.values


def test_entity_inside_an_email_is_not_a_company() -> None:
    reading = read_message("dana@acme", region="US", requested="email", organizations=["dana@acme"])
    assert "company" not in reading.values


def test_normalizers() -> None:
    assert normalize_email(" Dana@Example.COM ") == "dana@example.com"
    assert normalize_phone("07911 123456", "GB") == "+447911123456"
    assert clean_free_text("role", "I'm the Head of Sales.") == "Head of Sales"
    with pytest.raises(ValueError, match="invalid_phone"):
        normalize_phone("555", "US")


@pytest.mark.parametrize(
    "text", ["i want a demo", "I'd like to see pricing", "we want to talk to sales"]
)
def test_requests_to_the_bot_are_not_needs(text: str) -> None:
    assert "need" not in read_message(text, region="US").values


@pytest.mark.parametrize(
    "text",
    [
        "we're trying to follow up faster",
        "we need to capture more leads",
        "I'm struggling with churn",
    ],
)
def test_stated_problems_are_needs(text: str) -> None:
    assert read_message(text, region="US").values["need"] == text


def test_national_number_is_read_in_the_country_of_the_email() -> None:
    reading = read_message(
        "07911 123456", region="US", requested="phone", email_hint="jo@brightpath.co.uk"
    )
    assert reading.values["phone"] == "+447911123456"
    assert (
        read_message("(212) 555-0199", region="US", email_hint="a@b.de").values["phone"]
        == "+12125550199"
    )


def test_name_spacy_calls_an_organisation_is_still_the_name() -> None:
    reading = read_message("it's Beatriz", region="US", requested="name", organizations=["Beatriz"])
    assert reading.values == {"name": "Beatriz"}


def test_correction_fillers_are_not_part_of_the_value() -> None:
    reading = read_message("wait, the company is actually Ondas Media Group", region="US")
    assert reading.values == {"company": "Ondas Media Group"}


@pytest.mark.parametrize("text", ["/opt_in", "/skip", '/inform{"x": 1}', " /affirm "])
def test_read_message_never_takes_a_command_for_an_answer(text: str) -> None:
    # START becomes /opt_in before NLU; a fuzz run once stored "/opt_in" as a name.
    reading = read_message(text, region="US", requested="name")
    assert reading.values == {}
