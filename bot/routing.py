"""Routing rules (routing.yml): what happens to a lead once the qualifying questions are
answered, as an ordered list of "when ... then ..." rules that marketers edit.

The first rule whose conditions all hold is the lead's branch. Conditions look at the
grade, the channel, answers and lead details, the team's office hours or the local hour,
consent, and whether the person asked for a meeting. Actions say something, tag the
contact, note an event on its timeline, enroll it in a campaign, and end with at most one
thing the conversation then waits on: an offer of a person or of a meeting, a handoff, a
qualifying question asked again, or a polite end.

Asking for a person is not a rule: whoever asked for one gets one before any rule is
read (actions/qualify.py), so that no edit can strand someone who asked for a human.

Pure: parsing, checking and choosing read no files and no clock. `RoutingFile` reads
the published file again when a publish changes it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import time
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from bot.errors import ParleyError
from bot.qualification import FIELDS as QUALIFYING_FIELDS
from bot.types import CHANNELS, GRADES, LEAD_FIELDS, PURPOSES, QUALIFICATION_VALUES
from bot.watched_file import WatchedFile

UNGRADED = "ungraded"  # a lead that could not be scored
GRADE_CHOICES: tuple[str, ...] = (*GRADES, UNGRADED)
# Where people talk to the bot; "import" and "staff" are no conversations.
CONVERSATION_CHANNELS: tuple[str, ...] = tuple(c for c in CHANNELS if c not in ("import", "staff"))
# Channel variants of a message, as in knowledge.yml; WhatsApp falls back to the SMS one.
VARIANT_CHANNELS = ("web", "telegram", "sms", "whatsapp", "voice")
_FALLBACK_VARIANT = {"whatsapp": "sms", "rest": "web", "shell": "web"}
KNOWN, UNKNOWN = "known", "unknown"
# What a condition may name without the content: the built-in questions and details.
BUILT_IN_ANSWERS: tuple[str, ...] = (*QUALIFYING_FIELDS, *LEAD_FIELDS)
OFFICE_HOURS = ("open", "closed")
GRANTED, NOT_GRANTED = "granted", "not_granted"
# What the conversation waits on after the rule: at most one per rule, and last.
QUESTIONS: dict[str, str] = {
    "offer_person": "offer talking to a person now, or a meeting",
    "offer_meeting": "offer a meeting",
    "handoff": "hand over to a person now",
    "ask": "ask a qualifying question again",
    "end": "end politely",
}
OTHERS: dict[str, str] = {
    "say": "say",
    "tag": "tag the contact",
    "note": "note on the timeline",
    "enroll": "enroll in the campaign",
}
ACTION_KINDS: tuple[str, ...] = (*OTHERS, *QUESTIONS)
# The question's own words are needed: the rule has to ask what it waits on.
WORDED = frozenset({"say", "offer_person", "offer_meeting", "end"})
NAME = re.compile(r"^[a-z][a-z0-9_-]{0,59}$")
RESPONSE = re.compile(r"^utter_\w{1,100}$")
HOURS = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")
PLACEHOLDER = re.compile(r"\{([^{}\n]*)\}")
FILL_INS = frozenset({"name"})
MAX_RULES = 100
MAX_ACTIONS = 8
MAX_TEXT = 1000
MAX_RULE_NAME = 80


class RoutingError(ParleyError):
    """routing.yml is not a valid list of rules; `problems` says where."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


@dataclass(frozen=True)
class Problem:
    rule: int | None  # 0-based position in the list, None for the file as a whole
    field: str  # "name", "when.grade", "then", "then[2]" or "" for the file
    message: str

    @property
    def where(self) -> str:
        """`rule 2 when.grade`, `rule 3`, or "" for the file as a whole."""
        rule = "" if self.rule is None else f"rule {self.rule + 1}"
        return f"{rule} {self.field}".strip()

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


# ------------------------------------------------------------------ the model


