"""Campaign definitions: the YAML files in the campaigns directory, validated on load.

Every problem is reported with the file and the field (`steps[2].send.channels`), and
one broken file stops the load: a campaign that half-works is worse than none.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import time, timedelta
from pathlib import Path
from typing import Any, Literal, get_args

import yaml

from bot.custom_fields import LeadFields
from bot.errors import ParleyError
from bot.segments import Everyone, Segment
from bot.segments.language import SegmentError, parse_segment
from campaigns.templates import Template, TemplateProblem, compile_template

TriggerKind = Literal[
    "lead_captured", "grade_changed", "stage_changed", "consent_granted", "no_reply",
    "segment", "manual",
]  # fmt: skip
TRIGGER_KINDS: tuple[str, ...] = get_args(TriggerKind)
SendChannel = Literal["sms", "whatsapp", "telegram", "email"]
SEND_CHANNELS: tuple[str, ...] = get_args(SendChannel)
PREFERRED = "preferred"
EXIT_CONDITIONS = ("replied", "converted", "opted_out")
CONVERSIONS = ("meeting_booked", "won", "sql")
END = "end"
_NAME = r"[a-z0-9][a-z0-9_-]{0,63}"


@dataclass
class CampaignError(ParleyError):
    file: str
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}: {self.field}" if self.field else self.file
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class Trigger:
    kind: TriggerKind
    grades: tuple[str, ...] = ()
    stages: tuple[str, ...] = ()
    purposes: tuple[str, ...] = ()
    days: int = 0


@dataclass(frozen=True)
class Message:
    """One variant's wording per channel. `text` serves every text channel without its
    own; a WhatsApp `template` (a pre-approved Content SID) is what may go out after
    WhatsApp's 24-hour window has closed."""

    texts: Mapping[str, Template]
    email_subject: Template | None = None
    email_body: Template | None = None
    whatsapp_content_sid: str | None = None
    whatsapp_variables: Mapping[str, Template] = field(default_factory=dict)

    def text_for(self, channel: str) -> Template | None:
        if channel == "email":
            return self.email_body
        return self.texts.get(channel) or self.texts.get("text")


@dataclass(frozen=True)
class Variant:
    name: str
    weight: int
    message: Message


@dataclass(frozen=True)
class WaitStep:
    id: str
    duration: timedelta | None = None
    until: time | None = None  # the next such time of day, in the contact's local time
    idle: timedelta | None = None  # until they have written nothing for this long


@dataclass(frozen=True)
class SendStep:
    id: str
    channels: tuple[str, ...]
    variants: tuple[Variant, ...]


@dataclass(frozen=True)
class BranchRule:
    goto: str
    replied: bool = False
    intent: str | None = None
    segment: Segment | None = None


@dataclass(frozen=True)
class BranchStep:
    id: str
    rules: tuple[BranchRule, ...]
    otherwise: str | None  # None: go on with the next step


@dataclass(frozen=True)
class UpdateStep:
    id: str
    add_tags: tuple[str, ...] = ()
    remove_tags: tuple[str, ...] = ()
    stage: str | None = None


@dataclass(frozen=True)
class HandoffStep:
    id: str
    reason: str


Step = WaitStep | SendStep | BranchStep | UpdateStep | HandoffStep


@dataclass(frozen=True)
class Campaign:
    name: str
    description: str
    file: str
    trigger: Trigger
    audience: Segment
    audience_text: str
    exit_when: frozenset[str]
    conversions: frozenset[str]
    cost_per_send: Mapping[str, float]
    steps: tuple[Step, ...]

    def index_of(self, step_id: str) -> int:
        """The index of a step; `end` is one past the last step."""
        if step_id == END:
            return len(self.steps)
        return next(i for i, step in enumerate(self.steps) if step.id == step_id)


def load_campaigns(directory: Path) -> dict[str, Campaign]:
    """Every `*.yml` in `directory`, by name; CampaignError on the first problem."""
    loaded: dict[str, Campaign] = {}
    for path in sorted(directory.glob("*.yml")):
        campaign = load_campaign(path)
        if campaign.name in loaded:
            raise CampaignError(
                path.name, "name", f"{campaign.name!r} is also in {loaded[campaign.name].file}"
            )
        loaded[campaign.name] = campaign
    return loaded


