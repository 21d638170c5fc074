"""Editing campaigns (campaigns/*.yml): audience, trigger, and every step's settings and
message templates, as a form; the step list as YAML for adding, removing or reordering.

A form field is named by the path the campaign loader uses in its errors
(`steps[1].send.message.text`), so each of the loader's complaints lands next to the
field it is about. Nothing reaches the draft unless the worker's own loader accepts it
together with the other campaign files.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from io import StringIO
from pathlib import Path
from typing import Any, Literal

import yaml as pyyaml
from aiohttp import web
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError
from ruamel.yaml.scalarstring import (
    DoubleQuotedScalarString,
    FoldedScalarString,
    LiteralScalarString,
    ScalarString,
)

from bot.custom_fields import LeadFields
from bot.field_values import read_fields
from campaigns.definitions import (
    CONVERSIONS,
    EXIT_CONDITIONS,
    PREFERRED,
    SEND_CHANNELS,
    TRIGGER_KINDS,
    Campaign,
    CampaignError,
    load_campaign,
    load_campaigns,
)
from campaigns.templates import KNOWN_VARIABLES
from studio.policy_editors import (
    BASE,
    GENERAL,
    STALE,
    Errors,
    Stale,
    check_base,
    dump,
    fingerprint,
    folded,
    notice_of,
    put_trailing_comment,
    set_key,
    take_trailing_comment,
    workspace,
)
from studio.web import audit, form, in_thread, redirect, render, requires
from studio.workspace import ContentError, Workspace, yaml

routes = web.RouteTableDef()
LEAD_FIELDS_FILE = "lead_fields.yml"
NAME = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")
STEPS_YAML = "steps_yaml"
Kind = Literal["text", "textarea", "list", "int", "select", "time"]
FieldPath = tuple[str | int, ...]
STEP_KINDS = ("wait", "send", "branch", "update", "handoff")
TEXT_CHANNELS = ("sms", "whatsapp", "telegram")
NEW_CAMPAIGN = """\
# {name}: who gets it, when, and what it says. Edit it in the studio's campaign editor.
name: {name}
description: A new campaign.
trigger:
  # "manual": nobody is enrolled until someone starts it, so a draft never sends by itself.
  event: manual
audience: consent(email)
steps:
  - id: first_message
    send:
      channels: [email]
      message:
        email:
          subject: "A note from {{{{ company_name }}}}"
          body: |
            Hi {{{{ first_name | default("there") }}}},

            Write your message here.
