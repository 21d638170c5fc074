"""New topics: intents a marketer makes, with the ways people say them and what the bot
does on hearing one (says a response, or hands over to a person).

A topic named `careers` is the intent `topic_careers` in domain.yml, its examples in
data/nlu_topics.yml, its response `utter_topic_careers` in domain.yml (when it answers)
and its rules in data/rules_topics.yml. The two data files are this editor's own and are
written again from the list of topics at every save; the built-in training data is never
rewritten. Like the other content editors, a save builds the changed files, validates
them on a temporary copy of the draft and writes them only when nothing is wrong.

In the middle of a form a topic is an interruption (bot.interruptions.TOPIC_PREFIX): its
rule for that form answers and the form asks its question again, as with the built-in
questions; a topic that hands over does there what asking for a person does (in the lead
form a person follows up once the details are in; the qualifying and booking forms stop
for the handoff). The offer of what the bot can do follows the answer only outside forms,
where nothing else is asked next.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from io import StringIO
from typing import Any

import yaml as pyyaml
from aiohttp import web
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import LiteralScalarString

from bot.errors import StoreUnavailable
from bot.interruptions import TOPIC_PREFIX, is_topic
from studio.content import (
    DOMAIN,
    MAX_TEXT,
    SAVED,
    FormError,
    clean_text,
    dump,
    errors_by_field,
    plain_variation,
    quoted,
    read_or_empty,
    save,
)
from studio.dashboard import masked_example
from studio.policy_editors import BASE, STALE, Stale, check_base, fingerprint, workspace
from studio.validation import VOICE, Problem, field_of
from studio.web import SETTINGS, STORE, audit, form, in_thread, redirect, render, requires
from studio.workspace import TOPIC_NLU, TOPIC_RULES, Workspace, yaml

routes = web.RouteTableDef()

HOME = "/content/topics"
RESPONSE_PREFIX = "utter_topic_"
# Fewer and the classifier cannot tell the topic from its neighbours.
MIN_EXAMPLES = 5
# An example is a message, not a paragraph: longer ones teach the classifier little.
MAX_EXAMPLE = 200
MAX_NAME = 40
NAME = re.compile(rf"^[a-z][a-z0-9_]{{0,{MAX_NAME - 1}}}$")
SMS = "twilio"  # the channel name of SMS and WhatsApp (channels/twilio*.py)
HANDOFF = "action_human_handoff"
# "What can I do for you today?" with the demo, pricing and sales buttons.
OFFER = "utter_greet"
FORMS = ("lead_form", "qualify_form", "booking_form")
DOES = {"respond": "Say a response", "handoff": "Hand over to a person"}
# Entity annotations in Rasa examples: "[Acme](ORG)", '[Acme]{"entity": "ORG"}'.
ANNOTATION = re.compile(r"\[([^\]]*)\](?:\([^)]*\)|\{[^}]*\})")
HEADER = (
    "# {what} of the marketers' topics, written by the studio (Content > Topics)\n"
    "# from its list of topics at every save there.\n"
)


@dataclass
class Topic:
    """One topic as the draft has it; `name` is the part after `topic_`."""

    name: str
    examples: list[str] = field(default_factory=list)
    does: str = "respond"
    text: str = ""
    voice: str = ""
    sms: str = ""
    offer: bool = False

    @property
    def intent(self) -> str:
        return TOPIC_PREFIX + self.name

    @property
    def response(self) -> str:
        return RESPONSE_PREFIX + self.name


@dataclass
class TopicForm:
    """What the form shows: `original` is the topic it was opened on ("" when new)."""

    original: str
    name: str = ""
    examples: str = ""  # one per line, as in the textarea
    does: str = "respond"
    text: str = ""
    voice: str = ""
    sms: str = ""
    offer: bool = False

    @classmethod
    def of(cls, topic: Topic) -> TopicForm:
        return cls(
            topic.name, topic.name, "\n".join(topic.examples), topic.does, topic.text,
            topic.voice, topic.sms, topic.offer,
        )  # fmt: skip

    @classmethod
    def posted(cls, original: str, values: Mapping[str, str]) -> TopicForm:
        return cls(
            original,
            original or values.get("name", "").strip(),
            clean_text(values.get("examples")),
            values.get("does", ""),
            clean_text(values.get("text")),
            clean_text(values.get("voice")),
            clean_text(values.get("sms")),
            values.get("offer") == "on",
        )


# ------------------------------------------------------------------ reading the draft


def intent_name(item: Any) -> str:
    """An entry of the domain's intents: a name, or a name with its options."""
    return str(next(iter(item))) if isinstance(item, Mapping) else str(item)