@dataclass(frozen=True)
class Wording:
    """A domain response by name, or the marketer's own text with channel variants."""

    response: str = ""
    text: str = ""
    variants: Mapping[str, str] = field(default_factory=dict)

    def text_for(self, channel: str) -> str:
        return (
            self.variants.get(channel)
            or self.variants.get(_FALLBACK_VARIANT.get(channel, ""))
            or self.text
        )

    def to_yaml(self) -> dict[str, Any]:
        if self.response:
            return {"response": self.response}
        data: dict[str, Any] = {"text": self.text}
        if self.variants:
            data["channels"] = dict(self.variants)
        return data


@dataclass(frozen=True)
class AnswerIs:
    """An answer or lead detail: one of `values`, or (with no values) known / unknown."""

    field: str
    values: frozenset[str] = frozenset()
    known: bool = True

    def holds(self, answers: Mapping[str, str]) -> bool:
        value = answers.get(self.field)
        if self.values:
            return value is not None and value.casefold() in {v.casefold() for v in self.values}
        return bool(value) == self.known

    def to_yaml(self) -> Any:
        if self.values:
            return sorted(self.values)
        return KNOWN if self.known else UNKNOWN


@dataclass(frozen=True)
class HourRange:
    """Local wall-clock hours; one that ends at or before it starts runs past midnight."""

    start: time
    end: time

    def contains(self, moment: time) -> bool:
        if self.start < self.end:
            return self.start <= moment < self.end
        return moment >= self.start or moment < self.end

    def __str__(self) -> str:
        return f"{self.start:%H:%M}-{self.end:%H:%M}"


@dataclass(frozen=True)
class When:
    grades: frozenset[str] = frozenset()
    channels: frozenset[str] = frozenset()
    answers: tuple[AnswerIs, ...] = ()
    office_hours: str = ""  # "open", "closed" or "" for any time
    hours: HourRange | None = None
    consent: Mapping[str, bool] = field(default_factory=dict)
    asked_for_meeting: bool | None = None

    @property
    def always(self) -> bool:
        return self == When()

    def to_yaml(self) -> dict[str, Any]:
        data: dict[str, Any] = {}
        if self.grades:
            data["grade"] = [g for g in GRADE_CHOICES if g in self.grades]
        if self.channels:
            data["channel"] = [c for c in CONVERSATION_CHANNELS if c in self.channels]
        if self.answers:
            data["answers"] = {a.field: a.to_yaml() for a in self.answers}
        if self.office_hours:
            data["office_hours"] = self.office_hours
        if self.hours:
            data["hours"] = str(self.hours)
        if self.consent:
            data["consent"] = {p: GRANTED if g else NOT_GRANTED for p, g in self.consent.items()}
        if self.asked_for_meeting is not None:
            data["asked_for_meeting"] = self.asked_for_meeting
        return data


@dataclass(frozen=True)
class Action:
    kind: str
    wording: Wording | None = None
    value: str = ""  # the tag, the event, the campaign or the qualifying question

    @property
    def is_question(self) -> bool:
        return self.kind in QUESTIONS

    def to_yaml(self) -> Any:
        if self.wording is not None:
            return {self.kind: self.wording.to_yaml()}
        if self.value:
            return {self.kind: self.value}
        return self.kind


@dataclass(frozen=True)
class Rule:
    name: str
    when: When
    then: tuple[Action, ...]

    @property
    def question(self) -> Action | None:
        return next((a for a in self.then if a.is_question), None)

    def to_yaml(self) -> dict[str, Any]:
        data: dict[str, Any] = {"name": self.name}
        if not self.when.always:
            data["when"] = self.when.to_yaml()
        data["then"] = [a.to_yaml() for a in self.then]
        return data


# ------------------------------------------------------------------ choosing


@dataclass(frozen=True)
class Situation:
    """What the rules can look at, gathered by the action."""

    grade: str | None
    channel: str
    answers: Mapping[str, str]
    team_open: bool
    local_time: time
    consent: Mapping[str, bool]
    asked_for_meeting: bool
    # Qualifying questions a rule already asked again in this conversation.
    asked_again: frozenset[str] = frozenset()