"""


@dataclass(frozen=True)
class Field:
    name: str  # the loader's path for this value, also the form input's name
    label: str
    kind: Kind
    path: FieldPath
    value: str
    choices: tuple[str, ...] = ()
    hint: str = ""


@dataclass
class StepView:
    index: int
    id: str
    kind: str
    fields: list[Field] = field(default_factory=list)


# --- reading the YAML into form fields -------------------------------------------------


def _get(data: Any, path: FieldPath) -> Any:
    node = data
    for key in path:
        if isinstance(key, int):
            node = node[key] if isinstance(node, list) and key < len(node) else None
        else:
            node = node.get(key) if isinstance(node, dict) else None
        if node is None:
            return None
    return node


def _name(path: FieldPath) -> str:
    text = ""
    for key in path:
        text += f"[{key}]" if isinstance(key, int) else f".{key}"
    return text.lstrip(".")


def _shown(value: Any, kind: Kind) -> str:
    if value is None:
        return ""
    if kind == "list":
        return ", ".join(str(v) for v in value) if isinstance(value, list) else str(value)
    if kind == "time" and isinstance(value, int):
        return f"{value // 60:02d}:{value % 60:02d}"  # YAML 1.1 read 10:00 as 600
    return str(value)


def _field(
    data: Any,
    path: FieldPath,
    label: str,
    kind: Kind,
    choices: tuple[str, ...] = (),
    hint: str = "",
) -> Field:
    return Field(_name(path), label, kind, path, _shown(_get(data, path), kind), choices, hint)


def general_fields(data: Any) -> list[Field]:
    return [
        _field(data, ("description",), "Description", "text"),
        _field(data, ("audience",), "Audience (segment)", "text",
               hint='Who may be enrolled, e.g. consent(email) and grade in [A, B]; empty: everyone.'),
        _field(data, ("trigger", "event"), "Starts on", "select", TRIGGER_KINDS),
        _field(data, ("trigger", "grades"), "Only for grades", "list", hint="A, B, C, D"),
        _field(data, ("trigger", "stages"), "Only for stages", "list", hint="new, mql, sql"),
        _field(data, ("trigger", "purposes"), "Only for consent to", "list",
               hint=", ".join(SEND_CHANNELS)),
        _field(data, ("trigger", "days"), "Days without a reply (no_reply only)", "int"),
        _field(data, ("exit_when",), "Leave the campaign when", "list",
               hint=f"{', '.join(EXIT_CONDITIONS)}; empty: all of them"),
        _field(data, ("conversions",), "Counts as a conversion", "list",
               hint=f"{', '.join(CONVERSIONS)}; empty: meeting_booked, won"),
    ]  # fmt: skip


def step_views(data: Any) -> list[StepView]:
    views = []
    for index, step in enumerate(_get(data, ("steps",)) or []):
        if not isinstance(step, dict):
            continue
        kind = next((k for k in STEP_KINDS if k in step), "")
        view = StepView(index, str(step.get("id", "")), kind)
        base: FieldPath = ("steps", index, kind)
        readers = {
            "wait": _wait_fields,
            "send": _send_fields,
            "branch": _branch_fields,
            "update": _update_fields,
            "handoff": _handoff_fields,
        }
        if kind:
            view.fields = readers[kind](data, base)
        views.append(view)
    return views


def _wait_fields(data: Any, base: FieldPath) -> list[Field]:
    wait = _get(data, base)
    if isinstance(wait, dict) and "until" in wait:
        return [_field(data, (*base, "until"), "Wait until (time of day)", "time", hint="HH:MM")]
    if isinstance(wait, dict):
        return [
            _field(
                data,
                (*base, "idle"),
                "Wait until they have been quiet for",
                "text",
                hint="30m, 2h, 3d, 1w",
            )
        ]
    return [_field(data, base, "Wait for", "text", hint="30s, 30m, 2h, 3d or 1w")]


def _send_fields(data: Any, base: FieldPath) -> list[Field]:
    channels = (PREFERRED, *SEND_CHANNELS)
    fields = [
        _field(
            data,
            (*base, "channels"),
            "Channels (first that works)",
            "list",
            hint=", ".join(channels),
        )
    ]
    variants = _get(data, (*base, "variants"))
    if isinstance(variants, list):
        for number, variant in enumerate(variants):
            name = str(variant.get("name", number + 1)) if isinstance(variant, dict) else ""
            where: FieldPath = (*base, "variants", number)
            fields.append(_field(data, (*where, "weight"), f"Variant {name}: weight", "int"))
            fields.extend(_message_fields(data, (*where, "message"), f"Variant {name}: "))
    else:
        fields.extend(_message_fields(data, (*base, "message"), ""))
    return fields


def _message_fields(data: Any, base: FieldPath, prefix: str) -> list[Field]:
    message = _get(data, base)
    message = message if isinstance(message, dict) else {}
    fields = [_field(data, (*base, "text"), f"{prefix}Text (every text channel)", "textarea")]
    fields += [
        _field(data, (*base, key), f"{prefix}{key} text", "textarea")
        for key in TEXT_CHANNELS
        if key in message
    ]
    fields.append(_field(data, (*base, "email", "subject"), f"{prefix}Email subject", "text"))
    fields.append(_field(data, (*base, "email", "body"), f"{prefix}Email body", "textarea"))
    return fields


def _branch_fields(data: Any, base: FieldPath) -> list[Field]:
    fields = []
    for number, rule in enumerate(_get(data, base) or []):
        where: FieldPath = (*base, number)
        if not isinstance(rule, dict):
            continue
        if "else" in rule:
            fields.append(_field(data, (*where, "else"), "Otherwise go to", "text"))
            continue
        if isinstance(rule.get("if"), dict):
            fields.append(_field(data, (*where, "if", "intent"), "If they said (intent)", "text"))
        else:
            fields.append(_field(data, (*where, "if"), "If (segment, or replied)", "text"))
        fields.append(_field(data, (*where, "goto"), "then go to", "text", hint="a step id or end"))
    return fields


def _update_fields(data: Any, base: FieldPath) -> list[Field]:
    return [
        _field(data, (*base, "tag"), "Add tags", "list"),
        _field(data, (*base, "untag"), "Remove tags", "list"),
        _field(data, (*base, "stage"), "Set stage", "select", ("", "new", "mql", "sql")),
    ]


def _handoff_fields(data: Any, base: FieldPath) -> list[Field]:
    return [_field(data, (*base, "reason"), "Reason given to the person who takes over", "text")]


def all_fields(data: Any) -> list[Field]:
    return [*general_fields(data), *(f for view in step_views(data) for f in view.fields)]


# --- writing form values back ----------------------------------------------------------


def _set(data: Any, path: FieldPath, value: Any) -> None:
    """Set (or, for None, remove) the value at `path`, making missing mappings."""
    node = data
    for key in path[:-1]:
        if isinstance(key, int):
            node = node[key]
            continue
        if not isinstance(node.get(key), dict | list):
            if value is None:
                return
            node[key] = CommentedMap()
        node = node[key]
    last = path[-1]
    if isinstance(node, CommentedMap):
        set_key(node, last, value)
    elif value is not None:
        node[last] = value


def _styled(old: Any, new: str) -> Any:
    """The new text in the old scalar's style, so the file reads as before."""
    if "\n" in new.strip("\n"):
        return LiteralScalarString(new.rstrip("\n") + "\n")
    new = new.strip()
    if isinstance(old, FoldedScalarString):
        return folded(new)
    if isinstance(old, LiteralScalarString):
        return LiteralScalarString(new + "\n")
    if isinstance(old, ScalarString):
        return type(old)(new)
    return new


