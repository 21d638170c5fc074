"""When a stored value is the one the person gave: the judging rules of bench/personas/README.md."""

from __future__ import annotations

import re
import unicodedata

import phonenumbers

LABELS: dict[str, str] = {
    "name": "Name",
    "email": "Email",
    "phone": "Phone",
    "company": "Company",
    "role": "Role",
    "need": "Looking to solve",
}
_STOPWORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "of",
        "to",
        "for",
        "in",
        "on",
        "at",
        "with",
        "my",
        "our",
        "we",
        "i",
        "is",
        "are",
        "be",
        "it",
        "that",
        "this",
    ]
)


def _plain(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text).casefold()
    folded = folded.replace("’", "'")
    return re.sub(r"\s+", " ", folded).strip(" \t\n.,;:!?\"'()")


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[\w']+", _plain(text)) if w not in _STOPWORDS}


def _phone(text: str) -> str | None:
    try:
        number = phonenumbers.parse(text, "US")
    except phonenumbers.NumberParseException:
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def same_value(field_name: str, stored: str | None, expected: str | None) -> bool:
    """Whether `stored` is what the person said (`expected`); None on both sides is equal."""
    if stored is None or expected is None:
        return stored is None and expected is None
    if field_name == "email":
        return stored.strip().lower() == expected.strip().lower()
    if field_name == "phone":
        return _phone(stored) == _phone(expected)
    if field_name in ("role", "need"):
        said, kept = _words(expected), _words(stored)
        return bool(said and kept) and (said <= kept or kept <= said)
    return _plain(stored) == _plain(expected)
