"""Editing the marketers' own lead fields (lead_fields.yml): the list in the order the
bot asks them, one field at a time, moving a field up or down, and deleting one.

Like the other content editors, every change builds the whole new file, checks it with
the bot's own reader (`bot.custom_fields`) and then with the draft's validation on a
temporary copy, and writes it into the draft only when nothing is wrong; otherwise the
form comes back with each problem next to its field and the draft is untouched. Forms
carry the fingerprint of the file they were made from (409 when it changed since).
Deleting a field only stops the bot asking it: values already stored stay on contacts.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from aiohttp import web

from bot import custom_fields
from bot.custom_fields import CustomField
from studio.content import SAVED, FormError, clean_text, errors_by_field, read_or_empty, save
from studio.policy_editors import BASE, STALE, Stale, check_base, fingerprint, workspace
from studio.validation import LEAD_FIELDS, Problem
from studio.web import audit, form, in_thread, redirect, render, requires
from studio.workspace import Workspace

routes = web.RouteTableDef()

HOME = "/content/fields"
TYPE_LABELS: dict[str, str] = {
    "text": "Text",
    "choice": "Choice (with buttons)",
    "number": "Number",
    "date": "Date",
    "email": "Email address",
    "phone": "Phone number",
    "yes_no": "Yes or no",
}
CHANNEL_LABELS: dict[str, str] = {
    "voice": "Voice (spoken on calls: no links; read the choices out)",
    "sms": "SMS (also WhatsApp unless it has its own)",
    "whatsapp": "WhatsApp",
    "web": "Web chat",
    "telegram": "Telegram",
}
DELETED = "Deleted {name}. The values contacts already gave for it stay on their contact pages and in exports."
Direction = Literal["up", "down"]
FORM_FIELDS = frozenset(
    {"name", "label", "type", "question", "help", "optional", "options", "min", "max",
     "max_length", "hubspot_property", *(f"channels.{c}" for c in custom_fields.VARIANT_CHANNELS)}
)  # fmt: skip


class Unreadable(Exception):
    """The draft's lead_fields.yml does not parse (edited by hand)."""

    def __init__(self, error: custom_fields.FieldsError) -> None:
        super().__init__(str(error))
        self.problems = error.problems


# ------------------------------------------------------------------ reading the draft


def current_text(ws: Workspace) -> str:
    return read_or_empty(ws, LEAD_FIELDS)


def fields_of(text: str) -> list[CustomField]:
    try:
        return list(custom_fields.parse(text).fields) if text.strip() else []
    except custom_fields.FieldsError as error:
        raise Unreadable(error) from error


def unreadable_message(error: Unreadable) -> str:
    listed = "; ".join(str(p) for p in error.problems)
    return f"{LEAD_FIELDS} in the draft cannot be read ({listed}). Fix it by hand first."


def position_of(fields: Sequence[CustomField], name: str) -> int | None:
    return next((i for i, f in enumerate(fields) if f.name == name), None)


def fields_or_form_error(text: str) -> list[CustomField]:
    try:
        return fields_of(text)
    except Unreadable as error:
        raise refused("", unreadable_message(error)) from error


def refused(where: str, message: str) -> FormError:
    """A form error shown at `where` ("" for the top of the page)."""
    return FormError([Problem(LEAD_FIELDS, where, message)])


def checked(data: list[dict[str, Any]], mine: int | None) -> list[CustomField]:
    """The list as the bot would read it; problems of field `mine` go next to its
    inputs, the others (another field, the list as a whole) to the top of the page."""
    try:
        return list(custom_fields.fields_from_data({"version": 1, "fields": data}).fields)
    except custom_fields.FieldsError as error:
        raise FormError([on_form(p, mine) for p in error.problems]) from error


def on_form(problem: custom_fields.Problem, mine: int | None) -> Problem:
    if mine is not None and problem.index == mine:
        return Problem(LEAD_FIELDS, problem.field, problem.message)
    return Problem(LEAD_FIELDS, "", str(problem))


