"""Content editing: the bot's responses per channel, the lead form and the qualifying
questions, written into the draft only after the edit validates.

Every save builds the changed files, checks them on a temporary copy of the draft with
the change applied (Parley's lints, then Rasa's own validation) and writes them into the
draft only when nothing is wrong; otherwise the form comes back with each error next
to its field and the draft is untouched.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from io import StringIO
from pathlib import Path
from typing import Any

from aiohttp import web
from multidict import MultiDictProxy
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from bot.qualification import FIELDS, VALUES
from studio.validation import CHANNELS, VOICE, Problem, field_of, validate_draft
from studio.web import SETTINGS, audit, form, in_thread, redirect, render, requires
from studio.workspace import Workspace, write_files, yaml

routes = web.RouteTableDef()

SAVED = "Saved to the draft. Publish to put it live."
DOMAIN = "domain.yml"
QUALIFICATION = "qualification.yml"
LEAD_FORM = "lead_form"
MAX_TEXT = 2000
RESPONSE_NAME = re.compile(r"^utter_\w{1,100}$")
# Where the other content editors live (this module owns only the index).
OTHER_EDITORS = (
    ("/content/scoring", "Scoring", "How answers and behaviour add up to a lead score."),
    ("/content/consent", "Consent wording", "What people are asked before marketing."),
    ("/content/campaigns", "Campaigns", "Outbound messages and who gets them."),
    (
        "/content/knowledge",
        "Common questions",
        "Answers the bot gives at any point, with several phrasings and channel variants.",
    ),
    (
        "/content/fields",
        "Lead fields",
        "Fields of your own asked after the built-in ones: choices, numbers, dates and more.",
    ),
    (
        "/content/topics",
        "Topics",
        "New things the bot understands, with examples and what it does then.",
    ),
    (
        "/content/routing",
        "Routing",
        "What happens to a lead after the qualifying questions, as when ... then ... rules.",
    ),
    ("/content/flow", "The flow", "The whole conversation as a diagram, as the draft has it."),
    (
        "/content/tests",
        "Conversation tests",
        "Conversations the bot must get right, run against the draft and before every publish.",
    ),
)


class FormError(Exception):
    """The submitted form itself is wrong (before any file is built)."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(p.message for p in problems))
        self.problems = problems


def workspace(request: web.Request) -> Workspace:
    return Workspace.for_settings(request.app[SETTINGS])


# ------------------------------------------------------------------ index


@routes.get("/content")
@requires("content.edit")
async def index(request: web.Request) -> web.Response:
    changed = await in_thread(workspace(request).changed)
    return render(
        request,
        "content/index.html",
        changed=changed,
        editors=OTHER_EDITORS,
        notice="The draft was discarded." if "discarded" in request.query else "",
    )


@routes.post("/content/discard")
@requires("content.edit")
async def discard(request: web.Request) -> web.Response:
    ws = workspace(request)
    changed = await in_thread(ws.changed)
    await in_thread(ws.reset)
    await audit(request, "studio.content_discarded", "draft", files=", ".join(changed))
    return redirect("/content?discarded=1")


# ------------------------------------------------------------------ saving


def save(ws: Workspace, build: Callable[[Workspace], dict[str, str]]) -> list[Problem]:
    """Build the changed files from the draft, validate them on a copy, and write them
    only when there is no problem. Holds the draft's lock: no edit is lost in between."""
    with ws.lock:
        try:
            changed = build(ws)
        except FormError as error:
            return error.problems
        with tempfile.TemporaryDirectory(prefix="parley-candidate-") as temporary:
            root = Path(temporary)
            write_files(root, {**ws.files(), **changed}, remove_others=False)
            problems = validate_draft(root)
        if not problems:
            for relative, text in changed.items():
                ws.write(relative, text)
        return problems


def dump(ws: Workspace, relative: str, data: Any) -> str:
    buffer = StringIO()
    yaml(read_or_empty(ws, relative)).dump(data, buffer)
    return buffer.getvalue()


def read_or_empty(ws: Workspace, relative: str) -> str:
    try:
        return ws.read(relative)
    except FileNotFoundError:
        return ""


