"""Adding, editing and removing qualifying questions of the marketer's own.

A custom question lives in qualification.yml (its text, voice wording, options with
their button titles and phrasings, skips and place); the points per option go into the
rubric (scoring.yml `fit:`), so the question's page is where its scoring is set. Like the
other editors, a save builds both files, checks them with the bot's own readers and the
draft's validation on a copy, and writes them only when nothing is wrong; problems come
back next to their fields with the draft untouched. Forms carry the fingerprint of the
files they were made from: an edit on files someone else changed since is refused (409).
Removing a question keeps the answers people gave to it in the profile store.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from io import StringIO
from pathlib import Path
from typing import Any

from aiohttp import web
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from bot.custom_questions import MAX_OPTIONS, CustomQuestion, parse_question
from bot.qualification import VALUES, QualificationConfigError, qualification_from_data
from bot.types import CUSTOM_QUESTION_ID
from studio.content import (
    QUALIFICATION,
    SAVED,
    FormError,
    dump,
    errors_by_field,
    qualification_of,
    quoted,
    read_or_empty,
    save,
)
from studio.policy_editors import BASE, STALE, Stale, fingerprint, next_version, today
from studio.validation import SCORING, Problem
from studio.web import SETTINGS, audit, form, in_thread, redirect, render, requires
from studio.workspace import Workspace, yaml

routes = web.RouteTableDef()

HOME = "/content/qualifying"
MAX_POINTS = 100


@dataclass
class OptionForm:
    id: str = ""
    label: str = ""
    voice: str = ""
    phrasings: str = ""  # one per line, as in the textarea
    points: str = ""

    @property
    def empty(self) -> bool:
        return not any((self.id, self.label, self.voice, self.phrasings, self.points))


@dataclass
class QuestionForm:
    """What the page shows; `original` is the id it was opened on ("" when new)."""

    original: str
    id: str = ""
    text: str = ""
    voice: str = ""
    again: str = ""
    position: str = ""
    options: list[OptionForm] = field(default_factory=list)
    skip_when: dict[str, list[str]] = field(default_factory=dict)
    # Skips posted on questions the draft does not have: refused, never dropped quietly.
    unknown_skips: list[str] = field(default_factory=list)

    def padded(self) -> QuestionForm:
        """With empty option rows up to the most a question may have, to fill in."""
        rows = [*self.options, *(OptionForm() for _ in range(MAX_OPTIONS - len(self.options)))]
        return QuestionForm(
            self.original, self.id, self.text, self.voice, self.again, self.position,
            rows[:MAX_OPTIONS], self.skip_when,
        )  # fmt: skip

    def to_data(self) -> dict[str, Any]:
        options = [o for o in self.options if not o.empty]
        return {
            "id": self.id,
            "text": self.text,
            "voice": self.voice,
            "again": self.again,
            "options": [
                {
                    "id": o.id,
                    "label": o.label,
                    "voice": o.voice,
                    "phrasings": [p.strip() for p in o.phrasings.split("\n") if p.strip()],
                }
                for o in options
            ],
        }


def _clean(value: str | None) -> str:
    return " ".join((value or "").split())


def posted_form(original: str, values: Mapping[str, str], keys: Sequence[str]) -> QuestionForm:
    options = [
        OptionForm(
            _clean(values.get(f"option_{n}_id")),
            _clean(values.get(f"option_{n}_label")),
            _clean(values.get(f"option_{n}_voice")),
            "\n".join(
                _clean(line) for line in (values.get(f"option_{n}_phrasings") or "").splitlines()
            ).strip(),
            _clean(values.get(f"option_{n}_points")),
        )
        for n in range(1, MAX_OPTIONS + 1)
    ]
    while options and options[-1].empty:
        options.pop()
    return QuestionForm(
        original,
        _clean(values.get("id")),
        _clean(values.get("text")),
        _clean(values.get("voice")),
        _clean(values.get("again")),
        _clean(values.get("position")),
        options,
        skip_from(values, keys),
        sorted({k.removeprefix("skip_") for k in values if k.startswith("skip_")} - set(keys)),
    )


def skip_from(values: Mapping[str, str], keys: Sequence[str]) -> dict[str, list[str]]:
    """`skip_<question>` fields: the posted values are "v1\nv2" or repeated fields."""
    getall = getattr(values, "getall", None)
    skip: dict[str, list[str]] = {}
    for key in keys:
        name = f"skip_{key}"
        listed = getall(name, []) if getall else (values.get(name) or "").split("\n")
        chosen = [v.strip() for v in listed if v.strip()]
        if chosen:
            skip[key] = chosen
    return skip


def form_of(question: CustomQuestion, item: Any, position: int, rubric: Any) -> QuestionForm:
    points = points_of(rubric, question.id)
    return QuestionForm(
        question.id,
        question.id,
        question.text,
        question.voice,
        question.again,
        str(position),
        [
            OptionForm(
                o.id, o.label, o.voice, "\n".join(o.phrasings), _text_points(points.get(o.id))
            )
            for o in question.options
        ],
        {
            str(k): [str(v) for v in (vs if isinstance(vs, list) else [vs])]
            for k, vs in (item.get("skip_when") or {}).items()
        },
    )


def _text_points(value: object) -> str:
    return "" if value is None else str(value)


# ------------------------------------------------------------------ the draft's files


def files_base(ws: Workspace) -> str:
    """One fingerprint for both files a question's page writes."""
    return fingerprint(read_or_empty(ws, QUALIFICATION) + "\0" + read_or_empty(ws, SCORING))


