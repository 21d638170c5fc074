"""Editing the answers to common questions (knowledge.yml): the list, one entry at a
time, and imports from CSV or Markdown.

Like the other content editors, every change builds the whole new file, checks it with
the bot's own reader (`bot.knowledge`) and then with the draft's validation on a
temporary copy, and writes it into the draft only when nothing is wrong; otherwise the
form comes back with each problem next to its field and the draft is untouched. Forms
carry the fingerprint of the file they were made from, so an edit made on a list that
someone else changed since is refused instead of silently undoing theirs.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any, Literal

from aiohttp import web

from bot import knowledge
from studio.content import SAVED, FormError, clean_text, errors_by_field, read_or_empty, save
from studio.policy_editors import BASE, STALE, Stale, check_base, fingerprint, workspace
from studio.validation import KNOWLEDGE, Problem
from studio.web import audit, form, in_thread, redirect, render, requires
from studio.workspace import Workspace

routes = web.RouteTableDef()

HOME = "/content/knowledge"
# Below the studio's 1 MB request limit, so an upload that is too large still reaches
# this page and gets a message that says so (the whole list at its most is far smaller).
MAX_UPLOAD = 512 * 1024
CHANNEL_LABELS: dict[str, str] = {
    "web": "Web chat",
    "telegram": "Telegram",
    "sms": "SMS",
    "whatsapp": "WhatsApp (when empty: the SMS answer)",
    "voice": "Voice (spoken on calls; no links, say it as you would on the phone)",
}
Format = Literal["auto", "csv", "markdown"]
Mode = Literal["add", "replace"]
FORMATS: tuple[Format, ...] = ("auto", "csv", "markdown")
MODES: tuple[Mode, ...] = ("add", "replace")
EXTENSIONS: dict[str, Format] = {".csv": "csv", ".md": "markdown", ".markdown": "markdown"}


class Unreadable(Exception):
    """The draft's knowledge.yml does not parse (edited by hand): the list cannot be
    shown, and only replacing the whole list can mend it from here."""

    def __init__(self, problems: list[knowledge.Problem]) -> None:
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


# ------------------------------------------------------------------ reading the draft


def current_text(ws: Workspace) -> str:
    return read_or_empty(ws, KNOWLEDGE)


def entries_of(text: str) -> list[knowledge.Entry]:
    try:
        return knowledge.parse(text)
    except knowledge.KnowledgeError as error:
        raise Unreadable(error.problems) from error


def unreadable_message(error: Unreadable) -> str:
    listed = "; ".join(str(p) for p in error.problems)
    return f"{KNOWLEDGE} in the draft cannot be read ({listed}). Fix it by hand, or replace the whole list with an import."


def position_of(entries: Sequence[knowledge.Entry], entry_id: str) -> int | None:
    return next((i for i, e in enumerate(entries) if e.id == entry_id), None)


def checked(data: list[dict[str, Any]], mine: int | None) -> list[knowledge.Entry]:
    """The list as the bot would read it; problems of entry `mine` go to its fields, the
    others (another entry, the list as a whole) to the top of the page."""
    try:
        return knowledge.entries_from_data(data)
    except knowledge.KnowledgeError as error:
        raise FormError([on_form(p, mine) for p in error.problems]) from error


def on_form(problem: knowledge.Problem, mine: int | None) -> Problem:
    if mine is not None and problem.entry == mine:
        return Problem(KNOWLEDGE, problem.field, problem.message)
    return Problem(KNOWLEDGE, "", str(problem))


# ------------------------------------------------------------------ one entry


@dataclass
class EntryForm:
    """What the entry form shows: `original` is the id it was opened on ("" when new)."""

    original: str
    id: str = ""
    questions: str = ""  # one phrasing per line, as in the textarea
    answer: str = ""
    variants: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, entry: knowledge.Entry) -> EntryForm:
        return cls(
            entry.id, entry.id, "\n".join(entry.questions), entry.answer, dict(entry.variants)
        )

    @classmethod
    def posted(cls, original: str, values: Mapping[str, str]) -> EntryForm:
        variants = {c: clean_text(values.get(f"channel_{c}")) for c in knowledge.VARIANT_CHANNELS}
        return cls(
            original,
            values.get("id", "").strip(),
            clean_text(values.get("questions")),
            clean_text(values.get("answer")),
            {c: text for c, text in variants.items() if text},
        )

    def to_data(self) -> dict[str, Any]:
        """The entry as raw YAML data, for the bot's reader to judge."""
        data: dict[str, Any] = {
            "id": self.id,
            "questions": [q.strip() for q in self.questions.split("\n") if q.strip()],
            "answer": self.answer,
        }
        if self.variants:
            data["channels"] = dict(self.variants)
        return data


