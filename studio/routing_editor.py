"""Editing the routing rules (routing.yml): the list in order, each as a "when ... then
..." sentence, and one rule at a time.

Like the other content editors, every change builds the whole new file, checks it with
the bot's own reader (`bot.routing`) and then with the draft's validation on a temporary
copy (which also finds actions that point nowhere: a response, campaign or question the
draft does not have), and writes it only when nothing is wrong; otherwise the form comes
back with each problem next to its field and the draft is untouched. Forms carry the
fingerprint of the file they were made from: an edit made on rules that someone else
changed since is refused (409), since "rule 3" may no longer be the same rule.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from multidict import MultiDictProxy

from bot import routing
from bot.qualification import FIELDS as QUALIFYING_FIELDS
from bot.types import LEAD_FIELDS, PURPOSES
from studio.content import SAVED, FormError, clean_text, errors_by_field, read_or_empty, save
from studio.policy_editors import BASE, STALE, Stale, check_base, fingerprint, workspace
from studio.validation import ROUTING, Problem
from studio.web import audit, form, in_thread, redirect, render, requires
from studio.workspace import Workspace

routes = web.RouteTableDef()

HOME = "/content/routing"
ROWS = 4  # action rows on the form: say, tag, enroll and a question fit
CONDITION_FIELDS = ("name", "grade", "channel", "answers", "office_hours", "hours",
                    "asked_for_meeting", *(f"consent_{p}" for p in PURPOSES))  # fmt: skip
FIELDS = frozenset({*CONDITION_FIELDS, "then", *(f"then_{n}" for n in range(1, ROWS + 1))})
ACTION_LABELS = {**routing.OTHERS, **routing.QUESTIONS}
# Where a problem of the bot's reader lands on the form.
_WHERE = re.compile(r"^rule (\d+)(?: (.*))?$")


class Unreadable(Exception):
    def __init__(self, problems: list[routing.Problem]) -> None:
        super().__init__("; ".join(str(p) for p in problems))


# ------------------------------------------------------------------ the draft's rules


def current_text(ws: Workspace) -> str:
    return read_or_empty(ws, ROUTING)


def rules_of(text: str) -> list[routing.Rule]:
    """The draft's rules; no file is the shipped default."""
    if not text.strip():
        return list(routing.default_rules())
    try:
        return routing.parse(text)
    except routing.RoutingError as error:
        raise Unreadable(error.problems) from error


def refused(field: str, message: str) -> FormError:
    return FormError([Problem(ROUTING, field, message)])


def rules_or_form_error(text: str) -> list[routing.Rule]:
    try:
        return rules_of(text)
    except Unreadable as error:
        raise refused(
            "", f"{ROUTING} in the draft cannot be read ({error}); fix it by hand."
        ) from error


def field_on_form(where: str) -> str:
    """ "when.grade" is the grade field, "then[2].voice" the second action row."""
    if where.startswith("when.consent."):
        return "consent_" + where.removeprefix("when.consent.")
    if where.startswith("when."):
        return where.removeprefix("when.").split(".")[0]
    found = re.match(r"^then\[(\d+)\]", where)
    return f"then_{found[1]}" if found else where


def on_form(problem: Problem, mine: int | None) -> Problem:
    """A problem of rule `mine` (0-based) at its field; any other at the top of the page."""
    if problem.field in FIELDS or not problem.field:
        return problem  # placed already
    found = _WHERE.match(problem.field)
    if found and mine is not None and int(found[1]) - 1 == mine:
        return Problem(problem.file, field_on_form(found[2] or ""), problem.message)
    return Problem(problem.file, "", f"{problem.field}: {problem.message}".lstrip(": "))


def checked(data: list[Any], mine: int | None) -> list[routing.Rule]:
    try:
        return routing.rules_from_data(data)
    except routing.RoutingError as error:
        raise FormError(
            [on_form(Problem(ROUTING, p.where, p.message), mine) for p in error.problems]
        ) from error


# ------------------------------------------------------------------ one rule's form


@dataclass
class ActionRow:
    kind: str = ""
    value: str = ""  # the words, a response name (utter_...), a tag, a campaign, a question
    voice: str = ""
    sms: str = ""