def qualification_of(ws: Workspace) -> Any:
    """qualification.yml, or (when the draft has none) the order the bot uses without it."""
    text = read_or_empty(ws, QUALIFICATION)
    if text.strip():
        return yaml().load(text)
    return CommentedMap([("questions", CommentedSeq(CommentedMap([("field", f)]) for f in FIELDS))])


def errors_by_field(problems: list[Problem], shown: set[str]) -> tuple[dict[str, str], list[str]]:
    """Problems for fields on the page, by field; the rest (once each) for the top."""
    by_field: dict[str, str] = {}
    for problem in problems:
        if problem.field in shown:
            by_field.setdefault(problem.field, problem.message)
    placed = set(by_field.values())
    rest = [
        ": ".join(part for part in (p.file, p.field, p.message) if part)
        for p in problems
        if p.field not in shown and p.message not in placed
    ]
    return by_field, list(dict.fromkeys(rest))


def clean_text(value: str | None) -> str:
    return "\n".join(
        line.rstrip() for line in (value or "").replace("\r\n", "\n").split("\n")
    ).strip()


def quoted(value: str) -> DoubleQuotedScalarString:
    found: DoubleQuotedScalarString = DoubleQuotedScalarString(value)
    return found


# ------------------------------------------------------------------ responses


@dataclass
class ResponseView:
    """What the response editor shows: the default variation, one text per channel and
    the variations it keeps as they are (conditions, extra random variations)."""

    name: str
    text: str = ""
    buttons: list[tuple[str, str]] = field(default_factory=list)
    channels: dict[str, str] = field(default_factory=dict)
    kept: list[str] = field(default_factory=list)


def plain_variation(variations: list[Any], channel: str | None) -> int | None:
    """The first unconditional variation for `channel` (None: the default)."""
    for index, variation in enumerate(variations):
        plain = isinstance(variation, Mapping) and not variation.get("condition")
        if plain and (variation.get("channel") or None) == channel:
            return index
    return None


def view_of(
    name: str, variations: list[Any], elsewhere: frozenset[int] = frozenset()
) -> ResponseView:
    """`elsewhere`: variations the page edits itself (not listed as kept)."""
    view = ResponseView(name)
    default = plain_variation(variations, None)
    editable = set(elsewhere) | ({default} if default is not None else set())
    if default is not None:
        found = variations[default]
        view.text = str(found.get("text") or "")
        view.buttons = [
            (str(b.get("title", "")), str(b.get("payload", "")))
            for b in found.get("buttons") or []
            if isinstance(b, Mapping)
        ]
    for channel in CHANNELS:
        index = plain_variation(variations, channel)
        if index is not None:
            view.channels[channel] = str(variations[index].get("text") or "")
            editable.add(index)
    for index, variation in enumerate(variations):
        if index not in editable and isinstance(variation, Mapping):
            when = "when " + describe_condition(variation) if variation.get("condition") else "also"
            view.kept.append(f"{when}: {variation.get('text') or '(no text)'}")
    return view


def describe_condition(variation: Mapping[str, Any]) -> str:
    parts = [
        f"{c.get('name')} is {c.get('value')}"
        for c in variation.get("condition") or []
        if isinstance(c, Mapping)
    ]
    channel = variation.get("channel")
    return " and ".join(parts) + (f" (on {channel})" if channel else "")


def view_from_form(name: str, posted: MultiDictProxy[str], kept: list[str]) -> ResponseView:
    titles, payloads = posted.getall("button_title", []), posted.getall("button_payload", [])
    buttons = [
        (title.strip(), payload.strip())
        for title, payload in zip(titles, payloads, strict=False)
        if title.strip() or payload.strip()
    ]
    channels = {c: clean_text(posted.get(f"channel_{c}")) for c in CHANNELS}
    return ResponseView(
        name,
        clean_text(posted.get("text")),
        buttons,
        {c: t for c, t in channels.items() if t},
        kept,
    )


def too_long(view: ResponseView) -> list[Problem]:
    texts = {"default": view.text, **view.channels}
    return [
        Problem(DOMAIN, field_of(view.name, key, "text"), f"At most {MAX_TEXT} characters.")
        for key, text in texts.items()
        if len(text) > MAX_TEXT
    ]