def holds(when: When, now: Situation) -> bool:
    """Whether every condition of `when` holds (an absent one holds always)."""
    grade = now.grade or UNGRADED
    return (
        (not when.grades or grade in when.grades)
        and (not when.channels or now.channel in when.channels)
        and all(a.holds(now.answers) for a in when.answers)
        and (not when.office_hours or (when.office_hours == "open") == now.team_open)
        and (when.hours is None or when.hours.contains(now.local_time))
        and all(now.consent.get(p, False) == g for p, g in when.consent.items())
        and (when.asked_for_meeting is None or when.asked_for_meeting == now.asked_for_meeting)
    )


def can_act(rule: Rule, now: Situation) -> bool:
    """A rule that would ask a question again does so once, and only while it is unknown:
    past that it is passed over, so the conversation never loops."""
    question = rule.question
    if question is None or question.kind != "ask":
        return True
    return question.value not in now.asked_again and not now.answers.get(question.value)


def choose(rules: Sequence[Rule], now: Situation) -> Rule | None:
    """The first rule that applies, or None when none does."""
    return next((r for r in rules if holds(r.when, now) and can_act(r, now)), None)


# ------------------------------------------------------------------ reading


def _text(value: object) -> str:
    return " ".join(str(value).split()) if isinstance(value, str | int | float) else ""


def _names(value: object) -> list[str]:
    items = value if isinstance(value, list) else [value]
    return [_text(v) for v in items if _text(v)]


