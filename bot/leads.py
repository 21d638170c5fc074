"""Reading lead details out of what people type, and validating them.

Pure functions: no I/O, no Rasa. The lead form action feeds them the message text, the
person/organisation entities spaCy found and the field the bot just asked for.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field

import phonenumbers
from email_validator import EmailNotValidError, validate_email

from bot.types import LeadField

MAX_LENGTH: dict[LeadField, int] = {
    "name": 100,
    "email": 254,
    "phone": 40,
    "company": 200,
    "role": 100,
    "need": 2000,
}
FREE_TEXT_FIELDS: tuple[LeadField, ...] = ("name", "company", "role", "need")

_EMAIL_CANDIDATE = re.compile(r"[^\s@<>(),;:\"']+@[^\s@<>(),;:\"']+")
# People dictating an address to a bot often spell the symbols out.
_SPOKEN_AT = re.compile(r"\s+(?:at)\s+", re.IGNORECASE)
_SPOKEN_DOT = re.compile(r"\s+(?:dot)\s+", re.IGNORECASE)
_END = r"\s*(?:[,;.!?]|\band\b|\bbut\b|$)"
_STOP = rf"(?={_END})"
_NAME_WORD = r"[^\W\d_][^\W\d_'’.\-]*"
_STATEMENTS: tuple[tuple[LeadField, re.Pattern[str]], ...] = (
    ("name", re.compile(rf"\bmy name(?:'s| is)\s+(?P<v>.+?){_STOP}", re.I)),
    (
        "name",
        re.compile(
            rf"\b(?i:call me|this is|i am|i'm|im)\s+(?P<v>[A-Z]{_NAME_WORD}(?:\s+[A-Z]{_NAME_WORD}){{0,3}}){_STOP}"
        ),
    ),
    (
        "name",
        re.compile(
            rf"^(?i:hi|hello|hey)?[,!\s]*(?i:i am|i'm|im)\s+(?P<v>[A-Z]{_NAME_WORD}(?:\s+[A-Z]{_NAME_WORD}){{0,3}})\s+(?i:from|at|with)\b"
        ),
    ),
    (
        "company",
        re.compile(
            rf"\b(?:my |our )?(?:company|business|organi[sz]ation|employer)(?:'s| is| name is)\s+(?P<v>.+?){_STOP}",
            re.I,
        ),
    ),
    ("company", re.compile(rf"\bi (?:work|am working) (?:at|for)\s+(?P<v>.+?){_STOP}", re.I)),
    (
        "company",
        re.compile(
            rf"\b(?:from|at|with)\s+(?P<v>[A-Z0-9][\w&'’.\-]*(?:\s+[A-Z0-9&][\w&'’.\-]*){{0,4}}){_STOP}"
        ),
    ),
    (
        "role",
        re.compile(
            rf"\bmy (?:role|title|job title|job|position)(?:'s| is)\s+(?P<v>.+?){_STOP}", re.I
        ),
    ),
    (
        "role",
        re.compile(
            rf"\bi(?: am|'m| work as)\s+(?:the |a |an )(?P<v>.+?)(?=\s+(?:at|from|of|with|for)\s+(?-i:[A-Z])|{_END})",
            re.I,
        ),
    ),
    (
        "need",
        re.compile(
            # A stated problem, not a request to the bot ("I want a demo" is not a need).
            r"(?P<v>\b(?:we|i)(?:'re| are|'m| am)? (?:trying to|struggling|need to|want to (?:solve|fix|improve|automate|reduce|increase|grow|stop|get better)|looking to (?:solve|fix|improve|automate|reduce|increase|grow))\b.+)",
            re.I,
        ),
    ),
)
_LEAD_INS: dict[LeadField, re.Pattern[str]] = {
    "name": re.compile(
        r"^(?:(?:hi|hello|hey|sure|ok|okay|yes)[,!.\s]+)?(?:my name(?:'s| is)|it's|its|it is|i am|i'm|im|call me|this is|name's|name is|the name's|you can call me)\s+",
        re.I,
    ),
    "company": re.compile(
        r"^(?:(?:sure|ok|okay)[,!.\s]+)?(?:my company(?:'s| is)|our company(?:'s| is)|the company(?:'s| is)|company is|it's|it is|i work (?:at|for)|we are|we're|i'm (?:with|at|from)|at|with|from)\s+",
        re.I,
    ),
    "role": re.compile(
        r"^(?:(?:sure|ok|okay)[,!.\s]+)?(?:my (?:role|title|job title|position)(?:'s| is)|i am|i'm|im|i work as|it's|it is)\s+(?:(?:a|an|the)\s+)?",
        re.I,
    ),
    "need": re.compile(r"^(?:(?:sure|ok|okay|well)[,!.\s]+)?", re.I),
}


@dataclass(frozen=True)
class Reading:
    """What one message says about the lead: clean values and per-field problems."""

    values: dict[LeadField, str] = field(default_factory=dict)
    problems: dict[LeadField, str] = field(default_factory=dict)


def normalize_email(text: str) -> str:
    """Return the normalized address (lower-cased) or raise ValueError with a reason."""
    candidate = text.strip().strip(".,;:!?<>()[]").lower()
    if len(candidate) > MAX_LENGTH["email"]:
        raise ValueError("too_long")
    try:
        return validate_email(candidate, check_deliverability=False).normalized
    except EmailNotValidError as error:
        raise ValueError("invalid_email") from error


def normalize_phone(text: str, region: str) -> str:
    """Return the number in E.164 or raise ValueError with a reason."""
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException as error:
        raise ValueError("invalid_phone") from error
    if not phonenumbers.is_valid_number(number):
        raise ValueError("invalid_phone")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def clean_free_text(field_name: LeadField, text: str) -> str:
    """Trim a free-text answer and check it; raise ValueError with a reason."""
    value = _LEAD_INS[field_name].sub("", text.strip()).strip(" \t\n,;.!?")
    value = _FILLER.sub("", value)
    if not value:
        raise ValueError("empty")
    if value.lower() in _NON_ANSWERS:
        raise ValueError("not_an_answer")
    if len(value) > MAX_LENGTH[field_name]:
        raise ValueError("too_long")
    if field_name == "name":
        _check_name(value)
    elif not any(ch.isalnum() for ch in value):
        raise ValueError("empty")
    return value


# Words people put before a corrected value ("the company is actually Acme").
_FILLER = re.compile(r"^(?:actually|really|now|just|rather|in fact|correctly)[,\s]+", re.IGNORECASE)
_NON_ANSWERS = frozenset(
    [
        "yes",
        "yeah",
        "yep",
        "yup",
        "sure",
        "ok",
        "okay",
        "no",
        "nope",
        "nah",
        "maybe",
        "idk",
        "dunno",
        "hi",
        "hello",
        "hey",
        "thanks",
    ]
)
_NOT_NAME_STARTS = frozenset(
    [
        "it's",
        "its",
        "i'm",
        "no",
        "not",
        "nope",
        "yes",
        "yeah",
        "yep",
        "sure",
        "ok",
        "okay",
        "why",
        "what",
        "who",
        "how",
        "don't",
        "dont",
        "nothing",
        "none",
        "skip",
        "pass",
        "idk",
        "dunno",
    ]
)


# Words that turn up in sentences but hardly ever in a person's name.
_NOT_NAME_WORDS = frozenset(
    [
        "me",
        "you",
        "your",
        "my",
        "i",
        "is",
        "are",
        "am",
        "do",
        "does",
        "can",
        "could",
        "would",
        "should",
        "please",
        "want",
        "need",
        "the",
        "this",
        "that",
        "it",
        "to",
        "what",
        "how",
        "why",
        "who",
        "when",
        "where",
        "joke",
        "weather",
    ]
)


def _check_name(value: str) -> None:
    words = [w.lower().strip(",.!?") for w in value.split()]
    if words[0] in _NOT_NAME_STARTS or _NOT_NAME_WORDS.intersection(words):
        raise ValueError("not_a_name")
    if "@" in value or sum(ch.isdigit() for ch in value) > 0:
        raise ValueError("not_a_name")
    if not any(ch.isalpha() for ch in value) or len(value.split()) > 6:
        raise ValueError("not_a_name")


_COMMAND = re.compile(r"/[A-Za-z_][\w-]*(?:\{.*\})?", re.DOTALL)


def read_message(
    text: str,
    *,
    region: str,
    requested: LeadField | None = None,
    persons: Iterable[str] = (),
    organizations: Iterable[str] = (),
    known: Collection[LeadField] = (),
    email_hint: str | None = None,
) -> Reading:
    """Everything a message says about the lead, with the asked-for field read generously.

    Explicit statements ("my company is ...") may change a known field; a name or company
    spaCy merely spotted only fills a field that is asked for or still unknown.
    """
    reading = Reading()
    if _COMMAND.fullmatch(text.strip()):
        return reading  # a button payload or a carrier keyword (START -> /opt_in), not words
    rest = _take_email(text, requested, reading)
    email = reading.values.get("email") or email_hint
    rest = _take_phone(rest, phone_regions(region, email), requested, reading)
    _take_statements(rest, reading)
    spotted: dict[LeadField, list[str]] = {
        "name": [p for p in persons if _usable_entity(p, rest, requested, "name")],
        "company": [o for o in organizations if _usable_entity(o, rest, requested, "company")],
    }
    for field_name, found in spotted.items():
        if field_name == requested or field_name not in known:
            _take_entity(field_name, found, reading)
    if requested in FREE_TEXT_FIELDS and requested not in reading.values:
        _take_free_text(requested, rest, reading)
    return reading


def _take_email(text: str, requested: LeadField | None, reading: Reading) -> str:
    candidates = _EMAIL_CANDIDATE.findall(text)
    if not candidates and requested == "email":
        spoken = _SPOKEN_DOT.sub(".", _SPOKEN_AT.sub("@", text.strip()))
        candidates = _EMAIL_CANDIDATE.findall(spoken) if " " not in spoken.strip() else []
        text = "" if candidates else text
    for candidate in candidates:
        text = text.replace(candidate, " ")
        try:
            reading.values["email"] = normalize_email(candidate)
            reading.problems.pop("email", None)
            break
        except ValueError as error:
            reading.problems["email"] = str(error)
    if requested == "email" and "email" not in reading.values and "email" not in reading.problems:
        reading.problems["email"] = "no_email"
    return text


def phone_regions(default: str, email: str | None) -> tuple[str, ...]:
    """Where to read a number typed without +country: the default, then the email's country.

    "07911 123456" from someone at brightpath.co.uk is a UK mobile, whatever the default.
    """
    tld = (email or "").rsplit(".", 1)[-1].upper() if email and "@" in email else ""
    hint = "GB" if tld == "UK" else tld
    if hint != default and hint in phonenumbers.SUPPORTED_REGIONS:
        return (default, hint)
    return (default,)


def _take_phone(
    text: str, regions: tuple[str, ...], requested: LeadField | None, reading: Reading
) -> str:
    for region in regions:
        for match in phonenumbers.PhoneNumberMatcher(text, region):
            reading.values["phone"] = phonenumbers.format_number(
                match.number, phonenumbers.PhoneNumberFormat.E164
            )
            return text[: match.start] + " " + text[match.end :]
    if requested == "phone" or _looks_like_phone_attempt(text):
        reading.problems["phone"] = "invalid_phone" if _digit_count(text) else "no_phone"
    return text


def _digit_count(text: str) -> int:
    return sum(ch.isdigit() for ch in text)


def _looks_like_phone_attempt(text: str) -> bool:
    return _digit_count(text) >= 6 and bool(
        re.search(r"\b(?:phone|number|mobile|cell)\b", text, re.I)
    )


def _take_statements(text: str, reading: Reading) -> None:
    for field_name, pattern in _STATEMENTS:
        if field_name in reading.values:
            continue
        match = pattern.search(text)
        if match is None:
            continue
        try:
            reading.values[field_name] = clean_free_text(field_name, match.group("v"))
        except ValueError:
            continue


def _usable_entity(value: str, rest: str, requested: LeadField | None, field_name: str) -> bool:
    """Whether an entity spaCy found can stand for `field_name`."""
    if value not in rest or "@" in value:
        return False  # part of an email address or phone number already read
    if requested not in FREE_TEXT_FIELDS or requested == field_name:
        return True
    # A bare answer to another question ("Acme Inc" when asked for the role, "it's
    # Beatriz" when asked for the name) answers that question, not this one.
    answer = _LEAD_INS[requested].sub("", rest.strip()).strip(" ,.!?")
    return value.strip().lower() != answer.lower()


def _take_entity(field_name: LeadField, found: Iterable[str], reading: Reading) -> None:
    if field_name in reading.values:
        return
    for value in found:
        try:
            reading.values[field_name] = clean_free_text(field_name, value)
            return
        except ValueError:
            continue


def _take_free_text(requested: LeadField, text: str, reading: Reading) -> None:
    # A message that also carried other details ("Dana, dana@acme.io") answers with its
    # first part; a plain answer is taken whole.
    answer = text
    if requested != "need" and reading.values:
        answer = re.split(r"[,;\n]| - ", text.strip())[0]
        for other in reading.values.values():
            answer = re.sub(rf"\s*(?:\b(?:at|from|with|of)\s+)?{re.escape(other)}", "", answer)
    try:
        reading.values[requested] = clean_free_text(requested, answer)
    except ValueError as error:
        reading.problems[requested] = str(error)


_EXPLICIT_FIELD = re.compile(
    r"\bmy (?:full )?(?:name|e-?mail(?: address)?|phone(?: number)?|number|mobile|cell|company|"
    r"business|organi[sz]ation|employer|role|title|job title|job|position)(?:'s| is)\s+\S",
    re.IGNORECASE,
)


def states_lead_details(text: str, region: str) -> bool:
    """Whether a message plainly gives lead details: an email, a phone number, "my X is ..."."""
    if _EMAIL_CANDIDATE.search(text) or _EXPLICIT_FIELD.search(text):
        return True
    return any(True for _ in phonenumbers.PhoneNumberMatcher(text, region))
