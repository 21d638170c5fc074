"""Editing the scoring rubric (scoring.yml) and the consent wording (consent.yml).

Both files are read back by the bot's own loaders before anything reaches the draft,
and both carry a `version` that is stored with every score and every consent: a changed
rubric or wording gets a new version here, so a marketer cannot forget to bump it.
"""

from __future__ import annotations

import hashlib
import itertools
import re
import string
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from io import StringIO
from pathlib import Path
from typing import Any, TypeVar, get_args

from aiohttp import web
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, FoldedScalarString

from bot.consent import ConsentConfig, ConsentConfigError, load_consent_config
from bot.protected import PROTECTED_WORDS
from bot.qualification import QualificationConfigError, load_qualification_config
from bot.scoring.rubric import (
    CHOICE_FIELDS,
    ENGAGEMENT_EVENTS,
    TEXT_FIELDS,
    Rubric,
    RubricError,
    load_rubric,
)
from bot.types import GRADES, PURPOSES, STAGES, LeadField
from studio.web import SETTINGS, audit, form, in_thread, redirect, render, requires
from studio.workspace import ContentError, Workspace, yaml

routes = web.RouteTableDef()
SCORING, CONSENT = "scoring.yml", "consent.yml"
SAVED = "Saved to the draft. Publish to put it live."
GENERAL = ""  # the key of an error that belongs to no single field
BASE = "base"  # the form field with the fingerprint of the file the form was made from
GRADE_KEYS: tuple[str, ...] = GRADES[:-1]  # D is what is left under C
STAGE_KEYS: tuple[str, ...] = tuple(reversed(STAGES[1:]))  # "new" is what is left under mql
LEAD_FIELDS: tuple[str, ...] = get_args(LeadField)
PLACEHOLDERS = frozenset({"company"})  # what bot.consent substitutes into a wording
MAX_WORDING = 1000
Loaded = TypeVar("Loaded")


# --- shared by the editors -------------------------------------------------------------


def workspace(request: web.Request) -> Workspace:
    return Workspace.for_settings(request.app[SETTINGS]).ensure()


def today() -> str:
    return datetime.now(timezone.utc).date().isoformat()


def next_version(current: str, day: str) -> str:
    """Today's date; `-2`, `-3`... when the current version is already today's."""
    if current == day:
        return f"{day}-2"
    found = re.fullmatch(re.escape(day) + r"-(\d+)", current)
    return f"{day}-{int(found.group(1)) + 1}" if found else day


def dump(like: str, data: Any) -> str:
    """The file's new text, in the indentation of its current text, comments kept."""
    buffer = StringIO()
    yaml(like).dump(data, buffer)
    return buffer.getvalue()


def check_with(loader: Callable[[Path], Loaded], name: str, text: str) -> Loaded:
    """Run one of the bot's own loaders on `text`, as if it were the file `name`."""
    with tempfile.TemporaryDirectory(prefix="parley-studio-") as directory:
        path = Path(directory) / name
        path.write_text(text, encoding="utf-8")
        return loader(path)


class Stale(Exception):
    """The file changed in the draft after the form was opened (another user saved)."""


STALE = (
    "This file changed in the draft since you opened it: someone else saved it. "
    "Nothing was saved; here is the draft as it is now, make your change again."
)


