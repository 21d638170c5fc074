"""Checks a content tree before the studio saves an edit into the draft.

Two layers: Parley's own lints (placeholders the bot can fill, buttons that name real
intents, voice wording that can be spoken, qualification.yml that loads), then Rasa's
own `rasa data validate`, run in-process on the same files. Every problem names the
file and, where it can, the response, intent or field it is about, so a form can show
it next to the input.
"""

from __future__ import annotations

import logging
import re
import threading
import warnings
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bot import conversation_tests, custom_fields, knowledge, routing
from bot.qualification import FIELDS, QualificationConfigError, load_qualification_config
from bot.scoring.rubric import RubricError, load_content_rubric
from campaigns.definitions import CampaignError, load_campaign

# Channel names are the `name()` of Parley's input channels (channels/*.py): Rasa picks a
# response variation whose `channel:` equals the channel the message came in on.
VOICE = "twilio_voice"
KNOWLEDGE = "knowledge.yml"
ROUTING = "routing.yml"
LEAD_FIELDS = "lead_fields.yml"
SCORING = "scoring.yml"
CHANNELS: dict[str, str] = {
    VOICE: "Voice (phone calls)",
    "twilio": "SMS / WhatsApp",
    "telegram": "Telegram",
    "webchat": "Web chat",
}
# Values actions pass with `dispatcher.utter_message(response=..., key=value)`; a
# response may use these as `{key}` besides the domain's slots.
ACTION_VALUES = frozenset({
    "company", "privacy_url", "privacy_version", "contact", "name", "summary", "wording",
    "scope", "how", "timezone", "when", "confirmation", "address", "privacy_contact",
    "named", "reason", "steps", "what", "question", "range", "options",
})  # fmt: skip
# Rasa fills `{name}` (no nested braces, one line) and leaves anything else alone.
PLACEHOLDER = re.compile(r"\{([^{}\n]*)\}")
URL = re.compile(r"https?://|www\.", re.I)
MARKDOWN_LINK = re.compile(r"\[[^\]]*\]\([^)]*\)")
# What `rasa data validate` reports on every healthy Parley project: responses uttered
# by code or forms are unused by stories, and Rasa 3 always announces the slot change.
BENIGN = (
    re.compile(r"is not used in any story or rule"),
    re.compile(r"Slot auto-fill has been removed"),
)
# One validation at a time: capturing warnings swaps process-wide state.
_RASA_LOCK = threading.Lock()


@dataclass(frozen=True)
class Problem:
    file: str
    field: str
    message: str


def variation_key(variation: Mapping[str, Any], index: int) -> str:
    """How a problem names a variation: `default`, a channel, or its position."""
    if variation.get("condition"):
        return f"variation {index + 1}"
    channel = variation.get("channel")
    return str(channel) if channel else "default"


def field_of(response: str, variation: str, part: str) -> str:
    """e.g. `utter_greet[default].text`, `utter_greet[default].buttons[0].payload`."""
    return f"{response}[{variation}].{part}"


def validate_draft(root: Path) -> list[Problem]:
    """Parley's lints, then (only when they pass) Rasa's own validation."""
    problems = lint(root)
    return problems or rasa_problems(root)