def apply_response(variations: CommentedSeq, view: ResponseView) -> None:
    """Write the default and the channel variations; the others stay as they were.
    Channel variations carry the default's buttons: Rasa sends a channel variation
    instead of the default, and the buttons (the voice channel reads them out as a
    menu) must not disappear on that channel."""
    default = plain_variation(variations, None)
    if default is None:
        variations.append(CommentedMap())
        default = len(variations) - 1
    set_variation(variations[default], view.text, view.buttons, None)
    for channel in CHANNELS:
        index = plain_variation(variations, channel)
        text = view.channels.get(channel, "")
        if text:
            if index is None:
                variations.append(CommentedMap())
                index = len(variations) - 1
            set_variation(variations[index], text, view.buttons, channel)
        elif index is not None:
            del variations[index]


def set_variation(
    variation: CommentedMap, text: str, buttons: list[tuple[str, str]], channel: str | None
) -> None:
    if text:
        variation["text"] = quoted(text)
    else:
        # No text at all: the lints then say so, unless the variation is custom.
        variation.pop("text", None)
    variation.pop("buttons", None)
    if buttons:
        # Fresh objects per variation: shared ones would be dumped as YAML anchors.
        variation["buttons"] = CommentedSeq(
            CommentedMap([("title", quoted(t)), ("payload", quoted(p))]) for t, p in buttons
        )
    if channel:
        variation.pop("channel", None)
        variation["channel"] = channel


def response_fields(view: ResponseView) -> set[str]:
    shown = {field_of(view.name, "default", "text")}
    shown |= {field_of(view.name, c, "text") for c in CHANNELS}
    for number in range(len(view.buttons)):
        for part in ("title", "payload"):
            shown.add(field_of(view.name, "default", f"buttons[{number}].{part}"))
    return shown


def responses_of(ws: Workspace) -> Any:
    return ws.load_yaml(DOMAIN).get("responses") or {}


def first_text(variations: Any) -> str:
    for variation in variations or []:
        if isinstance(variation, Mapping) and variation.get("text"):
            return str(variation["text"])
    return ""


@routes.get("/content/responses")
@requires("content.edit")
async def responses_list(request: web.Request) -> web.Response:
    responses = await in_thread(responses_of, workspace(request).ensure())
    query = request.query.get("q", "").strip()
    rows = [
        (str(name), first_text(variations))
        for name, variations in responses.items()
        if str(name).startswith("utter_")
    ]
    if query:
        needle = query.casefold()
        rows = [r for r in rows if needle in r[0].casefold() or needle in r[1].casefold()]
    return render(request, "content/responses.html", rows=rows, query=query)


def response_or_404(responses: Any, name: str) -> Any:
    if not RESPONSE_NAME.match(name) or name not in responses:
        raise web.HTTPNotFound()
    return responses[name]


@routes.get("/content/responses/{name}")
@requires("content.edit")
async def response_page(request: web.Request) -> web.Response:
    name = request.match_info["name"]
    responses = await in_thread(responses_of, workspace(request).ensure())
    view = view_of(name, list(response_or_404(responses, name)))
    return await render_response(request, view, [], saved="saved" in request.query)


async def render_response(
    request: web.Request,
    view: ResponseView,
    problems: list[Problem],
    *,
    saved: bool = False,
    status: int = 200,
) -> web.Response:
    intents = await in_thread(workspace(request).intents)
    errors, general = errors_by_field(problems, response_fields(view))
    return render(
        request, "content/response.html", status=status, view=view, errors=errors,
        general=general, channels=CHANNELS, voice=VOICE, intents=intents,
        notice=SAVED if saved else "",
    )  # fmt: skip


@routes.post("/content/responses/{name}")
@requires("content.edit")
async def response_save(request: web.Request) -> web.Response:
    name = request.match_info["name"]
    ws = workspace(request)
    responses = await in_thread(responses_of, ws.ensure())
    current = view_of(name, list(response_or_404(responses, name)))
    view = view_from_form(name, await form(request), current.kept)

    def build(ws: Workspace) -> dict[str, str]:
        if problems := too_long(view):
            raise FormError(problems)
        domain = ws.load_yaml(DOMAIN)
        if name not in (domain.get("responses") or {}):
            raise FormError([Problem(DOMAIN, name, f"{name} was removed from the draft.")])
        apply_response(domain["responses"][name], view)
        return {DOMAIN: dump(ws, DOMAIN, domain)}

    problems = await in_thread(save, ws, build)
    if problems:
        return await render_response(request, view, problems, status=400)
    await audit(request, "studio.content_saved", name, file=DOMAIN)
    return redirect(f"/content/responses/{name}?saved=1")