def _list_value(old: Any, raw: str) -> Any:
    items = [item.strip() for item in raw.split(",") if item.strip()]
    if not items:
        return None
    if isinstance(old, str) and len(items) == 1:
        return items[0]
    if isinstance(old, CommentedSeq):
        old.clear()
        old.extend(items)
        return old
    fresh = CommentedSeq(items)
    fresh.fa.set_flow_style()
    return fresh


def _value(spec: Field, old: Any, raw: str, errors: Errors) -> tuple[bool, Any]:
    """(changed, new value; None removes the key) for one posted field."""
    text = raw.replace("\r\n", "\n")
    if not text.strip():
        return old is not None, None
    if spec.kind == "list":
        return _shown(old, "list") != _shown(_list_value(None, text), "list"), (
            _list_value(old, text)
        )
    if spec.kind == "int":
        try:
            number = int(text.strip())
        except ValueError:
            errors.add(spec.name, f"{text.strip()!r} is not a whole number")
            return False, old
        return number != old, number
    if spec.kind == "time":
        return _shown(old, "time") != text.strip(), DoubleQuotedScalarString(text.strip())
    if isinstance(old, str) and old.rstrip("\n") == text.rstrip("\n"):
        return False, old
    if spec.kind in ("text", "select"):
        text = " ".join(text.split()) if spec.kind == "select" else text.strip()
    return True, _styled(old, text)


def apply_fields(data: Any, values: Mapping[str, str], errors: Errors) -> None:
    for spec in all_fields(data):
        if spec.name not in values:
            continue  # not posted: leave it as it is
        old = _get(data, spec.path)
        changed, new = _value(spec, old, values[spec.name], errors)
        if changed:
            _set(data, spec.path, new)


def apply_steps_yaml(data: Any, text: str, errors: Errors) -> None:
    try:
        steps = yaml().load(text.replace("\r\n", "\n"))
    except YAMLError as error:
        errors.add(STEPS_YAML, f"not valid YAML: {error}")
        return
    if not isinstance(steps, list) or not steps:
        errors.add(STEPS_YAML, "the steps are a list: each starts with `- id: ...`")
        return
    if isinstance(data.get("steps"), CommentedSeq):
        token = take_trailing_comment(data["steps"])
        data["steps"].clear()
        data["steps"].extend(steps)
        put_trailing_comment(data["steps"], token)
    else:
        data["steps"] = steps


