"""Best guesses at an email or a phone number that could not be read as given, to be
checked with the person (yes or no) before anything is stored.

"it's doherty plumbing at eircom dot net" might be dohertyplumbing@, doherty.plumbing@ or
doherty-plumbing@; "07812 345 678" from someone whose country is not known is a UK mobile,
or a number in one of nine other countries. Neither is read as an answer (a wrong detail
is worse than a missing one), but asking "is your email dohertyplumbing@eircom.net?" once
costs the person one word, where asking for the whole detail again costs them the detail.
"""

from __future__ import annotations

import re

import phonenumbers

from bot.lead_vocabulary import word_set
from bot.leads import normalize_email, normalize_phone, spoken_digits

# Words said before an address that are not part of it: "it's", "my email is", "the shop
# one it's".
_LEAD_IN = word_set(
    """
    it's its it is my email e-mail address mail the one at um uh er oh so sorry yeah yes
    ok okay well that's thats our work home shop business personal and then just i'm im i
    we we're were you can reach me on
    """
)
_SPOKEN_DOT = re.compile(r"\s+(?:dot|period|point)\s+", re.I)
_ADDRESS = re.compile(
    r"(?<![\w'.-])(?P<local>(?:[a-z0-9][a-z0-9._'-]*\s+){0,3}[a-z0-9][a-z0-9._-]*)\s*(?:\s(?:at)\s|@)\s*"
    r"(?P<domain>(?:[a-z0-9-]+\s+){0,3}[a-z0-9-]+(?:\s*\.\s*[a-z0-9-]+)*\s*\.\s*[a-z]{2,12})\b",
    re.I,
)
# Where a number given without its country code is most often from, for this product's
# users: English-speaking markets first, then the larger others.
LIKELY_REGIONS = (
    "GB", "IE", "AU", "NZ", "ZA", "IN", "US", "CA", "SG", "MY", "PH", "NG", "KE", "AE",
    "DE", "FR", "ES", "IT", "NL", "BR", "MX",
)  # fmt: skip
_NUMBER = re.compile(r"(?<![\d+])0\d[\d\s().-]{6,}\d")


def guess_email(text: str) -> str | None:
    """An address said with spaces in its parts, joined: "doherty plumbing at eircom dot
    net" is dohertyplumbing@eircom.net, "dwayne at peach state air.com" is
    dwayne@peachstateair.com. None when nothing like an address is there."""
    said = _SPOKEN_DOT.sub(".", text.lower().replace("\u2019", "'"))
    for match in _ADDRESS.finditer(said):
        words = match["local"].split()
        while words and words[0] in _LEAD_IN:
            words.pop(0)
        if not words or len(words) > 3:
            continue
        domain = re.sub(r"\s+", "", match["domain"])
        try:
            return normalize_email(f"{''.join(words)}@{domain}")
        except ValueError:
            continue
    return None


def guess_phone(text: str, tried: tuple[str, ...]) -> str | None:
    """A national number ("07812 345 678", spoken or typed) that is no valid number where
    it was read (`tried`), in the first likely country where it is one; None when it is
    valid in none, or was given with its country code."""
    found = _NUMBER.search(spoken_digits(text))
    if found is None:
        return None
    for region in LIKELY_REGIONS:
        if region in tried:
            continue
        try:
            number = normalize_phone(found.group(0), region)
        except ValueError:
            continue
        if phonenumbers.is_valid_number(phonenumbers.parse(number)):
            return number
    return None