# ------------------------------------------------------------------ lead form


@dataclass
class Question:
    """One question of a form: its slot (or qualification field), its place and wording."""

    key: str
    response: str
    position: str
    text: str
    kept: list[str] = field(default_factory=list)
    skip_when: dict[str, list[str]] = field(default_factory=dict)
    # The wording for someone who is stuck (a variation on `needs_help`); None: there is none.
    help: str | None = None
    help_index: int | None = None
    # A qualifying question of the marketer's own: its wording is edited on its own page.
    custom: bool = False

    @property
    def help_field(self) -> str:
        return field_of(self.response, f"variation {(self.help_index or 0) + 1}", "text")


def help_variation(variations: list[Any]) -> int | None:
    """The first conditional variation for every channel: the lead form's help wording."""
    for index, variation in enumerate(variations):
        conditional = isinstance(variation, Mapping) and variation.get("condition")
        if conditional and not variation.get("channel"):
            return index
    return None


def lead_questions(ws: Workspace) -> list[Question]:
    domain = ws.load_yaml(DOMAIN)
    responses = domain.get("responses") or {}
    questions = []
    for number, slot in enumerate(domain["forms"][LEAD_FORM]["required_slots"], 1):
        variations = list(responses.get(f"utter_ask_{slot}") or [])
        helping = help_variation(variations)
        view = view_of(
            f"utter_ask_{slot}",
            variations,
            frozenset() if helping is None else frozenset({helping}),
        )
        help_text = None if helping is None else str(variations[helping].get("text") or "")
        questions.append(
            Question(
                str(slot),
                view.name,
                str(number),
                view.text,
                view.kept,
                help=help_text,
                help_index=helping,
            )
        )
    return questions


def ordered(questions: list[Question], posted: MultiDictProxy[str], where: str) -> list[Question]:
    """The questions with their posted wording, sorted by their posted positions."""
    known = {q.key for q in questions}
    problems = []
    unknown = sorted(
        k.removeprefix("position_")
        for k in posted
        if k.startswith("position_") and k.removeprefix("position_") not in known
    )
    if unknown:
        problems.append(Problem("", where, f"Not a question here: {', '.join(unknown)}."))
    missing = [q.key for q in questions if not posted.get(f"position_{q.key}", "").strip()]
    if missing:
        problems.append(
            Problem("", where, f"Every question must keep a place; missing: {', '.join(missing)}.")
        )
    result = []
    for question in questions:
        position = posted.get(f"position_{question.key}", "").strip()
        if position and not re.fullmatch(r"-?\d{1,4}", position):
            problems.append(
                Problem("", f"position_{question.key}", "A position is a whole number.")
            )
        text = clean_text(posted.get(f"text_{question.key}"))
        if len(text) > MAX_TEXT:
            problems.append(
                Problem(
                    "",
                    field_of(question.response, "default", "text"),
                    f"At most {MAX_TEXT} characters.",
                )
            )
        help_text = None
        if question.help is not None:
            help_text = clean_text(posted.get(f"help_{question.key}"))
            if len(help_text) > MAX_TEXT:
                problems.append(Problem("", question.help_field, f"At most {MAX_TEXT} characters."))
        result.append(
            Question(
                question.key,
                question.response,
                position,
                text,
                question.kept,
                help=help_text,
                help_index=question.help_index,
                custom=question.custom,
            )
        )
    if problems:
        raise FormError(problems)
    order = {q.key: i for i, q in enumerate(questions)}
    return sorted(result, key=lambda q: (int(q.position), order[q.key]))


def set_default_text(domain: Any, response: str, text: str) -> None:
    variations = domain["responses"][response]
    index = plain_variation(variations, None)
    if index is None:
        variations.append(CommentedMap([("text", quoted(text))]))
    else:
        variations[index]["text"] = quoted(text)


