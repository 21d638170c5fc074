from __future__ import annotations

from pathlib import Path

import pytest

from bot.qualification import (
    DEFAULT_CONFIG,
    QualificationConfigError,
    load_qualification_config,
    read_answer,
    read_volunteered,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("about 40 people", "11-50"),
        ("we're a team of 12", "11-50"),
        ("just me", "1-10"),
        ("5", "1-10"),
        ("51-200", "51-200"),
        ("1000+", "1000+"),
        ("around 2,500 employees", "1000+"),
        ("a few hundred", "201-1000"),
        ("between 50 and 100", "51-200"),
        ("thousands worldwide", "1000+"),
        ("we are twenty people", "11-50"),
        ("small team, maybe 8", "1-10"),
    ],
)
def test_company_size(text: str, expected: str) -> None:
    assert read_answer("company_size", text).value == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("around $20k", "10k_50k"),
        ("2k a month", "10k_50k"),
        ("500 per month", "1k_10k"),
        ("$300", "under_1k"),
        ("100k+", "over_50k"),
        ("six figures", "over_50k"),
        ("no budget yet", "under_1k"),
        ("10k-50k", "10k_50k"),
        ("Under $1k", "under_1k"),
        ("over $50k a year", "over_50k"),
        ("5 grand", "1k_10k"),
        ("1.5 million", "over_50k"),
        ("fifty thousand", "10k_50k"),
    ],
)
def test_budget(text: str, expected: str) -> None:
    assert read_answer("budget", text).value == expected


@pytest.mark.parametrize(
    ("text", "intent", "expected"),
    [
        ("I decide", None, "decides"),
        ("it's my call", None, "decides"),
        ("I'm the founder", None, "decides"),
        ("yes", "affirm", "decides"),
        ("no, my boss does", "deny", "influences"),
        ("I recommend, the CFO signs off", None, "influences"),
        ("we decide as a team", None, "influences"),
        ("just researching for now", None, "researching"),
        ("Researching", None, "researching"),
        ("no", "deny", "influences"),
    ],
)
def test_authority(text: str, intent: str | None, expected: str) -> None:
    assert read_answer("authority", text, intent).value == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("asap", "now"),
        ("this week ideally", "now"),
        ("in 2 months", "quarter"),
        ("next quarter", "quarter"),
        ("in six months", "year"),
        ("sometime next year", "year"),
        ("no rush", "later"),
        ("not any time soon", "later"),
        ("in 3 weeks", "now"),
        ("within 18 months", "later"),
        ("Within 3 months", "quarter"),
    ],
)
def test_timeline(text: str, expected: str) -> None:
    assert read_answer("timeline", text).value == expected


@pytest.mark.parametrize("field", ["budget", "timeline", "company_size", "authority"])
def test_not_sure_is_a_declined_answer(field: str) -> None:
    answer = read_answer(field, "not sure, sorry")
    assert answer.value is None and answer.declined


def test_gibberish_is_neither_an_answer_nor_declined() -> None:
    answer = read_answer("budget", "purple elephants")
    assert answer == read_answer("budget", "purple elephants")
    assert answer.value is None and not answer.declined


def test_volunteered_details_need_cue_words() -> None:
    assert read_volunteered("we're about 200 people and the budget is 30k") == {
        "company_size": "51-200",
        "budget": "10k_50k",
    }
    assert read_volunteered("call me at 5") == {}


def test_default_order_and_skip_rule(tmp_path: Path) -> None:
    assert DEFAULT_CONFIG.next_question({}, set()) == "company_size"
    path = tmp_path / "qualification.yml"
    path.write_text(
        "questions:\n  - field: company_size\n  - field: budget\n    skip_when:\n"
        "      company_size: ['1-10']\n  - field: timeline\n"
    )
    config = load_qualification_config(path)
    assert config.next_question({"company_size": "1-10"}, set()) == "timeline"
    assert config.next_question({"company_size": "11-50"}, set()) == "budget"
    assert config.next_question({"company_size": "11-50"}, {"budget"}) == "timeline"
    assert (
        config.next_question({"company_size": "11-50", "budget": "x", "timeline": "y"}, set())
        is None
    )


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("questions:\n  - field: age\n", "unknown field 'age'"),
        (
            "questions:\n  - field: budget\n    skip_when: {company_size: [huge]}\n",
            "unknown values ['huge']",
        ),
        ("questions:\n  - field: budget\n  - field: budget\n", "asked twice: budget"),
        ("nope: 1\n", "questions"),
        ("questions: [\n", "not valid YAML"),
    ],
)
def test_bad_config_names_the_problem(tmp_path: Path, body: str, message: str) -> None:
    path = tmp_path / "qualification.yml"
    path.write_text(body)
    with pytest.raises(QualificationConfigError, match=r"qualification\.yml") as error:
        load_qualification_config(path)
    assert message in str(error.value)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("we're a team of 30 and want a demo", {"company_size": "11-50"}),
        ("about 1,200 employees", {"company_size": "1000+"}),
        ("our budget is around 5k per month", {"budget": "over_50k"}),
        ("we could spend $800", {"budget": "under_1k"}),
        ("I need a demo for my 3 shops", {}),
    ],
)
def test_volunteered_phrasings(text: str, expected: dict[str, str]) -> None:
    assert read_volunteered(text) == expected