def check_files_base(ws: Workspace, values: Mapping[str, str]) -> None:
    posted = values.get(BASE, "")
    if posted and posted != files_base(ws):
        raise Stale()


def item_key(item: Any) -> str:
    return str(item.get("field") or item.get("id"))


def find_item(config: Any, key: str) -> int | None:
    return next((i for i, item in enumerate(config["questions"]) if item_key(item) == key), None)


def rubric_of(ws: Workspace) -> Any:
    text = read_or_empty(ws, SCORING)
    return dump_loader(text) if text.strip() else CommentedMap([("fit", CommentedSeq())])


def dump_loader(text: str) -> Any:
    return yaml().load(text)


def points_of(rubric: Any, key: str) -> dict[str, Any]:
    rule = next((r for r in rubric.get("fit") or [] if str(r.get("field")) == key), None)
    return dict(rule.get("points") or {}) if rule is not None else {}


def refused(field_name: str, message: str) -> FormError:
    return FormError([Problem(QUALIFICATION, field_name, message)])


def new_points(shown: QuestionForm) -> dict[str, int]:
    points: dict[str, int] = {}
    problems = []
    for number, option in enumerate(shown.options, 1):
        if not option.points:
            continue
        if not re.fullmatch(r"-?\d{1,3}", option.points) or abs(int(option.points)) > MAX_POINTS:
            problems.append(
                Problem(
                    SCORING,
                    f"options.{number}.points",
                    f"A whole number from -{MAX_POINTS} to {MAX_POINTS}.",
                )
            )
        else:
            points[option.id] = int(option.points)
    if problems:
        raise FormError(problems)
    return points


def set_points(rubric: Any, original: str, key: str, points: Mapping[str, int]) -> bool:
    """Replace the question's fit rule; whether the numbers changed (a new version)."""
    fit = rubric.setdefault("fit", CommentedSeq())
    before = points_of(rubric, original) if original else {}
    kept = [r for r in fit if str(r.get("field")) not in {original, key}]
    if points:
        listed = CommentedMap((k, v) for k, v in points.items())
        listed.fa.set_flow_style()
        kept.append(CommentedMap([("field", key), ("points", listed)]))
    fit[:] = kept
    changed = before != dict(points) or (original != key and bool(points))
    if changed:
        version = str(rubric.get("version") or "")
        rubric["version"] = DoubleQuotedScalarString(next_version(version, today()))
    return changed


def item_of(shown: QuestionForm) -> CommentedMap:
    data = shown.to_data()
    item = CommentedMap([("id", data["id"]), ("text", quoted(data["text"]))])
    for name in ("voice", "again"):
        if data[name]:
            item[name] = quoted(data[name])
    options = CommentedSeq()
    for option in data["options"]:
        entry = CommentedMap([("id", option["id"]), ("label", quoted(option["label"]))])
        if option["voice"]:
            entry["voice"] = quoted(option["voice"])
        phrasings = CommentedSeq(quoted(p) for p in option["phrasings"])
        phrasings.fa.set_flow_style()
        entry["phrasings"] = phrasings
        options.append(entry)
    item["options"] = options
    if shown.skip_when:
        conditions = CommentedMap()
        for other, values in shown.skip_when.items():
            listed = CommentedSeq(quoted(v) for v in values)
            listed.fa.set_flow_style()
            conditions[other] = listed
        item["skip_when"] = conditions
    return item


