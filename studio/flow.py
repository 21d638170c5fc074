"""See the flow (#19 item 6): the conversation as the draft has it, as a diagram and a list.

`read_flow` reads a content root (the draft) into a typed model: the lead form's
questions in order, the summary, the consent questions, the qualifying questions with
their skip rules in words, and the routing rules (with the rubric's thresholds for their
grades) and where each branch ends. `flow_svg` draws that model as one server-rendered SVG, built
from escaped text only, with no script or external resource, so the strict CSP holds.

What happens after the grade is the draft's routing rules (routing.yml, bot/routing.py),
drawn in the order the bot reads them, each ending where its question leaves the lead;
the built-in handoff for whoever asked for a person comes first.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any, Literal

import yaml
from aiohttp import web
from markupsafe import Markup

from bot import custom_fields, routing
from bot.consent import ConsentConfigError, load_consent_config
from bot.qualification import LABELS, QualificationConfigError, load_qualification_config
from bot.qualification import Question as QualifyingRule
from bot.scoring.rubric import Rubric, RubricError, load_content_rubric
from bot.types import GRADES
from studio.content import DOMAIN, LEAD_FORM, QUALIFICATION, plain_variation, workspace
from studio.routing_editor import action_words, when_words
from studio.validation import LEAD_FIELDS, ROUTING
from studio.web import in_thread, render, requires

routes = web.RouteTableDef()

CONSENT = "consent.yml"
SCORING = "scoring.yml"


# ------------------------------------------------------------------ the model


@dataclass(frozen=True)
class FormStep:
    """One question of the lead form: the slot it fills and how it is asked."""

    slot: str
    response: str
    text: str


@dataclass(frozen=True)
class ConsentStep:
    purpose: str
    wording: str
    # In words: when it is asked ("always", "only when there is a phone number").
    when: str


@dataclass(frozen=True)
class QualifyingStep:
    field: str
    response: str
    text: str
    # In words; "" when the question is never left out.
    skip: str


@dataclass(frozen=True)
class End:
    """Where a routing branch ends: what the bot says and what is on offer after it."""

    when: str
    response: str
    says: str
    then: str


@dataclass(frozen=True)
class Branch:
    label: str
    # The scores that land here, in words ("70 or more").
    scores: str
    note: str
    ends: tuple[End, ...]


@dataclass(frozen=True)
class Flow:
    lead_form: tuple[FormStep, ...]
    summary: str
    consent: tuple[ConsentStep, ...]
    qualifying: tuple[QualifyingStep, ...]
    rubric_version: str
    routing: tuple[Branch, ...]


class FlowError(Exception):
    """A draft file the flow needs cannot be read."""

    def __init__(self, file: str, reason: str) -> None:
        super().__init__(f"{file}: {reason}")
        self.file = file
        self.reason = reason


# ------------------------------------------------------------------ reading the draft


def read_flow(root: Path) -> Flow:
    """The flow as the content under `root` has it. Reads files and nothing else."""
    responses, slots = _domain(root)
    rubric = _rubric(root)
    rules = _qualifying(root)
    return Flow(
        lead_form=(
            *(
                FormStep(slot, f"utter_ask_{slot}", default_text(responses, f"utter_ask_{slot}"))
                for slot in slots
            ),
            *_custom_steps(root),
        ),
        summary=default_text(responses, "utter_lead_summary"),
        consent=_consent(root),
        qualifying=tuple(qualifying_step(rule, rules, responses) for rule in rules),
        rubric_version=rubric.version,
        routing=routing_branches(_routing(root), rubric, responses),
    )


def _custom_steps(root: Path) -> tuple[FormStep, ...]:
    """The marketers' own fields, asked after the built-in ones in the file's order."""
    try:
        fields = custom_fields.load(root / LEAD_FIELDS)
    except custom_fields.FieldsError as error:
        raise FlowError(LEAD_FIELDS, str(error)) from error
    return tuple(
        FormStep(
            f.name,
            f"{LEAD_FIELDS}: {f.label}, {f.type}{' (optional)' if f.optional else ''}",
            f.question,
        )
        for f in fields
    )


def _domain(root: Path) -> tuple[Mapping[str, Any], list[str]]:
    try:
        domain = yaml.safe_load((root / DOMAIN).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise FlowError(DOMAIN, f"cannot be read: {error}") from error
    if not isinstance(domain, dict):
        raise FlowError(DOMAIN, "expected a mapping of intents, slots, responses, forms")
    form = (domain.get("forms") or {}).get(LEAD_FORM)
    slots = form.get("required_slots") if isinstance(form, dict) else None
    if not isinstance(slots, list):
        raise FlowError(DOMAIN, f"forms: {LEAD_FORM}: required_slots is missing")
    responses = domain.get("responses")
    return (responses if isinstance(responses, dict) else {}), [str(s) for s in slots]


def _consent(root: Path) -> tuple[ConsentStep, ...]:
    try:
        config = load_consent_config(root / CONSENT)
    except ConsentConfigError as error:
        raise FlowError(CONSENT, error.reason) from error
    return tuple(
        ConsentStep(q.purpose, q.wording, asked_when(q.requires)) for q in config.questions
    )


def asked_when(requires: str | None) -> str:
    # consent.yml's `requires:` names a lead field the question needs (sms: a phone).
    return "always" if requires is None else f"only when there is a {requires.replace('_', ' ')}"


def _qualifying(root: Path) -> tuple[QualifyingRule, ...]:
    # The bot's own loader: what it asks is what is drawn (no file: its default order).
    try:
        return load_qualification_config(root / QUALIFICATION).questions
    except QualificationConfigError as error:
        raise FlowError(QUALIFICATION, error.reason) from error


def _routing(root: Path) -> tuple[routing.Rule, ...]:
    # The bot's own reader: a missing file is the shipped default rules.
    try:
        return routing.load(root / ROUTING)
    except routing.RoutingError as error:
        raise FlowError(ROUTING, str(error)) from error


def _rubric(root: Path) -> Rubric:
    try:
        return load_content_rubric(root / SCORING, root / QUALIFICATION)
    except QualificationConfigError as error:
        raise FlowError(QUALIFICATION, error.reason) from error
    except RubricError as error:
        line = f" (line {error.line})" if error.line else ""
        # The reason only: the error's path is the draft's place on the server.
        raise FlowError(SCORING, f"{error.reason}{line}") from error


def default_text(responses: Mapping[str, Any], name: str) -> str:
    """The default variation's text: the one every channel gets without a wording of its own."""
    variations = responses.get(name)
    if not isinstance(variations, list):
        return ""
    index = plain_variation(variations, None)
    return "" if index is None else str(variations[index].get("text") or "")


