"""Lead fields marketers add beyond the six built in (lead_fields.yml).

Each field has a name, a type, the question the bot asks (with channel variants), help
text, and whether it may be skipped. The bot asks them after the built-in fields, in the
file's order. Values are stored per contact in one canonical text form per type (below),
whatever the way in: a conversation, the REST API, an import or the studio. Removing a
field from the file keeps the values already stored: they stay on the contact page and in
exports under the field's name.

Canonical values: text as given (trimmed); choice the option's id; number a plain
decimal ("1200", "2.5"); date ISO (2026-12-31); email lower-cased; phone E.164; yes_no
"yes" or "no".
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Literal, cast, get_args

import yaml

from bot.errors import InvalidField, ParleyError
from bot.types import LEAD_FIELDS, QUALIFICATION_FIELDS
from bot.watched_file import WatchedFile

FieldType = Literal["text", "choice", "number", "date", "email", "phone", "yes_no"]
FIELD_TYPES: tuple[FieldType, ...] = get_args(FieldType)

# Channel variants a question may carry; WhatsApp falls back to the SMS one, as elsewhere.
VARIANT_CHANNELS = ("web", "telegram", "sms", "whatsapp", "voice")
_FALLBACK_VARIANT = {"whatsapp": "sms", "rest": "web", "shell": "web"}

NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
OPTION_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,31}$")
MAX_FIELDS = 30
MAX_OPTIONS = 12
MAX_QUESTION = 300
MAX_HELP = 500
MAX_LABEL = 60
MAX_TEXT = 500  # the longest text answer, unless a field sets a shorter `max_length`
MAX_VALUE = 2000  # what the store holds, whatever a field says
HUBSPOT_PROPERTY = re.compile(r"^[a-z][a-z0-9_]{0,99}$")

# Names the bot and the store already use for something else.
RESERVED: frozenset[str] = frozenset(
    (
        *LEAD_FIELDS,
        *QUALIFICATION_FIELDS,
        "id",
        "contact_id",
        "status",
        "lead_status",
        "score",
        "grade",
        "stage",
        "consent",
        "channel",
        "created_at",
        "updated_at",
        "fields",
    )
)


class FieldsError(ParleyError):
    """lead_fields.yml is not a valid list of fields; `problems` says where."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


@dataclass(frozen=True)
class Problem:
    index: int | None  # 0-based position in the list, None for the file as a whole
    field: str  # "name", "type", "question", "options", "channels.voice", ... or ""
    message: str

    @property
    def where(self) -> str:
        where = "" if self.index is None else f"field {self.index + 1}"
        return f"{where} {self.field}".strip()

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


@dataclass(frozen=True)
class Option:
    id: str
    label: str
    # Other ways people say it ("google", "a search"), for reading free text.
    phrasings: tuple[str, ...] = ()

    def to_yaml(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "label": self.label}
        if self.phrasings:
            data["phrasings"] = list(self.phrasings)
        return data


@dataclass(frozen=True)
class CustomField:
    name: str
    label: str
    type: FieldType
    question: str
    variants: Mapping[str, str] = field(default_factory=dict)
    help: str = ""
    optional: bool = True
    options: tuple[Option, ...] = ()
    minimum: Decimal | None = None  # number fields
    maximum: Decimal | None = None
    max_length: int = MAX_TEXT  # text fields
    hubspot_property: str | None = None

    def question_for(self, channel: str) -> str:
        """The channel's own question if the field has one, else the general question."""
        variant = self.variants.get(channel) or self.variants.get(
            _FALLBACK_VARIANT.get(channel, "")
        )
        return variant or self.question

    def option(self, option_id: str) -> Option | None:
        return next((o for o in self.options if o.id == option_id), None)

    def shown(self, value: str) -> str:
        """A stored value as people read it: a choice's label, yes/no capitalised."""
        if self.type == "choice":
            chosen = self.option(value)
            return chosen.label if chosen else value
        if self.type == "yes_no":
            return {"yes": "Yes", "no": "No"}.get(value, value)
        return value

    def normalize(self, value: object, *, region: str = "US") -> str:
        """The canonical form of a value given in that form (API, import, studio), or
        InvalidField naming this field and why. Free text in a conversation is read
        elsewhere; this is strict on purpose."""
        text = _text(value)
        if not text:
            raise InvalidField(self.name, "is empty")
        reader = _NORMALIZERS[self.type]
        return reader(self, text, region)

    def to_yaml(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "name": self.name,
            "label": self.label,
            "type": self.type,
            "question": self.question,
        }
        if self.variants:
            data["channels"] = dict(self.variants)
        if self.help:
            data["help"] = self.help
        data["optional"] = self.optional
        if self.options:
            data["options"] = [o.to_yaml() for o in self.options]
        if self.minimum is not None:
            data["min"] = _plain_number(self.minimum)
        if self.maximum is not None:
            data["max"] = _plain_number(self.maximum)
        if self.type == "text" and self.max_length != MAX_TEXT:
            data["max_length"] = self.max_length
        if self.hubspot_property:
            data["hubspot_property"] = self.hubspot_property
        return data