def lint(root: Path) -> list[Problem]:
    try:
        domain = yaml.safe_load((root / "domain.yml").read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        return [Problem("domain.yml", "", f"domain.yml cannot be read: {error}")]
    if not isinstance(domain, dict):
        return [Problem("domain.yml", "", "domain.yml must be a mapping")]
    return [
        *lint_domain(domain),
        *lint_qualification(root),
        *lint_scoring(root),
        *lint_knowledge(root),
        *lint_routing(root, domain),
        *lint_lead_fields(root),
        *lint_conversation_tests(root),
    ]


def lint_domain(domain: Mapping[str, Any]) -> list[Problem]:
    slots = set((domain.get("slots") or {}).keys())
    intents = {_name(i) for i in domain.get("intents") or []}
    responses = domain.get("responses") or {}
    problems: list[Problem] = []
    for name, variations in responses.items():
        if not isinstance(variations, list) or not variations:
            problems.append(Problem("domain.yml", str(name), f"{name} has no variations"))
            continue
        for index, variation in enumerate(variations):
            if not isinstance(variation, dict):
                problems.append(Problem("domain.yml", str(name), "a variation must be a mapping"))
                continue
            key = variation_key(variation, index)
            problems += lint_variation(str(name), key, variation, slots | ACTION_VALUES, intents)
    problems += lint_forms(domain, set(responses))
    return problems


def lint_variation(
    name: str, key: str, variation: Mapping[str, Any], fillable: set[str], intents: set[str]
) -> Iterator[Problem]:
    text = variation.get("text")
    if not isinstance(text, str) or not text.strip():
        if not (variation.get("custom") or variation.get("image")):
            yield Problem("domain.yml", field_of(name, key, "text"), "The text is empty.")
        text = ""
    unknown = sorted({p for p in PLACEHOLDER.findall(text) if p not in fillable})
    if unknown:
        yield Problem(
            "domain.yml",
            field_of(name, key, "text"),
            f"Unknown placeholder {', '.join('{' + p + '}' for p in unknown)}: use a slot or "
            f"one of {', '.join('{' + v + '}' for v in sorted(ACTION_VALUES))}.",
        )
    spoken = variation.get("channel") == VOICE
    if spoken and (URL.search(PLACEHOLDER.sub("", text)) or MARKDOWN_LINK.search(text)):
        yield Problem(
            "domain.yml",
            field_of(name, key, "text"),
            "Voice wording is spoken: leave out links and web addresses.",
        )
    buttons = variation.get("buttons") or []
    if not isinstance(buttons, list):
        yield Problem("domain.yml", field_of(name, key, "buttons"), "buttons must be a list")
        return
    for number, button in enumerate(buttons):
        yield from lint_button(name, key, number, button, intents)


def lint_button(
    name: str, key: str, number: int, button: Any, intents: set[str]
) -> Iterator[Problem]:
    if not isinstance(button, dict):
        yield Problem("domain.yml", field_of(name, key, f"buttons[{number}]"), "not a button")
        return
    if not str(button.get("title") or "").strip():
        yield Problem(
            "domain.yml",
            field_of(name, key, f"buttons[{number}].title"),
            "The button needs a title.",
        )
    payload = str(button.get("payload") or "").strip()
    where = field_of(name, key, f"buttons[{number}].payload")
    if not payload:
        yield Problem("domain.yml", where, "The button needs a payload, e.g. /affirm.")
    elif payload.startswith("/"):
        # `/intent` or `/intent{"entity": "value"}`
        intent = re.split(r"[{@]", payload[1:], maxsplit=1)[0].strip()
        if intent not in intents:
            yield Problem(
                "domain.yml", where, f"{payload} names no intent of the domain ({intent!r})."
            )


def lint_forms(domain: Mapping[str, Any], responses: set[str]) -> Iterator[Problem]:
    slots = set((domain.get("slots") or {}).keys())
    # An action is a name, or a name with its options (`send_domain`).
    askers = responses | {_name(a) for a in domain.get("actions") or []}
    for form, spec in (domain.get("forms") or {}).items():
        required = (spec or {}).get("required_slots") or []
        where = f"forms.{form}.required_slots"
        repeated = sorted({s for s in required if required.count(s) > 1})
        if repeated:
            yield Problem("domain.yml", where, f"{form} asks twice for {', '.join(repeated)}.")
        for slot in required:
            if slot not in slots:
                yield Problem("domain.yml", where, f"{form} asks for {slot}, which is no slot.")
            elif not askers & {
                f"utter_ask_{slot}",
                f"utter_ask_{form}_{slot}",
                f"action_ask_{slot}",
            }:
                yield Problem("domain.yml", where, f"{form} has no question utter_ask_{slot}.")


def lint_qualification(root: Path) -> list[Problem]:
    try:
        load_qualification_config(root / "qualification.yml")
    except QualificationConfigError as error:
        return [Problem("qualification.yml", "questions", error.reason)]
    return []


def lint_scoring(root: Path) -> list[Problem]:
    """The rubric as the bot will load it: its points for custom questions must name
    their options (a question removed, an option renamed leaves points for nothing)."""
    if not (root / SCORING).exists():
        return []
    try:
        load_content_rubric(root / SCORING, root / "qualification.yml")
    except QualificationConfigError:
        return []  # lint_qualification says what is wrong with it
    except RubricError as error:
        line = f" (line {error.line})" if error.line else ""
        return [Problem(SCORING, "fit", f"{error.reason}{line}")]
    return []


def lint_knowledge(root: Path) -> list[Problem]:
    """The list of common questions; each problem names the entry and its field
    (`entry 2 questions`)."""
    path = root / KNOWLEDGE
    if not path.is_file():
        return []
    try:
        knowledge.parse(path.read_text(encoding="utf-8"))
    except knowledge.KnowledgeError as error:
        return [Problem(KNOWLEDGE, p.where, p.message) for p in error.problems]
    return []


def lint_routing(root: Path, domain: Mapping[str, Any]) -> list[Problem]:
    """The routing rules, and what they point at: each problem names the rule and its
    action or condition (`rule 2 then[1]`)."""
    path = root / ROUTING
    if not path.is_file():
        return []
    try:
        rules = routing.parse(path.read_text(encoding="utf-8"))
    except routing.RoutingError as error:
        return [Problem(ROUTING, p.where, p.message) for p in error.problems]
    targets = routing.Targets(
        responses=frozenset(str(r) for r in domain.get("responses") or {}),
        campaigns=campaign_names(root),
        questions=asked_questions(root),
        custom_answers=asked_questions(root) | lead_field_names(root),
    )
    return [Problem(ROUTING, p.where, p.message) for p in routing.dangling(rules, targets)]


def campaign_names(root: Path) -> frozenset[str]:
    """The campaigns a rule may enroll in; a broken campaign file is its own editor's
    problem, and none of its names."""
    names = set()
    for path in sorted((root / "campaigns").glob("*.yml")):
        try:
            names.add(load_campaign(path).name)
        except CampaignError:
            continue
    return frozenset(names)


def asked_questions(root: Path) -> frozenset[str]:
    try:
        return frozenset(
            q.field for q in load_qualification_config(root / "qualification.yml").questions
        )
    except QualificationConfigError:
        return frozenset(FIELDS)


def lead_field_names(root: Path) -> frozenset[str]:
    """The draft's own lead fields; a broken file is its own lint's problem."""
    try:
        return frozenset(custom_fields.load(root / LEAD_FIELDS).names)
    except custom_fields.FieldsError:
        return frozenset()


def lint_lead_fields(root: Path) -> list[Problem]:
    """The marketers' own lead fields; each problem names the field and its part
    (`field 2 question`)."""
    path = root / LEAD_FIELDS
    if not path.is_file():
        return []
    try:
        custom_fields.parse(path.read_text(encoding="utf-8"))
    except custom_fields.FieldsError as error:
        return [Problem(LEAD_FIELDS, p.where, p.message) for p in error.problems]
    return []


def lint_conversation_tests(root: Path) -> list[Problem]:
    """The marketers' conversation tests; each problem names the test and its step
    (`test 2 'A demo request', step 3`)."""
    path = root / conversation_tests.FILE
    try:
        conversation_tests.load(path)
    except conversation_tests.ConversationTestsError as error:
        return [Problem(conversation_tests.FILE, p.where, p.message) for p in error.problems]
    return []


def _name(intent: Any) -> str:
    return str(next(iter(intent))) if isinstance(intent, dict) else str(intent)


# ------------------------------------------------------------------ Rasa's validation


class _Collect(logging.Handler):
    """Rasa's log warnings from this thread only: a bot running in the same process
    (the Try panel) must not fail someone's save."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.thread = threading.get_ident()
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.thread == self.thread:
            self.messages.append(record.getMessage())


def rasa_problems(root: Path) -> list[Problem]:
    """What `rasa data validate --fail-on-warnings` reports on `root` (domain.yml,
    config.yml, data/), minus the warnings every Parley project has. Blocking: run it
    in a worker thread. Takes 1-2 s, plus 3-4 s for the first import of Rasa."""
    collector = _Collect()
    rasa_logger, conflicts = logging.getLogger("rasa"), logging.getLogger("rasa.validator")
    with _RASA_LOCK, warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        rasa_logger.addHandler(collector)
        # Story conflicts are only logged: they must reach the collector whatever
        # level the process logs Rasa at.
        level = conflicts.level
        conflicts.setLevel(logging.WARNING)
        try:
            passed, messages = _run_rasa(root)
        finally:
            conflicts.setLevel(level)
            rasa_logger.removeHandler(collector)
    messages += collector.messages
    messages += [str(w.message) for w in caught if issubclass(w.category, UserWarning)]
    wanted = [m for m in dict.fromkeys(messages) if not any(b.search(m) for b in BENIGN)]
    if not passed and not wanted:
        wanted = ["Rasa's validation failed without saying why; run `rasa data validate`."]
    return [_problem(root, message) for message in wanted]


def _run_rasa(root: Path) -> tuple[bool, list[str]]:
    # Imported here: Rasa (and TensorFlow) take seconds to import; only validation needs them.
    from rasa.shared.exceptions import RasaException
    from rasa.shared.importers.importer import TrainingDataImporter
    from rasa.validator import Validator

    try:
        importer = TrainingDataImporter.load_from_config(
            str(root / "config.yml"), str(root / "domain.yml"), [str(root / "data")]
        )
        validator = Validator.from_importer(importer)
        if validator.domain.is_empty():
            return False, ["The domain is empty."]
        checks = [
            validator.verify_domain_validity(),
            validator.verify_actions_in_stories_rules(),
            validator.verify_forms_in_stories_rules(),
            validator.verify_form_slots(),
            validator.verify_slot_mappings(),
            validator.verify_nlu(ignore_warnings=False),
            validator.verify_story_structure(ignore_warnings=False),
        ]
    except (RasaException, ValueError, KeyError, TypeError, AttributeError) as error:
        return False, [f"Rasa cannot load the content: {error}"]
    return all(checks), []


_QUOTED = re.compile(r"'([A-Za-z_][\w.-]*)'")
_CONFLICT = re.compile(
    r"Story structure conflict after intent '([^']+)'.*?predicted in '([^']+)'", re.S
)
_FILE = re.compile(r"'(/[^']+\.ya?ml)'")


def _problem(root: Path, message: str) -> Problem:
    """Which file and name a Rasa message is about: the story file of a conflict, the
    file Rasa could not read, or the first quoted name, found in the stories/rules/NLU
    files when it is used there, else the domain."""
    conflict = _CONFLICT.search(message)
    if conflict:
        story = conflict.group(2)
        return Problem(
            _data_file(root, rf"(story|rule):\s*{re.escape(story)}\s*$"), conflict.group(1), message
        )
    unreadable = _FILE.search(message)
    if unreadable and Path(unreadable.group(1)).is_relative_to(root):
        return Problem(Path(unreadable.group(1)).relative_to(root).as_posix(), "", message)
    found = _QUOTED.search(message)
    name = found.group(1) if found else ""
    if name and ("used in" in message or "stories" in message or "block" in message):
        return Problem(_data_file(root, rf"\b{re.escape(name)}\b"), name, message)
    return Problem("domain.yml", name, message)


def _data_file(root: Path, pattern: str) -> str:
    for path in sorted((root / "data").rglob("*.yml")):
        if re.search(pattern, path.read_text(encoding="utf-8"), re.M):
            return path.relative_to(root).as_posix()
    return "domain.yml"