def qualifying_step(
    rule: QualifyingRule, rules: tuple[QualifyingRule, ...], responses: Mapping[str, Any]
) -> QualifyingStep:
    skip = skip_in_words(rule, rules)
    if rule.custom is not None:
        # A marketer's own question: its wording and options are in qualification.yml.
        options = " / ".join(o.label for o in rule.custom.options)
        return QualifyingStep(rule.field, QUALIFICATION, f"{rule.custom.text} ({options})", skip)
    name = f"utter_ask_qual_{rule.field}"
    return QualifyingStep(rule.field, name, default_text(responses, name), skip)


def skip_in_words(rule: QualifyingRule, rules: tuple[QualifyingRule, ...] = ()) -> str:
    """ "Left out when company size is 1-10 people or 11-50 people." """
    if not rule.skip_when:
        return ""
    custom = {r.field: {o.id: o.label for o in r.custom.options} for r in rules if r.custom}
    conditions = []
    for other, values in rule.skip_when.items():
        labels = custom.get(other) or LABELS.get(other, {})
        # In the order the field's answers go (a frozenset has none of its own).
        shown = [labels.get(v, v) for v in labels if v in values] or sorted(values)
        conditions.append(f"{other.replace('_', ' ')} is {' or '.join(shown)}")
    return "Left out when " + ", or when ".join(conditions) + "."


# ------------------------------------------------------------------ routing


def score_ranges(rubric: Rubric) -> dict[str, str]:
    """Each grade a score can reach, with its scores in words. A grade the rubric gives
    no floor is never reached (grade_for falls through to the next one), so it is left out."""
    floors = dict(rubric.grades)
    ranges: dict[str, str] = {}
    ceiling: int | None = None
    for grade in GRADES:
        floor = floors.get(grade) if grade != GRADES[-1] else None
        if grade != GRADES[-1] and floor is None:
            continue
        if floor is None:
            ranges[grade] = f"under {ceiling}" if ceiling is not None else "any score"
        elif ceiling is None:
            ranges[grade] = f"{floor} or more"
        else:
            ranges[grade] = f"{floor} to {ceiling - 1}"
        ceiling = floor
    return ranges