def intent_names(domain: Any) -> list[str]:
    return [intent_name(i) for i in domain.get("intents") or []]


def loaded(text: str) -> Any:
    """A data file's content; one that does not parse is left to the validation to name."""
    try:
        return pyyaml.safe_load(text) or {}
    except pyyaml.YAMLError:
        return {}


def examples_in(text: str) -> dict[str, list[str]]:
    """The examples of each intent in one NLU file."""
    found: dict[str, list[str]] = {}
    for item in loaded(text).get("nlu") or []:
        if (
            isinstance(item, Mapping)
            and item.get("intent")
            and isinstance(item.get("examples"), str)
        ):
            lines = (line.strip() for line in item["examples"].splitlines())
            found.setdefault(str(item["intent"]), []).extend(
                line[2:].strip() for line in lines if line.startswith("- ")
            )
    return found


def rule_actions(text: str) -> dict[str, list[str]]:
    """The actions of each rule without a condition, by its name."""
    found: dict[str, list[str]] = {}
    for rule in loaded(text).get("rules") or []:
        if isinstance(rule, Mapping) and not rule.get("condition"):
            steps = [s for s in rule.get("steps") or [] if isinstance(s, Mapping)]
            found[str(rule.get("rule"))] = [str(s["action"]) for s in steps if "action" in s]
    return found


def rule_name(topic: Topic, form_name: str | None = None) -> str:
    where = f" in the {form_name.replace('_form', '')} form" if form_name else ""
    return f"topic {topic.name}{where}"


def topics_of(ws: Workspace) -> list[Topic]:
    """Every topic of the draft, in the order of the domain's intents."""
    domain = ws.load_yaml(DOMAIN)
    responses = domain.get("responses") or {}
    examples = examples_in(read_or_empty(ws, TOPIC_NLU))
    actions = rule_actions(read_or_empty(ws, TOPIC_RULES))
    topics = []
    for intent in intent_names(domain):
        if not is_topic(intent):
            continue
        topic = Topic(intent.removeprefix(TOPIC_PREFIX), list(examples.get(intent, [])))
        steps = actions.get(rule_name(topic), [])
        topic.does = "handoff" if HANDOFF in steps else "respond"
        topic.offer = OFFER in steps
        variations = list(responses.get(topic.response) or [])
        topic.text, topic.voice, topic.sms = (
            variation_text(variations, channel) for channel in (None, VOICE, SMS)
        )
        topics.append(topic)
    return topics


def variation_text(variations: list[Any], channel: str | None) -> str:
    index = plain_variation(variations, channel)
    return "" if index is None else str(variations[index].get("text") or "")


def state_text(topics: list[Topic]) -> str:
    """What a form's fingerprint is made from: any change to any topic makes it stale."""
    return json.dumps([asdict(t) for t in topics], sort_keys=True)


def state_of(topics: list[Topic]) -> str:
    return fingerprint(state_text(topics))


# ------------------------------------------------------------------ checking a form


def refused(field: str, message: str) -> FormError:
    return FormError([Problem("", field, message)])


def slug_of(name: str) -> str:
    """ "Job openings" is `job_openings`."""
    return re.sub(r"[\s-]+", "_", name.strip().lower())


def checked_name(posted: TopicForm, existing: list[Topic], domain: Any) -> str:
    if posted.original:
        return posted.original  # a topic keeps its name: its intent is in trained models
    name = slug_of(posted.name)
    if not name:
        raise refused("name", "Give the topic a name, e.g. careers.")
    if name == "new":  # /content/topics/new is the page for adding one
        raise refused("name", "The name new is kept for the studio's own page: choose another.")
    if not NAME.match(name):
        raise refused(
            "name",
            f"Use letters (a to z), digits, spaces or _, starting with a letter, at most "
            f"{MAX_NAME} characters.",
        )
    if any(t.name == name for t in existing):
        raise refused("name", f"There is already a topic named {name}.")
    if RESPONSE_PREFIX + name in (domain.get("responses") or {}):
        raise refused("name", f"domain.yml already has a response {RESPONSE_PREFIX + name}.")
    return name


def normalised(example: str) -> str:
    """How the classifier sees an example: case, spacing, end punctuation and entity
    annotations make no difference."""
    return " ".join(ANNOTATION.sub(r"\1", example).casefold().split()).strip(" ?!.,")


