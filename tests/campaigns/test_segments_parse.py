"""The segment filter language: what parses to what, where errors point, printing back."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.segments import (
    CHOICE_FIELDS,
    HAS_FIELDS,
    NUMBER_FIELDS,
    TEXT_FIELDS,
    And,
    Compare,
    Consent,
    DoNotContact,
    Everyone,
    Has,
    InList,
    Not,
    OnChannel,
    Or,
    Segment,
    Tag,
)
from bot.segments.language import MAX_DEPTH, SegmentError, describe, parse_segment
from bot.types import CHANNELS, DNC_CHANNELS, PURPOSES

EXAMPLE = (
    'grade in [A, B] and consent(sms) and not tag("customer") and days_since_activity >= 3'
    " and (channel(telegram) or has(phone))"
)


def test_parse_segment_reads_the_issue_example() -> None:
    assert parse_segment(EXAMPLE) == And(
        (
            InList("grade", ("A", "B")),
            Consent("sms"),
            Not(Tag("customer")),
            Compare("days_since_activity", ">=", 3.0),
            Or((OnChannel("telegram"), Has("phone"))),
        )
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("everyone", Everyone()),
        ("EVERYONE", Everyone()),
        ('company = "Acme Inc"', Compare("company", "=", "Acme Inc")),
        ("company = 'O\\'Neil'", Compare("company", "=", "O'Neil")),
        ('name = "say \\"hi\\""', Compare("name", "=", 'say "hi"')),
        ("company = Acme", Compare("company", "=", "Acme")),
        ("email contains acme.io", Compare("email", "contains", "acme.io")),
        ("email CONTAINS '@acme'", Compare("email", "contains", "@acme")),
        ("company != ''", Compare("company", "!=", "")),
        ("name = 42", Compare("name", "=", "42")),
        ("score>=50", Compare("score", ">=", 50.0)),
        ("score < 12.5", Compare("score", "<", 12.5)),
        ("score > -1", Compare("score", ">", -1.0)),
        ("score <= .5", Compare("score", "<=", 0.5)),
        ("score = 7", Compare("score", "=", 7.0)),
        ("score != 7", Compare("score", "!=", 7.0)),
        ("days_since_created > 30", Compare("days_since_created", ">", 30.0)),
        ("grade = a", Compare("grade", "=", "A")),
        ("Stage = MQL", Compare("stage", "=", "mql")),
        ("lead_status = confirmed", Compare("lead_status", "=", "confirmed")),
        ("company_size in [1-10, 1000+]", InList("company_size", ("1-10", "1000+"))),
        ('budget not in ["under_1k", 1k_10k]', InList("budget", ("under_1k", "1k_10k"), True)),
        ("company NOT IN [acme, 'Globex']", InList("company", ("acme", "Globex"), True)),
        ("score in [1, 2]", InList("score", (1.0, 2.0))),
        ("consent(EMAIL)", Consent("email")),
        ("tag(vip)", Tag("vip")),
        ("tag('VIP list')", Tag("VIP list")),
        ("tag(2024)", Tag("2024")),
        ("channel(whatsapp)", OnChannel("whatsapp")),
        ("dnc(phone)", DoNotContact("phone")),
        ('has("score")', Has("score")),
        ("not not everyone", Not(Not(Everyone()))),
        ("(((everyone)))", Everyone()),
    ],
)
def test_parse_segment_reads_each_form(text: str, expected: Segment) -> None:
    assert parse_segment(text) == expected


def test_parse_segment_binds_not_tighter_than_and_tighter_than_or() -> None:
    parsed = parse_segment("not tag(a) and tag(b) or tag(c) and not tag(d)")
    assert parsed == Or((And((Not(Tag("a")), Tag("b"))), And((Tag("c"), Not(Tag("d"))))))


def test_parse_segment_keeps_parenthesised_groups() -> None:
    parsed = parse_segment("(tag(a) or tag(b)) and not (tag(c) and tag(d))")
    assert parsed == And((Or((Tag("a"), Tag("b"))), Not(And((Tag("c"), Tag("d"))))))


def test_parse_segment_ignores_case_of_keywords_and_fields() -> None:
    assert parse_segment("NOT Tag(x) AND Score >= 1 Or EveryOne") == parse_segment(
        "not tag(x) and score >= 1 or everyone"
    )


def _error(text: str) -> SegmentError:
    with pytest.raises(SegmentError) as caught:
        parse_segment(text)
    return caught.value


@pytest.mark.parametrize(
    ("text", "position", "message"),
    [
        ("colour = red", 0, "unknown field 'colour'; known: name, email"),
        ("tag(a) and bogus in [x]", 11, "unknown field 'bogus'"),
        ("name < 3", 5, "'<' does not apply to name; use =, !=, contains or in"),
        ("score contains 3", 6, "'contains' does not apply to score"),
        ("grade > B", 6, "'>' does not apply to grade; use =, != or in"),
        ("grade = E", 8, "'E' is not a valid grade; one of A, B, C, D"),
        ("grade in [A, E]", 13, "'E' is not a valid grade"),
        ("budget = lots", 9, "'lots' is not a valid budget"),
        ("score >= high", 9, "score is a number, not 'high'"),
        ('score >= "50"', 9, "score is a number, not '50'"),
        ("days_since_activity in [1, x]", 27, "days_since_activity is a number"),
        ("consent(fax)", 8, "'fax' is not a valid consent purpose"),
        ("channel(pigeon)", 8, "'pigeon' is not a valid channel"),
        ("dnc(pigeon)", 4, "'pigeon' is not a valid dnc channel"),
        ("has(grade)", 4, "'grade' is not a valid field for has()"),
        ('tag("")', 4, "a tag needs a name"),
        ("tag vip", 4, "expected '(' after tag, found 'vip'"),
        ("tag(vip", 7, "expected ')', found the end"),
        ("tag()", 4, "expected the argument of tag(), found ')'"),
        ("", 0, "expected a condition, found the end"),
        ("and tag(x)", 0, "expected a condition, found 'and'"),
        ("tag(x) and", 10, "expected a condition, found the end"),
        ("tag(x) tag(y)", 7, "expected 'and', 'or' or the end, found 'tag'"),
        ("(tag(x)", 7, "expected ')', found the end"),
        ("name", 4, "expected an operator"),
        ("name ~ x", 5, "unexpected character '~'"),
        ("name = ", 7, "expected a value, found the end"),
        ("name = )", 7, "expected a value, found ')'"),
        ("name not x", 9, "expected 'in' after 'not', found 'x'"),
        ("name in x", 8, "expected '[', found 'x'"),
        ("name in []", 9, "expected a value, found ']'"),
        ("name in [a b]", 11, "expected ',' or ']', found 'b'"),
        ('name = "open', 7, "unterminated string"),
        ("(" * (MAX_DEPTH + 1) + "everyone", MAX_DEPTH, "segment nested too deeply"),
    ],
)
def test_parse_segment_errors_point_at_the_mistake(text: str, position: int, message: str) -> None:
    error = _error(text)
    assert (error.text, error.position) == (text, position)
    assert error.message.startswith(message)


def test_segment_error_shows_the_message_and_a_caret_under_the_position() -> None:
    error = _error("tag(vip) and grade = E")
    assert str(error) == (
        "'E' is not a valid grade; one of A, B, C, D\n"
        "  tag(vip) and grade = E\n"
        "                       ^"
    )


def test_segment_error_shows_only_the_line_of_a_multiline_segment() -> None:
    error = _error("tag(vip)\nand grade = E")
    assert str(error).splitlines()[1:] == ["  and grade = E", "              ^"]


def test_segment_error_is_a_value_error() -> None:
    assert isinstance(_error("grade = E"), ValueError)


@pytest.mark.parametrize(
    "text",
    [
        EXAMPLE,
        "everyone",
        "not not tag(x)",
        "(tag(a) and tag(b)) and tag(c)",
        "(tag(a) or tag(b)) or tag(c)",
        "tag(a) and tag(b) or tag(c)",
        "not (tag(a) or tag(b)) and (tag(c) or tag(d))",
        "company not in ['Acme', \"O'Neil\", 'back\\\\slash']",
        "score < 0.1 and score > 12.25",
        "company_size in [1-10, 1000+] and lead_status = new",
    ],
)
def test_describe_round_trips_through_the_parser(text: str) -> None:
    parsed = parse_segment(text)
    assert parse_segment(describe(parsed)) == parsed


def test_describe_prints_canonically() -> None:
    text = "GRADE IN [a,b] AND Consent(SMS) and NOT tag('customer') and score>=50.0"
    assert describe(parse_segment(text)) == (
        'grade in [A, B] and consent(sms) and not tag("customer") and score >= 50'
    )


def test_describe_parenthesises_only_where_needed() -> None:
    assert describe(parse_segment(EXAMPLE)) == EXAMPLE
    segment = Or((And((Tag("a"), Tag("b"))), Not(Or((Tag("c"), Tag("d"))))))
    assert describe(segment) == 'tag("a") and tag("b") or not (tag("c") or tag("d"))'


# --- properties ---------------------------------------------------------------------

_NUMBERS = st.floats(allow_nan=False, allow_infinity=False, width=64)


def _compare() -> st.SearchStrategy[Segment]:
    text = st.builds(
        Compare,
        st.sampled_from(TEXT_FIELDS[:-1]),
        st.sampled_from(["=", "!=", "contains"]),
        st.text(),
    )
    number = st.builds(
        Compare,
        st.sampled_from(NUMBER_FIELDS),
        st.sampled_from(["=", "!=", "<", "<=", ">", ">="]),
        _NUMBERS,
    )
    choice = st.sampled_from(sorted(CHOICE_FIELDS)).flatmap(
        lambda field: st.builds(
            Compare,
            st.just(field),
            st.sampled_from(["=", "!="]),
            st.sampled_from(CHOICE_FIELDS[field]),
        )
    )
    return text | number | choice


def _in_list() -> st.SearchStrategy[Segment]:
    choice = st.sampled_from(sorted(CHOICE_FIELDS)).flatmap(
        lambda field: st.builds(
            InList,
            st.just(field),
            st.lists(st.sampled_from(CHOICE_FIELDS[field]), min_size=1).map(tuple),
            st.booleans(),
        )
    )
    number = st.builds(
        InList,
        st.sampled_from(NUMBER_FIELDS),
        st.lists(_NUMBERS, min_size=1).map(tuple),
        st.booleans(),
    )
    return choice | number


_ATOMS: st.SearchStrategy[Segment] = st.one_of(
    _compare(),
    _in_list(),
    st.builds(Consent, st.sampled_from(PURPOSES)),
    st.builds(Tag, st.text(min_size=1)),
    st.builds(OnChannel, st.sampled_from(CHANNELS)),
    st.builds(DoNotContact, st.sampled_from(DNC_CHANNELS)),
    st.builds(Has, st.sampled_from(HAS_FIELDS)),
    st.just(Everyone()),
)

SEGMENTS: st.SearchStrategy[Segment] = st.recursive(
    _ATOMS,
    lambda inner: st.one_of(
        st.builds(And, st.lists(inner, min_size=2, max_size=4).map(tuple)),
        st.builds(Or, st.lists(inner, min_size=2, max_size=4).map(tuple)),
        st.builds(Not, inner),
    ),
    max_leaves=20,
)


@settings(max_examples=300)
@given(SEGMENTS)
def test_describe_round_trips_any_segment(segment: Segment) -> None:
    assert parse_segment(describe(segment)) == segment


_GRAMMAR_BITS = st.sampled_from(
    [
        "(",
        ")",
        "[",
        "]",
        ",",
        "=",
        "!=",
        "<",
        ">=",
        "and",
        "or",
        "not",
        "in",
        "contains",
        "everyone",
        "tag",
        "consent",
        "grade",
        "score",
        "name",
        "A",
        "sms",
        "'x",
        '"y"',
        "3",
        "-",
        ".5",
        "\\",
        " ",
        "\n",
        "é",
        "1-10",
    ]
)


@settings(max_examples=500)
@given(st.text() | st.lists(_GRAMMAR_BITS, max_size=20).map("".join))
def test_parse_segment_parses_or_raises_segment_error_on_anything(text: str) -> None:
    try:
        segment = parse_segment(text)
    except SegmentError as error:
        assert 0 <= error.position <= len(text)
        str(error)
    else:
        assert parse_segment(describe(segment)) == segment
