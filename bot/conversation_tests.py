"""Conversation tests written by marketers (conversation_tests.yml): each test is a
conversation, what the person says and what the bot must then say, not say, or have
stored about them. The studio edits and runs them; a publish runs them before anything
goes live (bot.conversation_runs plays them against a bot).

The file is YAML, one mapping per step:

    tests:
      - name: A demo request asks for the name and keeps it
        steps:
          - person: "hi, I'd like a demo"
          - bot_says: "name"
          - person: "Dana Reyes"
          - stored: {name: "Dana Reyes"}

The studio shows a test's steps in a line format instead (`lines_of`, `steps_from_lines`):
`> what the person says`, `< words the bot must say`, `! words it must not say`,
`= field: value` for what must be stored (`= field:` with no value: nothing stored).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, get_args

import yaml

from bot.errors import ParleyError
from bot.types import LEAD_FIELDS, LEAD_STATUSES, QUALIFICATION_FIELDS, QUALIFICATION_VALUES

FILE = "conversation_tests.yml"
Kind = Literal["person", "bot_says", "bot_not_says", "stored"]
KINDS: tuple[Kind, ...] = get_args(Kind)
# What a `stored` step may check: the lead's details, its status and the qualifying answers.
STORED_FIELDS: tuple[str, ...] = (*LEAD_FIELDS, "lead_status", *QUALIFICATION_FIELDS)
ALLOWED_VALUES: dict[str, tuple[str, ...]] = {
    **QUALIFICATION_VALUES,
    "lead_status": LEAD_STATUSES,
}
MAX_TESTS = 100
MAX_STEPS = 40
MAX_NAME = 120
MAX_TEXT = 500
# The line format's marks, per kind of step.
MARKS: dict[Kind, str] = {"person": ">", "bot_says": "<", "bot_not_says": "!", "stored": "="}
KIND_OF_MARK = {mark: kind for kind, mark in MARKS.items()}
LINE_HELP = (
    "start each line with > (what the person says), < (words the bot must say), "
    "! (words it must not say) or = (field: value stored)"
)
HEADER = (
    """\
# Conversation tests, written and run in the studio (Content > Conversation tests) and
# run before every publish: a failing test stops the publish.
# Each step is one of:
#   person: what the person says
#   bot_says: words the bot's reply must contain (any case)
#   bot_not_says: words the bot's reply must not contain
#   stored: {field: value} that the profile store must hold for this person
#           ("" for nothing stored)
# bot_says and bot_not_says are about the bot's reply to what the person said last.
# Fields: """
    + ", ".join(STORED_FIELDS)
    + "\n"
)