def steps_yaml(data: Any) -> str:
    buffer = StringIO()
    yaml().dump(data.get("steps") or [], buffer)
    return buffer.getvalue()


# --- checking with the worker's loader ---------------------------------------------------


def campaign_files(space: Workspace) -> dict[str, str]:
    """The draft's campaign files by relative path: what the worker would load."""
    return {
        f"campaigns/{path.name}": path.read_text(encoding="utf-8")
        for path in sorted((space.root / "campaigns").glob("*.yml"))
    }


def check_campaigns(space: Workspace, relative: str, text: str) -> Campaign:
    """Load the draft's campaign files, with `text` for `relative`, as the worker would."""
    with tempfile.TemporaryDirectory(prefix="parley-campaigns-") as directory:
        root = Path(directory)
        for other, content in campaign_files(space).items():
            if other != relative:
                (root / Path(other).name).write_text(content, encoding="utf-8")
        target = root / Path(relative).name
        target.write_text(text, encoding="utf-8")
        # Segments and templates may name only the lead fields the draft defines.
        campaign = load_campaign(target, _draft_lead_fields(space))
        load_campaigns(root)
        return campaign


def _draft_lead_fields(space: Workspace) -> LeadFields:
    draft = space.root / LEAD_FIELDS_FILE
    return read_fields(draft if draft.exists() else space.content_root / LEAD_FIELDS_FILE)


def place_error(error: CampaignError, names: list[str], file: str, mode: str) -> tuple[str, str]:
    """The form field an error belongs to, and the message to show there."""
    if error.file != file:
        return GENERAL, f"another campaign file is broken: {error}"
    where = error.field
    if mode == "yaml" and where.startswith("steps"):
        return STEPS_YAML, f"{where}: {error.message}"
    if where in names:
        return where, error.message
    inside = [n for n in names if n.startswith(where + ".") or n.startswith(where + "[")]
    if where and inside:
        return inside[0], error.message
    around = [n for n in names if where.startswith(n + ".") or where.startswith(n + "[")]
    if around:
        return max(around, key=len), f"{where}: {error.message}"
    if where.startswith("steps") and mode == "form":
        return GENERAL, f"{where}: {error.message} (edit it in the steps' YAML below)"
    return GENERAL, f"{where}: {error.message}" if where else error.message


def save_campaign(
    space: Workspace, relative: str, values: Mapping[str, str]
) -> tuple[bool, Errors]:
    """Validate and write one campaign file; (whether it changed, errors)."""
    errors = Errors()
    mode = "yaml" if values.get("mode") == "yaml" else "form"
    with space.lock:
        old_text = space.read(relative)
        check_base(values, old_text)
        data = yaml().load(old_text)
        names = [f.name for f in all_fields(data)]
        if mode == "yaml":
            apply_steps_yaml(data, values.get(STEPS_YAML, ""), errors)
        else:
            apply_fields(data, values, errors)
        if errors:
            return False, errors
        text = dump(old_text, data)
        try:
            check_campaigns(space, relative, text)
        except CampaignError as error:
            errors.add(*place_error(error, names, Path(relative).name, mode))
            return False, errors
        if text == old_text:
            return False, errors
        space.write(relative, text)
    return True, errors


def create_campaign(space: Workspace, name: str) -> tuple[str, Errors]:
    errors = Errors()
    relative = f"campaigns/{name}.yml"
    if not NAME.fullmatch(name) or name == "new":
        errors.add("name", "use lower-case letters, digits, - and _ (at most 64), not 'new'")
        return relative, errors
    with space.lock:
        if relative in campaign_files(space):
            errors.add("name", f"there is already a campaign file {name}.yml")
            return relative, errors
        text = NEW_CAMPAIGN.format(name=name)
        try:
            check_campaigns(space, relative, text)
        except CampaignError as error:
            errors.add("name", str(error))
            return relative, errors
        space.write(relative, text)
    return relative, errors


# --- pages -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Summary:
    stem: str
    name: str
    description: str
    trigger: str
    steps: int
    problem: str