def checked_examples(posted: TopicForm, others: dict[str, list[str]]) -> list[str]:
    """The examples, one per line; `others` are every other intent's examples."""
    examples = [" ".join(line.split()) for line in posted.examples.split("\n") if line.strip()]
    if len(examples) < MIN_EXAMPLES:
        raise refused(
            "examples",
            f"Give at least {MIN_EXAMPLES} examples, one per line (there are {len(examples)}): "
            "the bot learns the topic from the different ways people say it.",
        )
    long = [e for e in examples if len(e) > MAX_EXAMPLE]
    if long:
        raise refused(
            "examples",
            f"An example can be at most {MAX_EXAMPLE} characters: \u201c{long[0][:60]}\u2026\u201d.",
        )
    seen: dict[str, str] = {}
    for example in examples:
        if normalised(example) in seen:
            raise refused("examples", f"\u201c{example}\u201d is there twice.")
        seen[normalised(example)] = example
    taken = {normalised(e): intent for intent, said in others.items() for e in said}
    clashes = [
        f"\u201c{e}\u201d ({taken[normalised(e)]})" for e in examples if normalised(e) in taken
    ]
    if clashes:
        raise refused(
            "examples",
            "Already an example of another intent, so the bot could not tell them apart: "
            + ", ".join(clashes)
            + ". Leave it out here or reword it.",
        )
    return examples


def checked_action(posted: TopicForm) -> None:
    if posted.does not in DOES:
        raise refused("does", "Choose what the bot does: say a response or hand over.")
    if posted.does == "respond" and not posted.text:
        raise refused("text", "Write what the bot says.")
    for key in ("text", "voice", "sms"):
        if len(getattr(posted, key)) > MAX_TEXT:
            raise refused(key, f"At most {MAX_TEXT} characters.")


def other_examples(ws: Workspace, original: str) -> dict[str, list[str]]:
    """Every intent's examples in the draft's data files, but the topic's own."""
    found: dict[str, list[str]] = {}
    for relative, text in ws.files().items():
        if relative.startswith("data/"):
            for intent, examples in examples_in(text).items():
                found.setdefault(intent, []).extend(examples)
    if original:
        found.pop(TOPIC_PREFIX + original, None)
    return found


def topic_from(posted: TopicForm, ws: Workspace, existing: list[Topic], domain: Any) -> Topic:
    name = checked_name(posted, existing, domain)
    examples = checked_examples(posted, other_examples(ws, posted.original))
    checked_action(posted)
    responds = posted.does == "respond"
    return Topic(
        name, examples, posted.does,
        posted.text if responds else "", posted.voice if responds else "",
        posted.sms if responds else "", posted.offer and responds,
    )  # fmt: skip


# ------------------------------------------------------------------ writing the files


def apply_domain(domain: Any, topics: list[Topic]) -> None:
    """The topics' intents and responses in the domain; those of removed topics go."""
    wanted = {t.intent for t in topics}
    intents = domain.setdefault("intents", CommentedSeq())
    for index in reversed(range(len(intents))):
        name = intent_name(intents[index])
        if is_topic(name) and name not in wanted:
            del intents[index]
    present = set(intent_names(domain))
    intents.extend(t.intent for t in topics if t.intent not in present)
    responses = domain.setdefault("responses", CommentedMap())
    for name in [r for r in responses if str(r).startswith(RESPONSE_PREFIX)]:
        if name not in {t.response for t in topics if t.does == "respond"}:
            del responses[name]
    for topic in topics:
        if topic.does == "respond":
            responses[topic.response] = variations_of(topic)


def variations_of(topic: Topic) -> CommentedSeq:
    variations = CommentedSeq([CommentedMap([("text", quoted(topic.text))])])
    for channel, text in ((VOICE, topic.voice), (SMS, topic.sms)):
        if text:
            variations.append(CommentedMap([("channel", channel), ("text", quoted(text))]))
    return variations


def nlu_text(topics: list[Topic]) -> str:
    data = CommentedMap([("version", quoted("3.1")), ("nlu", CommentedSeq())])
    for topic in topics:
        examples = "".join(f"- {e}\n" for e in topic.examples)
        data["nlu"].append(
            CommentedMap([("intent", topic.intent), ("examples", LiteralScalarString(examples))])
        )
    return HEADER.format(what="The examples") + dumped(data)


def rules_text(topics: list[Topic]) -> str:
    data = CommentedMap([("version", quoted("3.1")), ("rules", CommentedSeq())])
    for topic in topics:
        data["rules"].extend(rules_of(topic))
    return HEADER.format(what="The rules") + dumped(data)