# ------------------------------------------------------------------ one field


def options_text(options: Sequence[custom_fields.Option]) -> str:
    """One option a line: `id | label | phrasing, phrasing`."""
    lines = []
    for option in options:
        parts = [option.id, option.label]
        if option.phrasings:
            parts.append(", ".join(option.phrasings))
        lines.append(" | ".join(parts))
    return "\n".join(lines)


def options_data(text: str) -> list[dict[str, Any]]:
    options: list[dict[str, Any]] = []
    for line in text.split("\n"):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split("|")]
        if len(parts) > 3:
            raise refused("options", f"{line.strip()!r}: at most id | label | phrasings")
        option: dict[str, Any] = {"id": parts[0], "label": parts[1] if len(parts) > 1 else ""}
        if len(parts) == 3 and parts[2]:
            option["phrasings"] = [p.strip() for p in parts[2].split(",") if p.strip()]
        options.append(option)
    return options


@dataclass
class FieldForm:
    """What the field form shows: `original` is the name it was opened on ("" when new)."""

    original: str
    name: str = ""
    label: str = ""
    type: str = "text"
    question: str = ""
    variants: dict[str, str] = field(default_factory=dict)
    help: str = ""
    optional: bool = True
    options: str = ""  # one option a line, as in the textarea
    minimum: str = ""
    maximum: str = ""
    max_length: str = ""
    hubspot_property: str = ""

    @classmethod
    def of(cls, found: CustomField) -> FieldForm:
        return cls(
            original=found.name,
            name=found.name,
            label=found.label,
            type=found.type,
            question=found.question,
            variants=dict(found.variants),
            help=found.help,
            optional=found.optional,
            options=options_text(found.options),
            minimum=_plain(found.minimum),
            maximum=_plain(found.maximum),
            max_length=str(found.max_length) if found.type == "text" else "",
            hubspot_property=found.hubspot_property or "",
        )

    @classmethod
    def posted(cls, original: str, values: Mapping[str, str]) -> FieldForm:
        variants = {
            c: clean_text(values.get(f"channel_{c}")) for c in custom_fields.VARIANT_CHANNELS
        }
        return cls(
            original=original,
            name=values.get("name", "").strip(),
            label=clean_text(values.get("label")),
            type=values.get("type", "").strip(),
            question=clean_text(values.get("question")),
            variants={c: text for c, text in variants.items() if text},
            help=clean_text(values.get("help")),
            optional=values.get("optional") == "on",
            options=clean_text(values.get("options")),
            minimum=values.get("min", "").strip(),
            maximum=values.get("max", "").strip(),
            max_length=values.get("max_length", "").strip(),
            hubspot_property=values.get("hubspot_property", "").strip(),
        )

    def to_data(self) -> dict[str, Any]:
        """The field as raw YAML data, for the bot's reader to judge. What another type
        would use (a choice's options on a number field) is left out, not refused."""
        data: dict[str, Any] = {
            "name": self.name,
            "label": self.label,
            "type": self.type,
            "question": self.question,
            "optional": self.optional,
        }
        if self.variants:
            data["channels"] = dict(self.variants)
        if self.help:
            data["help"] = self.help
        if self.type == "choice":
            data["options"] = options_data(self.options)
        if self.type == "number":
            data.update({k: v for k, v in (("min", self.minimum), ("max", self.maximum)) if v})
        if self.type == "text" and self.max_length:
            data["max_length"] = _whole(self.max_length)
        if self.hubspot_property:
            data["hubspot_property"] = self.hubspot_property
        return data