class ConversationTestsError(ParleyError):
    """The tests (or one test's lines) are not valid; `problems` says where."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


@dataclass(frozen=True)
class Problem:
    test: int | None  # 0-based position in the file; None: the file as a whole
    name: str  # the test's name, when it has one
    step: int | None  # 0-based step; None: the test as a whole
    message: str
    line: int | None = None  # 1-based, in the line format
    about_name: bool = False  # the test's name is wrong (not its steps)

    @property
    def where(self) -> str:
        """`test 2 "A demo request", step 3`, `line 4`, or "" for the file."""
        parts = []
        if self.test is not None:
            parts.append(f"test {self.test + 1}" + (f" {self.name!r}" if self.name else ""))
        if self.line is not None:
            parts.append(f"line {self.line}")
        elif self.step is not None:
            parts.append(f"step {self.step + 1}")
        return ", ".join(parts)

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


@dataclass(frozen=True)
class Step:
    kind: Kind
    text: str = ""  # what is said (person, bot_says, bot_not_says)
    stored: Mapping[str, str] = field(default_factory=dict)  # field -> value ("" = none)

    def describe(self) -> str:
        """The step in words, as a result reports it."""
        if self.kind == "stored":
            return "stored " + ", ".join(
                f"{name} = {value!r}" if value else f"no {name}"
                for name, value in self.stored.items()
            )
        said = {"person": "the person says", "bot_says": "the bot says",
                "bot_not_says": "the bot does not say"}[self.kind]  # fmt: skip
        return f"{said} {self.text!r}"

    def to_data(self) -> dict[str, Any]:
        return {self.kind: dict(self.stored) if self.kind == "stored" else self.text}


@dataclass(frozen=True)
class ConversationTest:
    name: str
    steps: tuple[Step, ...]


# ------------------------------------------------------------------ reading


def load(path: Path) -> list[ConversationTest]:
    """The tests in `path`; none when there is no such file."""
    if not path.is_file():
        return []
    return parse(path.read_text(encoding="utf-8"))


def parse(text: str) -> list[ConversationTest]:
    try:
        data = yaml.safe_load(text) if text.strip() else {}
    except yaml.YAMLError as error:
        raise ConversationTestsError(
            [Problem(None, "", None, f"{FILE} is not valid YAML: {error}")]
        ) from error
    return tests_from_data(data)


def tests_from_data(data: Any) -> list[ConversationTest]:
    """The tests in raw YAML data, or every problem with them (none is dropped quietly)."""
    if data is None or data == {}:
        return []
    if not isinstance(data, dict) or set(data) != {"tests"}:
        raise _refused(None, f"{FILE} must have a single key, tests: a list of tests")
    items = data["tests"] or []
    if not isinstance(items, list):
        raise _refused(None, "tests must be a list")
    if len(items) > MAX_TESTS:
        raise _refused(None, f"at most {MAX_TESTS} tests")
    problems: list[Problem] = []
    tests: list[ConversationTest] = []
    seen: set[str] = set()
    for index, item in enumerate(items):
        test, found = _test(index, item)
        problems += found
        if test is not None:
            if test.name.casefold() in seen:
                problems.append(
                    Problem(index, test.name, None, "another test has this name", about_name=True)
                )
            seen.add(test.name.casefold())
            tests.append(test)
    if problems:
        raise ConversationTestsError(problems)
    return tests


def _test(index: int, item: Any) -> tuple[ConversationTest | None, list[Problem]]:
    if not isinstance(item, dict):
        return None, [Problem(index, "", None, "a test must be a mapping with name and steps")]
    name = item.get("name")
    name = " ".join(name.split()) if isinstance(name, str) else ""
    problems: list[Problem] = []
    unknown = sorted(str(k) for k in item if k not in ("name", "steps"))
    if unknown:
        problems.append(Problem(index, name, None, f"unknown keys: {', '.join(unknown)}"))
    if not name:
        problems.append(Problem(index, "", None, "the test needs a name", about_name=True))
    elif len(name) > MAX_NAME:
        long = f"a name can be at most {MAX_NAME} characters"
        problems.append(Problem(index, name[:40] + "…", None, long, about_name=True))
    raw = item.get("steps")
    if not isinstance(raw, list):
        raw = []
    steps: list[Step] = []
    for number, entry in enumerate(raw):
        step, message = step_of(entry)
        if message:
            problems.append(Problem(index, name, number, message))
        elif step is not None:
            steps.append(step)
    problems += [Problem(index, name, None, m) for m in shape_problems(raw, steps)]
    return ConversationTest(name, tuple(steps)), problems


def shape_problems(raw: Sequence[Any], steps: Sequence[Step]) -> list[str]:
    """What is wrong with the test as a whole (its steps are judged one by one)."""
    if not raw:
        return ["the test has no steps"]
    if len(raw) > MAX_STEPS:
        return [f"a test can have at most {MAX_STEPS} steps"]
    if len(steps) != len(raw):
        return []  # each broken step has its own problem
    if steps[0].kind != "person":
        return ["the first step must be what the person says: the bot answers only then"]
    if all(s.kind == "person" for s in steps):
        return ["the test checks nothing: add what the bot must say or store"]
    return []


def step_of(entry: Any) -> tuple[Step | None, str]:
    """One step from its YAML mapping, or what is wrong with it."""
    if not isinstance(entry, dict) or len(entry) != 1:
        return None, f"a step is one of {', '.join(KINDS)}, with its text"
    kind, value = next(iter(entry.items()))
    if kind not in KINDS:
        return None, f"unknown step {kind!r}: use one of {', '.join(KINDS)}"
    if kind == "stored":
        return stored_step(value)
    return said_step(kind, value)


def said_step(kind: Kind, value: Any) -> tuple[Step | None, str]:
    text = " ".join(str(value).split()) if isinstance(value, str | int | float) else ""
    if not text:
        return None, f"{kind} needs some text"
    if len(text) > MAX_TEXT:
        return None, f"{kind} can be at most {MAX_TEXT} characters"
    return Step(kind, text), ""


def stored_step(value: Any) -> tuple[Step | None, str]:
    if not isinstance(value, dict) or not value:
        return None, "stored needs at least one field: value, e.g. {name: Dana Reyes}"
    stored: dict[str, str] = {}
    for name, raw in value.items():
        found = "" if raw is None else " ".join(str(raw).split())
        message = stored_problem(str(name), found)
        if message:
            return None, message
        stored[str(name)] = found
    return Step("stored", stored=stored), ""


def stored_problem(name: str, value: str) -> str:
    """What is wrong with checking `name` for `value` ("" when nothing)."""
    if name not in STORED_FIELDS:
        return f"unknown stored field {name!r}: use one of {', '.join(STORED_FIELDS)}"
    allowed = ALLOWED_VALUES.get(name)
    if value and allowed and value not in allowed:
        return f"{name} is stored as one of {', '.join(allowed)}, not {value!r}"
    if len(value) > MAX_TEXT:
        return f"a stored value can be at most {MAX_TEXT} characters"
    return ""


def _refused(test: int | None, message: str) -> ConversationTestsError:
    return ConversationTestsError([Problem(test, "", None, message)])


# ------------------------------------------------------------------ writing


def dump(tests: Iterable[ConversationTest]) -> str:
    """The file's text: a header that explains the format, then the tests. Strings are
    written JSON-quoted (valid YAML), so a colon or a quote in what the person says
    never changes what the file means."""
    lines = [HEADER.rstrip("\n"), "tests:"]
    listed = list(tests)
    for test in listed:
        lines.append(f"  - name: {_quoted(test.name)}")
        lines.append("    steps:")
        for step in test.steps:
            if step.kind == "stored":
                pairs = ", ".join(f"{k}: {_quoted(v)}" for k, v in step.stored.items())
                lines.append(f"      - stored: {{{pairs}}}")
            else:
                lines.append(f"      - {step.kind}: {_quoted(step.text)}")
    if not listed:
        lines[-1] = "tests: []"
    return "\n".join(lines) + "\n"


def _quoted(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


# ------------------------------------------------------------------ the line format


def lines_of(steps: Iterable[Step]) -> str:
    """A test's steps as the studio's textarea shows them, one line per thing said or
    stored."""
    lines: list[str] = []
    for step in steps:
        mark = MARKS[step.kind]
        if step.kind == "stored":
            lines += [f"{mark} {name}: {value}".rstrip() for name, value in step.stored.items()]
        else:
            lines.append(f"{mark} {step.text}")
    return "\n".join(lines)


def steps_from_lines(text: str) -> tuple[list[dict[str, Any]], list[int]]:
    """The steps (as YAML data) of the textarea's lines and the line each step starts on.
    Consecutive `=` lines are one `stored` step. Blank lines and `#` comments are left
    out. Problems name their line."""
    steps: list[dict[str, Any]] = []
    starts: list[int] = []
    problems: list[Problem] = []
    stored: dict[str, str] | None = None  # the stored step the next `=` line joins
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        kind, rest = KIND_OF_MARK.get(line[0]), line[1:].strip()
        if kind is None:
            problems.append(_on_line(number, f"{line[:20]!r}: {LINE_HELP}"))
            continue
        if kind != "stored":
            stored = None
            if rest:
                steps.append({kind: rest})
                starts.append(number)
            else:
                problems.append(_on_line(number, f"{line[0]} needs some text after it"))
            continue
        name, value, message = _stored_line(rest)
        if message:
            problems.append(_on_line(number, message))
        elif stored is not None and name not in stored:
            stored[name] = value
        else:
            stored = {name: value}
            steps.append({"stored": stored})
            starts.append(number)
    if problems:
        raise ConversationTestsError(problems)
    return steps, starts


def _stored_line(rest: str) -> tuple[str, str, str]:
    """(field, value, what is wrong) of an `=` line's text."""
    name, colon, value = rest.partition(":")
    name, value = name.strip(), " ".join(value.split())
    if not colon or not name:
        return name, value, "= needs a field and a value, e.g. = name: Dana Reyes"
    return name, value, stored_problem(name, value)


def _on_line(number: int, message: str) -> Problem:
    return Problem(None, "", None, message, line=number)
