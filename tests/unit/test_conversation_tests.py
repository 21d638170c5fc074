"""The marketers' conversation tests: the file, its checks and the studio's line format."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot import conversation_tests as ct
from bot.conversation_tests import ConversationTest, ConversationTestsError, Step
from studio.validation import lint_conversation_tests

SHIPPED = Path(__file__).parents[2] / ct.FILE


def problems_of(text: str) -> list[str]:
    with pytest.raises(ConversationTestsError) as raised:
        ct.parse(text)
    return [str(p) for p in raised.value.problems]


def line_problems(text: str) -> list[str]:
    with pytest.raises(ConversationTestsError) as raised:
        ct.steps_from_lines(text)
    return [str(p) for p in raised.value.problems]


def test_the_shipped_tests_load_and_are_written_as_dump_writes_them() -> None:
    text = SHIPPED.read_text(encoding="utf-8")
    tests = ct.parse(text)
    assert len(tests) >= 3
    assert ct.dump(tests) == text
    assert all(t.steps[0].kind == "person" for t in tests)


def test_the_file_round_trips_with_awkward_text() -> None:
    tests = [
        ConversationTest(
            'Quotes: "and" colons # hashes',
            (
                Step("person", 'my name is "Zoë: the #1" O\'Brien'),
                Step("bot_says", "ok: {name}"),
                Step("stored", stored={"name": "Zoë O'Brien", "email": ""}),
                Step("bot_not_says", "- sorry"),
            ),
        )
    ]
    assert ct.parse(ct.dump(tests)) == tests
    assert ct.parse(ct.dump([])) == []


def test_the_line_format_round_trips() -> None:
    for test in ct.parse(SHIPPED.read_text(encoding="utf-8")):
        steps, starts = ct.steps_from_lines(ct.lines_of(test.steps))
        assert ct.tests_from_data({"tests": [{"name": test.name, "steps": steps}]}) == [test]
        assert len(starts) == len(steps)


def test_lines_make_steps_and_consecutive_stored_lines_are_one_step() -> None:
    text = """
    # a comment, then a blank line

    > hi, I'd like a demo
    < name
    > Dana Reyes
    = name: Dana Reyes
    = email:
    ! sorry
    = company: Acme
    """
    steps, starts = ct.steps_from_lines(text)
    assert steps == [
        {"person": "hi, I'd like a demo"},
        {"bot_says": "name"},
        {"person": "Dana Reyes"},
        {"stored": {"name": "Dana Reyes", "email": ""}},
        {"bot_not_says": "sorry"},
        {"stored": {"company": "Acme"}},
    ]
    assert starts == [4, 5, 6, 7, 9, 10]
    assert Step("stored", stored={"email": ""}).describe() == "stored no email"


def test_lines_refused_name_their_line() -> None:
    found = line_problems("> hi\nbot: hello\n<\n= colour: blue\n= name Dana\n= budget: lots")
    assert found[0].startswith("line 2: 'bot: hello': start each line with >")
    assert found[1] == "line 3: < needs some text after it"
    assert found[2].startswith("line 4: unknown stored field 'colour': use one of name, email")
    assert found[3].startswith("line 5: = needs a field and a value")
    assert found[4].startswith("line 6: budget is stored as one of under_1k")


def test_refusals_name_the_test_and_the_step() -> None:
    text = """
tests:
  - name: Greeting
    steps:
      - person: hi
      - bot_sings: hello
      - bot_says: "  "
      - stored: {colour: blue}
  - name: greeting
    steps:
      - person: hi
      - bot_says: hello
  - name: Only talk
    steps:
      - person: hi
  - name: Bot first
    steps:
      - bot_says: hello
      - person: hi
  - steps: []
"""
    assert problems_of(text) == [
        "test 1 'Greeting', step 2: unknown step 'bot_sings': use one of person, bot_says, "
        "bot_not_says, stored",
        "test 1 'Greeting', step 3: bot_says needs some text",
        "test 1 'Greeting', step 4: unknown stored field 'colour': use one of "
        + ", ".join(ct.STORED_FIELDS),
        "test 2 'greeting': another test has this name",
        "test 3 'Only talk': the test checks nothing: add what the bot must say or store",
        "test 4 'Bot first': the first step must be what the person says: the bot answers "
        "only then",
        "test 5: the test needs a name",
        "test 5: the test has no steps",
    ]


def test_a_file_that_is_not_a_list_of_tests_is_refused() -> None:
    assert problems_of("tests: {a: 1}") == ["tests must be a list"]
    assert problems_of("- person: hi") == [
        f"{ct.FILE} must have a single key, tests: a list of tests"
    ]
    assert problems_of("tests: [")[0].startswith(f"{ct.FILE} is not valid YAML")
    assert ct.parse("") == [] and ct.parse("tests: []") == []


def test_the_draft_validation_reports_the_file(tmp_path: Path) -> None:
    assert lint_conversation_tests(tmp_path) == []
    (tmp_path / ct.FILE).write_text(
        "tests:\n  - name: Broken\n    steps:\n      - person: hi\n      - said: x\n"
    )
    [problem] = lint_conversation_tests(tmp_path)
    assert (problem.file, problem.field) == (ct.FILE, "test 1 'Broken', step 2")
    assert problem.message.startswith("unknown step 'said'")