HANDOFF_END = (
    "Handed to a person now; outside office hours the handoff says when the team is back "
    "and offers a meeting."
)
QUESTION_ENDS = {
    "offer_person": "Offers talking to someone now or booking a meeting.",
    "offer_meeting": "Offers a meeting.",
    "end": "A polite close: anything else?",
}


def routing_branches(
    rules: Sequence[routing.Rule], rubric: Rubric, responses: Mapping[str, Any]
) -> tuple[Branch, ...]:
    """The routing rules in the order the bot reads them, each with where it ends; the
    built-in handoff for whoever asked for a person comes first."""
    person = Branch(
        "Asked for a person",
        "any grade",
        "Built in, before any rule: whoever asked for a person gets one.",
        (
            End(
                "", "utter_handoff_sent", default_text(responses, "utter_handoff_sent"), HANDOFF_END
            ),
        ),
    )
    ranges = score_ranges(rubric)
    return (person, *(rule_branch(rule, ranges, responses) for rule in rules))


def rule_branch(
    rule: routing.Rule, ranges: Mapping[str, str], responses: Mapping[str, Any]
) -> Branch:
    conditions = when_words(rule.when)
    if rule.when.grades:
        scored = [f"{g}: {ranges[g]}" for g in GRADES if g in rule.when.grades and g in ranges]
        conditions.append(f"scores {'; '.join(scored)}" if scored else "a grade no score reaches")
    doing = [action_words(a) for a in rule.then if not a.is_question]
    return Branch(
        rule.name,
        "; ".join(conditions) or "everyone else",
        "; ".join(doing).capitalize(),
        (rule_end(rule.question, responses),),
    )


def rule_end(question: routing.Action | None, responses: Mapping[str, Any]) -> End:
    if question is None:
        return End("", "", "", "Waits for whatever they say next.")
    if question.kind == "handoff":
        return End(
            "", "utter_handoff_sent", default_text(responses, "utter_handoff_sent"), HANDOFF_END
        )
    if question.kind == "ask":
        response = f"utter_ask_qual_{question.value}"
        return End(
            "", response, default_text(responses, response),
            "Asks this qualifying question again, once, then routes again.",
        )  # fmt: skip
    wording = question.wording or routing.Wording()
    says = default_text(responses, wording.response) if wording.response else wording.text
    return End("", wording.response, says, QUESTION_ENDS[question.kind])


# ------------------------------------------------------------------ the diagram

WIDTH = 1100  # life size in the studio's widest card
MARGIN = 20
COLUMN = 560  # the boxes of the steps, centred
PAD, LINE_H = 10, 16
CHAR_W = 6.6  # a 12px system-ui character, generously: text wraps before the edge
GAP = 26  # between boxes: room for an arrow
SIDE_GAP = 12  # between the boxes of the routing, side by side
MAX_LINES = 3  # of one text in a box; the whole text is in the box's <title>
Kind = Literal["head", "body", "note", "code"]
Line = tuple[str, Kind]
COLOURS: dict[str, tuple[str, str]] = {  # stroke, fill per section
    "form": ("#3a5bd9", "#eef2fd"),
    "consent": ("#1f8a4c", "#ebf6ef"),
    "qualifying": ("#b7791f", "#fbf4e8"),
    "routing": ("#7b4bd1", "#f3eefc"),
    "end": ("#5d6b7e", "#ffffff"),
}
ATTRIBUTES: dict[Kind, str] = {
    "head": 'font-weight="600"',
    "body": "",
    "note": 'font-style="italic" fill="#5d6b7e"',
    "code": 'font-family="ui-monospace, monospace" font-size="11" fill="#5d6b7e"',
}


def wrapped(text: str, width: float, kind: Kind = "body", most: int = MAX_LINES) -> list[Line]:
    """`text` in lines that fit `width`, at most `most` (the last one cut with …)."""
    chars = max(8, int((width - 2 * PAD) / CHAR_W))
    lines = textwrap.wrap(" ".join(text.split()), chars) or [""]
    if len(lines) > most:
        lines = [*lines[: most - 1], lines[most - 1][: chars - 1].rstrip() + "…"]
    return [(line, kind) for line in lines]


def box_height(lines: Sequence[Line]) -> float:
    return 2 * PAD + LINE_H * len(lines)


def box(
    x: float, y: float, w: float, h: float, lines: Sequence[Line], section: str, tip: str
) -> str:
    """A rounded box with its lines; `tip` (the full text) is its tooltip."""
    stroke, fill = COLOURS[section]
    texts = "".join(
        f'<text x="{x + PAD:.1f}" y="{y + PAD + LINE_H * (i + 1) - 4:.1f}" {ATTRIBUTES[kind]}>'
        f"{escape(text)}</text>"
        for i, (text, kind) in enumerate(lines)
    )
    return (
        f"<g><title>{escape(tip)}</title>"
        f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" rx="6" '
        f'fill="{fill}" stroke="{stroke}" stroke-width="1.5"/>{texts}</g>'
    )