Step = tuple[str, str | None]  # ("action", name), or ("active_loop", a form or None)


def rules_of(topic: Topic) -> list[CommentedMap]:
    """Outside forms, then in each form."""
    if topic.does == "respond":
        outside: list[Step] = [("action", topic.response)]
        outside += [("action", OFFER)] if topic.offer else []
    else:
        outside = [("action", HANDOFF)]
    rules = [rule(rule_name(topic), None, topic.intent, outside)]
    for form_name in FORMS:
        back: list[Step] = [("action", form_name), ("active_loop", form_name)]
        if topic.does == "respond":
            # Answered, then the form asks its question again.
            steps = [("action", topic.response), *back]
        elif form_name == "lead_form":
            # As asking for a person there: a person follows up once the details are in.
            steps = [("action", "action_handoff_in_form"), *back]
        else:
            steps = [
                ("action", "action_deactivate_loop"),
                ("active_loop", None),
                ("action", HANDOFF),
            ]
        rules.append(rule(rule_name(topic, form_name), form_name, topic.intent, steps))
    return rules


def rule(name: str, form_name: str | None, intent: str, steps: list[Step]) -> CommentedMap:
    found = CommentedMap([("rule", name)])
    if form_name:
        found["condition"] = CommentedSeq([CommentedMap([("active_loop", form_name)])])
    found["steps"] = CommentedSeq(
        [CommentedMap([("intent", intent)]), *(CommentedMap([step]) for step in steps)]
    )
    return found


def dumped(data: Any) -> str:
    buffer = StringIO()
    yaml().dump(data, buffer)
    return buffer.getvalue()


def files_for(ws: Workspace, topics: list[Topic]) -> dict[str, str]:
    domain = ws.load_yaml(DOMAIN)
    apply_domain(domain, topics)
    return {
        DOMAIN: dump(ws, DOMAIN, domain),
        TOPIC_NLU: nlu_text(topics),
        TOPIC_RULES: rules_text(topics),
    }


def save_topic(
    ws: Workspace, posted: TopicForm, values: Mapping[str, str]
) -> tuple[str, list[Problem]]:
    """Add (`original` "") or replace a topic: (its name, the problems, none when written)."""
    name = posted.original

    def build(ws: Workspace) -> dict[str, str]:
        nonlocal name
        existing = topics_of(ws)
        check_base(values, state_text(existing))
        if posted.original and all(t.name != posted.original for t in existing):
            raise refused("", f"The topic {posted.original} was removed from the draft.")
        topic = topic_from(posted, ws, existing, ws.load_yaml(DOMAIN))
        name = topic.name
        topics = [topic if t.name == topic.name else t for t in existing]
        if not posted.original:
            topics.append(topic)
        return files_for(ws, topics)

    problems = save(ws, build)
    return name, [on_form(p, TOPIC_PREFIX + name, RESPONSE_PREFIX + name) for p in problems]


def delete_topic(ws: Workspace, name: str, values: Mapping[str, str]) -> list[Problem]:
    def build(ws: Workspace) -> dict[str, str]:
        existing = topics_of(ws)
        check_base(values, state_text(existing))
        if all(t.name != name for t in existing):
            raise refused("", f"The topic {name} was removed from the draft.")
        return files_for(ws, [t for t in existing if t.name != name])

    return save(ws, build)


def on_form(problem: Problem, intent: str, response: str) -> Problem:
    """A validation problem about the topic's response or intent, at its field."""
    fields = {
        field_of(response, "default", "text"): "text",
        field_of(response, VOICE, "text"): "voice",
        field_of(response, SMS, "text"): "sms",
        intent: "examples",
    }
    return Problem(problem.file, fields.get(problem.field, problem.field), problem.message)


# ------------------------------------------------------------------ pages


FIELDS = frozenset({"name", "examples", "does", "text", "voice", "sms"})


def summary_of(topic: Topic) -> str:
    if topic.does == "handoff":
        return "Hands over to a person"
    return topic.text + (" (then offers what the bot can do)" if topic.offer else "")


def list_page(
    request: web.Request,
    topics: list[Topic],
    problems: Sequence[Problem] = (),
    *,
    status: int = 200,
) -> web.Response:
    _, general = errors_by_field(list(problems), set())
    return render(
        request, "content/topics.html", status=status, topics=topics, summary_of=summary_of,
        general=general, notice=SAVED if request.query.get("saved") == "1" else "",
        base=state_of(topics), least=MIN_EXAMPLES,
    )  # fmt: skip