def fingerprint(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def check_base(values: Mapping[str, str], text: str) -> None:
    """Refuse a form opened on another version of the file: its fields (the third step,
    the second question) may no longer mean the same thing."""
    posted = values.get(BASE, "")
    if posted and posted != fingerprint(text):
        raise Stale()


def saved_path(path: str) -> str:
    return f"{path}?saved=1"


def notice_of(request: web.Request, version: str = "") -> str:
    notices = {"1": SAVED, "same": "Nothing changed: the draft is as it was."}
    notice = notices.get(request.query.get("saved", ""), "")
    if version and request.query.get("saved") == "1":
        notice += f" Its version is now {version}."
    return notice


def folded(text: str, width: int = 84) -> FoldedScalarString:
    """A `>-` scalar wrapped at spaces, as the hand-written files are."""
    words = " ".join(text.split())
    result: FoldedScalarString = FoldedScalarString(words)
    positions: list[int] = []
    line_start = 0
    for match in re.finditer(" ", words):
        if match.start() - line_start > width:
            previous = words.rfind(" ", line_start, match.start())
            cut = previous if previous > line_start else match.start()
            positions.append(cut)
            line_start = cut + 1
    setattr(result, "fold_pos", positions)  # noqa: B010  # ruamel reads it; its stubs lack it
    return result


def _last_comment_slot(node: Any) -> tuple[CommentedMap, Any] | None:
    """The mapping and key holding the comment lines that end `node`, if any."""
    if isinstance(node, CommentedSeq) and node:
        return _last_comment_slot(node[-1])
    if not isinstance(node, CommentedMap) or not node:
        return None
    key = list(node)[-1]
    deeper = _last_comment_slot(node[key])
    if deeper is not None:
        return deeper
    slot = node.ca.items.get(key)
    return (node, key) if slot and len(slot) > 2 and slot[2] is not None else None


def take_trailing_comment(node: Any) -> Any:
    """Detach the comment lines that end `node` (None if there are none)."""
    slot = _last_comment_slot(node)
    if slot is None:
        return None
    owner, key = slot
    token = owner.ca.items[key][2]
    owner.ca.items[key][2] = None
    return token


def put_trailing_comment(node: Any, token: Any) -> None:
    """Attach comment lines after whatever now comes last in `node`."""
    target = _last_comment_slot_owner(node)
    if token is not None and target is not None:
        owner, key = target
        owner.ca.items.setdefault(key, [None, None, None, None])[2] = token


def append_keeping_comments(container: Any, key: Any, value: Any) -> None:
    """Add `value` at the end of a mapping (under `key`) or a list (key None), keeping
    the comment lines that ended the container below the new entry, where they were."""
    token = take_trailing_comment(container)
    if key is None:
        container.append(value)
    else:
        container[key] = value
    put_trailing_comment(container, token)


def _last_comment_slot_owner(node: Any) -> tuple[CommentedMap, Any] | None:
    """The mapping and key that come last in `node`: where trailing comments belong."""
    if isinstance(node, CommentedSeq) and node:
        return _last_comment_slot_owner(node[-1])
    if isinstance(node, CommentedMap) and node:
        key = list(node)[-1]
        return _last_comment_slot_owner(node[key]) or (node, key)
    return None


def set_key(mapping: Any, key: Any, value: Any) -> None:
    """Set, add (value not None) or remove (None) a key; the comment lines that end the
    mapping stay at its end, before whatever the file says next."""
    if value is not None and key in mapping:
        mapping[key] = value
        return
    if value is not None:
        append_keeping_comments(mapping, key, value)
        return
    if key in mapping:
        token = take_trailing_comment(mapping)
        del mapping[key]
        put_trailing_comment(mapping, token)


@dataclass
class Errors:
    """Problems found in a posted form, by the name of the field they belong to."""

    by_field: dict[str, str] = field(default_factory=dict)

    def add(self, name: str, message: str) -> None:
        self.by_field.setdefault(name, message)

    def __bool__(self) -> bool:
        return bool(self.by_field)


# --- scoring ---------------------------------------------------------------------------


@dataclass(frozen=True)
class WordsLine:
    match: str  # comma-separated, as shown in the form
    points: str


@dataclass(frozen=True)
class FitRow:
    index: int
    field: str
    values: tuple[tuple[str, str], ...]  # (value, points as text) for a choice field
    lines: tuple[WordsLine, ...]  # for a free-text field; the last one is blank, to add


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def scoring_form(data: Any) -> dict[str, str]:
    """The form's fields from the rubric, by input name."""
    values: dict[str, str] = {}
    for key in GRADE_KEYS:
        values[f"grades.{key}"] = _text((data.get("grades") or {}).get(key))
    for key in STAGE_KEYS:
        values[f"stages.{key}"] = _text((data.get("stages") or {}).get(key))
    for index, rule in enumerate(data.get("fit") or []):
        for value, amount in (rule.get("points") or {}).items():
            values[f"fit.{index}.points.{value}"] = _text(amount)
        for number, line in enumerate(rule.get("words") or []):
            values[f"fit.{index}.words.{number}.match"] = ", ".join(
                str(w) for w in line.get("match") or []
            )
            values[f"fit.{index}.words.{number}.points"] = _text(line.get("points"))
    engagement = data.get("engagement") or {}
    values["engagement.half_life_days"] = _text(engagement.get("half_life_days"))
    for kind in ENGAGEMENT_EVENTS:
        values[f"engagement.events.{kind}"] = _text((engagement.get("events") or {}).get(kind))
    values["predictive.weight"] = _text((data.get("predictive") or {}).get("weight"))
    return values


def fit_rows(data: Any, values: Mapping[str, str]) -> list[FitRow]:
    rows = []
    for index, rule in enumerate(data.get("fit") or []):
        name = str(rule.get("field"))
        choices = CHOICE_FIELDS.get(name, ())
        shown = tuple((v, values.get(f"fit.{index}.points.{v}", "")) for v in choices)
        count = len(rule.get("words") or []) + (1 if name in TEXT_FIELDS else 0)
        lines = tuple(
            WordsLine(
                values.get(f"fit.{index}.words.{n}.match", ""),
                values.get(f"fit.{index}.words.{n}.points", ""),
            )
            for n in range(count)
        )
        rows.append(FitRow(index, name, shown, lines))
    return rows


def whole(
    values: Mapping[str, str], name: str, errors: Errors, low: int, high: int, required: bool = True
) -> int | None:
    raw = values.get(name, "").strip()
    if not raw:
        if required:
            errors.add(name, "enter a whole number")
        return None
    try:
        number = int(raw)
    except ValueError:
        errors.add(name, f"{raw!r} is not a whole number")
        return None
    if not low <= number <= high:
        errors.add(name, f"must be between {low} and {high}")
        return None
    return number


def _descending(
    values: Mapping[str, str], section: str, keys: tuple[str, ...], errors: Errors
) -> dict[str, int]:
    floors = {}
    for key in keys:
        found = whole(values, f"{section}.{key}", errors, 0, 100)
        if found is not None:
            floors[key] = found
    for higher, lower in itertools.pairwise(keys):
        if higher in floors and lower in floors and floors[higher] <= floors[lower]:
            errors.add(f"{section}.{higher}", f"must be higher than {lower} ({floors[lower]})")
    return floors


def apply_scoring(data: Any, values: Mapping[str, str], errors: Errors) -> None:
    """Write the posted numbers into the round-trip rubric, noting every bad field."""
    data.setdefault("grades", CommentedMap()).update(
        _descending(values, "grades", GRADE_KEYS, errors)
    )
    if "stages" in data or any(values.get(f"stages.{k}", "").strip() for k in STAGE_KEYS):
        data.setdefault("stages", CommentedMap()).update(
            _descending(values, "stages", STAGE_KEYS, errors)
        )
    for index, rule in enumerate(data.get("fit") or []):
        if "points" in rule:
            _apply_points(rule, index, values, errors)
        if "words" in rule:
            _apply_words(rule, index, values, errors)
    engagement = data.setdefault("engagement", CommentedMap())
    half_life = whole(values, "engagement.half_life_days", errors, 1, 3650)
    if half_life is not None:
        engagement["half_life_days"] = half_life
    events = engagement.setdefault("events", CommentedMap())
    for kind in ENGAGEMENT_EVENTS:
        set_key(
            events,
            kind,
            whole(values, f"engagement.events.{kind}", errors, -100, 100, required=False),
        )
    weight = _weight(values.get("predictive.weight", ""), errors)
    if weight is not None:
        data.setdefault("predictive", CommentedMap())["weight"] = weight


def _apply_points(rule: Any, index: int, values: Mapping[str, str], errors: Errors) -> None:
    points = rule["points"]
    for value in CHOICE_FIELDS.get(str(rule.get("field")), ()):
        name = f"fit.{index}.points.{value}"
        # An empty box means "not listed", which scores 0 like an unanswered question.
        set_key(points, value, whole(values, name, errors, -100, 100, required=False))


def _apply_words(rule: Any, index: int, values: Mapping[str, str], errors: Errors) -> None:
    lines = rule["words"]
    token = take_trailing_comment(lines)
    kept = CommentedSeq()
    for number in range(len(lines) + 1):
        prefix = f"fit.{index}.words.{number}"
        words = [w.strip().lower() for w in values.get(f"{prefix}.match", "").split(",")]
        words = [w for w in words if w]
        if not words:
            continue  # an emptied line is removed; the blank last line adds nothing
        protected = next((m for w in words if (m := PROTECTED_WORDS.search(w))), None)
        if protected:
            errors.add(
                f"{prefix}.match",
                f"{protected.group(0)!r} is a protected attribute; scoring must not use it",
            )
        points = whole(values, f"{prefix}.points", errors, -100, 100)
        line = lines[number] if number < len(lines) else _new_words_line()
        match = line["match"]
        match.clear()
        match.extend(words)
        line["points"] = points if points is not None else 0
        kept.append(line)
    lines.clear()
    lines.extend(kept)
    put_trailing_comment(lines, token)


def _new_words_line() -> CommentedMap:
    match = CommentedSeq()
    match.fa.set_flow_style()
    line = CommentedMap()
    line["match"], line["points"] = match, 0
    return line


def _weight(raw: str, errors: Errors) -> float | None:
    name = "predictive.weight"
    if not raw.strip():
        errors.add(name, "enter a number between 0 and 1 (0: the rubric alone)")
        return None
    try:
        weight = float(raw)
    except ValueError:
        errors.add(name, f"{raw.strip()!r} is not a number")
        return None
    if not 0.0 <= weight <= 1.0:
        errors.add(name, "must be between 0 and 1")
        return None
    return weight


def custom_choices(space: Workspace) -> dict[str, tuple[str, ...]]:
    """The options of the draft's own qualifying questions: what the rubric may score
    besides the built-in ones (their points are set on the question's page)."""
    try:
        text = space.read("qualification.yml")
    except FileNotFoundError:
        return {}
    try:
        config = check_with(load_qualification_config, "qualification.yml", text)
    except QualificationConfigError:
        return {}
    return config.custom_choices


def _same_rubric(old_text: str, new: Rubric, loader: Callable[[Path], Rubric]) -> bool:
    try:
        old = check_with(loader, SCORING, old_text)
    except RubricError:
        return False
    return replace(old, version="") == replace(new, version="")


def save_rubric(space: Workspace, values: Mapping[str, str]) -> tuple[str, Errors]:
    """Validate and write the rubric; the new version ("" if nothing changed), errors."""
    errors = Errors()
    with space.lock:
        old_text = space.read(SCORING)
        check_base(values, old_text)
        data = yaml().load(old_text)
        apply_scoring(data, values, errors)
        if errors:
            return "", errors
        custom = custom_choices(space)

        def loader(path: Path) -> Rubric:
            return load_rubric(path, custom)

        try:
            rubric = check_with(loader, SCORING, dump(old_text, data))
        except RubricError as error:
            errors.add(GENERAL, error.reason + (f" (line {error.line})" if error.line else ""))
            return "", errors
        if _same_rubric(old_text, rubric, loader):
            return "", errors
        version = next_version(rubric.version, today())
        data["version"] = DoubleQuotedScalarString(version)
        space.write(SCORING, dump(old_text, data))
    return version, errors


def _scoring_page(
    request: web.Request,
    text: str,
    values: Mapping[str, str] | None,
    errors: Errors,
    status: int = 200,
) -> web.Response:
    """The form for the draft's `text`, showing `values` (what was posted) if given."""
    data = yaml().load(text)
    shown = values if values is not None else scoring_form(data)
    version = _text(data.get("version"))
    return render(
        request, "content/scoring.html", status=status, values=shown, errors=errors.by_field,
        version=version, next_version=next_version(version, today()), grade_keys=GRADE_KEYS,
        stage_keys=STAGE_KEYS, rows=fit_rows(data, shown), events=ENGAGEMENT_EVENTS,
        notice=notice_of(request, version), base=shown.get(BASE) or fingerprint(text),
    )  # fmt: skip


@routes.get("/content/scoring")
@requires("content.edit")
async def scoring_page(request: web.Request) -> web.Response:
    return await _show(request, SCORING, _scoring_page)


@routes.post("/content/scoring")
@requires("content.edit")
async def scoring_save(request: web.Request) -> web.Response:
    return await _save(request, SCORING, "/content/scoring", _scoring_page, save_rubric)


# --- consent ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Question:
    key: str  # the index in `ask`, or "new" for the blank row that adds one
    purpose: str
    requires: str
    wording: str
    remove: bool = False


def consent_questions(data: Any) -> list[Question]:
    return [
        Question(
            str(i),
            _text(q.get("purpose")),
            _text(q.get("requires")),
            " ".join(_text(q.get("wording")).split()),
        )
        for i, q in enumerate(data.get("ask") or [])
    ]


def posted_questions(values: Mapping[str, str], count: int) -> list[Question]:
    keys = [*(str(i) for i in range(count)), "new"]
    return [
        Question(
            key,
            values.get(f"purpose.{key}", "").strip(),
            values.get(f"requires.{key}", "").strip(),
            " ".join(values.get(f"wording.{key}", "").split()),
            values.get(f"remove.{key}") == "on",
        )
        for key in keys
    ]


def check_wording(wording: str) -> str | None:
    """What is wrong with a wording, or None: only {company} is filled in."""
    if not wording:
        return "consent needs exact words: the wording cannot be empty"
    if len(wording) > MAX_WORDING:
        return f"at most {MAX_WORDING} characters"
    try:
        names = {name for _, name, _, _ in string.Formatter().parse(wording) if name is not None}
    except ValueError:
        return "a { or } without its pair: placeholders look like {company}"
    unknown = sorted(names - PLACEHOLDERS)
    if unknown:
        shown = ", ".join("{" + n + "}" for n in unknown)
        return f"unknown placeholder {shown}: only {{company}} is filled in"
    return None


def check_questions(questions: list[Question], errors: Errors) -> list[Question]:
    """The questions to keep (the blank new row and removed ones left out)."""
    kept, seen = [], set()
    for question in questions:
        if question.remove or (question.key == "new" and not question.wording):
            continue
        if question.purpose not in PURPOSES:
            errors.add(f"purpose.{question.key}", f"choose one of {', '.join(PURPOSES)}")
        elif question.purpose in seen:
            errors.add(f"purpose.{question.key}", f"{question.purpose} is asked twice")
        seen.add(question.purpose)
        if question.requires and question.requires not in LEAD_FIELDS:
            errors.add(f"requires.{question.key}", f"choose one of {', '.join(LEAD_FIELDS)}")
        problem = check_wording(question.wording)
        if problem:
            errors.add(f"wording.{question.key}", problem)
        kept.append(question)
    if not kept and not errors:
        errors.add(GENERAL, "keep at least one question: consent is asked for something")
    return kept


def apply_consent(data: Any, kept: list[Question]) -> None:
    old = list(data.get("ask") or [])
    entries = CommentedSeq()
    for question in kept:
        entry = old[int(question.key)] if question.key != "new" else CommentedMap()
        entry["purpose"] = question.purpose
        if question.requires:
            entry["requires"] = question.requires
        else:
            entry.pop("requires", None)
        if " ".join(_text(entry.get("wording")).split()) != question.wording:
            entry["wording"] = folded(question.wording)
        entries.append(entry)
    if not isinstance(data.get("ask"), CommentedSeq):
        data["ask"] = CommentedSeq()
    token = take_trailing_comment(data["ask"])
    data["ask"].clear()
    data["ask"].extend(entries)
    put_trailing_comment(data["ask"], token)


def _same_consent(old_text: str, new: ConsentConfig) -> bool:
    try:
        old = check_with(load_consent_config, CONSENT, old_text)
    except ConsentConfigError:
        return False
    return old.questions == new.questions


def save_consent(space: Workspace, values: Mapping[str, str]) -> tuple[str, Errors]:
    errors = Errors()
    with space.lock:
        old_text = space.read(CONSENT)
        check_base(values, old_text)
        data = yaml().load(old_text)
        kept = check_questions(posted_questions(values, len(data.get("ask") or [])), errors)
        if errors:
            return "", errors
        apply_consent(data, kept)
        try:
            config = check_with(load_consent_config, CONSENT, dump(old_text, data))
        except ConsentConfigError as error:
            errors.add(GENERAL, error.reason)
            return "", errors
        if _same_consent(old_text, config):
            return "", errors
        version = next_version(config.version, today())
        data["version"] = DoubleQuotedScalarString(version)
        space.write(CONSENT, dump(old_text, data))
    return version, errors


def _consent_page(
    request: web.Request,
    text: str,
    values: Mapping[str, str] | None,
    errors: Errors,
    status: int = 200,
) -> web.Response:
    data = yaml().load(text)
    count = len(data.get("ask") or [])
    if values is None:
        questions = [*consent_questions(data), Question("new", "", "", "")]
    else:
        questions = posted_questions(values, count)
    version = _text(data.get("version"))
    return render(
        request, "content/consent.html", status=status, questions=questions,
        errors=errors.by_field, version=version, next_version=next_version(version, today()),
        purposes=PURPOSES, lead_fields=LEAD_FIELDS, notice=notice_of(request, version),
        base=(values or {}).get(BASE) or fingerprint(text),
    )  # fmt: skip


@routes.get("/content/consent")
@requires("content.edit")
async def consent_page(request: web.Request) -> web.Response:
    return await _show(request, CONSENT, _consent_page)


@routes.post("/content/consent")
@requires("content.edit")
async def consent_save(request: web.Request) -> web.Response:
    return await _save(request, CONSENT, "/content/consent", _consent_page, save_consent)


# --- shared by both versioned editors ---------------------------------------------------

Page = Callable[[web.Request, str, Mapping[str, str] | None, Errors, int], web.Response]
Save = Callable[[Workspace, Mapping[str, str]], tuple[str, Errors]]


async def _show(request: web.Request, name: str, page: Page) -> web.Response:
    try:
        text = await in_thread(workspace(request).read, name)
        return page(request, text, None, Errors(), 200)
    except (YAMLError, ContentError, OSError) as error:
        return render(request, "error.html", status=500, message=f"{name}: {error}")


async def _save(request: web.Request, name: str, path: str, page: Page, save: Save) -> web.Response:
    """Check and write the posted form; a new version is audited, an unchanged one is not."""
    values = dict(await form(request))
    space = workspace(request)
    try:
        version, errors = await in_thread(save, space, values)
    except Stale:
        return page(request, space.read(name), None, Errors({GENERAL: STALE}), 409)
    except (YAMLError, ContentError, OSError) as error:
        return render(request, "error.html", status=500, message=f"{name}: {error}")
    if errors:
        return page(request, space.read(name), values, errors, 400)
    if not version:
        return redirect(f"{path}?saved=same")
    await audit(request, "studio.content_saved", name, version=version)
    return redirect(saved_path(path))