@dataclass
class RuleForm:
    """What the rule form shows; `position` is the rule's place (1-based, 0 when new)."""

    position: int
    name: str = ""
    grade: list[str] = field(default_factory=list)
    channel: list[str] = field(default_factory=list)
    answers: str = ""  # "budget: over_50k, 10k_50k" / "phone: known", one per line
    office_hours: str = ""
    hours: str = ""
    asked_for_meeting: str = ""  # "", "yes", "no"
    consent: dict[str, str] = field(default_factory=dict)
    then: list[ActionRow] = field(default_factory=list)

    @classmethod
    def of(cls, rule: routing.Rule, position: int) -> RuleForm:
        when = rule.when
        asked = {None: "", True: "yes", False: "no"}[when.asked_for_meeting]
        return cls(
            position, rule.name, sorted(when.grades, key=routing.GRADE_CHOICES.index),
            [c for c in routing.CONVERSATION_CHANNELS if c in when.channels],
            "\n".join(f"{a.field}: {answer_text(a)}" for a in when.answers),
            when.office_hours, str(when.hours or ""), asked,
            {p: routing.GRANTED if g else routing.NOT_GRANTED for p, g in when.consent.items()},
            [row_of(a) for a in rule.then],
        )  # fmt: skip

    @classmethod
    def posted(cls, position: int, values: MultiDictProxy[str]) -> RuleForm:
        rows = [
            ActionRow(
                values.get(f"then_{n}_kind", ""),
                clean_text(values.get(f"then_{n}_value")),
                clean_text(values.get(f"then_{n}_voice")),
                clean_text(values.get(f"then_{n}_sms")),
            )
            for n in range(1, ROWS + 1)
        ]
        return cls(
            position, " ".join(values.get("name", "").split()), values.getall("grade", []),
            values.getall("channel", []), clean_text(values.get("answers")),
            values.get("office_hours", ""), values.get("hours", "").strip(),
            values.get("asked_for_meeting", ""),
            {p: values.get(f"consent_{p}", "") for p in PURPOSES if values.get(f"consent_{p}")},
            [row for row in rows if row.kind or row.value],
        )  # fmt: skip

    def rows(self) -> list[ActionRow]:
        """The rows the form shows: the rule's actions, then empty ones."""
        return [*self.then, *(ActionRow() for _ in range(ROWS - len(self.then)))]

    def to_data(self) -> dict[str, Any]:
        """The rule as raw YAML data, for the bot's reader to judge."""
        when: dict[str, Any] = {}
        if self.grade:
            when["grade"] = self.grade
        if self.channel:
            when["channel"] = self.channel
        if self.answers:
            when["answers"] = answers_data(self.answers)
        if self.office_hours:
            when["office_hours"] = self.office_hours
        if self.hours:
            when["hours"] = self.hours
        if self.asked_for_meeting:
            when["asked_for_meeting"] = self.asked_for_meeting == "yes"
        if self.consent:
            when["consent"] = dict(self.consent)
        data: dict[str, Any] = {"name": self.name}
        if when:
            data["when"] = when
        data["then"] = [action_data(row) for row in self.then]
        return data


def answer_text(answer: routing.AnswerIs) -> str:
    if answer.values:
        return ", ".join(sorted(answer.values))
    return routing.KNOWN if answer.known else routing.UNKNOWN


def answers_data(text: str) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for line in text.split("\n"):
        name, colon, wanted = line.partition(":")
        if not colon or not name.strip():
            raise refused("answers", f"write each as question: answers, not {line.strip()!r}")
        values = [v.strip() for v in wanted.split(",") if v.strip()]
        single = values[0] if len(values) == 1 else None
        found[name.strip()] = single if single in (routing.KNOWN, routing.UNKNOWN) else values
    return found


def row_of(action: routing.Action) -> ActionRow:
    wording = action.wording
    if wording is None:
        return ActionRow(action.kind, action.value)
    if wording.response:
        return ActionRow(action.kind, wording.response)
    return ActionRow(
        action.kind,
        wording.text,
        wording.variants.get("voice", ""),
        wording.variants.get("sms", ""),
    )


def action_data(row: ActionRow) -> Any:
    if row.kind == "handoff":
        return "handoff"
    if row.kind not in routing.WORDED:
        return {row.kind or "?": row.value}
    if routing.RESPONSE.match(row.value):
        return {row.kind: {"response": row.value}}
    variants = {c: t for c, t in (("voice", row.voice), ("sms", row.sms)) if t}
    return {row.kind: {"text": row.value, **({"channels": variants} if variants else {})}}


# ------------------------------------------------------------------ saving