@routes.get("/content/lead-form")
@requires("content.edit")
async def lead_form_page(request: web.Request) -> web.Response:
    questions = await in_thread(lead_questions, workspace(request).ensure())
    return render_lead_form(request, questions, [], saved="saved" in request.query)


def render_lead_form(
    request: web.Request,
    questions: list[Question],
    problems: list[Problem],
    *,
    saved: bool = False,
    status: int = 200,
) -> web.Response:
    shown = {f"forms.{LEAD_FORM}.required_slots"}
    for q in questions:
        shown |= {f"position_{q.key}", field_of(q.response, "default", "text"), q.help_field}
    errors, general = errors_by_field(problems, shown)
    return render(
        request, "content/lead_form.html", status=status, questions=questions, errors=errors,
        general=general, order_field=f"forms.{LEAD_FORM}.required_slots",
        notice=SAVED if saved else "",
    )  # fmt: skip


@routes.post("/content/lead-form")
@requires("content.edit")
async def lead_form_save(request: web.Request) -> web.Response:
    ws = workspace(request)
    posted = await form(request)
    current = await in_thread(lead_questions, ws.ensure())
    submitted = [
        Question(q.key, q.response, posted.get(f"position_{q.key}", ""),
                 clean_text(posted.get(f"text_{q.key}")), q.kept,
                 help=None if q.help is None else clean_text(posted.get(f"help_{q.key}")),
                 help_index=q.help_index)
        for q in current
    ]  # fmt: skip

    def build(ws: Workspace) -> dict[str, str]:
        questions = ordered(lead_questions(ws), posted, f"forms.{LEAD_FORM}.required_slots")
        domain = ws.load_yaml(DOMAIN)
        required = domain["forms"][LEAD_FORM]["required_slots"]
        # Assigned by index: the comments ruamel keeps per position stay where they were.
        for index, question in enumerate(questions):
            required[index] = question.key
        for question in questions:
            set_default_text(domain, question.response, question.text)
            if question.help is not None and question.help_index is not None:
                helping = domain["responses"][question.response][question.help_index]
                if question.help:
                    helping["text"] = quoted(question.help)
                else:
                    helping.pop("text", None)
        return {DOMAIN: dump(ws, DOMAIN, domain)}

    problems = await in_thread(save, ws, build)
    if problems:
        return render_lead_form(request, submitted, problems, status=400)
    await audit(request, "studio.content_saved", LEAD_FORM, file=DOMAIN)
    return redirect("/content/lead-form?saved=1")


# ------------------------------------------------------------------ qualifying questions


def qualifying_questions(ws: Workspace) -> list[Question]:
    config = qualification_of(ws)
    responses = ws.load_yaml(DOMAIN).get("responses") or {}
    questions = []
    for number, item in enumerate(config.get("questions") or [], 1):
        skip = {
            str(k): [str(v) for v in (vs if isinstance(vs, list) else [vs])]
            for k, vs in (item.get("skip_when") or {}).items()
        }
        if "field" not in item:
            key = str(item.get("id"))
            text = str(item.get("text") or "")
            questions.append(Question(key, "", str(number), text, [], skip, custom=True))
            continue
        key = str(item.get("field"))
        view = view_of(f"utter_ask_qual_{key}", list(responses.get(f"utter_ask_qual_{key}") or []))
        questions.append(Question(key, view.name, str(number), view.text, view.kept, skip))
    return questions


def answer_choices(ws: Workspace) -> dict[str, list[str]]:
    """Every question's possible answers, built-in and custom: what skips may name."""
    choices: dict[str, list[str]] = {}
    for item in qualification_of(ws).get("questions") or []:
        if "field" in item:
            choices[str(item["field"])] = list(VALUES.get(str(item["field"]), ()))
        else:
            choices[str(item.get("id"))] = [str(o.get("id")) for o in item.get("options") or []]
    return choices


def in_order(questions: list[Question]) -> list[Question]:
    """The submitted questions in the order the file will have (bad places last)."""

    def place(pair: tuple[int, Question]) -> tuple[int, int]:
        index, question = pair
        valid = re.fullmatch(r"-?\d{1,4}", question.position.strip())
        return (int(question.position) if valid else 10_000, index)

    return [q for _, q in sorted(enumerate(questions), key=place)]