# ------------------------------------------------------------------ canonical values


def _text(value: object) -> str:
    if value is None or isinstance(value, (list, dict)):
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value).strip()


def _plain_number(number: Decimal) -> str:
    """1200, 2.5, -3: no exponent, no trailing zeros."""
    text = format(number.normalize(), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _as_text(f: CustomField, text: str, region: str) -> str:
    if len(text) > min(f.max_length, MAX_VALUE):
        raise InvalidField(f.name, f"is longer than {min(f.max_length, MAX_VALUE)} characters")
    return text


def _as_choice(f: CustomField, text: str, region: str) -> str:
    wanted = text.casefold()
    for option in f.options:
        if wanted in (option.id.casefold(), option.label.casefold()):
            return option.id
    raise InvalidField(f.name, f"{text!r} is not one of {', '.join(o.id for o in f.options)}")


def parse_number(text: str) -> Decimal | None:
    """A plain number as typed in a form or a file: "1200", "1,200", "2.5", "-3"."""
    cleaned = text.replace(" ", "").replace("_", "")
    if re.fullmatch(r"-?\d{1,3}(,\d{3})+(\.\d+)?", cleaned):
        cleaned = cleaned.replace(",", "")
    if not re.fullmatch(r"-?\d+(\.\d+)?", cleaned):
        return None
    try:
        return Decimal(cleaned)
    except InvalidOperation:
        return None


def check_number(f: CustomField, number: Decimal) -> str:
    if f.minimum is not None and number < f.minimum:
        raise InvalidField(f.name, f"is less than {_plain_number(f.minimum)}")
    if f.maximum is not None and number > f.maximum:
        raise InvalidField(f.name, f"is more than {_plain_number(f.maximum)}")
    return _plain_number(number)


def _as_number(f: CustomField, text: str, region: str) -> str:
    number = parse_number(text)
    if number is None:
        raise InvalidField(f.name, f"{text!r} is not a number")
    return check_number(f, number)


def _as_date(f: CustomField, text: str, region: str) -> str:
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        raise InvalidField(f.name, f"{text!r} is not a date (YYYY-MM-DD)") from None


def _as_email(f: CustomField, text: str, region: str) -> str:
    from bot.leads import normalize_email  # bot.leads is heavy; only this type needs it

    try:
        return normalize_email(text)
    except ValueError:
        raise InvalidField(f.name, f"{text!r} is not an email address") from None


def _as_phone(f: CustomField, text: str, region: str) -> str:
    from bot.leads import normalize_phone

    try:
        return normalize_phone(text, region)
    except ValueError:
        raise InvalidField(f.name, f"{text!r} is not a phone number") from None


_YES = frozenset(("yes", "y", "true", "1"))
_NO = frozenset(("no", "n", "false", "0"))


def _as_yes_no(f: CustomField, text: str, region: str) -> str:
    lowered = text.casefold()
    if lowered in _YES:
        return "yes"
    if lowered in _NO:
        return "no"
    raise InvalidField(f.name, f"{text!r} is not yes or no")


_NORMALIZERS = {
    "text": _as_text,
    "choice": _as_choice,
    "number": _as_number,
    "date": _as_date,
    "email": _as_email,
    "phone": _as_phone,
    "yes_no": _as_yes_no,
}


# ------------------------------------------------------------------ the list


@dataclass(frozen=True)
class LeadFields:
    fields: tuple[CustomField, ...] = ()

    def __iter__(self) -> Iterator[CustomField]:
        return iter(self.fields)

    def __len__(self) -> int:
        return len(self.fields)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)

    def get(self, name: str) -> CustomField | None:
        return next((f for f in self.fields if f.name == name), None)

    def normalize(self, values: Mapping[str, object], *, region: str = "US") -> dict[str, str]:
        """Canonical values for the fields named; InvalidField for an unknown name or a
        bad value (the first one found, in the order given)."""
        clean: dict[str, str] = {}
        for name, value in values.items():
            found = self.get(name)
            if found is None:
                known = ", ".join(self.names) or "none are defined"
                raise InvalidField(name, f"not a lead field of this bot ({known})")
            clean[name] = found.normalize(value, region=region)
        return clean