def summaries(space: Workspace) -> list[Summary]:
    found = []
    for relative, text in campaign_files(space).items():
        stem = Path(relative).stem
        try:
            campaign = load_campaign(space.root / relative)
        except CampaignError as error:
            raw = _safe_load(text)
            found.append(Summary(stem, str(raw.get("name", stem)), "", "", 0, str(error)))
            continue
        found.append(
            Summary(
                stem,
                campaign.name,
                campaign.description,
                campaign.trigger.kind,
                len(campaign.steps),
                "",
            )
        )
    return found


def _safe_load(text: str) -> dict[str, Any]:
    try:
        raw = pyyaml.safe_load(text)
    except pyyaml.YAMLError:
        return {}
    return raw if isinstance(raw, dict) else {}


def _relative(request: web.Request, space: Workspace) -> str:
    stem = request.match_info["stem"]
    relative = f"campaigns/{stem}.yml"
    if not NAME.fullmatch(stem) or not (space.root / relative).is_file():
        raise web.HTTPNotFound(text=f"There is no campaign file {stem}.yml in the draft.")
    return relative


async def _list_page(
    request: web.Request, space: Workspace, errors: Errors, name: str = "", status: int = 200
) -> web.Response:
    return render(
        request,
        "content/campaigns.html",
        status=status,
        campaigns=await in_thread(summaries, space),
        errors=errors.by_field,
        name=name,
        notice=notice_of(request),
    )


def _edit_page(
    request: web.Request,
    relative: str,
    text: str,
    errors: Errors,
    values: Mapping[str, str] | None = None,
    status: int = 200,
) -> web.Response:
    """The editor for the draft's `text`, showing what was posted (`values`) if given."""
    data = yaml().load(text)
    posted = values or {}
    mode = posted.get("mode", "form")

    def shown(spec: Field) -> str:
        return posted.get(spec.name, spec.value) if mode == "form" else spec.value

    return render(
        request, "content/campaign.html", status=status, relative=relative,
        stem=Path(relative).stem, name=str(data.get("name", "")), general=general_fields(data),
        steps=step_views(data), shown=shown, errors=errors.by_field,
        steps_yaml=posted.get(STEPS_YAML, "") if mode == "yaml" else steps_yaml(data),
        variables=sorted(KNOWN_VARIABLES), notice=notice_of(request),
        base=posted.get(BASE) or fingerprint(text),
    )  # fmt: skip


@routes.get("/content/campaigns")
@requires("content.edit")
async def campaigns_page(request: web.Request) -> web.Response:
    return await _list_page(request, workspace(request), Errors())


@routes.post("/content/campaigns/new")
@requires("content.edit")
async def campaign_new(request: web.Request) -> web.Response:
    name = (await form(request)).get("name", "").strip()
    space = workspace(request)
    relative, errors = await in_thread(create_campaign, space, name)
    if errors:
        return await _list_page(request, space, errors, name=name, status=400)
    await audit(request, "studio.content_saved", relative, created=True)
    return redirect(f"/content/campaigns/{name}?saved=1")


@routes.get("/content/campaigns/{stem}")
@requires("content.edit")
async def campaign_page(request: web.Request) -> web.Response:
    space = workspace(request)
    relative = _relative(request, space)
    try:
        return _edit_page(request, relative, await in_thread(space.read, relative), Errors())
    except YAMLError as error:
        return render(request, "error.html", status=500, message=f"{relative}: {error}")


@routes.post("/content/campaigns/{stem}")
@requires("content.edit")
async def campaign_save(request: web.Request) -> web.Response:
    values = dict(await form(request))
    space = workspace(request)
    relative = _relative(request, space)
    try:
        changed, errors = await in_thread(save_campaign, space, relative, values)
    except Stale:
        return _edit_page(
            request, relative, space.read(relative), Errors({GENERAL: STALE}), status=409
        )
    except (YAMLError, ContentError) as error:
        return render(request, "error.html", status=500, message=f"{relative}: {error}")
    if errors:
        return _edit_page(request, relative, space.read(relative), errors, values, 400)
    stem = Path(relative).stem
    if not changed:
        return redirect(f"/content/campaigns/{stem}?saved=same")
    await audit(request, "studio.content_saved", relative, mode=values.get("mode", "form"))
    return redirect(f"/content/campaigns/{stem}?saved=1")