class _Reader:
    """Collects every problem of one rule, so a form can show them all at once."""

    def __init__(self, index: int, problems: list[Problem]) -> None:
        self.index, self.problems = index, problems

    def problem(self, where: str, message: str) -> None:
        self.problems.append(Problem(self.index, where, message))

    def choices(self, where: str, value: object, allowed: Sequence[str]) -> frozenset[str]:
        chosen = _names(value)
        wrong = [c for c in chosen if c not in allowed]
        if wrong:
            self.problem(where, f"unknown {', '.join(wrong)}: use {', '.join(allowed)}")
        if not chosen:
            self.problem(where, f"choose at least one of {', '.join(allowed)}")
        return frozenset(c for c in chosen if c in allowed)

    def when(self, raw: object) -> When:
        if raw is None:
            return When()
        if not isinstance(raw, dict):
            self.problem("when", "a mapping of conditions")
            return When()
        known = ("grade", "channel", "answers", "office_hours", "hours", "consent",
                 "asked_for_meeting")  # fmt: skip
        for key in raw:
            if key == "asked_for_person" or (key == "asked_for" and raw[key] == "person"):
                self.problem(
                    f"when.{key}",
                    "asking for a person always hands over first, before any rule",
                )
            elif key not in known:
                self.problem(f"when.{key}", f"unknown condition; use {', '.join(known)}")
        when = When(
            grades=self.choices("when.grade", raw["grade"], GRADE_CHOICES)
            if "grade" in raw
            else frozenset(),
            channels=self.choices("when.channel", raw["channel"], CONVERSATION_CHANNELS)
            if "channel" in raw
            else frozenset(),
            answers=self.answers(raw.get("answers")),
            office_hours=self.office_hours(raw.get("office_hours")),
            hours=self.hours(raw.get("hours")),
            consent=self.consent(raw.get("consent")),
            asked_for_meeting=self.flag("when.asked_for_meeting", raw.get("asked_for_meeting")),
        )
        return when

    def answers(self, raw: object) -> tuple[AnswerIs, ...]:
        if raw is None:
            return ()
        if not isinstance(raw, dict) or not raw:
            self.problem("when.answers", "a mapping of question or detail to what it must be")
            return ()
        found = []
        for name, wanted in raw.items():
            found.extend(self.answer(str(name), wanted))
        return tuple(found)

    def answer(self, name: str, wanted: object) -> list[AnswerIs]:
        where = f"when.answers.{name}"
        if name not in BUILT_IN_ANSWERS and not NAME.match(name):
            fields = ", ".join(BUILT_IN_ANSWERS)
            self.problem(
                where,
                f"no question or detail {name!r}; use one of {fields}, or the name of a"
                " qualifying question or lead field of your own",
            )
            return []
        if wanted in (KNOWN, UNKNOWN):
            return [AnswerIs(name, known=wanted == KNOWN)]
        values = _names(wanted)
        if not values:
            self.problem(where, "give the answers it must be, or known, or unknown")
            return []
        allowed = QUALIFICATION_VALUES.get(name)
        wrong = [v for v in values if allowed is not None and v not in allowed]
        if allowed is not None and wrong:
            self.problem(where, f"{name} is never {', '.join(wrong)}; use {', '.join(allowed)}")
            return []
        return [AnswerIs(name, frozenset(values))]

    def office_hours(self, raw: object) -> str:
        if raw is None:
            return ""
        if raw not in OFFICE_HOURS:
            self.problem("when.office_hours", "open or closed")
            return ""
        return str(raw)

    def hours(self, raw: object) -> HourRange | None:
        if raw is None:
            return None
        match = HOURS.match(str(raw))
        numbers = [int(n) for n in match.groups()] if match else []
        if not match or numbers[0] > 23 or numbers[2] > 24 or numbers[1] > 59 or numbers[3] > 59:
            self.problem("when.hours", "from-to in 24-hour time, e.g. 09:00-17:30")
            return None
        start, end = time(numbers[0], numbers[1]), time(numbers[2] % 24, numbers[3])
        if start == end:
            self.problem("when.hours", "the hours start and end at the same time")
            return None
        return HourRange(start, end)

    def consent(self, raw: object) -> dict[str, bool]:
        if raw is None:
            return {}
        if not isinstance(raw, dict) or not raw:
            self.problem("when.consent", "a mapping of purpose to granted or not_granted")
            return {}
        found: dict[str, bool] = {}
        for purpose, state in raw.items():
            where = f"when.consent.{purpose}"
            if purpose not in PURPOSES:
                self.problem(where, f"no consent purpose {purpose!r}; use {', '.join(PURPOSES)}")
            elif state not in (GRANTED, NOT_GRANTED):
                self.problem(where, "granted or not_granted")
            else:
                found[str(purpose)] = state == GRANTED
        return found

    def flag(self, where: str, raw: object) -> bool | None:
        if raw is None or isinstance(raw, bool):
            return raw
        self.problem(where, "true or false")
        return None

    def then(self, raw: object) -> tuple[Action, ...]:
        items = raw if isinstance(raw, list) else []
        if not items:
            self.problem("then", "say what the rule does: at least one action")
            return ()
        if len(items) > MAX_ACTIONS:
            self.problem("then", f"at most {MAX_ACTIONS} actions")
        actions = [a for n, item in enumerate(items) if (a := self.action(n, item))]
        questions = [n for n, a in enumerate(actions) if a.is_question]
        if len(questions) > 1:
            self.problem(
                f"then[{questions[1] + 1}]",
                "one question per rule: the conversation can wait for only one answer",
            )
        elif questions and questions[0] != len(actions) - 1:
            self.problem(
                f"then[{questions[0] + 1}]",
                "the question comes last: the conversation waits for its answer",
            )
        return tuple(actions)

    def action(self, number: int, item: object) -> Action | None:
        where = f"then[{number + 1}]"
        kind, value = (item, None) if isinstance(item, str) else _single(item)
        if kind not in ACTION_KINDS:
            self.problem(where, f"unknown action; use one of {', '.join(ACTION_KINDS)}")
            return None
        if kind in WORDED:
            wording = self.wording(where, value)
            return Action(kind, wording) if wording else None
        if kind == "handoff":
            return Action(kind)
        name = _text(value)
        if kind == "ask" and name not in QUALIFYING_FIELDS:
            self.problem(
                where, f"ask one of the qualifying questions: {', '.join(QUALIFYING_FIELDS)}"
            )
            return None
        if kind != "ask" and not NAME.match(name):
            what = {"tag": "the tag", "note": "the event", "enroll": "the campaign"}[kind]
            self.problem(where, f"name {what}: lower-case letters, digits, - and _")
            return None
        return Action(kind, value=name)

    def wording(self, where: str, raw: object) -> Wording | None:
        if isinstance(raw, str):
            raw = {"text": raw}
        if not isinstance(raw, dict):
            self.problem(where, "give the words to say (text) or a response (utter_...)")
            return None
        response = _text(raw.get("response"))
        if response:
            if not RESPONSE.match(response):
                self.problem(where, f"{response!r} is no response name (utter_...)")
                return None
            return Wording(response=response)
        text = str(raw.get("text") or "").strip()
        if not text:
            self.problem(where, "the words to say are empty")
            return None
        variants: dict[str, str] = {}
        channels = raw.get("channels") or {}
        for channel, said in channels.items() if isinstance(channels, dict) else []:
            if channel not in VARIANT_CHANNELS:
                self.problem(f"{where}.{channel}", f"use one of {', '.join(VARIANT_CHANNELS)}")
            elif str(said or "").strip():
                variants[str(channel)] = str(said).strip()
        for channel, said in [("", text), *variants.items()]:
            self.check_text(f"{where}.{channel}" if channel else where, said)
        return Wording(text=text, variants=variants)

    def check_text(self, where: str, text: str) -> None:
        if len(text) > MAX_TEXT:
            self.problem(where, f"at most {MAX_TEXT} characters")
        unknown = sorted({p for p in PLACEHOLDER.findall(text) if p not in FILL_INS})
        if unknown:
            self.problem(where, f"only {{name}} is filled in, not {', '.join(unknown)}")