def save_entry(ws: Workspace, posted: EntryForm, values: Mapping[str, str]) -> list[Problem]:
    """Add (`original` "") or replace an entry; the problems, none when it was written."""

    def build(ws: Workspace) -> dict[str, str]:
        text = current_text(ws)
        check_base(values, text)
        entries = entries_or_form_error(text)
        mine = position_of(entries, posted.original) if posted.original else len(entries)
        if mine is None:
            raise refused("", f"{posted.original} was removed from the draft.")
        taken = position_of(entries, posted.id)
        if posted.id and taken is not None and taken != mine:
            raise refused("id", f"another entry already has the id {posted.id!r}")
        data = [e.to_yaml() for e in entries]
        data[mine : mine + 1] = [posted.to_data()]
        return {KNOWLEDGE: knowledge.dump(checked(data, mine))}

    return save(ws, build)


def delete_entry(ws: Workspace, entry_id: str, values: Mapping[str, str]) -> list[Problem]:
    def build(ws: Workspace) -> dict[str, str]:
        text = current_text(ws)
        check_base(values, text)
        entries = entries_or_form_error(text)
        if position_of(entries, entry_id) is None:
            raise refused("", f"{entry_id} was removed from the draft.")
        return {KNOWLEDGE: knowledge.dump(e for e in entries if e.id != entry_id)}

    return save(ws, build)


def entries_or_form_error(text: str) -> list[knowledge.Entry]:
    try:
        return entries_of(text)
    except Unreadable as error:
        raise refused("", unreadable_message(error)) from error


def refused(field: str, message: str) -> FormError:
    """A form error shown at `field` ("" for the top of the page)."""
    return FormError([Problem(KNOWLEDGE, field, message)])


# ------------------------------------------------------------------ import


@dataclass
class ImportForm:
    format: str = "auto"
    mode: str = "add"
    replace_same: bool = False
    text: str = ""  # what was pasted (an uploaded file is not sent back)
    filename: str = ""
    upload: str = ""  # the uploaded file's text
    too_large: bool = False


def import_format(found: ImportForm) -> Format:
    """The chosen format, else the file's extension; pasted text with `## ` headings
    is Markdown, anything else CSV."""
    if found.format in ("csv", "markdown"):
        return "csv" if found.format == "csv" else "markdown"
    if found.upload:
        suffix = PurePosixPath(found.filename.lower()).suffix
        if suffix not in EXTENSIONS:
            raise refused(
                "format", "choose CSV or Markdown: the file's name ends in neither .csv nor .md"
            )
        return EXTENSIONS[suffix]
    headings = any(line.startswith("## ") for line in found.text.splitlines())
    return "markdown" if headings else "csv"


def imported(found: ImportForm, existing: Sequence[str]) -> list[knowledge.Entry]:
    source = found.upload or found.text
    if not source.strip():
        raise refused("file", "choose a file or paste the list")
    reader = knowledge.from_csv if import_format(found) == "csv" else knowledge.from_markdown
    try:
        return reader(source, existing=existing)
    except knowledge.KnowledgeError as error:
        # `entry 2` is the second question in the file (a CSV header row not counted).
        raise FormError(
            [Problem(KNOWLEDGE, "", f"in the import, {p}") for p in error.problems]
        ) from error


def merged(
    entries: list[knowledge.Entry], new: list[knowledge.Entry], found: ImportForm
) -> list[knowledge.Entry]:
    """The list after the import: the new entries alone ("replace"), or added to the
    list, an entry with an existing id replacing it in place only when asked."""
    if found.mode == "replace":
        return new
    known = {e.id for e in entries}
    same = [e.id for e in new if e.id in known]
    if same and not found.replace_same:
        raise refused(
            "mode",
            f"already in the list: {', '.join(same)}. Tick \u201creplace entries with the same id\u201d to overwrite them, or give them other ids.",
        )
    by_id = {e.id: e for e in new}
    kept = [by_id.get(e.id, e) for e in entries]
    return kept + [e for e in new if e.id not in known]