def save_rule(
    ws: Workspace, posted: RuleForm, values: Mapping[str, str]
) -> tuple[int, list[Problem]]:
    """Add (position 0: before the rule for everyone) or replace a rule: (its position,
    the problems; none when it was written)."""
    position = posted.position

    def build(ws: Workspace) -> dict[str, str]:
        nonlocal position
        text = current_text(ws)
        check_base(values, text)
        rules = rules_or_form_error(text)
        data = [r.to_yaml() for r in rules]
        if posted.position > len(rules):
            raise refused("", "That rule was removed from the draft.")
        if posted.position:
            index = posted.position - 1
            data[index] = posted.to_data()
        else:
            index = len(rules) - 1 if rules and rules[-1].when.always else len(rules)
            data.insert(index, posted.to_data())
        position = index + 1
        return {ROUTING: routing.dump(checked(data, index))}

    problems = save(ws, build)
    return position, [on_form(p, position - 1) if p.file == ROUTING else p for p in problems]


def change_list(
    ws: Workspace, values: Mapping[str, str], position: int, move: int | None
) -> list[Problem]:
    """Move a rule up (-1) or down (+1), or delete it (move None)."""

    def build(ws: Workspace) -> dict[str, str]:
        text = current_text(ws)
        check_base(values, text)
        rules = rules_or_form_error(text)
        if not 1 <= position <= len(rules):
            raise refused("", "That rule was removed from the draft.")
        index = position - 1
        if move is None:
            del rules[index]
        else:
            other = index + move
            if not 0 <= other < len(rules):
                raise refused("", "That rule cannot move further.")
            rules[index], rules[other] = rules[other], rules[index]
        return {ROUTING: routing.dump(checked([r.to_yaml() for r in rules], None))}

    return [on_form(p, None) for p in save(ws, build)]


# ------------------------------------------------------------------ in words


def sentence(rule: routing.Rule) -> str:
    """ "When the grade is A and the team is away, then hand over to a person now." """
    conditions = when_words(rule.when)
    actions = ", then ".join(action_words(a) for a in rule.then)
    return (
        f"When {' and '.join(conditions)}, then {actions}." if conditions else f"Always {actions}."
    )


def when_words(when: routing.When) -> list[str]:
    words = []
    if when.grades:
        words.append(
            f"the grade is {' or '.join(g for g in routing.GRADE_CHOICES if g in when.grades)}"
        )
    if when.channels:
        words.append(f"the channel is {' or '.join(sorted(when.channels))}")
    for answer in when.answers:
        name = answer.field.replace("_", " ")
        words.append(
            f"{name} is {' or '.join(sorted(answer.values))}" if answer.values
            else f"{name} is {'known' if answer.known else 'not known'}"
        )  # fmt: skip
    if when.office_hours:
        words.append("the team is in" if when.office_hours == "open" else "the team is away")
    if when.hours:
        words.append(f"the local time is {when.hours}")
    for purpose, granted in when.consent.items():
        words.append(f"{purpose} consent is {'given' if granted else 'not given'}")
    if when.asked_for_meeting is not None:
        words.append(f"they {'asked' if when.asked_for_meeting else 'did not ask'} for a meeting")
    return words


def action_words(action: routing.Action) -> str:
    label = ACTION_LABELS[action.kind]
    wording = action.wording
    if wording is not None:
        said = wording.response or f"\u201c{wording.text}\u201d"
        return f"{label} {said}" if action.kind == "say" else f"{label} ({said})"
    return f"{label} {action.value}".strip()


# ------------------------------------------------------------------ pages


def choices() -> dict[str, Any]:
    return {
        "grades": routing.GRADE_CHOICES, "channels": routing.CONVERSATION_CHANNELS,
        "purposes": PURPOSES, "kinds": ACTION_LABELS, "questions": QUALIFYING_FIELDS,
        "fields": (*QUALIFYING_FIELDS, *LEAD_FIELDS),
    }  # fmt: skip


def list_page(
    request: web.Request, text: str, problems: Sequence[Problem] = (), *, status: int = 200
) -> web.Response:
    try:
        rules, broken = rules_of(text), ""
    except Unreadable as error:
        rules, broken = [], f"{ROUTING} in the draft cannot be read ({error}); fix it by hand."
    _, general = errors_by_field(list(problems), set())
    return render(
        request, "content/routing.html", status=status, rules=rules, sentence=sentence,
        broken=broken, general=general, base=fingerprint(text),
        notice=SAVED if request.query.get("saved") == "1" else "",
    )  # fmt: skip