def placed(config: Any, shown: QuestionForm, mine: int | None) -> None:
    """Put the question at its posted place (1 = asked first), replacing its old entry."""
    questions = config["questions"]
    if mine is not None:
        del questions[mine]
    if not re.fullmatch(r"\d{1,3}", shown.position) or int(shown.position) < 1:
        raise refused("position", "A place is a whole number from 1.")
    questions.insert(min(int(shown.position), len(questions) + 1) - 1, item_of(shown))


def save_question(ws: Workspace, shown: QuestionForm, values: Mapping[str, str]) -> list[Problem]:
    def build(ws: Workspace) -> dict[str, str]:
        check_files_base(ws, values)
        config, rubric = qualification_of(ws), rubric_of(ws)
        mine = find_item(config, shown.original) if shown.original else None
        if shown.original and mine is None:
            raise refused("", f"{shown.original} was removed from the draft.")
        taken = find_item(config, shown.id)
        if shown.id and taken is not None and taken != mine:
            raise refused("id", f"There is already a question {shown.id!r}.")
        if shown.unknown_skips:
            listed = ", ".join(shown.unknown_skips)
            raise refused("skip_when", f"There is no question {listed} to skip on.")
        _, problems = parse_question(shown.to_data())
        if problems:
            raise FormError([Problem(QUALIFICATION, p.field, p.message) for p in problems])
        points = new_points(shown)
        placed(config, shown, mine)
        checked_config(config, shown.id)
        set_points(rubric, shown.original, shown.id, points)
        return {
            QUALIFICATION: dump(ws, QUALIFICATION, config),
            SCORING: dump(ws, SCORING, rubric),
        }

    return save(ws, build)


def checked_config(config: Any, mine: str) -> None:
    """The whole list as the bot reads it; a skip of this question is shown at its skips,
    any other problem (another question's skip on a renamed one) at the top."""
    plain = dump_loader(dump_plain(config))
    try:
        qualification_from_data(Path(QUALIFICATION), plain)
    except QualificationConfigError as error:
        number = error.question
        ours = number is not None and item_key(config["questions"][number - 1]) == mine
        field_name = (error.part or "") if ours else ""
        raise refused(field_name, error.reason) from error


def dump_plain(config: Any) -> str:
    buffer = StringIO()
    yaml().dump(config, buffer)
    return buffer.getvalue()


def remove_question(ws: Workspace, key: str, values: Mapping[str, str]) -> list[Problem]:
    def build(ws: Workspace) -> dict[str, str]:
        check_files_base(ws, values)
        config, rubric = qualification_of(ws), rubric_of(ws)
        mine = find_item(config, key)
        if mine is None:
            raise refused("", f"{key} was removed from the draft.")
        skipping = [
            item_key(item) for item in config["questions"] if key in (item.get("skip_when") or {})
        ]
        if skipping:
            raise refused(
                "",
                f"{', '.join(skipping)} skip(s) on the answer to {key}: "
                "take those skips off first.",
            )
        del config["questions"][mine]
        set_points(rubric, key, key, {})
        return {
            QUALIFICATION: dump(ws, QUALIFICATION, config),
            SCORING: dump(ws, SCORING, rubric),
        }

    return save(ws, build)


# ------------------------------------------------------------------ pages


def question_keys(ws: Workspace) -> list[str]:
    return [item_key(item) for item in qualification_of(ws)["questions"]]


def choices_of(ws: Workspace, without: str) -> dict[str, list[str]]:
    """The answers each other question can have: what a skip may name."""
    choices: dict[str, list[str]] = {}
    for item in qualification_of(ws)["questions"]:
        key = item_key(item)
        if key == without:
            continue
        if "field" in item:
            choices[key] = list(VALUES.get(key, ()))
        else:
            choices[key] = [str(o.get("id")) for o in item.get("options") or []]
    return choices


FIELDS_SHOWN = (
    "id", "text", "voice", "again", "position", "options", "skip_when",
    *(
        f"options.{n}.{part}"
        for n in range(1, MAX_OPTIONS + 1)
        for part in ("id", "label", "voice", "phrasings", "points")
    ),
)  # fmt: skip