def arrow(x1: float, y1: float, x2: float, y2: float) -> str:
    """Down from (x1, y1) to (x2, y2), turning once halfway when the two are not aligned."""
    middle = y1 + (y2 - y1) / 2
    path = f"M{x1:.1f} {y1:.1f}V{middle:.1f}H{x2:.1f}V{y2 - 2:.1f}"
    return f'<path d="{path}" fill="none" stroke="#5d6b7e" stroke-width="1.5" marker-end="url(#flow-arrow)"/>'


def heading(y: float, title: str, caption: str = "") -> tuple[list[str], float]:
    parts = [
        f'<text x="{MARGIN}" y="{y + 16:.1f}" font-size="14" font-weight="700">{escape(title)}</text>'
    ]
    if caption:
        parts.append(
            f'<text x="{MARGIN}" y="{y + 34:.1f}" font-style="italic" fill="#5d6b7e">'
            f"{escape(caption)}</text>"
        )
    return parts, y + (42 if caption else 24)


class Column:
    """The steps one under the other, each joined to the one before by an arrow."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.y = 12.0
        self.last_bottom: float | None = None
        self.x = (WIDTH - COLUMN) / 2

    def section(self, title: str, caption: str = "") -> None:
        parts, self.y = heading(self.y, title, caption)
        self.parts += parts

    def step(self, lines: list[Line], section: str, tip: str) -> None:
        h = box_height(lines)
        centre = WIDTH / 2
        if self.last_bottom is not None:
            self.parts.append(arrow(centre, self.last_bottom, centre, self.y))
        self.parts.append(box(self.x, self.y, COLUMN, h, lines, section, tip))
        self.last_bottom = self.y + h
        self.y += h + GAP


def flow_svg(flow: Flow, title: str = "The conversation flow") -> Markup:
    """The flow as an accessible SVG image: role="img", a <title> and a <desc>; the page
    gives the same flow as a list for everyone who does not read the picture."""
    column = Column()
    inner = COLUMN
    column.section("Lead form", "Asked in this order; what someone already said is not asked.")
    for number, step in enumerate(flow.lead_form, 1):
        lines = [(f"{number}. {step.slot}", "head"), *wrapped(question(step.text), inner)]
        column.step(lines, "form", f"{step.response}: {step.text}")
    if flow.summary:
        column.step([("Summary", "head"), *wrapped(flow.summary, inner)], "form", flow.summary)
    column.section("Consent", "Only a clear yes is recorded.")
    for ask in flow.consent:
        lines = [(f"{ask.purpose} ({ask.when})", "head"), *wrapped(ask.wording, inner)]
        column.step(lines, "consent", ask.wording)
    if not flow.consent:
        column.step([("No consent questions", "head")], "consent", "No consent questions")
    column.section(
        "Qualifying questions", "Each only while its answer is unknown; anyone can skip."
    )
    for number, q in enumerate(flow.qualifying, 1):
        lines = [(f"{number}. {q.field}", "head"), *wrapped(question(q.text), inner)]
        if q.skip:
            lines += wrapped(q.skip, inner, "note")
        column.step(lines, "qualifying", " ".join(filter(None, (q.text, q.skip))))
    if not flow.qualifying:
        column.step([("No qualifying questions", "head")], "qualifying", "No qualifying questions")
    column.section("Routing")
    scored = f"Scored with scoring.yml (version {flow.rubric_version})"
    column.step(
        [(scored, "head"), ("The first rule that applies decides:", "body")], "routing", scored
    )
    parts = list(column.parts)
    top = column.last_bottom or column.y
    height = _branches(flow.routing, top, column.y, parts)
    return _svg(title, describe(flow), height, parts)


def _branches(branches: Sequence[Branch], fork: float, y: float, parts: list[str]) -> float:
    """The branches side by side, each as wide as its ends; returns the bottom."""
    slots = sum(len(b.ends) for b in branches)
    slot_w = (WIDTH - 2 * MARGIN - (slots - 1) * SIDE_GAP) / slots
    heads, ends, x = [], [], float(MARGIN)
    for branch in branches:
        w = slot_w * len(branch.ends) + SIDE_GAP * (len(branch.ends) - 1)
        lines = [(branch.label, "head"), *wrapped(branch.scores, w)]
        if branch.note:
            lines += wrapped(branch.note, w, "note")
        heads.append((x, w, lines, branch))
        for index, found in enumerate(branch.ends):
            ends.append((x + index * (slot_w + SIDE_GAP), found))
        x += w + SIDE_GAP
    head_h = max(box_height(lines) for _, _, lines, _ in heads)
    end_lines = [(x, end_box(found, slot_w)) for x, found in ends]
    end_h = max(box_height(lines) for _, lines in end_lines)
    for x, w, lines, branch in heads:
        parts.append(arrow(WIDTH / 2, fork, x + w / 2, y))
        tip = " ".join(filter(None, (branch.label, branch.scores, branch.note)))
        parts.append(box(x, y, w, head_h, lines, "routing", tip))
        for end_x, _ in ends:
            if x <= end_x < x + w:
                parts.append(
                    arrow(x + w / 2, y + head_h, end_x + slot_w / 2, y + head_h + GAP * 1.5)
                )
    below = y + head_h + GAP * 1.5
    for (x, lines), (_, found) in zip(end_lines, ends, strict=True):
        tip = " ".join(filter(None, (found.when, found.response, found.says, found.then)))
        parts.append(box(x, below, slot_w, end_h, lines, "end", tip))
    return below + end_h + MARGIN


def end_box(found: End, width: float) -> list[Line]:
    lines: list[Line] = wrapped(found.when, width, "head") if found.when else []
    if found.response:
        lines += [(part, "code") for part in name_lines(found.response, width)]
    if found.says:
        lines += wrapped(f"“{found.says}”", width)
    # What follows is the point of an end: never cut in the narrow boxes of the routing.
    return lines + wrapped(found.then, width, "note", most=6)


def name_lines(name: str, width: float) -> list[str]:
    """A response name in lines that fit, broken after underscores (it has no spaces)."""
    chars = max(8, int((width - 2 * PAD) / CHAR_W))
    lines = [""]
    for piece in name.replace("_", "_\n").splitlines():
        if lines[-1] and len(lines[-1]) + len(piece) > chars:
            lines.append("")
        lines[-1] += piece
    return lines


def question(text: str) -> str:
    return f"“{text}”" if text else "(no wording in the draft)"


def describe(flow: Flow) -> str:
    """The <desc>: the shape of the flow in one paragraph (the list below has it all)."""
    branches = "; ".join(
        f"{b.label} ({b.scores}): " + ", or ".join(e.response or e.then for e in b.ends)
        for b in flow.routing
    )
    return (
        f"The lead form asks {len(flow.lead_form)} questions "
        f"({', '.join(s.slot for s in flow.lead_form)}) and ends with a summary; then "
        f"{len(flow.consent)} consent questions; then {len(flow.qualifying)} qualifying "
        f"questions ({', '.join(q.field for q in flow.qualifying)}); then the lead is scored "
        f"and routed: {branches}."
    )


def _svg(title: str, desc: str, height: float, parts: Sequence[str]) -> Markup:
    marker = (
        '<defs><marker id="flow-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto"><path d="M0 0L10 5L0 10z" fill="#5d6b7e"/></marker></defs>'
    )
    return Markup(
        f'<svg class="flow" role="img" aria-labelledby="flow-title flow-desc" '
        f'viewBox="0 0 {WIDTH} {height:.0f}" width="{WIDTH}" height="{height:.0f}" '
        'xmlns="http://www.w3.org/2000/svg" font-family="system-ui, sans-serif" font-size="12">'
        f'<title id="flow-title">{escape(title)}</title><desc id="flow-desc">{escape(desc)}</desc>'
        f"{marker}{''.join(parts)}</svg>"
    )


# ------------------------------------------------------------------ the page


def draft_flow(request: web.Request) -> Flow:
    ws = workspace(request).ensure()
    # Under the draft's lock: a save writing two files is never read halfway.
    with ws.lock:
        return read_flow(ws.root)


@routes.get("/content/flow")
@requires("content.edit")
async def flow_page(request: web.Request) -> web.Response:
    try:
        flow = await in_thread(draft_flow, request)
    except FlowError as error:
        # A draft file broken by hand: say which and why; the editors can fix it.
        return render(request, "content/flow.html", flow=None, svg="", problem=error)
    return render(request, "content/flow.html", flow=flow, svg=flow_svg(flow), problem=None)


__all__ = ["Flow", "FlowError", "flow_svg", "read_flow", "routes"]