def rule_page(
    request: web.Request, shown: RuleForm, base: str, problems: Sequence[Problem] = (),
    *, status: int = 200,
) -> web.Response:  # fmt: skip
    errors, general = errors_by_field(list(problems), set(FIELDS))
    return render(
        request, "content/routing_rule.html", status=status, rule=shown, errors=errors,
        general=general, base=base, notice=SAVED if request.query.get("saved") == "1" else "",
        **choices(),
    )  # fmt: skip


def position_of(request: web.Request) -> int:
    found = request.match_info["position"]
    if not found.isdigit() or not 1 <= int(found) <= routing.MAX_RULES:
        raise web.HTTPNotFound()
    return int(found)


def stored(text: str, position: int) -> routing.Rule:
    rules = rules_of(text)
    if position > len(rules):
        raise web.HTTPNotFound()
    return rules[position - 1]


@routes.get(HOME)
@requires("content.edit")
async def routing_list(request: web.Request) -> web.Response:
    return list_page(request, await in_thread(current_text, workspace(request)))


@routes.get(f"{HOME}/new")
@requires("content.edit")
async def new_page(request: web.Request) -> web.Response:
    text = await in_thread(current_text, workspace(request))
    return rule_page(request, RuleForm(0), fingerprint(text))


@routes.post(f"{HOME}/new")
@requires("content.edit")
async def new_save(request: web.Request) -> web.Response:
    return await _save(request, 0)


@routes.get(HOME + "/rules/{position}")
@requires("content.edit")
async def edit_page(request: web.Request) -> web.Response:
    position = position_of(request)
    text = await in_thread(current_text, workspace(request))
    try:
        rule = stored(text, position)
    except Unreadable as error:
        return render(request, "error.html", status=409, message=f"{ROUTING}: {error}")
    return rule_page(request, RuleForm.of(rule, position), fingerprint(text))


@routes.post(HOME + "/rules/{position}")
@requires("content.edit")
async def edit_save(request: web.Request) -> web.Response:
    return await _save(request, position_of(request))


async def _save(request: web.Request, position: int) -> web.Response:
    values = await form(request)
    posted = RuleForm.posted(position, values)
    ws = workspace(request)
    try:
        saved_at, problems = await in_thread(save_rule, ws, posted, dict(values))
    except Stale:
        return await _stale(request, position)
    if problems:
        base = values.get(BASE) or fingerprint(await in_thread(current_text, ws))
        return rule_page(request, posted, base, problems, status=400)
    await audit(
        request, "studio.content_saved", f"routing rule {posted.name}", file=ROUTING,
        created=not position, position=saved_at,
    )  # fmt: skip
    return redirect(f"{HOME}/rules/{saved_at}?saved=1")


async def _stale(request: web.Request, position: int) -> web.Response:
    text = await in_thread(current_text, workspace(request))
    stale = [Problem(ROUTING, "", STALE)]
    try:
        shown = RuleForm.of(stored(text, position), position) if position else RuleForm(0)
    except (Unreadable, web.HTTPNotFound):
        return list_page(request, text, stale, status=409)
    return rule_page(request, shown, fingerprint(text), stale, status=409)


async def _change(request: web.Request, move: int | None, what: str) -> web.Response:
    position = position_of(request)
    values = dict(await form(request))
    ws = workspace(request)
    try:
        problems = await in_thread(change_list, ws, values, position, move)
    except Stale:
        text = await in_thread(current_text, ws)
        return list_page(request, text, [Problem(ROUTING, "", STALE)], status=409)
    if problems:
        return list_page(request, await in_thread(current_text, ws), problems, status=400)
    await audit(
        request, "studio.content_saved", f"routing rule {position}", file=ROUTING, **{what: True}
    )
    return redirect(f"{HOME}?saved=1")


@routes.post(HOME + "/rules/{position}/up")
@requires("content.edit")
async def move_up(request: web.Request) -> web.Response:
    return await _change(request, -1, "moved_up")


@routes.post(HOME + "/rules/{position}/down")
@requires("content.edit")
async def move_down(request: web.Request) -> web.Response:
    return await _change(request, 1, "moved_down")


@routes.post(HOME + "/rules/{position}/delete")
@requires("content.edit")
async def delete(request: web.Request) -> web.Response:
    return await _change(request, None, "deleted")


__all__ = ["routes"]