def import_list(
    ws: Workspace, found: ImportForm, values: Mapping[str, str]
) -> tuple[int, list[Problem]]:
    """(how many entries the import brought, problems)."""
    count = 0

    def build(ws: Workspace) -> dict[str, str]:
        nonlocal count
        text = current_text(ws)
        check_base(values, text)
        # Replacing the whole list is also how a list broken by hand is mended.
        entries = [] if found.mode == "replace" else entries_or_form_error(text)
        new = imported(found, [e.id for e in entries])
        count = len(new)
        data = [e.to_yaml() for e in merged(entries, new, found)]
        return {KNOWLEDGE: knowledge.dump(checked(data, None))}

    problems = save(ws, build)
    return count, problems


async def read_import(request: web.Request) -> tuple[ImportForm, dict[str, str], list[Problem]]:
    """The import form (multipart: it carries a file), its text fields, and what is
    wrong with the upload itself (too large, not text)."""
    posted = await request.post()
    values = {k: v for k, v in posted.items() if isinstance(v, str)}
    found = ImportForm(
        format=values.get("format", "auto") if values.get("format") in FORMATS else "auto",
        mode=values.get("mode", "add") if values.get("mode") in MODES else "add",
        replace_same=values.get("replace_same") == "on",
        text=clean_text(values.get("text")),
    )
    problems: list[Problem] = []
    if len(found.text.encode("utf-8")) > MAX_UPLOAD:
        found.too_large = True
        problems.append(Problem(KNOWLEDGE, "text", f"at most {MAX_UPLOAD // 1024} KB"))
    for upload in posted.values():
        if isinstance(upload, web.FileField):
            # aiohttp spools each uploaded file to a temporary file it never closes.
            with upload.file:
                if upload.name == "file" and upload.filename:
                    problem = await in_thread(read_upload, found, upload)
                    problems += [problem] if problem else []
    return found, values, problems


def read_upload(found: ImportForm, upload: web.FileField) -> Problem | None:
    """Put the uploaded file's text into `found`, or say why it cannot be imported."""
    found.filename = upload.filename
    raw = upload.file.read(MAX_UPLOAD + 1)
    if len(raw) > MAX_UPLOAD:
        found.too_large = True
        return Problem(
            KNOWLEDGE,
            "file",
            f"the file is larger than {MAX_UPLOAD // 1024} KB; split it and import the parts",
        )
    try:
        found.upload = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return Problem(
            KNOWLEDGE, "file", "the file is not UTF-8 text: save it as CSV UTF-8 or as plain text"
        )
    return None


# ------------------------------------------------------------------ pages


@dataclass(frozen=True)
class Row:
    id: str
    first: str
    phrasings: int
    channels: str


def rows_of(entries: Sequence[knowledge.Entry]) -> list[Row]:
    return [
        Row(
            e.id,
            e.questions[0],
            len(e.questions),
            ", ".join(c for c in knowledge.VARIANT_CHANNELS if c in e.variants),
        )
        for e in entries
    ]


def list_page(
    request: web.Request,
    text: str,
    found: ImportForm | None = None,
    problems: Sequence[Problem] = (),
    *,
    base: str = "",
    status: int = 200,
) -> web.Response:
    try:
        entries, broken = entries_of(text), ""
    except Unreadable as error:
        entries, broken = [], unreadable_message(error)
    errors, general = errors_by_field(list(problems), {"file", "text", "format", "mode"})
    saved = request.query.get("saved") == "1"
    return render(
        request, "content/knowledge.html", status=status, rows=rows_of(entries), broken=broken,
        most=knowledge.MAX_ENTRIES, found=found or ImportForm(), errors=errors, general=general,
        notice=SAVED if saved else "", base=base or fingerprint(text),
        max_upload=MAX_UPLOAD // 1024,
    )  # fmt: skip


def entry_page(
    request: web.Request,
    shown: EntryForm,
    base: str,
    problems: Sequence[Problem] = (),
    *,
    status: int = 200,
) -> web.Response:
    fields = {"id", "questions", "answer", *(f"channels.{c}" for c in knowledge.VARIANT_CHANNELS)}
    errors, general = errors_by_field(list(problems), fields)
    saved = request.query.get("saved") == "1"
    return render(
        request, "content/knowledge_entry.html", status=status, entry=shown, errors=errors,
        general=general, channels=CHANNEL_LABELS, base=base, notice=SAVED if saved else "",
    )  # fmt: skip


def entry_id_of(request: web.Request) -> str:
    entry_id = request.match_info["id"]
    if not knowledge.ENTRY_ID.match(entry_id):
        raise web.HTTPNotFound()
    return entry_id