EMPTY = LeadFields()


def _string(item: Mapping[str, Any], key: str) -> str:
    value = item.get(key)
    return value.strip() if isinstance(value, str) else ""


def _decimal(
    item: Mapping[str, Any], key: str, index: int, problems: list[Problem]
) -> Decimal | None:
    value = item.get(key)
    if value is None or value == "":
        return None
    number = parse_number(str(value)) if not isinstance(value, bool) else None
    if number is None:
        problems.append(Problem(index, key, f"{value!r} is not a number"))
    return number


def _options(item: Mapping[str, Any], index: int, problems: list[Problem]) -> tuple[Option, ...]:
    raw = item.get("options")
    if raw is None:
        return ()
    if not isinstance(raw, list):
        problems.append(Problem(index, "options", "must be a list"))
        return ()
    options: list[Option] = []
    seen: set[str] = set()
    for number, entry in enumerate(raw, start=1):
        if not isinstance(entry, Mapping):
            problems.append(Problem(index, "options", f"option {number} must be a mapping"))
            continue
        option_id, label = _string(entry, "id"), _string(entry, "label")
        if not OPTION_ID.match(option_id):
            problems.append(
                Problem(
                    index,
                    "options",
                    f"option {number}: id {option_id!r} must be lower-case letters, digits,"
                    " - or _ (up to 32)",
                )
            )
        elif option_id in seen:
            problems.append(Problem(index, "options", f"option id {option_id!r} is used twice"))
        seen.add(option_id)
        if not label or len(label) > MAX_LABEL:
            problems.append(
                Problem(index, "options", f"option {number} needs a label of 1 to {MAX_LABEL}")
            )
        phrasings = entry.get("phrasings") or []
        if not isinstance(phrasings, list) or not all(
            isinstance(p, str) and p.strip() for p in phrasings
        ):
            problems.append(Problem(index, "options", f"option {number}: phrasings is a list"))
            phrasings = []
        options.append(Option(option_id, label, tuple(p.strip() for p in phrasings)))
    return tuple(options)


def _variants(item: Mapping[str, Any], index: int, problems: list[Problem]) -> dict[str, str]:
    raw = item.get("channels") or {}
    if not isinstance(raw, Mapping):
        problems.append(Problem(index, "channels", "must map channels to questions"))
        return {}
    variants: dict[str, str] = {}
    for channel, text in raw.items():
        if channel not in VARIANT_CHANNELS:
            problems.append(
                Problem(
                    index, "channels", f"{channel!r} is not one of {', '.join(VARIANT_CHANNELS)}"
                )
            )
        elif not isinstance(text, str) or not text.strip():
            problems.append(Problem(index, f"channels.{channel}", "is empty"))
        elif len(text) > MAX_QUESTION:
            problems.append(Problem(index, f"channels.{channel}", f"is over {MAX_QUESTION}"))
        else:
            variants[channel] = text.strip()
    return variants