def question_page(
    request: web.Request,
    ws: Workspace,
    shown: QuestionForm,
    base: str,
    problems: Sequence[Problem] = (),
    *,
    status: int = 200,
) -> web.Response:
    errors, general = errors_by_field(list(problems), set(FIELDS_SHOWN))
    return render(
        request, "content/qualifying_custom.html", status=status, question=shown.padded(),
        errors=errors, general=general, base=base, choices=choices_of(ws, shown.original),
        notice=SAVED if request.query.get("saved") == "1" else "",
    )  # fmt: skip


def key_of(request: web.Request) -> str:
    key = request.match_info["id"]
    if not CUSTOM_QUESTION_ID.match(key):
        raise web.HTTPNotFound()
    return key


def stored_form(ws: Workspace, key: str) -> QuestionForm:
    config = qualification_of(ws)
    mine = find_item(config, key)
    if mine is None or "id" not in config["questions"][mine]:
        raise web.HTTPNotFound()
    question, _ = parse_question(dump_loader(dump_plain(config["questions"][mine])))
    if question is None:
        raise web.HTTPNotFound()
    return form_of(question, config["questions"][mine], mine + 1, rubric_of(ws))


@routes.get(f"{HOME}/new")
@requires("content.edit")
async def new_page(request: web.Request) -> web.Response:
    ws = Workspace.for_settings(request.app[SETTINGS]).ensure()
    count = len(await in_thread(question_keys, ws))
    shown = QuestionForm("", position=str(count + 1))
    return question_page(request, ws, shown, await in_thread(files_base, ws))


@routes.post(f"{HOME}/new")
@requires("content.edit")
async def new_save(request: web.Request) -> web.Response:
    return await _save(request, "")


@routes.get(HOME + "/custom/{id}")
@requires("content.edit")
async def edit_page(request: web.Request) -> web.Response:
    key = key_of(request)
    ws = Workspace.for_settings(request.app[SETTINGS]).ensure()
    shown = await in_thread(stored_form, ws, key)
    return question_page(request, ws, shown, await in_thread(files_base, ws))


@routes.post(HOME + "/custom/{id}")
@requires("content.edit")
async def edit_save(request: web.Request) -> web.Response:
    return await _save(request, key_of(request))


async def _save(request: web.Request, original: str) -> web.Response:
    ws = Workspace.for_settings(request.app[SETTINGS]).ensure()
    posted = await form(request)
    keys = await in_thread(question_keys, ws)
    shown = posted_form(original, posted, keys)
    values = dict(posted)
    try:
        problems = await in_thread(save_question, ws, shown, values)
    except Stale:
        return await _stale(request, ws, original)
    if problems:
        base = str(values.get(BASE) or "") or await in_thread(files_base, ws)
        return question_page(request, ws, shown, base, problems, status=400)
    renamed = {"renamed_from": original} if original and original != shown.id else {}
    await audit(
        request, "studio.content_saved", f"qualifying:{shown.id}", file=QUALIFICATION,
        created=not original, options=", ".join(o.id for o in shown.options), **renamed,
    )  # fmt: skip
    return redirect(f"{HOME}/custom/{shown.id}?saved=1")


async def _stale(request: web.Request, ws: Workspace, original: str) -> web.Response:
    stale = [Problem(QUALIFICATION, "", STALE)]
    base = await in_thread(files_base, ws)
    try:
        shown = await in_thread(stored_form, ws, original) if original else QuestionForm("")
    except web.HTTPNotFound:
        shown = QuestionForm("")
    return question_page(request, ws, shown, base, stale, status=409)


@routes.post(HOME + "/custom/{id}/remove")
@requires("content.edit")
async def remove(request: web.Request) -> web.Response:
    key = key_of(request)
    ws = Workspace.for_settings(request.app[SETTINGS]).ensure()
    values = dict(await form(request))
    try:
        problems = await in_thread(remove_question, ws, key, values)
    except Stale:
        return await _stale(request, ws, key)
    if problems:
        shown = await in_thread(stored_form, ws, key)
        base = await in_thread(files_base, ws)
        return question_page(request, ws, shown, base, problems, status=400)
    await audit(
        request, "studio.content_saved", f"qualifying:{key}", file=QUALIFICATION, removed=True
    )
    return redirect(f"{HOME}?saved=1")


__all__ = ["routes"]