def _plain(number: Any) -> str:
    if number is None:
        return ""
    text = format(number.normalize(), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _whole(text: str) -> int | str:
    """A whole number as a number; anything else as typed, for the reader to refuse."""
    return int(text) if text.isdigit() else text


def save_field(ws: Workspace, posted: FieldForm, values: Mapping[str, str]) -> list[Problem]:
    """Add (`original` "") or replace a field; the problems, none when it was written."""

    def build(ws: Workspace) -> dict[str, str]:
        text = current_text(ws)
        check_base(values, text)
        fields = fields_or_form_error(text)
        mine = position_of(fields, posted.original) if posted.original else len(fields)
        if mine is None:
            raise refused("", f"{posted.original} was removed from the draft.")
        if posted.name == "new":
            raise refused("name", "'new' is the address of the page for adding a field")
        data = [f.to_yaml() for f in fields]
        data[mine : mine + 1] = [posted.to_data()]
        return {LEAD_FIELDS: custom_fields.dump(checked(data, mine))}

    return save(ws, build)


def delete_field(ws: Workspace, name: str, values: Mapping[str, str]) -> list[Problem]:
    def build(ws: Workspace) -> dict[str, str]:
        text = current_text(ws)
        check_base(values, text)
        fields = fields_or_form_error(text)
        if position_of(fields, name) is None:
            raise refused("", f"{name} was removed from the draft.")
        return {LEAD_FIELDS: custom_fields.dump([f for f in fields if f.name != name])}

    return save(ws, build)


def move_field(
    ws: Workspace, name: str, direction: Direction, values: Mapping[str, str]
) -> list[Problem]:
    """Swap the field with the one before (up) or after (down) it."""

    def build(ws: Workspace) -> dict[str, str]:
        text = current_text(ws)
        check_base(values, text)
        fields = fields_or_form_error(text)
        at = position_of(fields, name)
        if at is None:
            raise refused("", f"{name} was removed from the draft.")
        other = at - 1 if direction == "up" else at + 1
        if not 0 <= other < len(fields):
            raise refused("", f"{name} is already {'first' if direction == 'up' else 'last'}.")
        fields[at], fields[other] = fields[other], fields[at]
        return {LEAD_FIELDS: custom_fields.dump(fields)}

    return save(ws, build)


# ------------------------------------------------------------------ pages


@dataclass(frozen=True)
class Row:
    name: str
    label: str
    type: str
    question: str
    optional: bool
    channels: str


def rows_of(fields: Sequence[CustomField]) -> list[Row]:
    return [
        Row(
            f.name,
            f.label,
            TYPE_LABELS[f.type],
            f.question,
            f.optional,
            ", ".join(c for c in custom_fields.VARIANT_CHANNELS if c in f.variants),
        )
        for f in fields
    ]


def list_page(
    request: web.Request,
    text: str,
    problems: Sequence[Problem] = (),
    *,
    notice: str = "",
    status: int = 200,
) -> web.Response:
    try:
        fields, broken = fields_of(text), ""
    except Unreadable as error:
        fields, broken = [], unreadable_message(error)
    _, general = errors_by_field(list(problems), set())
    if request.query.get("saved") == "1":
        notice = notice or SAVED
    deleted = request.query.get("deleted", "")
    if custom_fields.NAME.match(deleted):
        notice = DELETED.format(name=deleted)
    return render(
        request, "content/fields.html", status=status, rows=rows_of(fields), broken=broken,
        most=custom_fields.MAX_FIELDS, general=general, notice=notice, base=fingerprint(text),
    )  # fmt: skip


def field_page(
    request: web.Request,
    shown: FieldForm,
    base: str,
    problems: Sequence[Problem] = (),
    *,
    status: int = 200,
) -> web.Response:
    errors, general = errors_by_field(list(problems), set(FORM_FIELDS))
    saved = request.query.get("saved") == "1"
    return render(
        request, "content/field.html", status=status, entry=shown, errors=errors,
        general=general, channels=CHANNEL_LABELS, types=TYPE_LABELS, base=base,
        notice=SAVED if saved else "",
    )  # fmt: skip


def name_of(request: web.Request) -> str:
    name = request.match_info["name"]
    if not custom_fields.NAME.match(name):
        raise web.HTTPNotFound()
    return name


def stored_field(text: str, name: str) -> CustomField:
    fields = fields_of(text)
    found = position_of(fields, name)
    if found is None:
        raise web.HTTPNotFound()
    return fields[found]


@routes.get(HOME)
@requires("content.edit")
async def fields_list(request: web.Request) -> web.Response:
    text = await in_thread(current_text, workspace(request))
    return list_page(request, text)


@routes.get(f"{HOME}/new")
@requires("content.edit")
async def new_page(request: web.Request) -> web.Response:
    text = await in_thread(current_text, workspace(request))
    return field_page(request, FieldForm(""), fingerprint(text))


@routes.post(f"{HOME}/new")
@requires("content.edit")
async def new_save(request: web.Request) -> web.Response:
    return await _save(request, "")


@routes.get(HOME + "/{name}")
@requires("content.edit")
async def edit_page(request: web.Request) -> web.Response:
    name = name_of(request)
    text = await in_thread(current_text, workspace(request))
    try:
        found = stored_field(text, name)
    except Unreadable as error:
        return render(request, "error.html", status=409, message=unreadable_message(error))
    return field_page(request, FieldForm.of(found), fingerprint(text))


@routes.post(HOME + "/{name}")
@requires("content.edit")
async def edit_save(request: web.Request) -> web.Response:
    return await _save(request, name_of(request))


async def _save(request: web.Request, original: str) -> web.Response:
    values = dict(await form(request))
    posted = FieldForm.posted(original, values)
    ws = workspace(request)
    try:
        problems = await in_thread(save_field, ws, posted, values)
    except Stale:
        return await _stale(request, original)
    if problems:
        base = values.get(BASE) or fingerprint(await in_thread(current_text, ws))
        return field_page(request, posted, base, problems, status=400)
    renamed = {"renamed_from": original} if original and original != posted.name else {}
    await audit(
        request, "studio.content_saved", posted.name, file=LEAD_FIELDS, created=not original,
        **renamed,
    )  # fmt: skip
    return redirect(f"{HOME}/{posted.name}?saved=1")


async def _stale(request: web.Request, original: str) -> web.Response:
    """The form was made from another version of the list: show the list as it is now."""
    text = await in_thread(current_text, workspace(request))
    stale = [Problem(LEAD_FIELDS, "", STALE)]
    try:
        shown = FieldForm.of(stored_field(text, original)) if original else FieldForm("")
    except (Unreadable, web.HTTPNotFound):
        return list_page(request, text, stale, status=409)
    return field_page(request, shown, fingerprint(text), stale, status=409)


@routes.post(HOME + "/{name}/delete")
@requires("content.edit")
async def delete(request: web.Request) -> web.Response:
    name = name_of(request)
    values = dict(await form(request))
    ws = workspace(request)
    try:
        problems = await in_thread(delete_field, ws, name, values)
    except Stale:
        return await _stale(request, name)
    if problems:
        text = await in_thread(current_text, ws)
        return list_page(request, text, problems, status=400)
    await audit(request, "studio.content_saved", name, file=LEAD_FIELDS, deleted=True)
    return redirect(f"{HOME}?deleted={name}")


@routes.post(HOME + "/{name}/move")
@requires("content.edit")
async def move(request: web.Request) -> web.Response:
    name = name_of(request)
    values = dict(await form(request))
    direction: Direction = "up" if values.get("direction") == "up" else "down"
    if values.get("direction") not in ("up", "down"):
        raise web.HTTPBadRequest(text="direction is up or down")
    ws = workspace(request)
    try:
        problems = await in_thread(move_field, ws, name, direction, values)
    except Stale:
        text = await in_thread(current_text, ws)
        return list_page(request, text, [Problem(LEAD_FIELDS, "", STALE)], status=409)
    if problems:
        text = await in_thread(current_text, ws)
        return list_page(request, text, problems, status=400)
    await audit(request, "studio.content_saved", name, file=LEAD_FIELDS, moved=direction)
    return redirect(f"{HOME}?saved=1")


__all__ = ["routes"]