def topic_page(
    request: web.Request,
    shown: TopicForm,
    base: str,
    problems: Sequence[Problem] = (),
    *,
    status: int = 200,
    notice: str = "",
) -> web.Response:
    errors, general = errors_by_field(list(problems), set(FIELDS))
    saved = request.query.get("saved") == "1"
    return render(
        request, "content/topic.html", status=status, topic=shown, errors=errors,
        general=general, base=base, does=DOES, least=MIN_EXAMPLES, most=MAX_EXAMPLE,
        prefix=TOPIC_PREFIX, notice=SAVED if saved else notice,
    )  # fmt: skip


def name_of(request: web.Request) -> str:
    name = request.match_info["name"]
    if not NAME.match(name):
        raise web.HTTPNotFound()
    return name


def stored(topics: list[Topic], name: str) -> Topic:
    found = next((t for t in topics if t.name == name), None)
    if found is None:
        raise web.HTTPNotFound()
    return found


@routes.get(HOME)
@requires("content.edit")
async def topics_list(request: web.Request) -> web.Response:
    return list_page(request, await in_thread(topics_of, workspace(request)))


@routes.get(f"{HOME}/new")
@requires("content.edit")
async def new_page(request: web.Request) -> web.Response:
    topics = await in_thread(topics_of, workspace(request))
    example, notice = await first_example(request)
    return topic_page(request, TopicForm("", examples=example), state_of(topics), notice=notice)


async def first_example(request: web.Request) -> tuple[str, str]:
    """Opened from the dashboard's least understood list: that message, with its emails,
    phones and names replaced (training data outlives every erasure), is the first example."""
    said = " ".join(request.query.get("example", "").split())[:MAX_EXAMPLE]
    if not said:
        return "", ""
    try:
        masked = await in_thread(masked_example, request.app[SETTINGS], request.app[STORE], said)
    except StoreUnavailable:
        return (
            "",
            "The message was left out: the profile store is unavailable to check it for names.",
        )
    return masked.text, ""


@routes.post(f"{HOME}/new")
@requires("content.edit")
async def new_save(request: web.Request) -> web.Response:
    return await _save(request, "")


@routes.get(HOME + "/{name}")
@requires("content.edit")
async def edit_page(request: web.Request) -> web.Response:
    name = name_of(request)
    topics = await in_thread(topics_of, workspace(request))
    return topic_page(request, TopicForm.of(stored(topics, name)), state_of(topics))


@routes.post(HOME + "/{name}")
@requires("content.edit")
async def edit_save(request: web.Request) -> web.Response:
    return await _save(request, name_of(request))


async def _save(request: web.Request, original: str) -> web.Response:
    values = dict(await form(request))
    posted = TopicForm.posted(original, values)
    ws = workspace(request)
    try:
        name, problems = await in_thread(save_topic, ws, posted, values)
    except Stale:
        return await _stale(request, original)
    if problems:
        base = values.get(BASE) or state_of(await in_thread(topics_of, ws))
        return topic_page(request, posted, base, problems, status=400)
    await audit(
        request, "studio.content_saved", TOPIC_PREFIX + name, file=TOPIC_NLU,
        created=not original, does=posted.does,
    )  # fmt: skip
    return redirect(f"{HOME}/{name}?saved=1")


async def _stale(request: web.Request, original: str) -> web.Response:
    """The form was made from another version of the topics: show them as they are now."""
    topics = await in_thread(topics_of, workspace(request))
    stale = [Problem("", "", STALE)]
    try:
        shown = TopicForm.of(stored(topics, original)) if original else TopicForm("")
    except web.HTTPNotFound:
        return list_page(request, topics, stale, status=409)
    return topic_page(request, shown, state_of(topics), stale, status=409)


@routes.post(HOME + "/{name}/delete")
@requires("content.edit")
async def delete(request: web.Request) -> web.Response:
    name = name_of(request)
    values = dict(await form(request))
    ws = workspace(request)
    try:
        problems = await in_thread(delete_topic, ws, name, values)
    except Stale:
        return await _stale(request, name)
    if problems:
        return list_page(request, await in_thread(topics_of, ws), problems, status=400)
    await audit(request, "studio.content_saved", TOPIC_PREFIX + name, file=TOPIC_NLU, deleted=True)
    return redirect(f"{HOME}?saved=1")


__all__ = ["routes"]