def on_question(problem: Problem, questions: list[Question]) -> Problem:
    """The loader says `question 3: skip_when ...`: show it at that question's skip list."""
    found = re.match(r"question (\d+): skip_when", problem.message)
    if problem.file != QUALIFICATION or not found:
        return problem
    number = int(found.group(1))
    if not 1 <= number <= len(questions):
        return problem
    return Problem(problem.file, f"skip_{questions[number - 1].key}", problem.message)


def skip_from_form(
    key: str, posted: MultiDictProxy[str], others: list[str] | None = None
) -> dict[str, list[str]]:
    skip = {
        other: [v.strip() for v in posted.getall(f"skip_{key}_{other}", []) if v.strip()]
        for other in (FIELDS if others is None else others)
    }
    return {other: values for other, values in skip.items() if values}


def apply_qualifying(config: Any, questions: list[Question]) -> None:
    items = {str(item.get("field") or item.get("id")): item for item in config["questions"]}
    for index, question in enumerate(questions):
        item = items[question.key]
        item.pop("skip_when", None)
        if question.skip_when:
            conditions = CommentedMap()
            for other, values in question.skip_when.items():
                # Quoted: values such as 1-10 or 1000+ read as text, whatever YAML makes of them.
                listed = CommentedSeq(quoted(v) for v in values)
                listed.fa.set_flow_style()
                conditions[other] = listed
            item["skip_when"] = conditions
        config["questions"][index] = item


@routes.get("/content/qualifying")
@requires("content.edit")
async def qualifying_page(request: web.Request) -> web.Response:
    ws = workspace(request).ensure()
    questions = await in_thread(qualifying_questions, ws)
    choices = await in_thread(answer_choices, ws)
    return render_qualifying(request, questions, [], choices, saved="saved" in request.query)


def render_qualifying(
    request: web.Request,
    questions: list[Question],
    problems: list[Problem],
    choices: Mapping[str, list[str]],
    *,
    saved: bool = False,
    status: int = 200,
) -> web.Response:
    shown = {"questions"}
    for q in questions:
        shown |= {f"position_{q.key}", f"skip_{q.key}", field_of(q.response, "default", "text")}
    errors, general = errors_by_field(problems, shown)
    return render(
        request,
        "content/qualifying.html",
        status=status,
        questions=questions,
        errors=errors,
        general=general,
        values=choices,
        notice=SAVED if saved else "",
    )


@routes.post("/content/qualifying")
@requires("content.edit")
async def qualifying_save(request: web.Request) -> web.Response:
    ws = workspace(request)
    posted = await form(request)
    current = await in_thread(qualifying_questions, ws.ensure())
    choices = await in_thread(answer_choices, ws)
    keys = [q.key for q in current]
    submitted = [
        Question(q.key, q.response, posted.get(f"position_{q.key}", ""),
                 q.text if q.custom else clean_text(posted.get(f"text_{q.key}")), q.kept,
                 skip_from_form(q.key, posted, keys), custom=q.custom)
        for q in current
    ]  # fmt: skip

    def build(ws: Workspace) -> dict[str, str]:
        questions = ordered(qualifying_questions(ws), posted, "questions")
        keys = [q.key for q in questions]
        for question in questions:
            question.skip_when = skip_from_form(question.key, posted, keys)
        config = qualification_of(ws)
        apply_qualifying(config, questions)
        domain = ws.load_yaml(DOMAIN)
        for question in questions:
            if not question.custom:
                set_default_text(domain, question.response, question.text)
        return {QUALIFICATION: dump(ws, QUALIFICATION, config), DOMAIN: dump(ws, DOMAIN, domain)}

    problems = await in_thread(save, ws, build)
    if problems:
        problems = [on_question(p, in_order(submitted)) for p in problems]
        return render_qualifying(request, submitted, problems, choices, status=400)
    await audit(request, "studio.content_saved", "qualifying_questions", file=QUALIFICATION)
    return redirect("/content/qualifying?saved=1")


__all__ = ["routes", "save"]