def _single(item: object) -> tuple[object, object]:
    if isinstance(item, dict) and len(item) == 1:
        return next(iter(item.items()))
    return None, None


def rules_from_data(data: object) -> list[Rule]:
    """Validate parsed YAML (a mapping with `rules:`, or the bare list)."""
    items = data.get("rules") if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise RoutingError([Problem(None, "", "`rules` must be a list of rules")])
    problems: list[Problem] = []
    if len(items) > MAX_RULES:
        problems.append(Problem(None, "", f"at most {MAX_RULES} rules"))
    rules = [r for n, item in enumerate(items) if (r := _rule(n, item, problems))]
    problems += _order_problems(rules) if not problems else []
    if problems:
        raise RoutingError(problems)
    return rules


def _rule(index: int, item: object, problems: list[Problem]) -> Rule | None:
    if not isinstance(item, dict):
        problems.append(Problem(index, "", "each rule needs a name, when and then"))
        return None
    before = len(problems)
    reader = _Reader(index, problems)
    for key in item:
        if key not in ("name", "when", "then"):
            reader.problem(str(key), "a rule has only name, when and then")
    name = _text(item.get("name"))
    if not name:
        reader.problem("name", "give the rule a name")
    elif len(name) > MAX_RULE_NAME:
        reader.problem("name", f"at most {MAX_RULE_NAME} characters")
    rule = Rule(name, reader.when(item.get("when")), reader.then(item.get("then")))
    return rule if len(problems) == before else None


def _order_problems(rules: Sequence[Rule]) -> list[Problem]:
    """Every lead ends somewhere, and every rule can be reached."""
    problems = []
    names: dict[str, int] = {}
    for index, rule in enumerate(rules):
        if rule.name.casefold() in names:
            first = names[rule.name.casefold()]
            problems.append(Problem(index, "name", f"rule {first + 1} has this name already"))
        names.setdefault(rule.name.casefold(), index)
    catch_all = next((i for i, r in enumerate(rules) if r.when.always and _always_acts(r)), None)
    if catch_all is None:
        problems.append(
            Problem(
                None,
                "",
                "the last rule must apply to everyone (no conditions), so that every lead "
                "ends somewhere",
            )
        )
    elif catch_all < len(rules) - 1:
        problems.append(
            Problem(
                catch_all + 1,
                "",
                f"never applies: rule {catch_all + 1} ({rules[catch_all].name}) before it "
                "applies to everyone",
            )
        )
    return problems


