"""Custom qualifying questions: reading qualification.yml and reading answers to them."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.custom_questions import CustomQuestion, parse_question, read_custom_answer
from bot.qualification import QualificationConfigError, qualification_from_data

CRM = {
    "id": "crm",
    "text": "Which CRM does your team use today?",
    "voice": "Which CRM does your team use at the moment?",
    "options": [
        {"id": "hubspot", "label": "HubSpot", "phrasings": ["hubspot", "we are on hubspot"]},
        {
            "id": "salesforce",
            "label": "Salesforce",
            "phrasings": ["salesforce", "sales cloud", "SFDC"],
        },
        {
            "id": "spreadsheets",
            "label": "Spreadsheets",
            "phrasings": ["spreadsheets", "excel", "google sheets"],
        },
        {
            "id": "none",
            "label": "No CRM yet",
            "voice": "None yet",
            "phrasings": ["we don't have one", "no crm", "nothing at the moment"],
        },
    ],
}


def crm() -> CustomQuestion:
    question, problems = parse_question(CRM)
    assert question is not None, problems
    return question


@pytest.mark.parametrize(
    ("said", "expected"),
    [
        # Button titles and what a caller says from the menu.
        ("HubSpot", "hubspot"),
        ("none yet", "none"),
        # Paraphrases that are none of the phrasings.
        ("we mostly run everything through Salesforce these days", "salesforce"),
        ("honestly just an excel sheet", "spreadsheets"),
        ("our sales team lives in hubspot", "hubspot"),
        ("we keep it all in google sheet", "spreadsheets"),
        ("no crm at all right now", "none"),
        ("we don't use any", "none"),
        ("Sales Cloud is what we have", "salesforce"),
        # Typos.
        ("hubsopt", "hubspot"),
        ("salesforse", "salesforce"),
    ],
)
def test_an_answer_is_read_as_its_option(said: str, expected: str) -> None:
    assert read_custom_answer(crm(), said).option == expected


@pytest.mark.parametrize(
    "said",
    [
        "purple elephants",
        "what does it cost?",
        "hubspot or salesforce, depends on the team",  # two options: no guess
        "we moved from hubspot to salesforce",
        "not hubspot",
        "pipedrive",  # an answer no option holds
        "we use a CRM",  # shared by everything, names none
        "",
    ],
)
def test_an_unclear_answer_stores_nothing(said: str) -> None:
    reading = read_custom_answer(crm(), said)
    assert reading.option is None
    assert not reading.declined


@pytest.mark.parametrize("said", ["not sure", "skip", "I'd rather not say", "dunno tbh"])
def test_not_knowing_or_declining_sets_the_question_aside(said: str) -> None:
    reading = read_custom_answer(crm(), said)
    assert reading.option is None and reading.declined


def test_the_skip_intent_declines_too() -> None:
    assert read_custom_answer(crm(), "next one please", intent="skip").declined


def test_voice_wording_is_for_calls_only() -> None:
    question = crm()
    assert question.text_for("voice") == CRM["voice"]
    assert question.text_for("web") == CRM["text"]
    assert question.options[3].title_for("voice") == "None yet"
    assert question.options[3].title_for("sms") == "No CRM yet"


def _with(**changes: object) -> dict[str, object]:
    return {**CRM, **changes}


def _option(number: int, **changes: object) -> list[object]:
    options: list[object] = [dict(o) for o in CRM["options"]]  # type: ignore[attr-defined]
    options[number - 1] = {**options[number - 1], **changes}  # type: ignore[dict-item]
    return options


@pytest.mark.parametrize(
    ("item", "field", "message"),
    [
        (_with(id="Which CRM"), "id", "lower-case"),
        (_with(id="a_very_long_question_id"), "id", "1-16"),
        (_with(id="budget"), "id", "built-in"),
        (_with(id="email"), "id", "lead field"),
        (_with(text=""), "text", "empty"),
        (_with(text="x" * 301), "text", "at most 300"),
        (_with(options=[]), "options", "at least two"),
        (_with(options=CRM["options"][:1]), "options", "at least two"),  # type: ignore[index]
        (_with(options=_option(2, id="hubspot")), "options.2.id", "also option 1"),
        (_with(options=_option(2, phrasings=[])), "options.2.phrasings", "at least one"),
        (_with(options=_option(2, phrasings=["the", "a"])), "options.2.phrasings", "little"),
        (_with(options=_option(3, label="")), "options.3.label", "button title"),
        (_with(options=_option(1, id="x" * 33)), "options.1.id", "1-32"),
        (_with(text="What is your age?"), "text", "protected attribute"),
    ],
)
def test_a_bad_question_is_refused_at_its_field(
    item: dict[str, object], field: str, message: str
) -> None:
    question, problems = parse_question(item)
    assert question is None
    assert any(p.field == field and message in p.message for p in problems), problems


def test_a_config_mixes_built_in_and_custom_questions_with_skips_between_them() -> None:
    config = qualification_from_data(
        Path("qualification.yml"),
        {
            "questions": [
                {"field": "company_size"},
                {**CRM, "skip_when": {"company_size": ["1-10"]}},
                {"field": "budget", "skip_when": {"crm": ["none", "spreadsheets"]}},
            ]
        },
    )
    assert [q.field for q in config.questions] == ["company_size", "crm", "budget"]
    assert config.custom_choices == {"crm": ("hubspot", "salesforce", "spreadsheets", "none")}
    assert config.next_question({"company_size": "1-10"}, set()) == "budget"
    assert config.next_question({"company_size": "11-50"}, set()) == "crm"
    assert config.next_question({"company_size": "11-50", "crm": "none"}, set()) is None


@pytest.mark.parametrize(
    ("questions", "number", "part", "message"),
    [
        ([{"field": "company_size"}, {**CRM, "skip_when": {"colour": ["red"]}}], 2, "skip_when",
         "unknown field 'colour'"),
        ([{"field": "budget", "skip_when": {"crm": ["pipedrive"]}}, CRM], 1, "skip_when",
         "unknown values ['pipedrive']"),
        ([{**CRM, "skip_when": {"crm": ["none"]}}], 1, "skip_when", "unknown field 'crm'"),
        ([CRM, CRM], 2, "id", "asked twice: crm"),
        ([{**CRM, "colour": "red"}], 1, "", "unknown keys ['colour']"),
        ([{**CRM, "options": []}], 1, "options", "at least two"),
    ],
)  # fmt: skip
def test_a_broken_config_names_the_question_and_its_part(
    questions: list[object], number: int, part: str, message: str
) -> None:
    with pytest.raises(QualificationConfigError) as caught:
        qualification_from_data(Path("qualification.yml"), {"questions": questions})
    assert caught.value.question == number
    assert caught.value.part == part
    assert message in caught.value.reason