def load_campaign(path: Path, fields: LeadFields | None = None) -> Campaign:
    """`fields`: the current custom lead fields, so that segments and templates naming
    one they do not define are refused (the studio's editor); without them such names
    are read loosely, as a campaign already running when a field was removed needs."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise CampaignError(path.name, "", f"not valid YAML: {error}") from error
    except OSError as error:
        raise CampaignError(path.name, "", f"cannot be read: {error}") from error
    return parse_campaign(raw, path.name, fields)


def parse_campaign(raw: Any, file: str, fields: LeadFields | None = None) -> Campaign:
    doc = _Node(raw, file, "", fields)
    doc.only(
        "name",
        "description",
        "trigger",
        "audience",
        "exit_when",
        "conversions",
        "cost_per_send",
        "steps",
    )
    name = doc.name("name")
    audience_text = doc.optional_text("audience") or "everyone"
    steps = tuple(_step(node) for node in doc.child("steps").items())
    if not steps:
        raise doc.child("steps").error("a campaign needs at least one step")
    campaign = Campaign(
        name=name,
        description=doc.optional_text("description") or "",
        file=file,
        trigger=_trigger(doc.child("trigger")),
        audience=_segment(doc.child("audience"), audience_text) if "audience" in doc else Everyone(),
        audience_text=audience_text,
        exit_when=frozenset(doc.child("exit_when").choices(EXIT_CONDITIONS, default=EXIT_CONDITIONS)),
        conversions=frozenset(doc.child("conversions").choices(CONVERSIONS, default=("meeting_booked", "won"))),
        cost_per_send=_costs(doc.child("cost_per_send")),
        steps=steps,
    )  # fmt: skip
    _check_step_ids(campaign, doc.child("steps"))
    return campaign


def _trigger(node: _Node) -> Trigger:
    node.only("event", "grades", "stages", "purposes", "days")
    kind = node.choice("event", TRIGGER_KINDS)
    days = node.child("days").integer(default=0)
    if kind == "no_reply" and days < 1:
        raise node.child("days").error("no_reply needs `days`, a whole number of at least 1")
    return Trigger(
        kind=kind,  # type: ignore[arg-type]
        grades=tuple(node.child("grades").choices(("A", "B", "C", "D"), default=())),
        stages=tuple(node.child("stages").choices(("new", "mql", "sql"), default=())),
        purposes=tuple(node.child("purposes").choices(SEND_CHANNELS, default=())),
        days=days,
    )


def _segment(node: _Node, text: str) -> Segment:
    try:
        return parse_segment(text, node.fields)
    except SegmentError as error:
        raise node.error(str(error)) from error


def _costs(node: _Node) -> dict[str, float]:
    if node.value is None:
        return {}
    costs = {}
    for channel in node.mapping():
        if channel not in SEND_CHANNELS:
            raise node.child(channel).error(f"not a channel ({', '.join(SEND_CHANNELS)})")
        costs[channel] = node.child(channel).number()
    return costs


def _step(node: _Node) -> Step:
    kinds = [k for k in ("wait", "send", "branch", "update", "handoff") if k in node]
    if len(kinds) != 1:
        raise node.error("each step needs exactly one of wait, send, branch, update, handoff")
    node.only("id", kinds[0])
    step_id = node.name("id")
    builders: dict[str, Callable[[str, _Node], Step]] = {
        "wait": _wait,
        "send": _send,
        "branch": _branch,
        "update": _update,
        "handoff": _handoff,
    }
    return builders[kinds[0]](step_id, node.child(kinds[0]))


def _wait(step_id: str, node: _Node) -> WaitStep:
    if isinstance(node.value, str):
        return WaitStep(step_id, duration=node.duration())
    node.only("until", "idle")
    if ("until" in node) == ("idle" in node):
        raise node.error("a wait is a duration, {until: HH:MM} or {idle: DURATION}")
    if "idle" in node:
        return WaitStep(step_id, idle=node.child("idle").duration())
    return WaitStep(step_id, until=node.child("until").time_of_day())


def _send(step_id: str, node: _Node) -> SendStep:
    node.only("channels", "message", "variants")
    channels = tuple(node.child("channels").choices((PREFERRED, *SEND_CHANNELS)))
    if not channels:
        raise node.child("channels").error("list at least one channel")
    if ("message" in node) == ("variants" in node):
        raise node.error("give either `message` or `variants`")
    if "message" in node:
        variants: tuple[Variant, ...] = (Variant("main", 1, _message(node.child("message"))),)
    else:
        variants = tuple(_variant(v) for v in node.child("variants").items())
        if len({v.name for v in variants}) != len(variants):
            raise node.child("variants").error("variant names must differ")
    for variant_node, variant in zip(_variant_nodes(node), variants, strict=True):
        _check_coverage(variant_node, channels, variant.message)
    return SendStep(step_id, channels, variants)


def _variant_nodes(node: _Node) -> list[_Node]:
    if "message" in node:
        return [node.child("message")]
    return [v.child("message") for v in node.child("variants").items()]


def _variant(node: _Node) -> Variant:
    node.only("name", "weight", "message")
    weight = node.child("weight").integer(default=1)
    if weight < 1:
        raise node.child("weight").error("a weight is a whole number of at least 1")
    return Variant(node.name("name"), weight, _message(node.child("message")))


def _message(node: _Node) -> Message:
    node.only("text", "sms", "whatsapp", "telegram", "email", "whatsapp_template")
    texts = {
        key: node.child(key).template()
        for key in ("text", "sms", "whatsapp", "telegram")
        if key in node
    }
    subject = body = sid = None
    variables: dict[str, Template] = {}
    if "email" in node:
        email = node.child("email")
        email.only("subject", "body")
        subject, body = email.child("subject").template(), email.child("body").template()
    if "whatsapp_template" in node:
        approved = node.child("whatsapp_template")
        approved.only("content_sid", "variables")
        sid = approved.child("content_sid").text()
        variables = {
            k: approved.child("variables").child(k).template()
            for k in approved.child("variables").mapping()
        }
    return Message(texts, subject, body, sid, variables)


def _check_coverage(node: _Node, channels: Sequence[str], message: Message) -> None:
    wanted = SEND_CHANNELS if PREFERRED in channels else channels
    for channel in wanted:
        if message.text_for(channel) is None:
            what = "email.subject and email.body" if channel == "email" else f"{channel} or text"
            raise node.error(f"no wording for {channel}: give {what}")


def _branch(step_id: str, node: _Node) -> BranchStep:
    rules, otherwise = [], None
    for item in node.items():
        if "else" in item:
            item.only("else")
            otherwise = item.name("else")
            continue
        item.only("if", "goto")
        rules.append(_rule(item))
    if not rules and otherwise is None:
        raise node.error("a branch needs an `if` or an `else`")
    return BranchStep(step_id, tuple(rules), otherwise)


def _rule(node: _Node) -> BranchRule:
    goto = node.name("goto")
    condition = node.child("if")
    if condition.value == "replied":
        return BranchRule(goto, replied=True)
    if isinstance(condition.value, dict):
        condition.only("intent")
        return BranchRule(goto, intent=condition.name("intent"))
    text = condition.text()
    return BranchRule(goto, segment=_segment(condition, text))


def _update(step_id: str, node: _Node) -> UpdateStep:
    node.only("tag", "untag", "stage")
    stage = node.choice("stage", ("new", "mql", "sql")) if "stage" in node else None
    return UpdateStep(
        step_id, tuple(node.child("tag").names()), tuple(node.child("untag").names()), stage
    )


def _handoff(step_id: str, node: _Node) -> HandoffStep:
    node.only("reason")
    return HandoffStep(step_id, node.child("reason").text())


def _check_step_ids(campaign: Campaign, steps: _Node) -> None:
    seen: set[str] = set()
    for number, step in enumerate(campaign.steps):
        if step.id in seen or step.id == END:
            raise (
                steps.item(number)
                .child("id")
                .error(f"step id {step.id!r} is used twice or reserved")
            )
        seen.add(step.id)
    for number, step in enumerate(campaign.steps):
        if not isinstance(step, BranchStep):
            continue
        for item in steps.item(number).child("branch").items():
            target = item.child("goto" if "goto" in item else "else")
            if target.value != END and target.value not in seen:
                raise target.error(f"goto {target.value!r}: no step has that id")


class _Node:
    """A value in the YAML document and the path that leads to it, for error messages."""

    def __init__(self, value: Any, file: str, path: str, fields: LeadFields | None = None) -> None:
        self.value, self.file, self.path = value, file, path
        self.fields = fields  # the custom lead fields to check names against, if known

    def error(self, message: str) -> CampaignError:
        return CampaignError(self.file, self.path, message)

    def __contains__(self, key: str) -> bool:
        return isinstance(self.value, dict) and key in self.value

    def mapping(self) -> dict[str, Any]:
        if self.value is None:
            return {}
        if not isinstance(self.value, dict):
            raise self.error("expected a mapping of keys to values")
        return self.value

    def child(self, key: str) -> _Node:
        mapping = self.mapping()
        return _Node(mapping.get(key), self.file, f"{self.path}.{key}".lstrip("."), self.fields)

    def item(self, number: int) -> _Node:
        return _Node(self.value[number], self.file, f"{self.path}[{number}]", self.fields)

    def items(self) -> list[_Node]:
        if self.value is None:
            return []
        if not isinstance(self.value, list):
            raise self.error("expected a list")
        return [self.item(n) for n in range(len(self.value))]

    def only(self, *allowed: str) -> None:
        unknown = sorted(set(self.mapping()) - set(allowed))
        if unknown:
            raise self.child(unknown[0]).error(f"unknown key (allowed: {', '.join(allowed)})")

    def text(self) -> str:
        if not isinstance(self.value, str) or not self.value.strip():
            raise self.error("expected some text")
        return self.value.strip()

    def optional_text(self, key: str) -> str | None:
        return None if self.child(key).value is None else self.child(key).text()

    def name(self, key: str) -> str:
        value = self.child(key).text()
        if not re.fullmatch(_NAME, value):
            raise self.child(key).error(f"{value!r}: use lower-case letters, digits, - and _")
        return value

    def names(self) -> list[str]:
        values = [self.value] if isinstance(self.value, str) else [i.text() for i in self.items()]
        return [str(v).strip() for v in values]

    def choice(self, key: str, allowed: Sequence[str]) -> str:
        value = self.child(key).text()
        if value not in allowed:
            raise self.child(key).error(f"{value!r} is not one of {', '.join(allowed)}")
        return value

    def choices(self, allowed: Sequence[str], default: Sequence[str] | None = None) -> list[str]:
        if self.value is None and default is not None:
            return list(default)
        nodes = [self] if isinstance(self.value, str) else self.items()
        for node in nodes:
            if node.text() not in allowed:
                raise node.error(f"{node.value!r} is not one of {', '.join(allowed)}")
        return [node.text() for node in nodes]

    def integer(self, default: int) -> int:
        if self.value is None:
            return default
        if isinstance(self.value, bool) or not isinstance(self.value, int):
            raise self.error("expected a whole number")
        return self.value

    def number(self) -> float:
        if (
            isinstance(self.value, bool)
            or not isinstance(self.value, (int, float))
            or self.value < 0
        ):
            raise self.error("expected a number of 0 or more")
        return float(self.value)

    def duration(self) -> timedelta:
        match = re.fullmatch(r"\s*(\d+)\s*(s|m|min|h|d|w)\s*", str(self.value))
        if match is None:
            raise self.error(f"{self.value!r}: a duration like 30s, 30m, 2h, 3d or 1w")
        amount, unit = int(match.group(1)), match.group(2)
        return {
            "s": timedelta(seconds=amount),
            "m": timedelta(minutes=amount),
            "min": timedelta(minutes=amount),
            "h": timedelta(hours=amount),
            "d": timedelta(days=amount),
            "w": timedelta(weeks=amount),
        }[unit]

    def time_of_day(self) -> time:
        # YAML 1.1 reads an unquoted 10:00 as the base-60 number 600.
        minutes = self.value
        if isinstance(minutes, int) and not isinstance(minutes, bool) and 0 <= minutes < 1440:
            return time(minutes // 60, minutes % 60)
        try:
            return time.fromisoformat(str(self.value).strip())
        except ValueError:
            raise self.error(f"{self.value!r}: a time of day like 10:00") from None

    def template(self) -> Template:
        try:
            return compile_template(self.text(), self.fields)
        except TemplateProblem as error:
            raise self.error(str(error)) from error