def _always_acts(rule: Rule) -> bool:
    return rule.question is None or rule.question.kind != "ask"


# ------------------------------------------------------------------ what it points at


@dataclass(frozen=True)
class Targets:
    """What rules may name: the domain's responses, the campaigns, the qualifying
    questions asked (qualification.yml)."""

    responses: frozenset[str]
    campaigns: frozenset[str]
    questions: frozenset[str]
    # The marketers' own qualifying questions and lead fields a condition may name.
    custom_answers: frozenset[str] = frozenset()


def dangling(rules: Sequence[Rule], targets: Targets) -> list[Problem]:
    """Conditions and actions that point nowhere: an unknown question or field, response
    or campaign."""
    problems = []
    for index, rule in enumerate(rules):
        for answer in rule.when.answers:
            if answer.field not in BUILT_IN_ANSWERS and answer.field not in targets.custom_answers:
                problems.append(
                    Problem(
                        index,
                        f"when.answers.{answer.field}",
                        f"no qualifying question or lead field {answer.field!r}",
                    )
                )
        for number, action in enumerate(rule.then):
            where = f"then[{number + 1}]"
            wording = action.wording
            if wording and wording.response and wording.response not in targets.responses:
                problems.append(
                    Problem(index, where, f"domain.yml has no response {wording.response}")
                )
            if action.kind == "enroll" and action.value not in targets.campaigns:
                known = ", ".join(sorted(targets.campaigns)) or "none"
                problems.append(
                    Problem(index, where, f"no campaign {action.value!r} (campaigns: {known})")
                )
            if action.kind == "ask" and action.value not in targets.questions:
                problems.append(
                    Problem(index, where, f"qualification.yml does not ask {action.value}")
                )
    return problems


# ------------------------------------------------------------------ files


def parse(text: str) -> list[Rule]:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise RoutingError([Problem(None, "", f"not valid YAML: {error}")]) from error
    return rules_from_data(data)


HEADER = (
    "# Routing: what happens to a lead once the qualifying questions are answered. The\n"
    "# first rule whose conditions all hold is the lead's branch; the last one applies to\n"
    "# everyone. Edit in the studio (Content > Routing) or here; see README.md.\n"
)


def dump(rules: Iterable[Rule]) -> str:
    body = yaml.safe_dump(
        {"version": 1, "rules": [r.to_yaml() for r in rules]},
        sort_keys=False,
        allow_unicode=True,
        width=4096,
    )
    return HEADER + body


# The routing Parley has always done (A to a person, B to nurture, C and D a close),
# also what the bot falls back to when routing.yml is broken by hand.
DEFAULT_RULES_TEXT = """
rules:
  - name: Hot lead while the team is away
    when: {grade: [A], office_hours: closed}
    then: [handoff]
  - name: Hot lead
    when: {grade: [A]}
    then:
      - offer_person: {response: utter_route_hot}
  - name: Warm lead
    when: {grade: [B]}
    then:
      - note: nurture_requested
      - offer_meeting: {response: utter_route_warm}
  - name: Came for a demo
    when: {asked_for_meeting: true}
    then:
      - offer_meeting: {response: utter_route_booking}
  - name: Everyone else
    then:
      - end: {response: utter_route_close}
"""


@lru_cache(maxsize=1)
def default_rules() -> tuple[Rule, ...]:
    return tuple(parse(DEFAULT_RULES_TEXT))


def load(path: Path) -> tuple[Rule, ...]:
    """The rules in `path`; a missing file is the shipped default."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return default_rules()
    return tuple(parse(text))


class RoutingFile(WatchedFile[tuple[Rule, ...]]):
    """The rules in a file, read again when the file changes (a publish rewrites it)."""

    def __init__(self, path: Path) -> None:
        super().__init__(path, load, default_rules())
