"""Personal data out of training examples.

A least-understood message that staff add to the training data goes into the draft's
data/nlu.yml, then into every published version kept in the store and into every model
trained from it: nothing an erasure can reach. So it goes in masked: email addresses,
phone numbers and names become stand-ins of the same shape, which teach the model just
as well ("my email is jane.doe@example.com").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import phonenumbers

from bot.leads import read_message

EMAIL_STAND_IN = "jane.doe@example.com"
PHONE_STAND_IN = "+1 202 555 0143"  # 555-01xx numbers are set aside for fiction
NAME_STAND_IN = "Jane Doe"
KINDS = ("email", "phone", "name")

_EMAIL = re.compile(r"[^\s@<>(),;:\"']+@[^\s@<>(),;:\"']+")
# Digits the phone matcher does not take for a number (a foreign one written the national
# way, "0151 1234 5678"): seven or more, with the separators people type, are masked all
# the same; dates are not numbers anyone dials.
_DIGIT_RUN = re.compile(r"\+?\d[\d\s().\-]{5,}\d")
_DATE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[.\-]\d{1,2}[.\-]\d{2,4}")
_MIN_DIGITS = 7


@dataclass(frozen=True)
class Masked:
    text: str
    kinds: tuple[str, ...]  # what was replaced, in KINDS order


def mask_personal_data(text: str, region: str, known_names: Iterable[str] = ()) -> Masked:
    """`text` with emails, phone numbers and names replaced; `known_names` are names the
    profile store holds that appear in it (a name said plainly, "Dana from Acme")."""
    found: set[str] = set()
    masked = _mask_emails(text, found)
    masked = _mask_phones(masked, region, found)
    masked = _mask_names(masked, region, known_names, found)
    return Masked(masked, tuple(kind for kind in KINDS if kind in found))


def _mask_emails(text: str, found: set[str]) -> str:
    masked, count = _EMAIL.subn(EMAIL_STAND_IN, text)
    if count:
        found.add("email")
    return masked


def _mask_phones(text: str, region: str, found: set[str]) -> str:
    leniency = phonenumbers.Leniency.POSSIBLE
    matches = list(phonenumbers.PhoneNumberMatcher(text, region, leniency=leniency))
    for match in reversed(matches):
        text = text[: match.start] + PHONE_STAND_IN + text[match.end :]
    masked = _DIGIT_RUN.sub(_phone_or_kept, text)
    if matches or masked != text:
        found.add("phone")
    return masked


def _phone_or_kept(match: re.Match[str]) -> str:
    run = match.group()
    if sum(ch.isdigit() for ch in run) < _MIN_DIGITS or _DATE.match(run.strip()):
        return run
    return PHONE_STAND_IN


def _mask_names(text: str, region: str, known: Iterable[str], found: set[str]) -> str:
    said = read_message(text, region=region).values.get("name")
    names = {name.strip() for name in [*known, *([said] if said else [])] if name.strip()}
    for name in sorted(names - {NAME_STAND_IN}, key=len, reverse=True):
        pattern = re.compile(rf"(?<!\w){re.escape(name)}(?!\w)", re.IGNORECASE)
        text, count = pattern.subn(NAME_STAND_IN, text)
        if count:
            found.add("name")
    return text