def _field(index: int, item: object, problems: list[Problem]) -> CustomField | None:
    if not isinstance(item, Mapping):
        problems.append(Problem(index, "", "must be a mapping with name, type and question"))
        return None
    before = len(problems)
    name = _string(item, "name")
    if not NAME.match(name):
        problems.append(
            Problem(index, "name", "must start with a letter: lower-case letters, digits, _")
        )
    elif name in RESERVED:
        problems.append(Problem(index, "name", f"{name!r} is a built-in field"))
    kind = _string(item, "type")
    if kind not in FIELD_TYPES:
        problems.append(Problem(index, "type", f"must be one of {', '.join(FIELD_TYPES)}"))
    question = _string(item, "question")
    if not question:
        problems.append(Problem(index, "question", "the bot needs a question to ask"))
    elif len(question) > MAX_QUESTION:
        problems.append(Problem(index, "question", f"is over {MAX_QUESTION} characters"))
    label = _string(item, "label") or name.replace("_", " ").capitalize()
    if len(label) > MAX_LABEL:
        problems.append(Problem(index, "label", f"is over {MAX_LABEL} characters"))
    help_text = _string(item, "help")
    if len(help_text) > MAX_HELP:
        problems.append(Problem(index, "help", f"is over {MAX_HELP} characters"))
    optional = item.get("optional", True)
    if not isinstance(optional, bool):
        problems.append(Problem(index, "optional", "is true or false"))
        optional = True
    options = _options(item, index, problems)
    if kind == "choice" and len(options) < 2:
        problems.append(Problem(index, "options", "a choice needs at least two options"))
    if kind != "choice" and options:
        problems.append(Problem(index, "options", "only a choice field has options"))
    if len(options) > MAX_OPTIONS:
        problems.append(Problem(index, "options", f"at most {MAX_OPTIONS} options"))
    minimum = _decimal(item, "min", index, problems)
    maximum = _decimal(item, "max", index, problems)
    if (minimum is not None or maximum is not None) and kind != "number":
        problems.append(Problem(index, "min", "only a number field has min and max"))
    if minimum is not None and maximum is not None and minimum > maximum:
        problems.append(Problem(index, "max", "is less than min"))
    max_length = item.get("max_length", MAX_TEXT)
    if (
        not isinstance(max_length, int)
        or isinstance(max_length, bool)
        or not (1 <= max_length <= MAX_TEXT)
    ):
        problems.append(Problem(index, "max_length", f"is a whole number from 1 to {MAX_TEXT}"))
        max_length = MAX_TEXT
    hubspot = _string(item, "hubspot_property") or None
    if hubspot is not None and not HUBSPOT_PROPERTY.match(hubspot):
        problems.append(
            Problem(index, "hubspot_property", "a HubSpot internal name: lower-case, digits, _")
        )
    variants = _variants(item, index, problems)
    if len(problems) > before:
        return None
    return CustomField(
        name=name,
        label=label,
        type=cast(FieldType, kind),  # checked against FIELD_TYPES above
        question=question,
        variants=variants,
        help=help_text,
        optional=optional,
        options=options,
        minimum=minimum,
        maximum=maximum,
        max_length=max_length,
        hubspot_property=hubspot,
    )


def fields_from_data(data: object) -> LeadFields:
    """The fields in parsed YAML, or FieldsError listing every problem found."""
    if data is None:
        return EMPTY
    if not isinstance(data, Mapping) or not isinstance(data.get("fields", []), list):
        raise FieldsError([Problem(None, "", "must be a mapping with a `fields:` list")])
    items = data.get("fields") or []
    problems: list[Problem] = []
    if len(items) > MAX_FIELDS:
        problems.append(Problem(None, "", f"at most {MAX_FIELDS} fields"))
    fields: list[CustomField] = []
    for index, item in enumerate(items):
        found = _field(index, item, problems)
        if found is None:
            continue
        if any(f.name == found.name for f in fields):
            problems.append(Problem(index, "name", f"{found.name!r} is used twice"))
            continue
        fields.append(found)
    if problems:
        raise FieldsError(problems)
    return LeadFields(tuple(fields))


def parse(text: str) -> LeadFields:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise FieldsError([Problem(None, "", f"not valid YAML: {error}")]) from error
    return fields_from_data(data)


HEADER = (
    "# Lead fields of your own, asked after the built-in ones in this order. Edit them in\n"
    "# the studio (Content > Lead fields) or here; see README.md. Types: text, choice,\n"
    "# number, date, email, phone, yes_no. Removing a field keeps the values stored.\n"
)


def dump(fields: Sequence[CustomField]) -> str:
    body = yaml.safe_dump(
        {"version": 1, "fields": [f.to_yaml() for f in fields]},
        sort_keys=False,
        allow_unicode=True,
        width=4096,
    )
    return HEADER + body


def load(path: Path) -> LeadFields:
    """The fields in `path`; a missing file is none."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return EMPTY
    return parse(text)


class LeadFieldsFile(WatchedFile[LeadFields]):
    """The fields in a file, read again when the file changes (a publish rewrites it)."""

    def __init__(self, path: Path) -> None:
        super().__init__(path, load, EMPTY)


def check_stored(values: Mapping[str, str]) -> None:
    """What the store accepts whatever the file says now (a removed field's values stay):
    a well-formed name and a value it can hold."""
    for name, value in values.items():
        if not NAME.match(name) or name in RESERVED:
            raise InvalidField(name, "not a well-formed custom field name")
        if not isinstance(value, str) or not value.strip():
            raise InvalidField(name, "is empty")
        if len(value) > MAX_VALUE:
            raise InvalidField(name, f"is longer than {MAX_VALUE} characters")