def stored_entry(text: str, entry_id: str) -> knowledge.Entry:
    entries = entries_of(text)
    found = position_of(entries, entry_id)
    if found is None:
        raise web.HTTPNotFound()
    return entries[found]


def broken_page(request: web.Request, error: Unreadable) -> web.Response:
    return render(request, "error.html", status=409, message=unreadable_message(error))


@routes.get(HOME)
@requires("content.edit")
async def knowledge_list(request: web.Request) -> web.Response:
    text = await in_thread(current_text, workspace(request))
    return list_page(request, text)


@routes.get(f"{HOME}/new")
@requires("content.edit")
async def new_page(request: web.Request) -> web.Response:
    text = await in_thread(current_text, workspace(request))
    # Opened from the dashboard's least understood list: that message is the first phrasing.
    asked = clean_text(request.query.get("question", ""))[: knowledge.MAX_QUESTION]
    return entry_page(request, EntryForm("", questions=asked), fingerprint(text))


@routes.post(f"{HOME}/new")
@requires("content.edit")
async def new_save(request: web.Request) -> web.Response:
    return await _save(request, "")


@routes.get(HOME + "/entries/{id}")
@requires("content.edit")
async def edit_page(request: web.Request) -> web.Response:
    entry_id = entry_id_of(request)
    text = await in_thread(current_text, workspace(request))
    try:
        entry = stored_entry(text, entry_id)
    except Unreadable as error:
        return broken_page(request, error)
    return entry_page(request, EntryForm.of(entry), fingerprint(text))


@routes.post(HOME + "/entries/{id}")
@requires("content.edit")
async def edit_save(request: web.Request) -> web.Response:
    return await _save(request, entry_id_of(request))


async def _save(request: web.Request, original: str) -> web.Response:
    values = dict(await form(request))
    posted = EntryForm.posted(original, values)
    ws = workspace(request)
    try:
        problems = await in_thread(save_entry, ws, posted, values)
    except Stale:
        return await _stale(request, original)
    if problems:
        base = values.get(BASE) or fingerprint(await in_thread(current_text, ws))
        return entry_page(request, posted, base, problems, status=400)
    renamed = {"renamed_from": original} if original and original != posted.id else {}
    await audit(
        request, "studio.content_saved", posted.id, file=KNOWLEDGE, created=not original, **renamed
    )
    return redirect(f"{HOME}/entries/{posted.id}?saved=1")


async def _stale(request: web.Request, original: str) -> web.Response:
    """The form was made from another version of the list: show the list as it is now."""
    text = await in_thread(current_text, workspace(request))
    stale = [Problem(KNOWLEDGE, "", STALE)]
    try:
        shown = EntryForm.of(stored_entry(text, original)) if original else EntryForm("")
    except (Unreadable, web.HTTPNotFound):
        return list_page(request, text, problems=stale, status=409)
    return entry_page(request, shown, fingerprint(text), stale, status=409)


@routes.post(HOME + "/entries/{id}/delete")
@requires("content.edit")
async def delete(request: web.Request) -> web.Response:
    entry_id = entry_id_of(request)
    values = dict(await form(request))
    ws = workspace(request)
    try:
        problems = await in_thread(delete_entry, ws, entry_id, values)
    except Stale:
        return await _stale(request, entry_id)
    if problems:
        text = await in_thread(current_text, ws)
        return list_page(request, text, problems=problems, status=400)
    await audit(request, "studio.content_saved", entry_id, file=KNOWLEDGE, deleted=True)
    return redirect(f"{HOME}?saved=1")


@routes.post(f"{HOME}/import")
@requires("content.edit")
async def import_save(request: web.Request) -> web.Response:
    found, values, problems = await read_import(request)
    ws = workspace(request)
    count = 0
    if not problems:
        try:
            count, problems = await in_thread(import_list, ws, found, values)
        except Stale:
            problems = [Problem(KNOWLEDGE, "", STALE)]
            text = await in_thread(current_text, ws)
            return list_page(request, text, found, problems, status=409)
    if problems:
        text = await in_thread(current_text, ws)
        status = 413 if found.too_large else 400
        return list_page(request, text, found, problems, base=values.get(BASE, ""), status=status)
    await audit(
        request, "studio.content_saved", "knowledge", file=KNOWLEDGE, imported=count,
        mode=found.mode, format=import_format(found), replace_same=found.replace_same,
    )  # fmt: skip
    return redirect(f"{HOME}?saved=1")


__all__ = ["routes"]
