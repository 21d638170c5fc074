"""Qualifying questions: which to ask, in which order, and reading the answers.

Pure functions: no I/O, no Rasa. Answers are read from free text ("we're about 40
people", "ASAP", "roughly 2k a month") as well as from button payloads, and map onto the
canonical values in `bot.types.QUALIFICATION_VALUES` that scoring and segments use.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from itertools import pairwise
from pathlib import Path
from typing import Any

import yaml

from bot.authority import read_authority_statement, states_own_part
from bot.custom_questions import CustomQuestion, parse_question
from bot.dated_timeline import (
    MONTH_NAME,
    months_away,
    months_bucket,
    next_year_away,
    years_in_figures,
)
from bot.errors import ParleyError
from bot.interruptions import is_question, leaves_for_now, refuses_to_share, without_particles
from bot.phone_places import in_the_south
from bot.repair import MEANT_OPENING, asks_to_hear_it_again
from bot.types import QUALIFICATION_VALUES
from bot.typos import with_answer_words

# The order questions are asked in when qualification.yml says nothing else.
FIELDS: tuple[str, ...] = ("company_size", "authority", "budget", "timeline")
VALUES = QUALIFICATION_VALUES
# How answers are shown back to people (summaries, the handoff to sales).
LABELS: dict[str, dict[str, str]] = {
    "budget": {
        "under_1k": "under $1k a year",
        "1k_10k": "$1k-10k a year",
        "10k_50k": "$10k-50k a year",
        "over_50k": "over $50k a year",
    },
    "authority": {
        "decides": "makes the decision",
        "influences": "influences the decision",
        "researching": "researching",
    },
    "timeline": {
        "now": "within a month",
        "quarter": "within 3 months",
        "year": "within a year",
        "later": "no set timeline",
    },
    "company_size": {v: f"{v} people" for v in VALUES["company_size"]},
}


@dataclass
class QualificationConfigError(ParleyError):
    path: Path
    reason: str
    # Where, for the studio to show it next to its field: the question's place in the
    # list (1-based) and the part of it ("skip_when", "id", "options.2.phrasings", ...).
    question: int | None = None
    part: str = ""

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


@dataclass(frozen=True)
class Question:
    field: str
    # Skip this question when another answer is one of these values.
    skip_when: Mapping[str, frozenset[str]] = dataclasses.field(default_factory=dict)
    # A question the marketer added (None: a built-in one).
    custom: CustomQuestion | None = None

    def applies(self, answers: Mapping[str, str]) -> bool:
        return not any(answers.get(other) in values for other, values in self.skip_when.items())


@dataclass(frozen=True)
class QualificationConfig:
    questions: tuple[Question, ...]

    def next_question(self, answers: Mapping[str, str], skipped: set[str]) -> str | None:
        """The field to ask about next, or None when nothing is left to ask."""
        for question in self.questions:
            if question.field in answers or question.field in skipped:
                continue
            if question.applies(answers):
                return question.field
        return None

    def custom(self, field_name: str) -> CustomQuestion | None:
        return next((q.custom for q in self.questions if q.field == field_name), None)

    @property
    def custom_choices(self) -> dict[str, tuple[str, ...]]:
        """Each custom question's option ids: what may be stored and scored for it."""
        return {q.field: q.custom.option_ids for q in self.questions if q.custom}

    @property
    def choices(self) -> dict[str, tuple[str, ...]]:
        """Every answer each question can have, built-in or custom."""
        return {**VALUES, **self.custom_choices}


DEFAULT_CONFIG = QualificationConfig(tuple(Question(f) for f in FIELDS))


def load_qualification_config(path: Path) -> QualificationConfig:
    """Read qualification.yml; a missing file means every question in the default order."""
    if not path.exists():
        return DEFAULT_CONFIG
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise QualificationConfigError(path, f"not valid YAML: {error}") from error
    return qualification_from_data(path, raw)


def qualification_from_data(path: Path, raw: Any) -> QualificationConfig:
    """The config from parsed YAML; `path` names it in errors."""
    if not isinstance(raw, dict) or not isinstance(raw.get("questions"), list):
        raise QualificationConfigError(path, "expected a mapping with a `questions:` list")
    items = raw["questions"]
    parsed = [_question(path, i, item) for i, item in enumerate(items, 1)]
    seen = [q.field for q in parsed]
    duplicates = sorted({f for f in seen if seen.count(f) > 1})
    if duplicates:
        number = next(i for i, f in enumerate(seen, 1) if f in seen[: i - 1])
        raise QualificationConfigError(
            path, f"questions asked twice: {', '.join(duplicates)}", number, "id"
        )
    choices = {**VALUES, **{q.field: q.custom.option_ids for q in parsed if q.custom}}
    return QualificationConfig(
        tuple(
            dataclasses.replace(q, skip_when=_skip_when(path, i, q.field, item, choices))
            for i, (q, item) in enumerate(zip(parsed, items, strict=True), 1)
        )
    )


def _question(path: Path, number: int, item: Any) -> Question:
    where = f"question {number}"
    if isinstance(item, dict) and "id" in item and "field" not in item:
        return _custom_question(path, number, item)
    if not isinstance(item, dict) or "field" not in item:
        raise QualificationConfigError(
            path, f"{where}: expected `field: <one of {FIELDS}>` or a question with an `id:`"
        )
    name = item["field"]
    if name not in VALUES:
        raise QualificationConfigError(
            path,
            f"{where}: unknown field {name!r}; known fields: {', '.join(FIELDS)} "
            "(a question of your own has an `id:`, its text and options)",
        )
    unknown_keys = set(item) - {"field", "skip_when"}
    if unknown_keys:
        raise QualificationConfigError(path, f"{where}: unknown keys {sorted(unknown_keys)}")
    return Question(name)


CUSTOM_KEYS = frozenset({"id", "text", "voice", "again", "options", "skip_when"})


def _custom_question(path: Path, number: int, item: dict[str, Any]) -> Question:
    where = f"question {number}"
    unknown_keys = set(item) - CUSTOM_KEYS
    if unknown_keys:
        raise QualificationConfigError(
            path, f"{where}: unknown keys {sorted(unknown_keys)}", number
        )
    question, problems = parse_question(item)
    if question is None:
        first = problems[0]
        raise QualificationConfigError(
            path, f"{where}: {first.field}: {first.message}", number, first.field
        )
    return Question(question.id, custom=question)


def _skip_when(
    path: Path, number: int, name: str, item: Any, choices: Mapping[str, tuple[str, ...]]
) -> dict[str, frozenset[str]]:
    where = f"question {number}"
    skip_when = item.get("skip_when") or {}
    if not isinstance(skip_when, dict):
        raise QualificationConfigError(
            path, f"{where}: skip_when must map fields to values", number, "skip_when"
        )
    conditions: dict[str, frozenset[str]] = {}
    for other, values in skip_when.items():
        if other not in choices or other == name:
            raise QualificationConfigError(
                path, f"{where}: skip_when names unknown field {other!r}", number, "skip_when"
            )
        listed = values if isinstance(values, list) else [values]
        bad = [str(v) for v in listed if str(v) not in choices[other]]
        if bad:
            raise QualificationConfigError(
                path,
                f"{where}: skip_when {other} has unknown values {bad}; "
                f"allowed: {', '.join(choices[other])}",
                number,
                "skip_when",
            )
        conditions[other] = frozenset(str(v) for v in listed)
    return conditions


# ---------------------------------------------------------------- reading answers

_NOT_SURE = re.compile(
    r"\b(?:not sure|unsure|no idea|don'?t know|dunno|can'?t say|rather not say|"
    r"prefer not to say|no comment)\b",
    re.I,
)


def _exact(field_name: str, text: str) -> str | None:
    """A canonical value or its label, as a button or a literal reply sends it."""
    cleaned = text.strip().lower().rstrip(".!")
    for value in VALUES[field_name]:
        if cleaned in (value.lower(), LABELS[field_name][value].lower()):
            return value
    return None


# ---------------------------------------------------------------- amounts in free text
#
# How a head count or a budget is read from what people type ("1.200", "2,5k", "₹5 lakh",
# "R50 000", "forty-odd", "between 20 and 50k a month"):
#
# 1. Number words become digits: "a couple hundred" 200, "forty-odd" 40, "two and a half
#    thousand" 2500, "half a dozen" 6.
# 2. Each amount is read with its currency, multiplier ("k", "grand", "lakh", "crore",
#    "mil"), period ("a month", "pm", "/mo", "p.a.") and bound ("under", "50+").
#    - Separators: one followed by exactly three digits groups thousands ("1.200",
#      "1,200", "1 200", "12.000", "5,00,000"); otherwise it is a decimal point ("2,5k",
#      "1.5m"); with both kinds the last is the decimal point ("1.200,50").
#    - A range ("10-15k", "between 20 and 50k", "50 to 100 people") is read as its
#      midpoint. When both ends fall into one band the midpoint is in it too; a range
#      across a boundary goes to the band most of it lies in. A multiplier or currency
#      said once applies to both ends.
#    - "under 10" / "up to 10k" sit just below the number, "over 50" / "50+" just above.
# 3. Budgets are a year unless a period is said (a month x12, a quarter x4, a week x52),
#    in US dollars at the rough rates of USD_PER_UNIT (the bands are five times wide, so
#    a rate 10% off rarely moves an answer). Lakh and crore without a currency are
#    rupees. An amount per user or per seat is no total: such an answer is not read.
# 4. Amounts that plainly are not the answer are left out: "3 offices" for a head count,
#    "40 staff" for a budget, a year ("since 2015"), a percentage. When the rest land in
#    different bands, the first two are read as a range ("5k, maybe 10k").

# US dollars per unit, rounded; the budget bands are in dollars.
USD_PER_UNIT: dict[str, float] = {
    "USD": 1.0, "EUR": 1.16, "GBP": 1.33, "AUD": 0.65, "CAD": 0.73, "NZD": 0.6,
    "SGD": 0.74, "INR": 0.012, "ZAR": 0.055, "KES": 0.0077, "NGN": 0.00065, "AED": 0.27,
    "MYR": 0.22, "JPY": 0.0067, "CHF": 1.13, "BRL": 0.18, "PKR": 0.0036,
    "PLN": 0.25, "TRY": 0.024, "KRW": 0.00072, "IDR": 0.000062, "VND": 0.00004,
    "THB": 0.029, "PHP": 0.017, "MXN": 0.055, "COP": 0.00025, "CLP": 0.00105,
    "ARS": 0.001, "EGP": 0.02, "SAR": 0.27, "QAR": 0.27, "ILS": 0.27, "HUF": 0.0028,
    "CZK": 0.044, "SEK": 0.095, "NOK": 0.093, "DKK": 0.147, "RUB": 0.011, "UAH": 0.024,
    "CNY": 0.14, "HKD": 0.128, "TWD": 0.031, "BDT": 0.0083, "LKR": 0.0033, "GHS": 0.065,
    "UGX": 0.00027, "TZS": 0.00038, "RON": 0.22, "PEN": 0.27, "KZT": 0.002,
    # Other dollars, read as the person's own when their phone is of that country
    "FJD": 0.44, "JMD": 0.0063, "TTD": 0.147, "BSD": 1.0, "BBD": 0.5, "BZD": 0.5,
    "GYD": 0.0048, "NAD": 0.055, "LRD": 0.0052, "BND": 0.77, "XCD": 0.37, "SBD": 0.12,
    "NPR": 0.0075, "MUR": 0.022,
    "MAD": 0.10, "OMR": 2.6, "BHD": 2.65, "KWD": 3.25, "JOD": 1.41,
    "ETB": 0.0065, "GEL": 0.37, "GTQ": 0.13, "TND": 0.34, "DZD": 0.0076, "IQD": 0.00076,
    "RSD": 0.0099, "LYD": 0.18,
    # The CFA francs of West and Central Africa are one value, pegged to the euro.
    "XOF": 0.0018, "XAF": 0.0018, "RWF": 0.0007, "GNF": 0.000115, "BIF": 0.00034,
    "CDF": 0.00035, "DJF": 0.0056, "LBP": 0.0000112, "SDG": 0.00166, "SYP": 0.000077,
}  # fmt: skip
# Money whose worth depends on which country's it is ("pesos", "kroner", "riyals", "¥",
# "dollars"): read in the currency of the person's phone number when that country uses
# one of that name; otherwise no budget is read rather than a guess five bands wide
# (dollars alone are US dollars: the question is asked in them).
_LOCAL_CURRENCIES: dict[str, dict[str, str]] = {
    "?peso": {"MX": "MXN", "CO": "COP", "CL": "CLP", "AR": "ARS", "PH": "PHP"},
    "?krone": {"DK": "DKK", "NO": "NOK", "SE": "SEK"},
    "?riyal": {"SA": "SAR", "QA": "QAR", "OM": "OMR"},
    "?dirham": {"MA": "MAD", "AE": "AED"},
    "?dinar": {
        "KW": "KWD", "BH": "BHD", "JO": "JOD", "TN": "TND", "DZ": "DZD", "IQ": "IQD",
        "RS": "RSD", "LY": "LYD",
    },
    # Francs are Swiss unless the phone is of a country with francs of its own.
    "?franc": {
        "SN": "XOF", "CI": "XOF", "ML": "XOF", "BF": "XOF", "NE": "XOF", "TG": "XOF",
        "BJ": "XOF", "GW": "XOF", "CM": "XAF", "GA": "XAF", "CG": "XAF", "TD": "XAF",
        "CF": "XAF", "GQ": "XAF", "RW": "RWF", "GN": "GNF", "BI": "BIF", "CD": "CDF",
        "DJ": "DJF",
    },
    "?yen": {"JP": "JPY", "CN": "CNY"},
    # Shillings are Kenyan unless the phone is Ugandan or Tanzanian (a dozen times less).
    "?shilling": {"UG": "UGX", "TZ": "TZS"},
    # Pounds are sterling unless the phone is of a country with pounds of its own.
    "?pound": {"EG": "EGP", "LB": "LBP", "SD": "SDG", "SY": "SYP"},
    "?rupee": {"PK": "PKR", "LK": "LKR", "NP": "NPR", "MU": "MUR"},
    "?juta": {"MY": "MYR"},
    # Lakh and crore count rupees, and taka in Bangladesh.
    "?lakh": {"PK": "PKR", "LK": "LKR", "NP": "NPR", "BD": "BDT"},
    "?dollar": {
        "AU": "AUD", "CA": "CAD", "NZ": "NZD", "SG": "SGD", "HK": "HKD", "TW": "TWD",
        "FJ": "FJD", "JM": "JMD", "TT": "TTD", "BS": "BSD", "BB": "BBD", "BZ": "BZD",
        "GY": "GYD", "NA": "NAD", "LR": "LRD", "BN": "BND", "SB": "SBD", "AG": "XCD",
        "DM": "XCD", "GD": "XCD", "KN": "XCD", "LC": "XCD", "VC": "XCD",
    },
}  # fmt: skip
# Dirhams alone are the Emirates' unless the phone is Moroccan.
_DEFAULT_CURRENCY = {
    "?dollar": "USD", "?rupee": "INR", "?lakh": "INR", "?dirham": "AED", "?franc": "CHF",
    "?juta": "IDR", "?shilling": "KES", "?pound": "GBP",
}  # fmt: skip
# Where a bare sum ("around 800k", "50 000 a year") is as likely the local money as dollars
# and the two can be bands apart, it is asked again with the options in dollars rather than
# guessed: everywhere but the countries whose money is worth about a dollar (the euro, the
# pound, the Swiss franc, the dollars of North America, Australasia and Singapore).
_NEAR_THE_DOLLAR = frozenset(
    {
        "US", "CA", "AU", "NZ", "SG", "GB", "IE", "CH", "LI", "DE", "FR", "ES", "IT", "NL",
        "BE", "AT", "PT", "FI", "GR", "LU", "MT", "CY", "SK", "SI", "EE", "LV", "LT", "HR",
        "PR", "GU", "VI", "AS", "MP", "EC", "SV", "PA", "MC", "SM", "VA", "AD",
    }
)  # fmt: skip


def _resolved(currency: str | None, country: str | None) -> str | None:
    """An ISO code for a currency said by name only, given the person's country."""
    if currency not in _LOCAL_CURRENCIES:
        return currency
    local = _LOCAL_CURRENCIES[currency].get(country or "")
    return local or _DEFAULT_CURRENCY.get(currency, currency)


_UNIT_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "couple": 2, "few": 3,
    # As a recognizer writes an Irish, Caribbean or West African "th".
    "tree": 3, "tirteen": 13, "tirty": 30, "twenny": 20,
    # Tens said in the speaker's own language around English ("zwanzig Leute, plus two
    # Azubis", "unos cuarenta empleados"): German, Spanish, French, Portuguese, Italian
    "zwanzig": 20, "dreissig": 30, "dreißig": 30, "vierzig": 40, "fünfzig": 50, "funfzig": 50,
    "sechzig": 60, "siebzig": 70, "achtzig": 80, "neunzig": 90, "veinte": 20, "treinta": 30,
    "cuarenta": 40, "cincuenta": 50, "sesenta": 60, "setenta": 70, "ochenta": 80, "noventa": 90,
    "vingt": 20, "trente": 30, "quarante": 40, "cinquante": 50, "soixante": 60, "vinte": 20,
    "trinta": 30, "quarenta": 40, "cinquenta": 50, "sessenta": 60, "venti": 20, "trenta": 30,
    "quaranta": 40, "cinquanta": 50,
}  # fmt: skip
_LOCAL_SCALES = {"hundred": 100, "dozen": 12}
_BIG_SCALES = {
    "thousand": 1e3, "tousand": 1e3, "lakh": 1e5, "lakhs": 1e5, "lac": 1e5, "lacs": 1e5, "million": 1e6,
    "crore": 1e7, "crores": 1e7, "billion": 1e9,
}  # fmt: skip
_INDIAN_SCALES = ("lakh", "lakhs", "lac", "lacs", "crore", "crores")
# "four lack rupees", "one lack fifty thousand": lakh as it is often typed or heard, only
# after a number ("we lack a budget" keeps its verb).
_LAKH_MISSPELT = re.compile(
    rf"\b(\d+(?:[.,]\d+)?|{'|'.join(sorted(_UNIT_WORDS, key=len, reverse=True))})\s+(?:lack|lacks|laks|lakhs)\b",
    re.I,
)
_SCALE_WORDS = _LOCAL_SCALES.keys() | _BIG_SCALES.keys()
_A_GRAND = re.compile(r"\b(?:a|one)\s+grand\b", re.I)
# "Quite a few", "a good few": many more than three, and no number.
_MANY = re.compile(r"\b(?:quite a|a good|a fair)\s+few\b(?!\s+(?:hundred|thousand|dozen))", re.I)
_WORD = re.compile(r"[^\W\d_]+", re.I)
# After a lone "one", what makes it a count.
_COUNTED_ONE = re.compile(
    r"[\s-]*(?:person|people|employee|staff|member|man|woman|day|week|fortnight|month|quarter|year)\b",
    re.I,
)


_ONE_TO_TEN = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
# "three four hundred a month", "five six grand": one of two neighbouring figures, said
# without the "or"; a recognizer's "for grand" is four.
_NEIGHBOURS = re.compile(
    rf"\b(?P<a>{'|'.join(_ONE_TO_TEN)})\s+(?P<b>{'|'.join(_ONE_TO_TEN)})\s+"
    r"(?=(?:hundred|thousand|grand|k)\b)|(?<=\bmaybe )for(?=\s+(?:grand|thousand|hundred)\b)",
    re.I,
)


_TENS_WORDS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
# "two fifty three hundred a month": two fifty (250), then three hundred, the range said
# without its "to".
_HUNDREDS_SAID_SHORT = re.compile(
    rf"\b(?<!hundred )(?<!thousand )(?P<h>{'|'.join(_ONE_TO_TEN[:9])})\s+(?P<t>{'|'.join(_TENS_WORDS)})\s+"
    rf"(?=(?:{'|'.join(_ONE_TO_TEN[:9])})\s+hundred\b)",
    re.I,
)


# "two to three hundred a month": both figures are hundreds, as in "2 to 3 hundred".
_HUNDREDS_RANGE = re.compile(
    rf"\b(?P<a>{'|'.join(_ONE_TO_TEN[:9])})\s*(?P<sep>to|or|-|–)\s*(?P<b>{'|'.join(_ONE_TO_TEN)})"
    r"\s+(?=hundred\b(?!\s+(?:thousand|grand|k|million|lakhs?|crores?)\b))",
    re.I,
)


def _hundreds_range(match: re.Match[str]) -> str:
    a = _ONE_TO_TEN.index(match["a"].lower()) + 1
    b = _ONE_TO_TEN.index(match["b"].lower()) + 1
    return f"{a} {match['sep']} {b} "


def _hundreds_said_short(match: re.Match[str]) -> str:
    hundreds = _ONE_TO_TEN.index(match["h"].lower()) + 1
    tens = _TENS_WORDS.index(match["t"].lower()) + 2
    return f"{hundreds}{tens}0 to "


def _neighbours_either(match: re.Match[str]) -> str:
    if match["a"] is None:
        return "four"
    a, b = _ONE_TO_TEN.index(match["a"].lower()), _ONE_TO_TEN.index(match["b"].lower())
    return f"{match['a']} or {match['b']} " if b == a + 1 else match[0]


# "veinte mil dollars", "vinte mil reais": a thousand in the words said around it, where
# English speakers' "20 mil" would be twenty million.
_THOUSAND_IN_THEIR_WORDS = re.compile(
    r"\b(veinte|treinta|cuarenta|cincuenta|sesenta|setenta|ochenta|noventa|vinte|trinta|quarenta|"
    r"cinquenta|sessenta|vingt|trente|quarante|cinquante|soixante|venti|trenta|quaranta|cinquanta)"
    r"\s+(?:mil|mille|mila)\b",
    re.I,
)


def _spell_out_numbers(text: str) -> str:
    """Number words as digits: "about two thousand" -> "about 2000"."""
    text = _THOUSAND_IN_THEIR_WORDS.sub(r"\1 thousand", text)
    text = _A_GRAND.sub("1 grand", text)
    text = _HUNDREDS_SAID_SHORT.sub(_hundreds_said_short, text)
    text = _HUNDREDS_RANGE.sub(_hundreds_range, text)
    text = _NEIGHBOURS.sub(_neighbours_either, text)
    text = _MANY.sub("many", text)
    words = list(_WORD.finditer(text))
    out: list[str] = []
    done = 0
    i = 0
    while i < len(words):
        end = _number_run(text, words, i)
        if end == i:
            i += 1
            continue
        run = [w[0].lower() for w in words[i:end]]
        if run == ["one"] and not _COUNTED_ONE.match(text, words[i].end()):
            # "one sec", "one of the founders": only "one person", "one month" are counts.
            i += 1
            continue
        out += [text[done : words[i].start()], _spelled_value(run)]
        done = words[end - 1].end()
        i = end
    return "".join([*out, text[done:]])


def spell_out_numbers(text: str) -> str:
    """Number words as digits, for other readers of numbers (bot/custom_answers.py)."""
    return _spell_out_numbers(text)


def _spelled_value(run: list[str]) -> str:
    """Digits for a run of number words; an Indian scale stays a word ("five lakhs" ->
    "5 lakhs"), because it also says the sum is in rupees."""
    if run[-1] in _INDIAN_SCALES and all(w not in _BIG_SCALES for w in run[:-1]):
        return f"{_digits(_run_value(run) / _BIG_SCALES[run[-1]])} {run[-1]}"
    if (
        len(run) > 1
        and run[-1] in _MULTIPLIER_WORDS
        and all(w not in _BIG_SCALES for w in run[:-1])
    ):
        # "twelve to fifteen thousand": the scale stays a word, so that it reaches the
        # first end of the range too (12 to 15 thousand, not 12 to 15000).
        return f"{_digits(_run_value(run) / _BIG_SCALES[run[-1]])} {run[-1]}"
    return _digits(_run_value(run))


_MULTIPLIER_WORDS = ("thousand", "million")


_DIGIT_BEFORE = re.compile(r"\d[\s,.]*$")


def _number_run(text: str, words: list[re.Match[str]], start: int) -> int:
    """The index after the last word of a run of number words starting at `start`."""

    def word(k: int) -> str:
        return words[k][0].lower() if k < len(words) else ""

    def joined(k: int) -> bool:
        # Words of one number are separated by spaces or hyphens only ("forty-odd").
        return k < len(words) and not text[words[k - 1].end() : words[k].start()].strip(" -")

    first, second = word(start), word(start + 1)
    if first in ("a", "an") and second in (*_SCALE_WORDS, "couple", "few") and joined(start + 1):
        k = start + 2
    elif (
        first == "half"
        and second in ("a", "an")
        and word(start + 2) in _SCALE_WORDS
        and joined(start + 1)
        and joined(start + 2)
    ):
        k = start + 3
    elif first in _UNIT_WORDS:
        k = start + 1
    elif (
        first == "hundred"
        and not _DIGIT_BEFORE.search(text, 0, words[start].start())
        and joined(start + 1)
        and (
            second in _UNIT_WORDS
            or (second == "and" and word(start + 2) in _UNIT_WORDS and joined(start + 2))
        )
    ):
        k = start + 1  # "hundred and fifty pound a month": a hundred, said without the "a"
    else:
        return start
    while k < len(words) and joined(k):
        previous, current, following = word(k - 1), word(k), word(k + 1)
        after_scale = previous in _SCALE_WORDS
        if current in _SCALE_WORDS:
            k += 1
        elif current in _UNIT_WORDS and (
            after_scale or (_UNIT_WORDS.get(previous, 0) >= 20 and _UNIT_WORDS[current] < 10)
        ):
            k += 1  # "two hundred five", "twenty five", not "twenty fifty"
        elif _hundreds_shorthand(previous, current, following) and k == start + 1:
            k += 1  # "one fifty" is 150, as people say it; "five ten thousand" is a range
        elif (
            current == "and"
            and after_scale
            and following in _UNIT_WORDS
            and joined(k + 1)
            and _scale(word(k + 2)) != _scale(previous)
        ):
            # "a hundred and fifty", "two hundred and fifty thousand"; not "twenty and
            # fifty" (a range), nor "a thousand and two thousand" (two figures)
            k += 2
        elif current == "and" and (following, word(k + 2)) == ("a", "half") and joined(k + 2):
            k += 3  # "two and a half thousand"
        elif current == "of" and previous in ("couple", "few") and following in _SCALE_WORDS:
            k += 2  # "a couple of hundred"
        elif current in ("odd", "ish"):
            k += 1
            break
        else:
            break
    return k


def _scale(word: str) -> float:
    """What a scale word multiplies by; 1 for any other word."""
    return _LOCAL_SCALES.get(word) or _BIG_SCALES.get(word) or 1.0


def _hundreds_shorthand(first: str, second: str, following: str) -> bool:
    return (
        0 < _UNIT_WORDS.get(first, 0) < 10
        and _UNIT_WORDS.get(second, 0) >= 10
        and following not in _SCALE_WORDS
    )


def _run_value(run: list[str]) -> float:
    if len(run) >= 2 and _hundreds_shorthand(run[0], run[1], ""):
        return _UNIT_WORDS[run[0]] * 100 + _run_value(run[1:])
    total = current = 0.0
    for word in run:
        if word in _UNIT_WORDS:
            current += _UNIT_WORDS[word]
        elif word == "half":
            # "two and a half thousand" adds a half; "half a million" starts from it.
            current += 0.5
        elif word in _LOCAL_SCALES:
            current = (current or 1) * _LOCAL_SCALES[word]
        elif word in _BIG_SCALES:
            total += (current or 1) * _BIG_SCALES[word]
            current = 0.0
    return total + current


def _digits(value: float) -> str:
    return str(int(value)) if value == int(value) else f"{value:.6g}"


# ISO codes, said before or after a sum ("USD 5k", "40 000 PLN"). Those that are English
# words too count only in capitals: "we could try 10k" is no budget in Turkish lira.
_WORDLIKE_CODES = ("TRY", "RUB", "COP", "ARS", "RON", "MAD")
_CODES = (
    "|".join(code for code in USD_PER_UNIT if code not in _WORDLIKE_CODES)
    + "|NIS|RMB|(?-i:"
    + "|".join(_WORDLIKE_CODES)
    + ")"
)
_SIGNS = r"[₺₩₫฿₱₪₽₴৳円元₾]"
# Money whose worth is not kept here: named, so that the sum is not taken for dollars.
_UNPRICED = (
    r"soums?|so['ʻ]m|dinars?|birr|f?cfa(?: francs?)?|kwacha|leva|manat|lari|kyats?|quetzal(?:es)?|"
    r"colones|guaran[ií]es|bolivianos|drams?|tugriks?|(?-i:KD)"
)
_PREFIX = (
    r"HK\$|NT\$|E£|GH₵|GH¢|₵|(?-i:S)/\.?|(?-i:Rp)\.?|(?-i:TL)|(?-i:Kč)|KSh|(?-i:RM)|zł|₸|"
    r"US\$|AU\$|A\$|CA\$|C\$|NZ\$|S\$|R\$|TT\$|J\$|BDS?\$|EC\$|FJ\$|B\$|"
    rf"{_CODES}|{_SIGNS}|"
    r"(?-i:Rs)\.?|(?-i:R)|[£€₹₨$₦¥]|"
    # Lower case only when a figure follows at once: "r250 000", "rm 60k".
    r"(?-i:r)(?=\d)|(?-i:rm)(?=\s?\d)"
)
_SUFFIX = (
    r"z[łl]ot(?:y|ys|ych|e)|z[łl]|(?:turkish )?lir(?:a|as|e)|(?-i:TL)|(?:korean )?won|원|rupiah|"
    r"(?:vietnamese )?dong|baht|(?:mexican |philippine |colombian |chilean |argentin\w* )?pesos?(?: mexicanos?)?|"
    r"egyptian pounds?|(?:saudi |qatari |omani |iranian )?(?:riyals?|rials?)|shekels?|forints?|"
    r"(?-i:Ft)|korun[ay]?|(?-i:Kč)|(?:swedish |norwegian |danish )?(?:kronor|krona|kroner|krone)|"
    r"(?-i:kr)|r(?:o)?ubles?|hryvnias?|yuan|renminbi|(?:hong kong|hk) dollars?|"
    r"(?:nt|taiwan(?:ese)?) dollars?|taka|(?:sri lankan|pakistani) rupees?|cedis?|"
    r"(?:nuevos? )?soles|tenge|"
    r"(?:ugandan|tanzanian) shillings?|lei|"
    r"(?:us |american )?dollars?|(?:australian|aussie|canadian|nz|new zealand|singapore)(?: dollars?| bucks)?|"
    r"bucks|pounds?(?: sterling)?|quid|sterling|euros?|rupees?|rand|"
    r"(?:kenyan )?shillings?|naira|(?:moroccan |emirati |uae )?dirhams?(?: marocains?)?|ringgit|yen|"
    r"(?:swiss )?francs?|reais|(?:kuwaiti|bahraini|jordanian) dinars?|"
    rf"{_UNPRICED}|{_CODES}|{_SIGNS}|rs\b\.?|[£€₹$]"
)
_CURRENCIES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.I), code)
    for pattern, code in (
        (r"PLN|z[łl]|z[łl]ot(?:y|ys|ych|e)", "PLN"),
        (r"TRY|TL|₺|(?:turkish )?lir(?:a|as|e)", "TRY"),
        (r"KRW|₩|원|(?:korean )?won", "KRW"),
        (r"IDR|Rp\.?|rupiah", "IDR"),
        (r"VND|₫|(?:vietnamese )?dong", "VND"),
        (r"THB|฿|baht", "THB"),
        (r"PHP|₱|philippine pesos?", "PHP"),
        (r"MXN|mexican pesos?|pesos? mexicanos?", "MXN"),
        (r"COP|colombian pesos?", "COP"),
        (r"CLP|chilean pesos?", "CLP"),
        (r"ARS|argentin\w* pesos?", "ARS"),
        (r"EGP|E£|egyptian pounds?", "EGP"),
        (r"SAR|saudi riyals?", "SAR"),
        (r"QAR|qatari riyals?", "QAR"),
        (r"ILS|NIS|₪|shekels?", "ILS"),
        (r"HUF|Ft|forints?", "HUF"),
        (r"CZK|Kč|korun[ay]?", "CZK"),
        (r"SEK|swedish (?:kronor|krona)|kronor|krona", "SEK"),
        (r"NOK|norwegian (?:kroner|krone)", "NOK"),
        (r"DKK|danish (?:kroner|krone)", "DKK"),
        (r"RUB|₽|r(?:o)?ubles?", "RUB"),
        (r"UAH|₴|hryvnias?", "UAH"),
        (r"CNY|RMB|yuan|renminbi|元", "CNY"),
        (r"HKD|HK\$|(?:hong kong|hk) dollars?", "HKD"),
        (r"TT\$|(?:trinidad|tt) dollars?", "TTD"),
        (r"J\$|jamaican dollars?", "JMD"),
        (r"BDS?\$|barbados dollars?", "BBD"),
        (r"EC\$|(?:eastern caribbean|ec) dollars?", "XCD"),
        (r"FJ\$|fiji(?:an)? dollars?", "FJD"),
        (r"B\$|bahamian dollars?", "BSD"),
        (r"TWD|NT\$|(?:nt|taiwan(?:ese)?) dollars?", "TWD"),
        (r"BDT|৳|taka", "BDT"),
        (r"LKR|sri lankan rupees?", "LKR"),
        (r"pakistani rupees?", "PKR"),
        (r"GHS|GH₵|GH¢|₵|cedis?", "GHS"),
        (r"PEN|S/\.?|(?:nuevos? )?soles", "PEN"),
        (r"KZT|₸|tenge", "KZT"),
        (r"UGX|ugandan shillings?", "UGX"),
        (r"TZS|tanzanian shillings?", "TZS"),
        (r"RON|lei", "RON"),
        (r"KWD|kuwaiti dinars?", "KWD"),
        (r"BHD|bahraini dinars?", "BHD"),
        (r"JOD|jordanian dinars?", "JOD"),
        (r"OMR|omani ri[ya]ls?", "OMR"),
        (r"ETB|birr", "ETB"),
        (r"GEL|lari|₾", "GEL"),
        (r"GTQ|quetzal(?:es)?", "GTQ"),
        (r"XOF|f?cfa(?: francs?)?", "XOF"),
        (r"XAF", "XAF"),
        (r"KD", "KWD"),
        (r"dinars?", "?dinar"),
        (_UNPRICED, "?unpriced"),
        (r"pesos?", "?peso"),
        (r"kroner|krone|kr", "?krone"),
        (r"(?:omani |iranian )?(?:riyals?|rials?)", "?riyal"),
        (r"US\$|USD|(?:us|american) dollars?", "USD"),
        (r"AU?\$|AUD|(?:australian|aussie)(?: dollars?| bucks)?", "AUD"),
        (r"CA?\$|CAD|canadian(?: dollars?| bucks)?", "CAD"),
        (r"NZ\$|NZD|(?:nz|new zealand|kiwi)(?: dollars?| bucks)?", "NZD"),
        (r"S\$|SGD|singapore(?: dollars?| bucks)?", "SGD"),
        (r"GBP|pounds? sterling|(?:british|uk) pounds?|quid|sterling", "GBP"),
        (r"£|pounds?", "?pound"),
        (r"€|EUR|euros?", "EUR"),
        (r"₹|INR|indian rupees?", "INR"),
        (r"₨|Rs\.?|rupees?", "?rupee"),
        (r"KES|KSh|kenyan shillings?", "KES"),
        (r"shillings?", "?shilling"),
        (r"₦|NGN|naira", "NGN"),
        (r"MAD|moroccan dirhams?|dirhams? marocains?", "MAD"),
        (r"AED|(?:emirati|uae) dirhams?", "AED"),
        (r"dirhams?", "?dirham"),
        (r"RM|MYR|ringgit", "MYR"),
        (r"JPY|yen|円", "JPY"),
        # Yen and yuan share the sign, and are twenty times apart.
        (r"¥", "?yen"),
        (r"CHF|swiss francs?", "CHF"),
        (r"francs?", "?franc"),
        (r"R\$|BRL|reais", "BRL"),
        (r"PKR", "PKR"),
        (r"R|ZAR|rand", "ZAR"),
        (r"\$|dollars?|bucks", "?dollar"),
    )
)
# "120 000" is a hundred and twenty thousand; "250 300 a month" ("two fifty three hundred")
# is two round figures, not 250,300.
_NUM = (
    r"(?!\d\d0 [1-9]00(?!\d))\d{1,3}(?:[ \u00a0\u202f']\d{3})+(?:[.,]\d{1,2})?(?!\d)|"
    r"\d+(?:[.,]\d+)*"
)
_MULTIPLIERS = {
    "k": 1e3, "thousand": 1e3, "grand": 1e3, "hundred": 1e2, "lakh": 1e5, "lakhs": 1e5,
    "lac": 1e5, "lacs": 1e5, "crore": 1e7, "crores": 1e7, "cr": 1e7, "m": 1e6, "mil": 1e6,
    "mill": 1e6, "mn": 1e6, "mio": 1e6, "million": 1e6, "millions": 1e6, "bn": 1e9,
    "juta": 1e6, "jt": 1e6, "ribu": 1e3, "rb": 1e3, "triệu": 1e6, "trieu": 1e6, "万": 1e4, "萬": 1e4, "億": 1e8,
    "만": 1e4, "천": 1e3, "억": 1e8, "千": 1e3,
    "millones": 1e6, "millón": 1e6, "millon": 1e6, "milhões": 1e6, "milhão": 1e6, "milioni": 1e6,
    "millionen": 1e6, "miljoen": 1e6, "miljoner": 1e6, "milionów": 1e6,
    "billion": 1e9,
}  # fmt: skip
_MULT = "|".join(sorted(_MULTIPLIERS, key=len, reverse=True))
_AMOUNT = re.compile(
    # "the 3rd location" is no amount; "our 51st hire" counts the people
    rf"(?<![^\W_])(?:(?P<pre>{_PREFIX})\s*)?(?<![\d.,])(?P<num>{_NUM})"
    r"(?!\d|(?:st|nd|rd|th)\b(?!\s+(?:hire|employee|staff|person|worker|team member)))"
    rf"(?:\s*(?:of\s+)?(?P<mult>{_MULT})(?:(?=ish|[円元원])|(?![^\W\d_])))?"
    rf"(?:-?\s?ish\b)?"
    rf"(?:\s*(?:(?:de|of)\s+)?(?P<post>{_SUFFIX})(?:(?<=[円元])|(?![^\W\d_])))?"
    rf"(?P<plus>\s*\+|\s+plus\b)?",
    re.I,
)
_RANGE_GAP = re.compile(r"\s*(?:-|–|—|~|to|and|or|till|until|through|thru)\s*", re.I)
_BELOW = re.compile(
    r"(?:\bunder|\bbelow|\bless than|\bfewer than|\bup ?to|\bmax(?:imum)?|\bat most|"
    r"\bno more than|\bnot more than|<=?)\s*(?:about|around|roughly|approx\w*\.?|~)?\s*$",
    re.I,
)
_ABOVE = re.compile(
    r"(?:\bover|\babove|\bmore than|\bupwards of|\bnorth of|\bin excess of|>=?)\s*"
    r"(?:about|around|roughly|approx\w*\.?|~)?\s*$",
    re.I,
)
_BELOW_AFTER = re.compile(r"^\s*(?:or less|or fewer|max(?:imum)?|tops|at most|at the most)\b", re.I)
_ABOVE_AFTER = re.compile(r"^\s*(?:or more|and up(?:wards)?|and above|and over|plus)\b", re.I)
_FILLER = r"(?:\s|-|~|,|\bish\b|\bodd\b|\bor so\b|\broughly\b|\bapprox\w*\.?|\bin total\b|\btotal\b|\bfull[- ]time\b)*"
_PEOPLE = (
    r"people|ppl|persons?|employees?|employes|emps|staff\w*|heads?|headcount|ftes?|workers?|"
    r"colleagues|members|folks?|of us|strong|souls|personnel|bods|bodies|man|men|guys|"
    r"engineers|developers|devs|agents|reps|consultants|team members|peeps|techs|technicians|"
    r"nurses|drivers|cleaners|stylists|therapists|physios|dentists|doctors|chefs|cooks|servers|"
    r"waiters|waitstaff|lads|crew|mechanics|installers|electricians|plumbers|receptionists|"
    r"assistants|brokers|realtors|teachers|coaches|trainers|hygienists|labou?rers|tradies|"
    r"full[- ]?timers|part[- ]?timers|full time|part time|"
    r"leute|mitarbeiter(?:innen)?|azubis|personas|empleados|trabajadores|personnes|employ[eé]s|"
    r"salari[eé]s|pessoas|funcion[aá]rios|colaboradores|dipendenti|persone|medewerkers|mensen|"
    r"karyawan|empleyado|tao|wafanyakazi|log|staff members|"
    r"architects|accountants|lawyers|solicitors|attorneys|paralegals|designers|instructors|tutors|"
    r"lecturers|carers|caregivers|pharmacists|vets|veterinarians|groomers|barbers|beauticians|"
    r"estheticians|planners|coordinators|managers|analysts|advisers|advisors|associates|"
    r"bookkeepers|surveyors|programmers|writers|editors|photographers|bakers|baristas|bartenders|"
    r"cashiers|clerks|operators|inspectors|carpenters|joiners|painters|roofers|builders|"
    r"landscapers|gardeners|housekeepers|porters|guards|midwives|paramedics|counsel+ors|"
    r"psychologists|optometrists|opticians|chiropractors|osteopaths|podiatrists|nannies|"
    r"salespeople|recruiters|secretaries|admins|administrators|staffers|interns|apprentices|"
    r"trainees|specialists|technologists|scientists|researchers|officers|executives|"
    r"educators|faculty|dispatchers|welders|machinists|fitters|riggers|artisans|"
    r"craftsmen|craftspeople|tailors|weavers|seamstresses|pickers|packers|guides"
)
# People of a kind: "10 admin staff", "6 part-time drivers" (not "5k needs head office").
_PEOPLE_OF_A_KIND = "|".join(
    word
    for word in _PEOPLE.split("|")
    if word not in ("heads?", "headcount", "of us", "strong", "souls", "man", "men", "crew")
    and " " not in word
)
_PEOPLE_AFTER = re.compile(
    rf"^{_FILLER}(?:(?:{_PEOPLE})|[^\W\d_]+(?:-[^\W\d_]+)*[\s-]+(?:{_PEOPLE_OF_A_KIND}))\b",
    re.I,
)
_PEOPLE_BEFORE = re.compile(
    r"\b(?:(?:team|staff|headcount|workforce|company|business|firm|organi[sz]ation|outfit|crew)"
    r"(?:\s+(?:of|is|are|at|:)|:)|employ(?:s|ing)?|we employ|"
    # "total staff strength approx 1,800" (Indian English)
    r"(?:staff|team|employee|workforce|work force) strength(?:\s+(?:of|is|:)|:)?)\s*"
    r"(?:about|around|roughly|approx\w*\.?|~|maybe|nearly|almost|just|only|some|like)?\s*$",
    re.I,
)
_HIRED_BEFORE = re.compile(
    r"\b(?:hired|hiring|taken on|taking on|took on|brought on|brought in|onboarded|recruited|"
    r"added|lost|let go|laid off)\s+(?:another\s+|an? extra\s+)?$",
    re.I,
)
# "We're 23 as of Monday": the number the company is, unless a noun after it says otherwise.
_WE_ARE_BEFORE = re.compile(
    r"(?:^|[.;!?,]\s*)\W*(?:we'?re|we are|we'?re now|we are now)\s*"
    r"(?:about|around|roughly|approx\w*\.?|~|maybe|nearly|almost|just|only|some|like)?\s*$",
    re.I,
)
_OTHER_NOUN_AFTER = re.compile(
    rf"^{_FILLER}(?:offices?|locations?|sites?|branch(?:es)?|stores?|shops?|outlets?|"
    r"countries|country|cities|city|clinics?|restaurants?|hotels?|schools?|departments?|"
    # "25 year round" is a count all year, not 25 years
    r"divisions?|teams?|quarters?|years?(?![\s-]round)|yrs?|months?|weeks?|days?|hours?|hrs?|"
    r"minutes?|mins?|"
    r"clients?|customers?|users?|seats?|licen[cs]es?|products?|brands?|compan(?:y|ies)|"
    r"subsidiaries|leads?|deals?|sales|percent|per ?cent|%|o'?clock|vans?|trucks?|cars?|"
    r"kids|children|floors|states|regions|markets|languages|apps?|websites?|times?|"
    # What is looked after or served: "we look after twelve hundred units"
    r"units|propert(?:y|ies)|homes|houses|apartments|flats|buildings|rooms|beds|tenants|"
    r"patients|students|pupils|guests|residents|accounts|projects|jobs|orders|bookings|"
    r"calls|listings|covers|"
    # Places, not people: "about 400 across our two plants", "14 centres"
    r"warehouses?|factories|factory|plants?|depots?|cent(?:re|er)s?|campus(?:es)?|franchises?|"
    r"venues?|dealerships?|pharmacies|salons?|gyms?|studios?|farms?|kitchens?|labs?|workshops?|"
    # "hiring 3 more", "taking on two extra": people to come, not a count of today
    r"more(?! or less)|extra|additional|new (?:hires?|starters?|people|staff))\b",
    re.I,
)
# "students are about 1,800": people served, counted before their number.
_SERVED_BEFORE = re.compile(
    r"\b(?:students|pupils|learners|customers|clients|members|patients|users|visitors|"
    r"subscribers|followers|guests|kids|children|families|residents|listings|orders)\s+"
    r"(?:are|is|number|total|come to|of|reach|at)?\s*(?:about|around|roughly|approx\w*\.?|~|nearly|"
    r"almost|over|some|maybe|like|just)?\s*$",
    re.I,
)
_PER_UNIT = re.compile(
    r"^\s*(?:(?:a|an|per|each|every)\s+(?:month|year|week|mo|yr)\s+)?"
    # "1,500 pesos a month for each of our 4 branches"
    r"(?:(?:a|an|per|each|every|/|for each)\s*"
    r"(?:users?|seats?|heads?|persons?|licen[cs]es?|agents?|employees?|members?|logins?|staff|"
    r"people|branch(?:es)?|locations?|sites?|stores?|shops?|offices?|clinics?|outlets?|venues?)\b|"
    # "a month for each of our" (4 branches): the count comes next
    r"for each of (?:our|the|my)\s*$)",
    re.I,
)
_YEAR_BEFORE = re.compile(
    r"\b(?:in|since|by|from|until|till|of|est\.?|founded|started|spring|summer|autumn|fall|"
    rf"winter|early|mid|late|end|{MONTH_NAME})\s*$",
    re.I,
)
_PERIODS: tuple[tuple[re.Pattern[str], float], ...] = (
    # "a moth", "per mnth": typed in a hurry
    (re.compile(r"(?:\b(?:a|an|per|each|every|one)\s+|/\s*|\bp\s*/\s*)(?:month|mo|mth|m|moth|mnth|monht|monat|mes|mois|mese|maand|m[eê]s)\b|"
                r"\b(?:monthly|pcm|pm|mthly)\b|\bp\.\s?m\b\.?|\bin (?:the|a) month\b|"
                # Said in the speaker's first language: "al mes", "par mois", "im Monat"
                r"\b(?:al|por|cada) mes\b|\bpar mois\b|\b(?:im|pro) monat\b|\bal mese\b|"
                r"\bpor m[eê]s\b|\b(?:monatlich|mensual|mensuel|mensile|maandelijks|mensal)\b|"
                r"\b(?:m[ộo]t|m[ỗo]i|h[àa]ng)\s+th[áa]ng\b|\bper bulan\b|\bsebulan\b", re.I), 12.0),
    (re.compile(r"(?:\b(?:a|an|per|each|every)\s+|/\s*)(?:week|wk)\b|\bweekly\b|\bp\.?w\b", re.I), 52.0),
    (re.compile(r"(?:\b(?:a|an|per|each|every)\s+|/\s*)(?:quarter|qtr)\b|\bquarterly\b", re.I), 4.0),
    # A school's three terms: "£500 a term"
    (re.compile(r"(?:\b(?:a|per|each|every)\s+|/\s*)term\b|\btermly\b", re.I), 3.0),
    (re.compile(r"(?:\b(?:a|an|per|each|every|one)\s+|/\s*|\bp\s*/\s*)(?:year|yr|annum|y|a)\b|"
                r"\b(?:yearly|annual(?:ly)?|pa|p\.a|per annum)\b", re.I), 1.0),
)  # fmt: skip


@dataclass(frozen=True)
class _Amount:
    low: float
    high: float
    currency: str | None
    # Said with a currency, "grand" or a period: a sum of money, not a count.
    money: bool
    per_year: float | None  # times the amount is paid in a year, when said
    bound: int  # -1 "under", +1 "over", 0 neither
    people: bool  # said as a head count ("40 staff", "team of 12")
    other_noun: bool  # counts something else ("3 offices", "6 months")
    per_unit: bool  # "£10 per user": a price, not a total
    year_or_percent: bool
    unclear: bool = False  # "10 mil": ten thousand or ten million
    either: bool = False  # "10 or 12": one end or the other, not the span between

    @property
    def middle(self) -> float:
        # Nudged so "under 10" and "over 50" fall on the right side of a band's edge.
        return (self.low + self.high) / 2 * (1 + self.bound * 1e-6)


def _parse_number(raw: str) -> float:
    digits = re.sub(r"[\s\u00a0\u202f']", "", raw)
    marks = re.findall(r"[.,]", digits)
    if not marks:
        return float(digits)
    if len(set(marks)) == 2:
        whole, _, fraction = digits.rpartition(marks[-1])
        return float(re.sub(r"[.,]", "", whole) + "." + fraction)
    if len(marks) > 1:
        return float(re.sub(r"[.,]", "", digits))
    whole, fraction = re.split(r"[.,]", digits)
    if len(fraction) == 3 and whole.lstrip("0"):
        return float(whole + fraction)
    return float(f"{whole or 0}.{fraction}")


def _currency_of(said: str | None) -> str | None:
    if not said:
        return None
    for pattern, code in _CURRENCIES:
        if pattern.fullmatch(said.strip()):
            return code
    # Any other ISO code kept ("40 thousand jmd a month"): never the dollars of the question.
    code = said.strip().upper()
    return code if code in USD_PER_UNIT else None


def _period_in(text: str) -> tuple[int, float] | None:
    found = [(m.start(), per_year) for pattern, per_year in _PERIODS if (m := pattern.search(text))]
    return min(found) if found else None


def _amounts(text: str) -> list[_Amount]:
    spelled = _spell_out_numbers(text)
    matches = list(_AMOUNT.finditer(spelled))
    groups: list[list[re.Match[str]]] = []
    for match in matches:
        if (
            groups
            and len(groups[-1]) == 1
            and not groups[-1][0]["plus"]
            and _RANGE_GAP.fullmatch(spelled[groups[-1][0].end() : match.start()])
        ):
            groups[-1].append(match)
        else:
            groups.append([match])
    amounts: list[_Amount] = []
    for index, group in enumerate(groups):
        before = spelled[groups[index - 1][-1].end() if index else 0 : group[0].start()]
        after = spelled[
            group[-1].end() : groups[index + 1][0].start()
            if index + 1 < len(groups)
            else len(spelled)
        ]
        if re.fullmatch(r"0{2,}", group[0]["num"]) and len(group) == 1:
            continue  # "000" left over from a figure not read whole is no amount of nothing
        amount = _amount(group, before, after, first=index == 0)
        if len(group) == 2 and re.search(
            r"\bor\b", spelled[group[0].end() : group[1].start()], re.I
        ):
            amount = dataclasses.replace(amount, either=True)
        amounts.append(amount)
    return amounts


def _amount(group: list[re.Match[str]], before: str, after: str, *, first: bool) -> _Amount:
    start, last = group[0], group[-1]
    values = [_parse_number(m["num"]) for m in group]
    mults = [_MULTIPLIERS.get((m["mult"] or "").lower(), 1.0) for m in group]
    if len(group) == 2 and start["mult"] is None and last["mult"] and values[0] <= values[1]:
        mults[0] = mults[1]  # "10-15k", "between 20 and 50k"
    low, high = values[0] * mults[0], values[-1] * mults[-1]
    said_currency = [m[key] for m in group for key in ("pre", "post") if m[key]]
    currency = _currency_of(said_currency[0]) if said_currency else None
    if currency is None and any(
        (m["mult"] or "").lower().startswith(("lakh", "lac", "cr")) for m in group
    ):
        currency = "?lakh"
    if currency is None and any((m["mult"] or "").lower() in ("triệu", "trieu") for m in group):
        currency = "VND"  # "8 triệu a month": millions of dong, as lakhs are of rupees
    if currency is None and any((m["mult"] or "").lower() in ("juta", "jt") for m in group):
        currency = "?juta"  # "2 juta per bulan": rupiah, or ringgit in Malaysia
    unclear = False
    if any((m["mult"] or "").lower() == "mil" for m in group):
        # "20 mil euros al año" is twenty thousand (Spanish, Portuguese); "$2 mil" two
        # million; "10 mil" alone either.
        if _MIL_IS_THOUSAND.search(before + " " + after) or (
            currency is not None and currency not in _ENGLISH_MONEY
        ):
            low, high = low / 1e3, high / 1e3
        elif currency is None and all(re.fullmatch(r"\d+", m["num"]) for m in group):
            unclear = True  # "1.5 mil" is English: a million and a half
    # "monthly, about 500": a period before the first amount is its period too.
    period = _period_in(after[:30]) or (_period_in(before[-30:]) if first else None)
    bound = 0
    if len(group) == 1:
        if start["plus"] or _ABOVE.search(before) or _ABOVE_AFTER.search(after):
            bound = 1
        elif _BELOW.search(before) or _BELOW_AFTER.search(after):
            bound = -1
    plain = start["mult"] is None and not said_currency and len(group) == 1
    # "we just hired two engineers": people joining the count, not the count
    hired = _HIRED_BEFORE.search(before) is not None
    year_like = plain and re.fullmatch(r"(?:19|20)\d\d", start["num"]) is not None
    return _Amount(
        low=min(low, high),
        high=max(low, high),
        currency=currency,
        money=bool(said_currency)
        or period is not None
        or any((m["mult"] or "").lower() == "grand" for m in group),
        per_year=period[1] if period else None,
        bound=bound,
        people=not hired
        and bool(
            _PEOPLE_AFTER.search(after)
            or _PEOPLE_BEFORE.search(before)
            or (
                _WE_ARE_BEFORE.search(before)
                and not _OTHER_NOUN_AFTER.search(after)
                and not said_currency
                and period is None
            )
        ),
        other_noun=hired or bool(_OTHER_NOUN_AFTER.search(after) or _SERVED_BEFORE.search(before)),
        per_unit=bool(_PER_UNIT.search(after)),
        year_or_percent=(year_like and bool(_YEAR_BEFORE.search(before)))
        or bool(re.match(r"\s*(?:%|percent|per ?cent)", after, re.I))
        or (plain and _a_day_of_a_month(before, after)),
        unclear=unclear,
    )


_MONTH_NAME = rf"{MONTH_NAME}\b\.?"
_MONTH_AFTER = re.compile(rf"^(?:st|nd|rd|th)?\s*(?:of\s+)?{_MONTH_NAME}(?![\w'])(?!\s+be\b)", re.I)
_MONTH_BEFORE = re.compile(rf"\b{_MONTH_NAME}\s+(?:the\s+)?$", re.I)


def _a_day_of_a_month(before: str, after: str) -> bool:
    """ "Before 31 Dec", "by March 3rd": a date, no amount."""
    return bool(_MONTH_AFTER.match(after) or _MONTH_BEFORE.search(before))


_ENGLISH_MONEY = frozenset({"USD", "?dollar", "GBP", "?pound", "CAD", "AUD", "NZD", "SGD"})
_MIL_IS_THOUSAND = re.compile(
    r"\b(?:al|por|a|ao|el|por)\s+(?:año|ano|mes|mês)\b|\b(?:euros?|reais|reales|pesos?|soles|"
    r"mexicanos?|colombianos?|chilenos?|argentinos?|bolívares|quetzales|colones)\b",
    re.I,
)


def _band(values: list[float], bucket: Callable[[float], str]) -> str | None:
    """The band of the values said: the one they share, or the one that holds most of the
    span between the lowest and the highest ("50 to 100", "two or three hundred a month").
    None when the span is split ("between 40 and 60", "5 to 15k", "1,200 worldwide but 40
    here"): picking one would be a guess, so the question is asked again instead."""
    if not values:
        return None
    bands = {bucket(v) for v in values}
    if len(bands) == 1:
        return bands.pop()
    low, high = min(values), max(values)
    edges = _EDGES[bucket]
    bounds = [low, *(e for e in edges if low < e < high), high]
    shares: dict[str, float] = {}
    for start, end in pairwise(bounds):
        band = bucket((start + end) / 2)
        shares[band] = shares.get(band, 0.0) + (end - start) / (high - low)
    band, share = max(shares.items(), key=lambda item: item[1])
    return band if share >= _MOST_OF_THE_SPAN else None


_MOST_OF_THE_SPAN = 0.75


def _size_bucket(people: float) -> str:
    if people <= 10:
        return "1-10"
    if people <= 50:
        return "11-50"
    if people <= 200:
        return "51-200"
    if people <= 1000:
        return "201-1000"
    return "1000+"


def _counted(amounts: list[_Amount], *, cued_only: bool) -> list[_Amount]:
    counts = [a for a in amounts if a.people and not a.money]
    if not counts and not cued_only:
        counts = [
            a for a in amounts if not (a.money or a.other_noun or a.per_unit or a.year_or_percent)
        ]
    return counts


def _head_counts(amounts: list[_Amount], *, cued_only: bool) -> list[float]:
    return [a.middle for a in _counted(amounts, cued_only=cued_only)]


def _straddles(amounts: list[_Amount], bucket: Callable[[float], str]) -> bool:
    """Whether a range said ("40 to 60") is split between bands, or two figures said as
    alternatives ("10 or 12") fall in two: its middle would be a guess at which band the
    person is in."""
    return any(
        a.low != a.high
        and (
            _band([a.low, a.high], bucket) is None or (a.either and bucket(a.low) != bucket(a.high))
        )
        for a in amounts
    )


_SIZE_WORDS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\b(?:just me|only me|myself|solo|one[- ]person|one[- ]man|freelanc\w*|sole trader|"
                r"me\s*(?:and|\+|plus|&|with)\s*(?:my |a |an |one |the )?(?:other )?(?:partner|wife|husband|"
                r"co-?founder|business partner|brother|sister|son|daughter|dad|mum|mom|assistant|apprentice|"
                r"helper|receptionist|bookkeeper|tech|technician|employee|guy|girl|lad|offsider|"
                r"part[- ]?timer|other half|one other|another|nephew|niece|cousin|uncle|aunt|auntie|"
                r"father|mother|missus|missis|hubby|spouse|mate|buddy|friend|boyfriend|girlfriend|"
                r"fianc[ée]e?)|"
                r"(?:just )?(?:us two(?=\s*(?:$|[,.;!?]|and\b|plus\b))|the two of us|the pair of us))\b", re.I), "1-10"),
    (re.compile(r"\b(?:thousands|tens of thousands|enterprise|multinational|fortune 500|global corporation)\b", re.I), "1000+"),
    (re.compile(r"\b(?:a few hundred|several hundred|hundreds)\b", re.I), "201-1000"),
    (re.compile(r"\b(?:dozens|a few dozen)\b", re.I), "11-50"),
    (re.compile(r"\b(?:tiny|very small|a handful|handful|single[- ]digits?)\b", re.I), "1-10"),
    (re.compile(r"\b(?:low|lower|the low) (?:double[- ]digits|teens|twenties)\b", re.I), "11-50"),
    (re.compile(r"\b(?:a )?hundred[- ](?:odd|ish|or so)\b", re.I), "51-200"),
)  # fmt: skip


# "45 developers plus office, so around 55": the number after "so" or "in total" is the
# head count the others add up to.
_TOTAL = re.compile(
    r"(?:^|[\s,;(])(?:so|in total|total(?: of)?|altogether|overall|all told|all up|all in all|"
    r"which makes|makes it|that makes|that'?s|that is|so that'?s|call it|make (?:it|that)|"
    # "so we are nearly seventy", "i wanna say twenty six twenty seven"
    r"so we(?:'re| are)|i (?:wanna|want to|'d|would) say)"
    r"\s+(?=\S*\d|about|around|roughly|approx|some|nearly|almost|just)",
    re.I,
)


# "28 agents plus admin, around 35": the parts, then the rough total.
_ROUGH_TOTAL_AFTER_PARTS = re.compile(
    r"\b(?:plus|and|\+|with)\b[^.;\d]*?,\s*(?:so\s+|that'?s\s+)?"
    r"(?:around|about|roughly|approx\w*\.?|~|maybe|some)\s*(?=\d)",
    re.I,
)


# "120 engineers plus maybe 15 in operations and sales": the rest of the company, added.
_PLUS_MORE_IN = re.compile(
    r"(?P<a>\d+)\s+(?:[a-z-]+\s+)?(?:people|staff|employees|[a-z]+s)\s+(?:plus|\+|and another)\s+"
    r"(?:(?:maybe|about|around|roughly|another|like|some|perhaps)\s+)*(?P<b>\d+)\s+(?:more\s+|others?\s+)?"
    r"(?:in|on|at|doing|across)\s+(?:the\s+)?(?:office|operations|ops|sales|admin|support|finance|"
    r"marketing|management|hq|head office|back office|front office|accounts)\b",
    re.I,
)
# "6 incl me", "eight counting me": the number before it is the whole head count.
_TOTAL_BEFORE = re.compile(
    r"(?P<n>\d+|[a-z]+)\s+(?:incl(?:\.|uding)?|counting|with|plus|\+)\s+(?:me|myself)\b|"
    r"(?P<m>\d+|[a-z]+)\s+(?:all in|in all|total|altogether|all up|all told|"
    # "27 consultants, plus admin: 31 if you want it exact"
    r"if you want (?:it|me to be) (?:exact|precise)|to be (?:exact|precise)|exactly|precisely)\b",
    re.I,
)
# "12 technicians and 2 in the office": parts of one head count, to be added up. Numbers
# given as alternatives ("10 or 12", "maybe 20, maybe 30") are not parts.
_FULL_AND_PART_TIME = re.compile(
    r"full[- ]?time\W+(?:and\s+)?(?:about\s+)?\d+\s*part[- ]?time", re.I
)
_ADDED = re.compile(
    r"\d\s*\w*(?:[\s-]+\w+){0,4}?\s*(?:\+|\bplus\b|\band\b|&)\s*(?:\w+\s+)?\d|"
    # "14 architects, 3 technicians": a list of the kinds of people there are
    r"\d\s*[^\W\d_]+s\s*,\s*\d",
    re.I,
)
# The people a business serves, counted: "300 members", "40-odd clients".
_SERVED = r"members|customers|clients|students|pupils|patients|guests|users|subscribers|followers"
_ONLY_THOSE_SERVED = re.compile(
    rf"\d[\d,.]*\s*(?:-?odd\s+|or so\s+)?(?:{_SERVED}|parishioners|congregants|families)\b",
    re.I,
)
_STAFF_NAMED = re.compile(
    r"\b(?:staff|employees?|employ|workers|team members|staff members|on (?:the )?payroll|"
    r"work(?:ing)? (?:here|for us|at)|full[- ]?time|part[- ]?time)\b",
    re.I,
)
# Counts of the people a business serves, not of those it employs.
_SERVED_NOT_STAFF = re.compile(
    rf"\d\s*(?:-?odd\s+|or so\s+)?(?:{_SERVED}|kids|children|parents|visitors|families|residents)\b",
    re.I,
)
_PLUS_THE_REST = re.compile(r"\bplus\b|\bas well as\b|\bon top of\b|\d\s*\+", re.I)
# "14 on the tools and 2 of us in the office": two counts in one sentence, joined.
_TWO_JOINED = re.compile(r"\d[^.;!?\d]*\band\b[^.;!?\d]*\d", re.I)
_ALTERNATIVES = re.compile(
    r"\bor\b|\bmaybe\b|\bperhaps\b|\bbetween\b|\bsoon\b|\bnext\b|\bwill be\b|\bgoing to\b|"
    r"\bgrowing\b|\bby\b|\d\s*(?:-|–|to)\s*\d",
    re.I,
)


_JOINING_PEOPLE = re.compile(
    r"(?:\+|\bplus|\band|&|,)\s*(?:also\s+)?(?:me|myself|(?:my|the)\s+(?:wife|husband|partner|"
    r"brother|sister|son|daughter|dad|mum|mom|assistant|receptionist|bookkeeper|manager|"
    r"office manager|apprentice))\b",
    re.I,
)


# "me and 10 staff", "myself plus 4": the person, then those who work with them.
_ME_BEFORE_THE_COUNT = re.compile(
    r"^\W*(?:(?:it'?s|its|we'?re|just|only|well)\s+)*(?:me|myself)\s*(?:and|&|\+|plus|with|n)\s+"
    r"(?:my\s+|about\s+|around\s+)?\d",
    re.I,
)


# "we are for people": a recognizer's "for" for four, before the people counted; "for
# hundred fifty" (nobody says "for hundred" for "for a hundred").
_FOUR_PEOPLE = re.compile(
    r"\b((?:we'?re|we are|there are|about|around|just|only)\s+)for\s+"
    r"(?=(?:people|persons|staff|employees|of us|guys|members|workers|hundred|thousand)\b)|"
    r"\b()for\s+(?=(?:hundred|thousand)\b)",
    re.I,
)
# The size edges a rough figure may fall either side of (ten is 1-10 however said).
_SIZE_EDGES = (50.0, 200.0, 1000.0)


# The count said as today's, after counts of before: "then 10, then 20... right now we're 35".
# "if you include our agents we're about 150", "counting the drivers it's 60": a total.
_INCLUDING_THEM_WE_ARE = re.compile(
    r"\b(?:if (?:you|we) (?:include|count|add)|(?:including|counting|with|adding) (?:the |our |all )?"
    r"(?:\w+ ){0,3}?(?:agents|drivers|contractors|freelancers|part[- ]?timers|casuals|temps|"
    r"clerks|assistants|admin|support staff|office staff))\b[^.;!?\d]*?"
    r"\b(?:we'?re|we are|it'?s|it is|that'?s|that is|there are|there'?s|you get|you'?d get)\s+"
    r"(?:about |around |roughly |nearly |almost |close to |more like |over |some )?(?=\d)",
    re.I,
)
# "roughly double that", "twice as many": the count before, multiplied.
_TIMES_THAT = re.compile(
    r"\b(?P<times>double|twice|triple|three times)\s+(?:that|as many|the number|it)\b", re.I
)
_TIMES = {"double": 2.0, "twice": 2.0, "triple": 3.0, "three times": 3.0}


_COUNT_NOW = re.compile(
    r"\b(?:right now|currently|at the moment|today|these days|nowadays|now)\s*,?\s*"
    r"(?:we'?re|we are|there are|there'?s|we have|we'?ve got|it'?s)\s+"
    r"(?:about |around |roughly |just )?(?=\d)",
    re.I,
)


_ANOTHER_ORGANISATION = re.compile(
    r"\b(?:the|our|my|a|their|his|her) (?:\w+ )?(?:client|customer)s?\b|\b(?:client|customer)'?s\b",
    re.I,
)


# People said not to work for the company: "the 130-odd members aren't employees".
_NOT_OUR_STAFF = re.compile(
    r"\b(?:aren'?t|are not|isn'?t|is not|not)\s+(?:our\s+|really\s+|actually\s+)?"
    r"(?:employees|staff|employed (?:by us|here)|on (?:the|our) (?:payroll|books))\b|"
    r"\bdon'?t count\b",
    re.I,
)
# Said of the people just counted: they are not the company's own.
_DISOWNED = re.compile(
    r"\b(?:(?:they'?re|they are|those are|these are)\s+(?:all\s+|mostly\s+)?(?:independent|freelance\w*|"
    r"contractors?|self[- ]employed|agency staff|not (?:really |actually )?(?:our )?(?:ours|employees|staff))|"
    r"not (?:really |actually |strictly )?ours|commission[- ]only|"
    r"if (?:those|they|that|these) counts?|if you count (?:them|those)|whether (?:they|those) count)\b",
    re.I,
)


def _without_disowned(clauses: list[str]) -> list[str]:
    """The clauses without the counts the person takes back as not the company's, and
    without the clauses that take them back."""
    dropped: set[int] = set()
    last_count: int | None = None
    for index, clause in enumerate(clauses):
        if _DISOWNED.search(clause) and not re.search(r"\d", clause):
            dropped.add(index)
            if last_count is not None:
                dropped.add(last_count)
                last_count = None  # "independent, commission-only, not ours": one count
        elif _PAID_STAFF.search(clause):
            last_count = index
    return [c for i, c in enumerate(clauses) if i not in dropped]


_VOLUNTEERS = re.compile(
    r"(?:[,;(]|\band\b|\bplus\b|\bwith\b|\+|\bbut\b|^)\s*(?:also\s+|then\s+)?(?:about|around|roughly|some|"
    r"over|maybe|another|nearly|almost|approx\w*|like|loads of|lots of|a lot of|dozens of|hundreds of)?\s*"
    r"(?:[\w,.'-]+\s+){0,4}?volunteer\w*\b[^.;)]*\)?",
    re.I,
)
_PAID_STAFF = re.compile(
    r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\w+teen|twenty|thirty|"
    r"forty|fifty|sixty|seventy|eighty|ninety|hundred|dozen|couple|few|handful)\b",
    re.I,
)


# "About 480, give or take a few": how exact the count is, not a second one.
_GIVE_OR_TAKE = re.compile(
    r"[,;]?\s*\bgive or take(?:\s+(?:a few|a couple|one or two|some|a bit|a handful|\d+|"
    r"one|two|three|five|ten|twenty))?\b",
    re.I,
)


def read_company_size(text: str) -> str | None:
    text = _GIVE_OR_TAKE.sub("", text)
    exact = _exact("company_size", text)
    if exact:
        return exact
    clauses = [c for c in _SIZE_CLAUSES.split(text) if c and c.strip()]
    kept = _without_disowned(clauses)
    if len(kept) < len(clauses) and any(_PAID_STAFF.search(c) for c in kept):
        # "We're 38 in the office. We also work with 150 brokers, but they're independent,
        # so not really ours"; "About 22 full-time, and a few interns, if those count".
        return read_company_size(", ".join(kept))
    ours = [
        c for c in clauses if not _ANOTHER_ORGANISATION.search(c) and not _NOT_OUR_STAFF.search(c)
    ]
    if ours and len(ours) < len(clauses):
        # "My firm is just me and one associate. The client has around 400 staff": the
        # client's count is not the person's company, nor are "130 members who aren't
        # employees".
        return read_company_size(", ".join(ours))
    figures = _spell_out_numbers(text)
    served = _ONLY_THOSE_SERVED.findall(figures)
    if served and len(served) == len(re.findall(r"\d[\d,.]*", figures)):
        stated = " ".join(c for c in _SENTENCES.split(text) if not c.strip().endswith("?"))
        if not _STAFF_NAMED.search(stated):
            # "Do you mean members or staff? We have about 300 members": the people a
            # church or a club serves, not its staff (asked, not guessed).
            return None
    if _VOLUNTEERS.search(text):
        # "18 staff and about 40 volunteers": the staff work at the company. Volunteers
        # alone leave whom to count open: asked, not guessed.
        staff = _VOLUNTEERS.sub("", text)
        return read_company_size(staff) if _PAID_STAFF.search(staff) else None
    text = _FOUR_PEOPLE.sub(r"\1four ", _HEARD_AS.sub(_heard_number, text))
    said = _spell_out_numbers(text)
    if (total_last := _TOTAL_SAID_LAST.search(said)) is not None and _counted(
        _amounts(said[: total_last.start()]), cued_only=False
    ):
        # "three physios, two assistants and a receptionist, plus myself. Seven.": the
        # parts, then their sum.
        return _size_bucket(_parse_number(total_last["n"]))
    if _DEPENDS_ON_THE_SEASON.search(said) and not _TOTAL.search(said):
        # "depends on the season: in winter it's me and two guys": asked which to count
        # (unless a total follows: "...so we are nearly seventy").
        return None
    if (without_part := _without_a_part_counted(said)) != said:
        # "twelve people with four doctors": the doctors are among the twelve.
        return read_company_size(without_part)
    total_first = _TOTAL_THEN_PARTS.match(said)
    if total_first is not None and not _recounted(said, total_first.end()):
        # "We're 14 - two dentists, four hygienists and the front desk": the total said
        # first, then who is in it.
        return _size_bucket(_parse_number(total_first["n"]))
    now = _COUNT_NOW.search(said)
    if now is not None:
        # "when I started it was me, then 10, then 20... right now we're 35": today's size,
        # read as a whole ("Now there's nine physios, four instructors and two on the
        # front desk" adds up).
        today = read_company_size(said[now.end() :])
        if today is not None:
            return today
        today_counts = _head_counts(_amounts(said[now.end() :]), cued_only=False)
        if today_counts:
            return _band(today_counts, _size_bucket)
    if (with_them := _INCLUDING_THEM_WE_ARE.search(said)) is not None:
        # "Full-time staff is around 90, but if you include our agents we're about 150":
        # the second count has the first in it; which of the two is a guess when their
        # bands differ.
        before = _head_counts(_amounts(said[: with_them.start()]), cued_only=False)
        after = _head_counts(_amounts(said[with_them.end() :]), cued_only=False)
        if before and after:
            return _band([before[0], after[0]], _size_bucket)
    if (times := _TIMES_THAT.search(said)) is not None:
        # "We're eight lawyers; with clerks and assistants it's roughly double that"
        counted = _head_counts(_amounts(said[: times.start()]), cued_only=False)
        if len(counted) == 1:
            return _size_bucket(counted[0] * _TIMES[times["times"].lower()])
    total = _TOTAL.search(said) or _ROUGH_TOTAL_AFTER_PARTS.search(said)
    if total is not None:
        summed = _total_over_the_parts(said, said[total.end() :], total.start(), strictly=False)
        if summed is not None:
            return _size_bucket(summed)
    whole = _TOTAL_BEFORE.search(said)
    if whole is not None:
        counted = _head_counts(_amounts(whole.group(0)), cued_only=False)
        if counted:
            return _size_bucket(
                counted[0] + (1 if re.search(r"\b(?:plus|\+)\s", whole.group(0)) else 0)
            )
    plus_more = _PLUS_MORE_IN.search(said)
    if plus_more is not None:
        # "About 120 engineers plus maybe 15 in operations and sales": the rest added on.
        return _size_bucket(_parse_number(plus_more["a"]) + _parse_number(plus_more["b"]))
    whole_company = _WHOLE_COMPANY.search(said)
    if whole_company is not None:
        # "1,200 worldwide but 40 in this office": the company is the one asked about.
        counted = _head_counts(_amounts(whole_company.group(0)), cued_only=False)
        if counted:
            return _size_bucket(counted[0])
    if _counts_a_part(said):
        # "marketing is 8 of us, the company's about 400": the company is asked about; a
        # department's count alone says nothing of it.
        for clause in _SIZE_CLAUSES.split(said):
            if not _ONE_PART.search(clause) and not _MY_TEAM.search(clause):
                counted = _head_counts(_amounts(clause), cued_only=False)
                if counted:
                    return _band(counted, _size_bucket)
        return None
    in_each = _in_each(said, text)
    if in_each is not None:
        return in_each or None
    present = _PLANNED_COUNT.sub(" ", said)
    if present != said and _counted(_amounts(present), cued_only=False):
        # "30 now, aiming to be 80 next year": the size today.
        text = said = present
    amounts = _amounts(text)
    if _counted_two_ways(amounts, said):
        return None
    # "a small team of 30": a number said as a head count beats a describing word.
    cued = _counted(amounts, cued_only=True)
    if cued:
        # "eleven techs plus me and my wife": the people named after the count join it.
        joining = len(_JOINING_PEOPLE.findall(said)) + bool(_ME_BEFORE_THE_COUNT.search(said))
        everyone = [
            a for a in amounts if not (a.money or a.other_noun or a.per_unit or a.year_or_percent)
        ]
        if (
            len(everyone) > len(cued)
            and (_PLUS_THE_REST.search(said) or (len(everyone) == 2 and _TWO_JOINED.search(said)))
            and not _SERVED_NOT_STAFF.search(said)
            # "22 in the winter and it goes up to 40 in the summer": one count, two seasons
            and not _SEASONAL.search(said)
        ):
            # "sixty tutors, mostly part-time, plus five of us in the office": all of them.
            return _size_from(everyone, amounts, "+".join(str(a.middle) for a in everyone), text)
        return _size_from(cued, amounts, said, text, joining)
    # A number said beats a describing word: "~120 incl freelancers" is no freelancer.
    counts = _counted(amounts, cued_only=False)
    if counts:
        return _size_from(counts, amounts, said, text)
    for pattern, value in _SIZE_WORDS:
        if pattern.search(text):
            return value
    return None


def _recounted(said: str, start: int) -> bool:
    """Whether a larger total is said after `start`: "six of us - oh hang on, I forgot the
    casual instructors, so more like fifteen all up"."""
    total = _TOTAL.search(said, start)
    if total is not None:
        after = said[total.end() :]
        return _total_over_the_parts(said, after, total.start(), strictly=True) is not None
    whole = _TOTAL_BEFORE.search(said, start)
    return (
        whole is not None
        and _total_over_the_parts(said, whole.group(0), whole.start(), strictly=True) is not None
    )


def _total_over_the_parts(said: str, total: str, start: int, *, strictly: bool) -> float | None:
    """The first head count in `total` when it is at least (`strictly`: more than) every
    count said before `start`: a total is never smaller than the parts told before it."""
    counted = _head_counts(_amounts(total), cued_only=False)
    before = _head_counts(_amounts(said[:start]), cued_only=False)
    if counted and all(counted[0] > b if strictly else counted[0] >= b for b in before):
        return counted[0]
    return None


_TOTAL_SAID_LAST = re.compile(
    r"(?:(?<!\d)[.!;]\s+(?:so\s+|that'?s\s+|total\s+|in total\s+|all up\s+)?|"
    # "me, my brother, six guys on the trucks and my wife ... so what's that, nine"
    r"\b(?:so\s+)?(?:what'?s|whats|what is) that\W+(?:about\s+|like\s+)?)(?P<n>\d+)"
    r"(?:\s+(?:in total|total|all up|altogether|all told|people|of us|with me))?\W*$",
    re.I,
)
_DEPENDS_ON_THE_SEASON = re.compile(
    r"\b(?:depends|depending) (?:on )?(?:the )?(?:season|time of (?:the )?year|month)\b", re.I
)
# A count of some of those just counted: "12 people including 4 doctors", "30 staff, of
# whom 6 are part-time", "twelve people with four doctors".
_PART_COUNTED = re.compile(
    r"(?P<whole>\d+(?:[.,]\d+)?)\s+(?:people|persons|staff|employees|of us|workers|in total|total)\b"
    r"[^.;!?\d]{0,12}?(?P<cut>[\s,(]+(?:including|incl\.?|with|of (?:which|whom|them)|among (?:them|"
    r"whom|us)|(?:that'?s |that is )?counting|(?:that )?includes|out of (?:which|whom|them))\s+(?:about|around|roughly|some|maybe|like)?\s*"
    r"(?P<part>\d+(?:[.,]\d+)?)(?:\s+(?:are|is|of them)?\s*[^\W\d_]+){0,2})",
    re.I,
)


# The same, further from the count: "12 people in the office, including two assistants".
_PART_COUNTED_FURTHER = re.compile(
    r"(?P<whole>\d+(?:[.,]\d+)?)(?:\s+(?:people|persons|staff|employees|of us|workers)\b)?"
    r"[^.;!?\d]{0,30}?(?P<cut>[\s,(]+(?:including|incl\.?|counting|of (?:which|whom))\s+"
    r"(?:about|around|roughly|some|maybe|like)?\s*"
    r"(?P<part>\d+(?:[.,]\d+)?)(?!\s+(?:more|others?|extra)\b)(?:\s+[^\W\d_]+){0,2})",
    re.I,
)


def _without_a_part_counted(said: str) -> str:
    found = _PART_COUNTED.search(said) or _PART_COUNTED_FURTHER.search(said)
    if found is None or _parse_number(found["part"]) >= _parse_number(found["whole"]):
        return said  # "3 partners with 20 staff" adds people
    return said[: found.start("cut")] + said[found.end("cut") :]


_TOTAL_THEN_PARTS = re.compile(
    r"^\W*(?:(?:we'?re|we are|there'?s|there are|it'?s|about|around|roughly|just over|just under)\s+)*"
    r"(?P<n>\d+)(?:\s*(?:of us|people|staff|employees|in total|total|all told)){0,2}\s*"
    # a dash, not of a range ("40-60 people")
    r"(?:[-–—](?!\s*\d+(?:\s*(?:people|persons|of us|staff|employees|ftes?|heads))?\W*$)|[:(])",
    re.I,
)
# One department counted: "IT is a team of 12", "the sales org is about 70", "3 of us in
# ops", "our department is 25".
_ONE_PART = re.compile(
    r"\b(?:marketing|sales|operations|ops|customer service|support|engineering|finance|hr|"
    r"product|design|(?-i:IT))(?:\s+(?:team|org|organi[sz]ation|department|dept|function|side))?"
    r"(?:\s+(?:is|are|has)|'s)\b|"
    r"\b(?:our|my|the)\s+(?:\w+\s+)?(?:department|dept|division|unit)\b|"
    r"\bin\s+(?:ops|operations|marketing|sales|customer service|support|(?-i:IT)|engineering|"
    r"finance|my (?:team|department)|our (?:team|department))\b|\b(?:sales|marketing) org\b|"
    r"\b(?:sit|work|are|is)\s+in the (?:[\w&-]+ ){0,3}(?:team|department|dept|division|unit)\b|"
    # "We are 23 with the driver-guides. Only six of us sit in the office": the office is
    # a part of them
    r"\bonly\s+[\w-]+\s+(?:of us\s+)?(?:sit|work|are|is|based)\s+(?:in|at)\s+(?:the\s+)?"
    r"(?:head\s+|main\s+|back\s+)?office\b",
    re.I,
)
_MY_TEAM = re.compile(r"\b(?:my|our) team\b", re.I)
_THE_WHOLE = re.compile(
    r"\b(?:the|whole|entire|wider|overall|parent)\s+(?:company|business|org|organi[sz]ation|firm|"
    r"group)\b|\bcompany(?:'s| is| has)|\bcompany[- ]wide\b|\bin total\b|\boverall\b",
    re.I,
)


def _counts_a_part(said: str) -> bool:
    """Whether a department or team is counted ("IT is a team of 12"), or the person's team
    beside the whole company: its count is no company size by itself."""
    return bool(_ONE_PART.search(said) or (_THE_WHOLE.search(said) and _MY_TEAM.search(said)))


_SIZE_CLAUSES = re.compile(r"[;.](?!\d)|,(?!\d{3})|\bbut\b|\band\b", re.I)
# A count of the whole company said after it: "1,250 globally", "about 900 across the group".
_WHOLE_COMPANY = re.compile(
    rf"\d[\d,.]*(?:\s*k\b)?{_FILLER}(?:(?:{_PEOPLE})\b{_FILLER})?"
    r"(?:globally|worldwide|world[- ]wide|company[- ]wide|group[- ]wide|across the (?:company|"
    r"group|business|organi[sz]ation|world|globe|country)|across all (?:\w+ )?(?:offices|sites|"
    r"locations|countries|branches)|all over the (?:world|country))\b",
    re.I,
)
# Places the people are counted in: "3 clinics, about 20 staff in each".
_PLACES = (
    r"(?:offices?|locations?|sites?|branch(?:es)?|stores?|shops?|outlets?|clinics?|restaurants?|"
    r"hotels?|schools?|departments?|teams?|cafes?|caf\u00e9s?|salons?|gyms?|studios?|practices?|"
    r"warehouses?|factories|factory|plants?|franchises?|venues?|bars?|pubs?|depots?|"
    r"dealerships?|pharmacies|pharmacy|surgeries|branches|farms?|kitchens?|crews?|vans?|trucks?|"
    r"cent(?:re|er)s?|campus(?:es)?|labs?|laboratories|workshops?|yards?|"
    r"lorries|lorry|utes?|shifts?|boats?)"
)
_EACH = r"(?:each|apiece|a piece|in each|at each|per (?:\w+ )?" + _PLACES + r"|in every one)"
_IN_EACH = (
    # "two offices, around forty people each"
    re.compile(
        rf"(?P<places>\d+)\s+(?:\w+\s+)?{_PLACES}\b[^.;?\d]*?(?P<each>\d+(?:[.,]\d+)?)"
        rf"(?:\s*(?:or|to|-|–)\s*(?P<each2>\d+))?"
        rf"[^.;?\d]*?\b{_EACH}\b",
        re.I,
    ),
    # "4 centres in Pune, each centre has 25-30 faculty and staff"
    re.compile(
        rf"(?P<places>\d+)\s+(?:\w+\s+)?{_PLACES}\b[^.;?\d]*?\b(?:each|every)\s+(?:one|\w+)\s+"
        rf"(?:has|have|with|employs|is|of)\s+(?:about |around |roughly |maybe |like )?"
        rf"(?P<each>\d+(?:[.,]\d+)?)(?:\s*(?:or|to|-|–)\s*(?P<each2>\d+))?",
        re.I,
    ),
    # "about 12 in each of our 8 shops", "20 staff per clinic, and we have 4 clinics"
    re.compile(
        rf"(?P<each>\d+(?:[.,]\d+)?)[^.;?\d]*?\b(?:(?:in|at) )?(?:each|every one) of "
        rf"(?:our |the |those |these |my )?(?:\w+\s+)?(?P<places>\d+)\s+(?:\w+\s+)?{_PLACES}\b",
        re.I,
    ),
)


def _in_each(said: str, text: str) -> str | None:
    """The band of so many people in each of so many places (multiplied), None when no
    such count is said, "" when it is but its product is too rough to place."""
    for pattern in _IN_EACH:
        match = pattern.search(said)
        if match is None:
            continue
        places, each = _parse_number(match["places"]), _parse_number(match["each"])
        if match.groupdict().get("each2"):
            each = (each + _parse_number(match["each2"])) / 2  # "six or seven in each"
        if places < 2 or places > 500:
            continue
        people = places * each
        if _APPROXIMATELY.search(text) and _size_bucket(people * 0.9) != _size_bucket(people * 1.1):
            return ""  # about 10 each in 5 shops: 45 or 55
        return _size_bucket(people)
    return None


# A head count planned or left behind, not today's: "planning to be 120 by summer", "soon 8",
# "we used to be 80".
_PLANNED_COUNT = re.compile(
    r"\b(?:(?:planning|plan|planned|aim(?:ing)?|expect(?:ing)?|hop(?:e|ing)|want(?:ing)?|"
    r"intend(?:ing)?|budget(?:ing)?|forecast(?:ing)?) (?:for|to (?:be|hit|reach|grow to|get to|have))|"
    r"will be|'?ll be|going to be|gonna be|should be|(?:growing|grow|scaling|scale) (?:up )?to|"
    r"soon|used to (?:be|have)|(?:were|was) once)\b[^\d.;]{0,20}\d[\d,.]*(?:\s*k\b)?",
    re.I,
)
# Counts that change with the season or with who is counted: "40 in winter, 120 in summer",
# "8 of us and 40 freelancers", "depends how you count".
_SEASONAL = re.compile(
    r"\b(?:depend\w*|var(?:y|ies|ying)|season\w*|summer|winter|spring|autumn|harvest|peak|"
    r"busy (?:season|period|time|months)|high season|low season|holiday season|at christmas|"
    r"go(?:es)? up to|up to \d+ (?:at|in|during)|"
    # "some weeks there's thirty of us, some weeks four", "folk come and go"
    r"some (?:weeks|days|months|times|seasons|years)|comes? and goes?)\b",
    re.I,
)
_NOT_STAFF = re.compile(
    r"\b(?:contractors?|subcontractors?|sub-contractors?|freelancers?|freelance|casuals?|"
    r"temps?|temporary|seasonal (?:staff|workers|hires)|seasonals|on commission|commission[- ]only|"
    r"pickers|volunteers|agency (?:staff|workers)|gig workers|outsourced|interns|associates)\b",
    re.I,
)
_SEASONAL_PEOPLE = re.compile(
    r"\bseasonal\s+(?:\w+\s+)?(?:staff|workers|hires|pickers|help|crew|employees|people|casuals|"
    r"temps)\b",
    re.I,
)
_AS_MANY_AGAIN = re.compile(r"\b(?:(?:roughly |about |around )?the same again|as many again|"
                            r"(?:roughly |about |around )?the same number)\b", re.I)  # fmt: skip


_TOTAL_WITH_THEM = re.compile(
    r"\b(?:closer to|more like|nearer|up to|rising to|going up to|goes up to|about|around)\s+"
    r"\d[\d,]*\s+(?:with|including|incl\.?|counting)\b",
    re.I,
)


def _counted_two_ways(amounts: list[_Amount], said: str) -> bool:
    """Whether the head counts said land in different bands by season or by who is
    counted (staff alone, or with contractors): which one is the answer is a guess."""
    # "plus 40 seasonal workers" names who is counted, not a count that changes by season
    named = _NOT_STAFF.sub(" ", _SEASONAL_PEOPLE.sub(" ", said))
    seasonal, not_staff = _SEASONAL.search(named), _NOT_STAFF.search(said)
    if not (seasonal or not_staff):
        return False
    heads = [
        a.middle
        for a in amounts
        if not a.money and (a.people or not (a.other_noun or a.per_unit or a.year_or_percent))
    ]
    if heads and not_staff and _AS_MANY_AGAIN.search(said):
        heads.append(heads[-1])
    if len(heads) < 2:
        return False
    ways = {_size_bucket(h) for h in heads} if seasonal else set()
    if not_staff and _TOTAL_WITH_THEM.search(said):
        # "About 95 year-round, closer to 140 with the seasonal staff": the second count
        # has them in it already.
        ways |= {_size_bucket(h) for h in heads}
    elif not_staff:
        ways |= {_size_bucket(heads[0]), _size_bucket(sum(heads))}
    return len(ways) > 1


def _size_from(
    counted: list[_Amount], amounts: list[_Amount], said: str, text: str, joining: int = 0
) -> str | None:
    """The size band of the head counts said: added up when they are parts of one team,
    none when a range or a rough figure straddles a band's edge."""
    heads = [a.middle for a in counted]
    if (
        len(heads) > 1
        and (_ADDED.search(said) or _FULL_AND_PART_TIME.search(said) or _PLUS_THE_REST.search(said))
        and not _ALTERNATIVES.search(said)
    ):
        return _size_bucket(sum(heads) + joining)
    if _straddles(counted, _size_bucket) or _near_an_edge(amounts, heads, _SIZE_EDGES, text):
        return None
    return _band([heads[0] + joining, *heads[1:]], _size_bucket)


# "No budget allocated yet", "no budget set until the planning cycle": not known, not none.
_BUDGET_NOT_SET = re.compile(
    r"\bno budget (?:(?:has been |is |was )?(?:allocated|set|agreed|approved|signed off|assigned|"
    r"decided|confirmed|earmarked))\b|\bbudget(?:'s| is| has)? not (?:been )?"
    r"(?:set|allocated|agreed|approved|decided)\b|"
    # "there's no budget, I'm just seeing what's out there", "no budget yet": none set,
    # which is not a budget of nothing
    r"\bno budget\b[^.;!?]{0,40}?\b(?:just|only|still) (?:looking|seeing|browsing|exploring|"
    r"researching|curious|comparing)|\bno budget (?:for now|at the moment|figure|yet)\b|"
    # "there is no budget for this yet", "no budget for it so far"
    r"\bno budget (?:for (?:this|it|that|these|the \w+) )?(?:yet|so far|at this stage|right now|"
    r"for now|at the moment|in place)\b",
    re.I,
)
_NO_BUDGET = re.compile(
    r"\b(?:no budget|zero budget|nothing(?!\s+(?:more|else|further|to add))|"
    r"free (?:plan|tier|version)|no money|"
    r"can'?t spend anything)\b",
    re.I,
)
# "Five figures" runs from 10,000 to 99,999, across two bands: only "low five figures" (or
# "high") places it.
_FIGURES = re.compile(
    r"\b(?:(?P<part>low|lower|mid|middle|high|upper)[- ]?)?(?P<n>four|five|six|seven|[4-7])"
    r"[- ]?(?:figures?|figs?)\b",
    re.I,
)
_FIGURE_BANDS = {"four": "1k_10k", "4": "1k_10k"}
# "a few tens of thousands", "the low tens of thousands": 10,000 to about 40,000. Bare
# (10,000 to 99,999) it spans two bands a year and is asked. In other currencies it is
# left to the figures ("tens of thousands of rupees").
_TENS_OF_THOUSANDS = re.compile(
    r"\b(?:(?P<part>a few|a couple of|couple of|couple|low|the low|lower|the lower)\s+)?"
    r"tens of thousands\b(?!\s+of\s+(?!dollars|bucks|pounds|euros)\w)",
    re.I,
)
_FIVE_FIGURE_PARTS = {"low": "10k_50k", "lower": "10k_50k", "high": "over_50k", "upper": "over_50k"}
# "Whatever it takes", "a big budget", "not much": no band a careful person would file
# without asking. Only a budget said to be next to nothing is one.
_BUDGET_WORDS: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(r"\b(?:very small|tiny|shoestring|next to no|almost no) budget\b", re.I),
        "under_1k",
    ),
)


def _budget_bucket(per_year: float) -> str:
    if per_year < 1_000:
        return "under_1k"
    if per_year < 10_000:
        return "1k_10k"
    if per_year <= 50_000:
        return "10k_50k"
    return "over_50k"


def _yearly_dollars(amounts: list[_Amount], country: str | None = None) -> list[float] | None:
    """US dollars a year for each amount that reads as a budget; None when the answer
    gives a price per user or per seat, which is no total, or a currency we can't tell."""
    if any(a.per_unit or a.unclear for a in amounts):
        return None
    candidates = [a for a in amounts if not (a.people or a.other_noun or a.year_or_percent)]
    money = [a for a in candidates if a.money or a.currency]
    chosen = money or candidates
    periods = {a.per_year for a in chosen if a.per_year is not None}
    # "monthly, around 500 or 600": one period said once covers every amount.
    shared = periods.pop() if len(periods) == 1 else 1.0
    if country and country not in _NEAR_THE_DOLLAR and any(a.currency is None for a in chosen):
        return None
    currencies = [_resolved(a.currency, country) or "USD" for a in chosen]
    if any(code not in USD_PER_UNIT for code in currencies):
        return None
    yearly: list[float] = []
    for amount, code in zip(chosen, currencies, strict=True):
        rate = (amount.per_year or shared) * USD_PER_UNIT[code]
        if amount.low != amount.high:
            # A range gives both ends: one band if both are in it, else none (see _band).
            yearly += [amount.low * rate, amount.high * rate]
        else:
            yearly.append(_edge_said(amount, shared, code) or amount.middle * rate)
    return yearly


# "$15 a seat a month for about forty seats", "$8 per user ... for roughly 300 users": how
# many the price is paid for, said in the same answer.
_UNITS_PAID_FOR = re.compile(
    r"(?:\b(?P<strong>for|with|across|x|times|and we(?:'re| are)|we(?:'re| are)|we have|we've got|we got|"
    r"there are|we employ|"
    r"covering|(?:would |will |'d )?need|needs|want|buy|buying|of (?:our|the|my)|each of (?:our|the|my))|"
    r"[,;(-]|\band)\s+"
    r"(?:about|around|roughly|maybe|some|approx\w*\.?|~)?\s*~?(?P<n>\d+(?:[.,]\d+)?)\s*"
    r"(?:users?|seats?|people|persons|staff|employees|agents|licen[cs]es|members|logins|reps|"
    r"(?P<place>branch(?:es)?|locations|sites|stores|shops|offices|clinics|outlets|venues)|of us)\b",
    re.I,
)


def _per_unit_total(amounts: list[_Amount], text: str) -> list[_Amount]:
    """A price per user or seat times the users or seats said with it; the amounts as they
    are (and so no budget) when the answer gives no single count to multiply by."""
    prices = [a for a in amounts if a.per_unit]
    counts = list(_UNITS_PAID_FOR.finditer(_spell_out_numbers(text)))
    # "for 20 users, maybe 40 people next year": the count the price is said for.
    counts = [c for c in counts if c["strong"]] or counts
    if len(prices) != 1 or len(counts) != 1:
        return amounts
    units = _parse_number(counts[0]["n"])
    price = prices[0]
    total = dataclasses.replace(
        price, low=price.low * units, high=price.high * units, per_unit=False, money=True
    )
    return [total]


_BUDGET_EDGES = (1_000.0, 10_000.0, 50_000.0)
# The values where one band ends and the next begins, for `_band`.
_EDGES: dict[Callable[[float], str], tuple[float, ...]] = {
    _size_bucket: (10.5, 50.5, 200.5, 1000.5),
    _budget_bucket: _BUDGET_EDGES,
}
# "About", "around", "roughly": a figure that may be a little either side of it.
_APPROXIMATELY = re.compile(
    r"\b(?:about|around|roughly|approx\w*|circa|ca\.|maybe|something like|give or take|"
    r"more or less|or so|ish)\b|~|-ish\b",
    re.I,
)


def _near_an_edge(
    amounts: list[_Amount], values: list[float], edges: tuple[float, ...], text: str
) -> bool:
    """Whether one figure said roughly ("around 1000 a year", "about 50 people") lies on a
    band's edge: a little more or less is the next band, so it is asked again."""
    if len(values) != 1 or any(a.bound for a in amounts) or not _APPROXIMATELY.search(text):
        return False
    if any(a.other_noun for a in amounts) and all(
        _rough_about_something_else(text, m) for m in _APPROXIMATELY.finditer(text)
    ):
        # "about 2,000 apartments, with 48 employees": the rough word is the apartments'
        return False
    return any(0.95 * edge <= values[0] <= 1.05 * edge for edge in edges)


_SAID_AFTER = frozenset({"or so", "ish", "-ish", "give or take"})


def _rough_about_something_else(text: str, rough: re.Match[str]) -> bool:
    """Whether the figure a rough word goes with (the next one, or the one before "or so")
    counts something other than people or money ("about 2,000 apartments")."""
    if rough.group(0).lower() in _SAID_AFTER:
        near = _amounts(_spell_out_numbers(text[max(0, rough.start() - 25) : rough.start()]))[-1:]
    else:
        near = _amounts(_spell_out_numbers(text[rough.end() : rough.end() + 25]))[:1]
    return bool(near) and near[0].other_noun


def _edge_said(amount: _Amount, shared: float, code: str) -> float | None:
    """ "Under a thousand pounds a year" answers the "under 1k" button in the person's own
    currency: a bound said at a band's edge stays on its side of that edge, instead of being
    converted across it. Only for currencies near the dollar, where the buttons' round
    figures read the same."""
    per_year = amount.per_year or shared
    if amount.bound == 0 or amount.low != amount.high or not 0.5 <= USD_PER_UNIT[code] <= 2:
        return None
    yearly = amount.low * per_year
    if yearly not in _BUDGET_EDGES:
        return None
    return yearly * (1 + amount.bound * 1e-6)


_NOT_THIS = (
    r"(?!(?:this|it|that|you|your|a tool|the tool|tools? like|software|something|a (?:\w+ )?(?:tool|"
    r"solution|system|platform|service|chatbot|bot|product))\b)"
)
# Money said about something else: paid or spent on it already, or a whole this is a part of.
_SPENT_ELSEWHERE = re.compile(
    r"\b(?:we|i)\s+(?:currently\s+|already\s+|now\s+|usually\s+)?(?:pay|are paying|'re paying|"
    rf"paid)\s+(?:our|my|the|an?|for|to)\s+{_NOT_THIS}\w|"
    r"\b(?:what|whatever|as much as|more than|less than) (?:we|i) (?:currently |already |now )?"
    r"(?:pay|spend|are paying|'re paying)\b|"
    r"\b(?:we|i)\s+(?:currently\s+|already\s+|now\s+|usually\s+)?(?:spend|are spending|"
    rf"'re spending|spent)\b[^.;!?]{{0,40}}?\b(?:on|for|with)\s+{_NOT_THIS}\w|"
    r"\bcosts? (?:us|me)\b|"
    # "this is one piece of it", "it'd come out of that"
    r"\b(?:one|a|just a|only a|small) (?:piece|part|slice|bit|portion) of\b|"
    # "it'd come out of that" (a sum said before), not "it'd come out of OPEX, 2k a month"
    r"\bcomes? out of (?:(?:that|it|this|those)\b|(?:the |our |my )?[^.;!?,-]{0,12}\d)|"
    r"\b(?:partly|partially) replace",
    re.I,
)
_AS_MUCH_AS = re.compile(
    r"^\W*(?:not much\W+)?(?:(?:about|roughly|around|basically|probably|just)\s+)?(?:whatever|what|"
    r"as much as|the same as)\s+[^.;!?,]{0,40}?\b(?:costs? (?:us|me)|(?:we|i) (?:pay|spend))\b|"
    # "i'd not want to pay more than i pay the lad that does the website, that's fifty quid"
    r"\b(?:not|n't|never) (?:want to |wanna |like to )?(?:pay|spend) (?:any )?more than (?:what )?(?:we|i) "
    r"(?:pay|spend)\b",
    re.I,
)
# A sum for a whole this is a share of: "the whole IT budget is 200k, this would be 5% of it".
_A_WHOLE = re.compile(
    r"\b(?:the|our) (?:whole|entire|overall|total) (?:\w+ ){0,3}?(?:budget|spend|programme|"
    r"program|project|stack|pot|fund|bill)\b|\bfor (?:the|our) (?:whole|entire)\b",
    re.I,
)
_SHARES = {"half": 0.5, "a third": 1 / 3, "a quarter": 0.25, "a fifth": 0.2, "a tenth": 0.1}
# A share of that money: "about half of that", "10% of it", "the same", "similar".
_SHARE = re.compile(
    r"\b(?:(?:(?P<word>half|a third|a quarter|a fifth|a tenth)|(?P<pct>\d+(?:\.\d+)?)\s*"
    r"(?:%|percent|per cent))\s+(?:of\s+)?(?:that|it|this|what|those|the (?:total|amount|cost))\b|"
    r"(?P<same>(?:the )?same|similar|as much|comparable|(?:stay|keep it|be) (?:in|within|around) "
    r"(?:that|the same) (?:range|ballpark|region|area)|that kind of (?:money|range|figure))\b)",
    re.I,
)


def _share_of(share: re.Match[str]) -> float:
    if share["word"]:
        return _SHARES[share["word"].lower()]
    if share["pct"]:
        return float(share["pct"]) / 100
    return 1.0


_PER_PLACE = re.compile(
    r"(?:\b(?:per|each|every)|(?:\d\w*|hundred|thousand|grand|quid|dollars?|pounds?|euros?|"
    r"bucks|rupees?|rand)\s+a)\s+(?:practice|location|site|branch|store|shop|clinic|office|outlet|"
    r"franchise|restaurant|salon|school|venue|depot|property|studio|gym)\b",
    re.I,
)


# A dollar named apart from the figures: "..., Australian", "in Canadian", "a year
# Canadian", "kiwi dollars".
_CURRENCY_APART = re.compile(
    r"(?:(?:[,;(]|\b(?:in|a year|a month|per year|per month|annually|monthly|yearly))\s*"
    r"(?P<name>australian|aussie|canadian|kiwi|singapore|new zealand)(?:\s+(?:dollars?|bucks))?"
    r"(?=\s*(?:[,;.)!?]|$|\b(?:if|but|and|i|we|maybe|probably|tops|max)\b)))",
    re.I,
)


def read_budget(text: str, country: str | None = None) -> str | None:
    """The budget band of an answer; `country` (ISO, of the person's phone) tells which
    pesos, kroner or dollars are meant."""
    exact = _exact("budget", text)
    if exact:
        return exact
    figures = _FIGURES.search(text)
    if figures:
        digits = figures["n"].lower()
        if digits in ("five", "5"):
            return _FIVE_FIGURE_PARTS.get((figures["part"] or "").lower())
        return _FIGURE_BANDS.get(digits, "over_50k")
    tens = _TENS_OF_THOUSANDS.search(text)
    if tens:
        # Said per month or per week, the same sums times the periods in a year.
        period = _period_in(text)
        per_year = period[1] if period else 1.0
        low, high = (10_000, 40_000) if tens["part"] else (10_000, 99_999)
        bands = {_budget_bucket(low * per_year), _budget_bucket(high * per_year)}
        return bands.pop() if len(bands) == 1 else None
    if _PER_PLACE.search(text) and not any(
        m["place"] for m in _UNITS_PAID_FOR.finditer(_spell_out_numbers(text))
    ):
        # "three hundred pounds per practice per month": how many practices is for the
        # options to settle, not for a guess ("...we have 4 branches" says it).
        return None
    text = _LAKH_MISSPELT.sub(r"\1 lakh", text)
    amounts = _amounts(_HEARD_AS_AT_START.sub(_heard_number, text))
    if (apart := _CURRENCY_APART.search(text)) is not None:
        # "between a thousand and two thousand a year, Australian": the currency named
        # once, away from the figures, is theirs.
        code = _currency_of(apart["name"])
        amounts = [
            dataclasses.replace(a, currency=code) if a.currency in (None, "?dollar") else a
            for a in amounts
        ]
    if any(a.per_unit for a in amounts):
        amounts = _per_unit_total(amounts, text)
    yearly = _yearly_dollars(amounts, country)
    if yearly is None:
        return None
    share = _SHARE.search(text)
    if _AS_MUCH_AS.search(text):
        # "whatever a part-time receptionist costs us, call it 18 grand": that sum is the
        # budget, measured against something else.
        share = None
    elif yearly and (_SPENT_ELSEWHERE.search(text) or (share and _A_WHOLE.search(text))):
        # Money for something else ("what we pay our bookkeeper", "the whole programme"):
        # a budget for this only as a share of it said ("about a third of that").
        if share is None or len(yearly) != 1:
            return None
        yearly = [yearly[0] * _share_of(share)]
    if _near_an_edge(amounts, yearly, _BUDGET_EDGES, text):
        return None
    band = _band(yearly, _budget_bucket)
    if band:
        return band
    for pattern, value in _BUDGET_WORDS:
        if pattern.search(text):
            return value
    if _NO_BUDGET.search(text) and not _BUDGET_NOT_SET.search(text):
        return "under_1k"
    return None


_AUTHORITY: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\b(?:just|only|simply)?\s*(?:researching|looking around|browsing|exploring|curious|"
                r"gathering info\w*|comparing options|not buying|window[- ]shopping|fact[- ]finding)\b|"
                r"\b(?:gather|collect|pull|put)(?:ing|s)? (?:together )?(?:the |some |a few )?"
                r"(?:info\w*|options|quotes|ideas|details|a shortlist)\b|"
                r"\b(?:just|only) (?:looking|having a look|having a nosey|checking (?:things|it|you) out|"
                r"seeing what'?s (?:out there|available))\b|"
                r"\b(?:just|only|simply) (?:do(?:ing)? )?(?:the |some )?research\w*", re.I), "researching"),
    # Negations first: "not my call" must not read as "my call".
    (re.compile(r"\b(?:not (?:me|my call|my decision|up to me)|someone else|"
                r"i don'?t (?:decide|sign|approve)|need (?:approval|sign[- ]off)|"
                # Someone else has the last word: "she has the final say", "the MD signs".
                r"(?:he|she|they|who|boss|md|ceo|cfo|cto|director|owner|board|manager|partners?)"
                r"(?:'s| has| have| gets?| makes?| holds?)(?: got)? the (?:final|last) "
                r"(?:say|word|call|decision)|"
                r"(?:run|put|take|bring|present|pitch|pass|send)(?:ing)? (?:it |this )?"
                r"(?:by|past|to|up to) (?:the|my|our|management|leadership|head office|hq)|"
                r"check(?:ing)? with (?:the|my|our)|for (?:their |his |her )?(?:approval|sign[- ]?off)|"
                r"(?:sign[- ]?off|approval|go[- ]ahead) from)\b", re.I), "influences"),
    (re.compile(r"\b(?:i (?:decide|do|make (?:the|that) (?:call|decision)|sign(?: off)?|approve|"
                r"own the budget|hold the budget|am the decision[- ]maker)|"
                r"i(?:'ve| have)(?: got)? (?:the )?(?:final (?:say|word|call)|last word|"
                r"sign[- ]?off|signing authority|budget authority|authority)|"
                r"i can (?:approve|sign(?: off)?|decide|authori[sz]e)|"
                r"i hold the purse strings|(?:it'?s )?my budget|"
                r"i'?m the (?:decision[- ]maker|owner|founder|co-?founder|ceo|boss|one who decides|buyer)|"
                r"it'?s (?:my|all my) (?:call|decision)|up to me|my call|my decision|"
                r"that'?s me|decision[- ]maker|"
                r"i(?:'m| am) the one (?:who(?:'ll| will)? |to |that )?"
                r"(?:decid|approv|sign|choos|pick|say|make|call)\w*|"
                r"(?:the )?(?:decision|call)(?:'s| is) (?:mine|my own)|mine to make|"
                r"me (?:who|that) (?:decides?|signs?|approves?|chooses?|makes? the call)|"
                r"i call the shots|i'?m in charge|that(?:'d| would| will) be me|"
                # "me lol its my biz": their own business, so their own decision
                r"(?:it'?s|its|it is) (?:my|all my) (?:own )?(?:biz|business|company|shop|firm|place)|"
                r"i own (?:it|the (?:biz|business|company|shop|firm|place))|i'?m the owner|"
                # "me and Dan own it between us, so it's our decision, nobody else to ask"
                r"(?:it'?s|its|it is) (?:our|all our) (?:own )?(?:call|decision)|"
                r"(?:nobody|no one|no-one) else (?:to ask|decides|involved|to answer to)|"
                # Hinglish: "main hi decide karta hoon"
                r"(?:main|mai) (?:hi |khud )?(?:decide|approve|sign)\w*)\b|"
                # A bare "me" (or "myself, obviously") to "will you be the one deciding?"
                r"^\W*(?:(?:yes|yeah|yep|yup)\W+)?(?:me|myself|moi)"
                r"(?:\W+(?:obviously|of course|really|alone|only|myself))?\W*$|"
                # "me only, i m d owner": the answer, then why
                r"^\W*(?:(?:yes|yeah|ya|yep|yup)\W+)?(?:me|myself) (?:only|alone)\b|"
                # "pretty much me", "probably me": a hedge, and still the person
                r"^\W*(?:(?:yes|yeah|ya|yep|yup|well|um|erm)\W+)?(?:pretty much|mostly|mainly|largely|"
                r"probably|basically|essentially|ultimately|definitely|totally|always|usually|"
                r"generally)\W+(?:me|myself)\b|"
                # "no one else, just me", "I'm the only one", "me, myself and I", "who else?"
                r"(?<!not )\b(?:just|only) me\b(?!\s*(?:and\b|&|\+|with\b|n\b|plus\b))|"
                r"(?<!not )\b(?:nobody|no one|no-one) else\b(?=\W*$|\W*(?:really|lol|haha|mate|"
                r"just me|only me|is involved|decides|has a say)\b)|"
                r"\bi'?m the only one\b(?!\s+(?:who|that|under|answering|doing|working|in|here)\b)|\bme,? myself,? (?:and|&) i\b|^\W*who else\b|"
                # "me, with input from my team": theirs to decide, others heard
                r"^\W*(?:me|myself|i do)\W+(?:\w+\W+)?with (?:input|advice|help|feedback) from\b|"
                r"\bi make (?:these|those|all the|all|such|any|our|the|buying|purchasing) "
                r"(?:\w+ )?(?:calls|decisions)\b|"
                r"\bi'?m responsible for (?:the |that |this |our |my )?budget\b|"
                r"\b(?:the )?budget(?:'s| is) mine\b|\b(?:it'?s|its) my (?:money|dime|cash)\b|"
                # British and Australian: "it's my shout"; "the buck stops with me"
                r"\bmy shout\b|\bbuck stops (?:here|with me)\b|"
                # "I will be", "I'd be the one": to "will you be the one making the decision?"
                r"^\W*(?:(?:yes|yeah|yep|yup)\W+)?i(?:'ll| will|'d| would) be(?: the one)?"
                r"(?:\W+(?:yes|yeah|yep|yup))?\W*$", re.I), "decides"),
    (re.compile(r"\b(?:my (?:boss|manager|ceo|cto|cfo|vp|director|team lead|board|partners?)|"
                r"(?:the|our) (?:boss(?:es)?|ceo|cto|cfo|board|owners?|founders?|management|directors?|"
                r"committee|procurement|leadership|partners?|proprietors?|principals?|trustees|"
                r"head office|hq|council|higher[- ]ups|powers that be)|"
                r"(?:i )?(?:influence|recommend|advise|suggest|make the case|shortlist|propos)\w*|"
                r"put (?:it|this) forward|(?:listen|listens) to (?:me|my)|"
                r"i (?:have|get|'?ve got) (?:a|some) (?:say|input|voice)|"
                r"(?:go|goes|going) (?:to|through|before|up to) (?:the|a|our|my)|"
                r"me and (?:my|the|our) \w+|"
                r"we decide together|as a team|(?:a )?team decision|jointly|part of the decision)\b",
                re.I), "influences"),
)  # fmt: skip


def read_authority(text: str, intent: str | None = None) -> str | None:
    value = _read_authority(text, intent)
    if value == "researching" and (but := _BUT_THEN.search(text)) is not None:
        # "just researching, but it'll be my decision": the part after "but" says what the
        # looking is for.
        rest = text[but.end() :]
        after = _read_authority(rest, None)
        if after == "decides" or (after == "influences" and states_own_part(rest)):
            return after
    return value


_BUT_THEN = re.compile(r"\bbut\b(?=[^.;!?]*\b(?:i|i'?ll|i'?d|i'?m|it'?ll|it will|my)\b)", re.I)


def _read_authority(text: str, intent: str | None) -> str | None:
    exact = _exact("authority", text) or read_authority_statement(text)
    if exact:
        return exact
    for pattern, value in _AUTHORITY:
        if pattern.search(text):
            return value
    # The question is "will you be the one deciding?": a bare yes answers it. A bare no
    # leaves two answers open (they have a say, or only look into it): asked, not guessed.
    if intent == "affirm" and not _HALF_YES.search(text) and not leaves_for_now(text):
        return "decides"  # (not "All good, that's all I needed": done, not deciding)
    return None


# "Yes and no", "sort of", "kind of": not a plain yes to "will you be the one deciding?".
_HALF_YES = re.compile(
    r"\b(?:yes and no|yeah and no|sort of|kind of|kinda|sorta|more or less|in a way|"
    r"it'?s complicated|not exactly|not entirely|not really|not alone|not solely)\b",
    re.I,
)


# "No thanks" to "will you be the one deciding?" turns the question down; it says nothing
# about who decides.
_TURNS_DOWN = re.compile(
    r"\b(?:thanks|thank you|thx|ta|rather not|prefer not|pass|skip|not (?:saying|telling|sharing)|"
    r"none of your|no comment|questions?)\b",
    re.I,
)


_UNIT = r"(?P<unit>days?|weeks?|wks?|fort ?nights?|month\w*|mos?|mths?|quarters?|years?|yrs?)"
_UNIT_MONTHS = {"d": 1 / 30, "w": 0.25, "f": 0.5, "mo": 1.0, "mt": 1.0, "q": 3.0, "y": 12.0}
_SPANS = (
    # "in 6-8 weeks", "within 2 to 3 months", "18 months", "a year and a half"
    re.compile(
        rf"(?<![\d.,])(?P<a>\d+(?:[.,]\d+)?)(?:\s*(?:-|–|to|or|\s)\s*(?P<b>\d+(?:[.,]\d+)?))?"
        rf"\s*(?:more\s+|of\s+)?{_UNIT}\b(?P<and_half>\s+and\s+a\s+half)?",
        re.I,
    ),
    # "a month or two", "half a year", "a fortnight"
    re.compile(
        rf"\b(?P<half>half\s+)?(?:a|an)\s+{_UNIT}\b(?:\s+or\s+(?P<b>\d+))?"
        rf"(?P<and_half>\s+and\s+a\s+half)?",
        re.I,
    ),
    # "the next month or two", "the coming week or two": the longer of the two
    re.compile(rf"\b(?:the\s+)?(?:next|coming)\s+{_UNIT}\s+or\s+(?P<b>\d+)\b", re.I),
    # "the next half year", "a half-year project"
    re.compile(rf"\b(?P<half>half)[\s-]+{_UNIT}\b", re.I),
    # "in the next month or so", "over the coming month": one month from now
    re.compile(
        r"\bthe\s+(?:next|coming)\s+(?P<unit>month)\b(?=\s+or\s+so|\s*[,.!]|\s*$|\s+if\b)", re.I
    ),
)
# "a year or more", "more than three months", "over a year": longer than the span said.
_LONGER_AFTER = re.compile(r"\s*(?:or (?:more|longer|later)|plus\b|\+)", re.I)
_LONGER_BEFORE = re.compile(r"(?:more than|over|longer than|at least|beyond|upwards of)\s*$", re.I)
_TIMELINE_WORDS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\b(?:asap|a\.s\.a\.p|(?<!not )right away|(?<!not )immediately|(?<!not )(?<!n't )(?<!not that )(?<!nothing )(?<!nothing too )urgent\w*|(?<!for )(?<!not )(?<!just )now|(?<!not )(?<!for )(?<!enquiring )(?<!inquiring )(?<!asking )(?<!looking )(?<!browsing )(?<!here )today|(?<!not )tomorrow|"
                r"this week|next week|this month|straight away|yesterday|last month|overdue|"
                r"already (?:late|behind|overdue)|next month|(?:as )?soon as possible|soonest|"
                r"(?:very|really|super|real) soon|"
                r"as soon as (?:we|i|you|possible|poss|practical|practicable|humanly)|the sooner the better|"
                r"as soon as(?:\W+(?:really|honestly|tbh|mate|please))?\W*$|"
                r"(?:by|before|within|in) the (?:start|beginning) of next month|(?:by|before) next month|"
                r"(?:within|in|by|before|by the end of|before the end of|end of) the (?:week|weak|month|fortnight)|"
                r"eom|eow|end of (?:this )?(?:month|week|weak)|month[- ]end|"
                # "Monday if possible", "by Friday": a day this week or next
                r"(?<!every )(?:mon|tues|wednes|thurs|fri|satur|sun)day|(?:this|next|by the) weekend)\b",
                re.I), "now"),
    (re.compile(r"\b(?:this quarter|next quarter|"
                r"(?:within|in|by|before|by the end of|before the end of|end of) the quarter|soon|shortly|in the coming weeks|"
                r"before (?:the )?(?:summer|end of (?:the )?quarter))\b", re.I), "quarter"),
    (re.compile(r"\b(?:this year|later this year|later in the year|end of (?:the )?year|this fiscal year|"
                # Every fiscal year starts within twelve months of any day: the next one is
                # within the year, whichever calendar the company keeps.
                r"(?:the )?(?:next|new|coming) (?:fiscal|financial) year|(?:the )?(?:next|new) fy|"
                r"(?:within|in|over|during) the (?:next|coming) (?:12 months|twelve months|year)|"
                r"this coming year|"
                r"(?:within|in|by|before|by the end of|before the end of|during) the year|"
                r"in (?:the )?(?:spring|summer|autumn|fall|winter)(?:time)?|h[12]|mid[- ]?year|"
                r"(?:the )?middle of (?:the |next )?year|"
                # "late spring", "in the early autumn": a season set in the year ahead
                r"(?:in (?:the )?)?(?:early|late|mid)[- ]?(?:spring|summer|autumn|fall)|"
                # "summer probably", "maybe next autumn": a season in the year ahead
                r"^\W*(?:(?:maybe|probably|prob|perhaps|hopefully|ideally|around|sometime|next)\W+)*"
                r"(?:spring|summer|autumn)\b|next (?:spring|summer|autumn|fall))\b", re.I), "year"),
    (re.compile(r"\b(?:no (?:rush|hurry|timeline|plans?|deadline)|not (?:yet|soon|any time soon)|"
                r"whenever|in no (?:rush|hurry)|not in (?:a|any) (?:rush|hurry)|"
                r"no (?:set|particular|real|fixed|firm) (?:timeline|date|deadline|time ?frame|plans?)|"
                r"someday|some day|eventually|"
                r"no specific|no fixed|long[- ]term|far off|not for (?:a|some) (?:while|time)|a (?:good )?while (?:yet|off|away)|"
                # Next year is after this one: "This year" is its own answer.
                r"(?:sometime |some time |probably |maybe |not (?:until|till|before) )?next (?:calendar )?year)\b|"
                # "later" as the whole answer, or its last word: "not sure. later"
                r"(?:^|[.,;!]\s*)(?:maybe |probably |much |sometime )?later(?: on)?\W*$", re.I), "later"),
)  # fmt: skip


_A_RATE = re.compile(
    # "$3k a month", "500 a month": a sum per month, not a month from now
    r"(?:[$€£₹]\s*\d[\d,.]*\s*k?|\d[\d,.]*(?:\s*(?:k|grand|hundred|thousand|dollars?|bucks|quid|"
    r"pounds?|euros?|rupees?))+|"
    r"\b\d{3,}[\d,.]*)"
    r"\s*(?:per\s+|each\s+|/\s*)?$",
    re.I,
)


def _span_months(match: re.Match[str]) -> float:
    unit = match["unit"].lower()
    per_unit = _UNIT_MONTHS[unit[:2] if unit.startswith("m") else unit[0]]
    groups = match.groupdict()
    low = _parse_number(groups["a"]) if groups.get("a") else 1.0
    high = _parse_number(groups["b"]) if groups.get("b") else low
    count = (low + high) / 2
    if groups.get("half"):
        count /= 2
    if groups.get("and_half"):
        count += 0.5
    return count * per_unit


# Places south of the equator people name to say where they are ("we're in Perth", "here in
# Oz", "NZ based"), whose summer is December to February.
_SOUTHERN_PLACE = re.compile(
    r"\b(?:in|from|based in|here in|down in|out of|we'?re)\s+(?:the\s+)?(?:new\s+|south\s+|"
    r"cape\s+town|buenos\s+|são\s+|sao\s+)?"
    r"(?:(?:australia|oz|sydney|melbourne|brisbane|perth|adelaide|hobart|canberra|darwin|queensland|"
    r"tasmania|nz|zealand|auckland|wellington|christchurch|africa|joburg|johannesburg|durban|"
    r"pretoria|argentina|aires|chile|brazil|paulo|uruguay|montevideo)\b|(?<=cape town))|"
    r"\b(?:(?:nz|aussie|kiwi)[- ]based|(?:australian|kiwi|aussie) (?:business|company|firm|shop))\b",
    re.I,
)


_BECAUSE = re.compile(
    r"\b(?:because|cos|coz|cuz|'cause|’cause)\b|"
    # "This month if we can, we've got the January rush coming": why, told as what is coming
    r"[,;]\s*(?=(?:we'?ve got|we have|we got|there'?s|with)\s+(?:the\s+|our\s+|a\s+)?[^,.;!?]{0,30}?"
    r"\b(?:coming|starting|approaching|around the corner|on the way|looming)\b)|"
    # "before Christmas if you can, January's our busiest month": why, told as what it is
    r"[,;]\s*(?=\w+(?:'s| is) (?:our|the) (?:busiest|busy|peak|craziest|crazy|biggest|main|"
    r"quietest|slowest)\b)",
    re.I,
)


def read_timeline(text: str, today: date | None = None, country: str | None = None) -> str | None:
    """The timeline band of an answer; `country` (of the person's phone) places a season."""
    exact = _exact("timeline", text)
    if exact:
        return exact
    if not in_the_south(country) and _SOUTHERN_PLACE.search(text) is not None:
        # "Before summer! (We're in Sydney so that's basically now)": where they are says
        # which summer, whatever number they ring from.
        country = "AU"  # any country of the south: only its seasons are read here
    text = years_in_figures(text)
    # "by january end", "jan end": the end of the month
    text = _MONTH_END.sub(r"end of \1", text)
    # "first of the year would be nice": the new year
    text = _TURN_OF_THE_YEAR.sub("by the new year", text)
    # "before next year": before the new year comes, not some time in it
    text = _BEFORE_NEXT_YEAR.sub(r"\1 the new year", text)
    # "the first week of January": its start
    text = _FIRST_WEEK_OF.sub("the start of ", text)
    # "before the high season, and that starts right after new year": before the date
    text = _BEFORE_AN_EVENT_DATED.sub("before ", text)
    if (away := _SO_FAR_AWAY.search(text)) is not None:
        # "...before then, which I realise is only a few weeks away": how far off it is
        target = read_timeline(f"in {away['span']}", today, country)
        if target is not None:
            return target
    if _SOMETIME_IN_THE_NEW_YEAR.search(text) is not None and not re.search(
        r"\d|\b(?:early|first|start|beginning|january|jan)\b", text, re.I
    ):
        # "sometime in the new year i suppose": January or any month after it; asked with
        # the options rather than guessed
        return None
    not_before = _NOT_BEFORE_THEN.search(text)
    if not_before is not None:
        # "Sometime next year. The committee doesn't meet until March, so it couldn't be
        # before then.": the date is the earliest; the answer is no sooner than it.
        sentences = _SENTENCES.split(text)
        held = [s for s in sentences if _NOT_BEFORE_THEN.search(s)]
        rest = " ".join(s for s in sentences if not _NOT_BEFORE_THEN.search(s))
        earliest = read_timeline(_NOT_BEFORE_THEN.sub(" ", " ".join(held)), today, country)
        stated = read_timeline(rest, today, country) if rest.strip() else None
        if earliest is not None and stated is not None:
            return max(earliest, stated, key=_TIMELINES.index)
    by_then = _BY_THEN.search(text)
    if by_then is not None and by_then.start() > 0:
        # "Applications open in May, so it has to be running by then. I'd rather not rush
        # it over the December holidays": the date said before "by then".
        target = read_timeline(text[: by_then.start()], today, country)
        if target is not None:
            return target
    in_place = _IN_PLACE.search(text)
    if (
        in_place is not None
        and in_place.start() > 0
        and months_away(text[in_place.start() :], today or date.today(), in_the_south(country))
        is not None
    ):
        # "the council meets in late January, and they'd want it in place for the fair in
        # June": when it should be working (a date said for it), not what comes before.
        target = read_timeline(text[in_place.start() :], today, country)
        if target is not None:
            return target
    concluded = [
        m for pattern in (_CONCLUDED, _SO_THEN) for m in pattern.finditer(text) if m.start() > 0
    ]
    concluded.sort(key=lambda m: m.start())
    if concluded:
        # "Not before tax season, we move offices in the fall, so realistically spring
        # 2028": the time they settle on, after the ones they reason from.
        target = read_timeline(text[concluded[-1].end() :], today, country)
        if target is not None:
            return target
    because = _BECAUSE.search(text)
    if (
        because is not None
        and because.start() > 0
        and not re.search(r"\bso\b", text[because.end() :], re.I)
    ):
        # "before the new year if we can cos january's when all the boilers pack in": the
        # time wanted, then the reason, whose dates are not the answer ("...because it
        # goes mad, so by half term" ends on its answer).
        target = read_timeline(text[: because.start()], today, country)
        if target is not None:
            return target
    held_off = _NOT_BEFORE_A_DATE.search(text)
    if held_off is not None and held_off.group(0).strip() != text.strip():
        # "Not before 2028. Our contract runs until the end of 2027.": the earliest it can
        # be, whatever else is dated around it.
        target = read_timeline(held_off.group(0), today, country)
        rest = text[: held_off.start()] + text[held_off.end() :]
        other = read_timeline(rest, today, country) if rest.strip(" .,;!?") else None
        if target is not None and (
            other is None or _TIMELINES.index(other) < _TIMELINES.index(target)
        ):
            return target
    if _AS_SOON_AS_WE_CAN.search(text) and not _HELD_TO_A_DATE.search(text):
        # "well soon as we can really summer's starting": the season is the reason
        return "now"
    # "we close at the end of January for a few weeks": how long, not how soon
    without_how_long = _FOR_A_WHILE.sub(" ", text)
    text = without_how_long if without_how_long.strip(" ,.") else text
    if _AFTER_NEXT_YEAR.search(text):
        return "later"  # "the year after next", "not next year, probably the one after"
    splitter = _OR if len(_MAYBE.findall(text)) < 2 else _OR_MAYBE
    alternatives = [part for part in splitter.split(text) if part.strip(" ,.?!")]
    if len(alternatives) > 1:
        # "maybe next month, maybe next year", "now or in three months": two times, and
        # no telling which.
        said = {read_timeline(part, today, country) for part in alternatives} - {None}
        if len(said) > 1:
            return None
    spelled = _spell_out_numbers(_HEARD_AS.sub(_heard_number, text))
    spans = [
        m
        for pattern in _SPANS
        for m in pattern.finditer(spelled)
        if not _A_RATE.search(spelled[: m.start()])  # "$3k a month" is no month from now
    ]
    dated = months_away(text, today or date.today(), in_the_south(country))
    if dated is not None and not spans:
        return months_bucket(dated)
    if spans:
        first = min(spans, key=lambda m: m.start())
        months = _span_months(first)
        if _LONGER_AFTER.match(spelled, first.end()) or _LONGER_BEFORE.search(
            spelled[: first.start()]
        ):
            months *= 1.01
        if dated is not None and (side := _FROM_A_DATE.match(spelled, first.end())):
            # "launching in May and want it a month before": a span from the date named.
            before = side["side"].lower() in ("before", "ahead", "earlier", "prior")
            months = max(0.0, dated - months) if before else dated + months
        return months_bucket(months)
    next_year = next_year_away(text, today or date.today())
    if next_year is not None and not _PUT_OFF.search(text):
        return months_bucket(next_year)  # "sometime next year": its middle, from today
    # A year named wins over "no rush" ("no rush, maybe later in the year"), unless it is
    # turned down ("not this year"); then "later": "not any time soon" is not "soon".
    year = _TIMELINE_WORDS[2][0].search(text)
    if year is not None and not _NOT_BEFORE.search(text[: year.start()]):
        return "year"
    for pattern, value in (_TIMELINE_WORDS[3], _TIMELINE_WORDS[0], _TIMELINE_WORDS[1]):
        if pattern.search(text):
            return value
    if year is not None:
        return "later"  # "not this year"
    return None


_FIRST_WEEK_OF = re.compile(
    r"\b(?:the )?(?:first|1st) (?:week|weeks|days|couple of weeks|fortnight|few days) (?:of|in) ",
    re.I,
)
_BEFORE_AN_EVENT_DATED = re.compile(
    r"\bbefore (?:the |our |my )?(?:[a-z]+ ){1,3}?(?:season|rush|period|launch|opening|event)\s*,?\s*"
    r"(?:and |which |that |it )+(?:that |it |one )?(?:'s |is |starts |begins |opens |kicks off |"
    r"comes |hits )(?:right |just |straight )?(?:after |at |on |in |around )?",
    re.I,
)
_SO_FAR_AWAY = re.compile(
    r"\b(?:which|that|it)(?: i (?:realise|realize|know|guess))?(?:'s| is)\s+(?:only |just |about |"
    r"roughly )?(?P<span>(?:a few|a couple of|a|one|two|three|four|five|six|\d+) "
    r"(?:days?|weeks?|months?))\s+away\b",
    re.I,
)
_SOMETIME_IN_THE_NEW_YEAR = re.compile(
    r"\b(?:sometime|some time|at some point|some point)\s+(?:in\s+)?(?:the\s+)?new year\b", re.I
)
_NOT_BEFORE_THEN = re.compile(
    r"\b(?:could(?:n'?t| not)|can'?t|cannot|won'?t|will not|wouldn'?t|would not)\s+(?:be|happen|"
    r"start)\s+before\s+then\b",
    re.I,
)


_IN_PLACE = re.compile(
    r"\b(?:in place|up and running|(?:go|going|be|is|it)[- ]live|set up|ready|running|working|launched|"
    # "we want to start with the new financial year, which for us is April"
    r"(?:want|need|like|hope|plan|aim|looking)(?:s|ed|ing)? to (?:start|begin|kick off|roll (?:it )?out))\b"
    r"(?=[^.;!?]*\b(?:by|for|in|before|at|around|from|with)\b)",
    re.I,
)
_MONTH_END = re.compile(rf"\b({MONTH_NAME})\s+end\b", re.I)
_TURN_OF_THE_YEAR = re.compile(
    r"\b(?:the )?(?:first|start|beginning|turn) of the (?:new )?year\b(?!\s+after)", re.I
)
_BEFORE_NEXT_YEAR = re.compile(r"(?<!not )\b(before|by)\s+next\s+year\b(?!\s*['’]s)", re.I)
_BY_THEN = re.compile(
    r"\b(?:in place|up and running|running|ready|live|working|set up|done|sorted)\s+"
    r"(?:by|before)\s+then\b",
    re.I,
)
_CONCLUDED = re.compile(
    r"\b(?:more |but |so )?(?:realistically|in reality|let'?s say|call it|(?:probably )?more like)\b|"
    # "the first quarter of the new financial year, that means april to june": said plainer
    r"\b(?:that|which) (?:means|is|would be)(?= (?:in |by |around |from )?(?:the )?"
    rf"(?:{MONTH_NAME}|early|mid|late|end|start|beginning|next|this)\b)|\bi\.e\.",
    re.I,
)
# "We'd want it going for Easter orders, so in the next two or three months": the time
# the reasons lead to.
_SO_THEN = re.compile(
    r"[,;.]\s*(?:and\s+)?so\s+(?=(?:i guess |i think |i'?d say |probably |maybe |hopefully |ideally )?"
    r"(?:in|by|within|around|about|before|after|sometime|some time|early|mid|late|end|the)\b)",
    re.I,
)
_AS_SOON_AS_WE_CAN = re.compile(
    r"\b(?:asap|(?:as )?soon as (?:possible|poss|we can|i can|you can|y'?all can|you guys can|ya can|"
    r"humanly possible)|(?<!not )right away|(?<!not )straight away|(?<!not )immediately)\b",
    re.I,
)
_TIMELINES = QUALIFICATION_VALUES["timeline"]  # soonest first
_NOT_BEFORE_A_DATE = re.compile(r"\bnot (?:before|until|till|til)\b[^.;!?]+", re.I)
# "as soon as possible after the new year", "not before March": soon, from a date
_HELD_TO_A_DATE = re.compile(r"\b(?:after|before|until|till|from|once|by|not|but|then)\b", re.I)
_FOR_A_WHILE = re.compile(
    r"\bfor (?:a |the )?(?:few|couple(?: of)?|several|\d+|one|two|three|four|five|six) "
    r"(?:days?|weeks?|months?)\b",
    re.I,
)
_AFTER_NEXT_YEAR = re.compile(
    r"\byear after next\b|\bnot (?:next|this) year\b[^.;!?]*\b(?:the )?(?:one|year) after\b", re.I
)


# A recognizer's "to", "too" and "won" for two and one before a unit of time or a
# hundred: "in to months", "won month", "to hundred fifty".
_HEARD_AS = re.compile(
    r"\b(to|too|won)\s+(?=(?:days?|weeks?|months?|quarters?|years?|hundred|thousand)\b)", re.I
)


# The same as the whole start of an answer about money ("to thousand dollars"), where
# "up to a thousand" and "go to" are left alone.
_HEARD_AS_AT_START = re.compile(
    r"^(?:\W*(?:um+|uh+|er+|erm|so|well|about|around|maybe|like)\b)*\W*\b(to|too|won)\s+"
    r"(?=(?:hundred|thousand)\b)",
    re.I,
)


def _heard_number(match: re.Match[str]) -> str:
    return "one " if match.group(1).lower() == "won" else "two "


# After a span, that it is counted from a date named: "a month before", "two weeks after".
_FROM_A_DATE = re.compile(r"\s+(?P<side>before|ahead|earlier|prior|after|later)\b", re.I)
_OR = re.compile(r"(?<![\w-])or(?![\w-])", re.I)  # not the "or" of "use-it-or-lose-it"
_MAYBE = re.compile(r"\bmaybe\b|\bperhaps\b", re.I)
_OR_MAYBE = re.compile(f"{_OR.pattern}|{_MAYBE.pattern}", re.I)
_NOT_BEFORE = re.compile(r"\b(?:not|never)\s+(?:in\s+)?$", re.I)
# Put off, not placed: "no hurry, maybe next year" (every persona author files it so),
# "not before next year", "next year at the earliest".
_PUT_OFF = re.compile(
    # "No rush, sometime next year" names the time; "no plans till next year" puts it off,
    # and so does "the year after".
    r"\b(?:no (?:deadline|timeline|plans?)|not (?:until|till|before|this year)|"
    r"at the earliest|eventually|someday|the year after|year after next)\b",
    re.I,
)


READERS = {
    "company_size": read_company_size,
    "budget": read_budget,
    "timeline": read_timeline,
}


@dataclass(frozen=True)
class Answer:
    value: str | None
    # The person said they don't know or would rather not say: don't ask again.
    declined: bool = False
    # What to ask to narrow an answer with two readings ("no" to "will you be the one
    # deciding?": a say in it, or only researching), asked once before anything is stored.
    follow_up: str | None = None


NOT_THE_DECIDER = "not_the_decider"
# The last sentence of a story that sums it up: "So it's my decision, really."
_SUMS_UP = re.compile(
    r"^\W*(?:so|basically|in short|in the end|bottom line|long story short|at the end of the day|"
    r"all in all|in other words|which means|meaning)\b",
    re.I,
)


def _concluded(text: str) -> str | None:
    """What a story's last sentence or last "so ..." clause sums up, after its first word."""
    sentences = [s for s in _SENTENCES.split(text.strip()) if s.strip()]
    if len(sentences) > 1 and _SUMS_UP.match(sentences[-1]):
        return _SUMS_UP.sub("", sentences[-1])
    tail = _SO_AT_THE_END.search(text)
    return tail["rest"] if tail is not None else None


def _concluded_authority(text: str) -> str | None:
    concluded = _concluded(text)
    return read_authority(concluded) if concluded is not None else None


# "...he signed the business over to me two years ago so it's me", "after harvest so
# round about may": the answer after the last "so", when it is short.
_SO_AT_THE_END = re.compile(r"(?:^|[\s,;])so\s+(?P<rest>(?:[\w'’-]+\W*){1,5})$", re.I)
_SOONEST = ("now", "quarter", "year", "later")

YEAR_OR_LATER = "year_or_later"
# "Next year" said with nothing to place it in the year: "sometime next year", "maybe next
# year", "not until next year".
_NEXT_YEAR_SAID = re.compile(
    r"\b(?:(?:sometime|some time|at some point)\s+)?(?:in\s+)?(?<!the )next\s+year\b", re.I
)
_PART_OF_THE_YEAR_BEFORE = re.compile(
    r"\b(?:early|mid|middle|end|start|beginning|late|half|h[12]|q[1-4]|quarter|semester|term|"
    r"season|after|before|by|until|till|til|this time|same time)\W+(?:of\W+)?(?:the\W+)?$",
    re.I,
)
# Words around it that say how sure or how urgent, not when.
_HEDGES = re.compile(
    r"\b(?:(?:there'?s\s+)?no (?:big |real )?(?:rush|hurry|urgency|pressure)(?: at all)?|"
    r"not (?:urgent|in a (?:rush|hurry))|in no (?:rush|hurry)|"
    r"at the earliest|maybe|probably|perhaps|possibly|sometime|some time|realistically|"
    r"honestly|i (?:think|guess|reckon|suppose)|really)\b",
    re.I,
)


def next_year_alone(text: str, today: date | None, country: str | None) -> bool:
    """Whether `text` places the time only by "next year" (and words of doubt or hurry)."""
    said = _NEXT_YEAR_SAID.search(text)
    if said is None or re.search(r"\b(?:year|one) after\b|\bnot next year\b", text, re.I):
        return False
    if _PART_OF_THE_YEAR_BEFORE.search(text[: said.start()]):
        return False  # "end of next year", "not until next year": placed, or a floor
    rest = _HEDGES.sub(" ", _NEXT_YEAR_SAID.sub(" ", text))
    return read_timeline(rest, today, country) is None


def next_year_or_later(text: str, today: date | None, country: str | None) -> bool:
    """Whether `text` offers next year and a later time as the two possibilities.

    "next year or later", "next year, maybe later": the same question as a bare "next
    year", with its two answers already said.
    """
    said = _NEXT_YEAR_SAID.search(text)
    if said is None or _PART_OF_THE_YEAR_BEFORE.search(text[: said.start()]):
        return False
    if re.search(r"\bnot next year\b", text, re.I):
        return False
    rest = _HEDGES.sub(" ", _NEXT_YEAR_SAID.sub(" ", text))
    return _LATER_ALONE.fullmatch(rest) is not None


# What is left of "next year or later" once "next year" and the hedges are taken out.
_LATER_ALONE = re.compile(
    r"[\s,;.!?-]*(?:(?:or|and|but|could be|might be|may be|even|possibly)\s+)*"
    r"(?:later|after that|after|beyond|the year after|the one after|the year after that)"
    r"(?:\s+(?:on|than that|even))?[\s,;.!?-]*",
    re.I,
)


_NOT_BEFORE_CLAUSE = re.compile(r"\bnot (?:before|until|till|by)\b[^.,;!?]*", re.I)


# "Now is that anywhere near what you charge?": "now" opens the question, it is no time.
_NOW_OPENING_A_QUESTION = re.compile(
    r"^\W*(?:(?:ok|okay|right|so|well)\W+)?now\W+(?=(?:(?:is|are|was|were) (?:that|this|there|it|"
    r"they|these|those)|what|how|why|where|who|which|(?:do|does|did|can|could|will|would) (?:you|it|"
    r"they|we|y'?all))\b[^?]*\?)",
    re.I,
)
# "No idea what these cost", "depends what you charge": a budget is hard to name without a
# price, so what it costs is said before the question is asked again.
PRICE_NOT_KNOWN = "price_not_known"
_PRICE_NOT_KNOWN = re.compile(
    r"\b(?:depends|depending)\b[^.;!?]{0,25}?\b(?:costs?|charges?|pric\w*|how much)\b|"
    r"\b(?:no idea|not sure|don'?t know|do not know|dunno|unsure|no clue|haven'?t (?:a|the) "
    r"(?:clue|foggiest))\b[^.;!?]{0,25}?\b(?:what|how much)\b[^.;!?]{0,30}?"
    r"\b(?:costs?|charge|pric\w*|go for|run|would be|is|are)\b",
    re.I,
)


_UNSURE_AFTER = re.compile(
    r"[.,;!?]\s*(?:(?:i'?m|im)\s+)?(?:not sure|unsure|no idea|dunno)\W*$|"
    # "Honestly, I don't know. Could be the COO, might even need the board. I'd have to
    # find out": whoever is named is a guess.
    r"\bi (?:honestly |genuinely |really )?(?:don'?t|do not) know\b(?! (?:yet )?(?:about|what|how))"
    r"[^?]*\b(?:i'?d|i would|i'?ll|i will) (?:have|need) to find out\b",
    re.I,
)
# "Do the casuals count? We've got a few uni students": whom to count is asked; the
# count beside it is of those in question.
_ASKS_WHO_COUNTS = re.compile(
    r"\b(?:do|does|should|shall|would|will)\s+(?:i|you|we)\s+(?:\w+\s+)?(?:count|include)\b[^.!?]*\?|"
    r"\b(?:do|does|would|should)\s+(?:the|our|my|all the|all our)?\s*[\w-]+(?:\s+[\w-]+)?\s+count\b"
    r"[^.!]*\?",
    re.I,
)
# A question about the question: "Do you mean would I sign off on it?", "You mean per year?"
_ASKS_WHAT_IS_MEANT = re.compile(rf"{MEANT_OPENING}|you mean|meaning)\b[^?]*\?\W*", re.I)
_UNSURE_HOW_TO_COUNT = re.compile(
    r"\b(?:not sure|no idea|don'?t know|dunno|unsure)\s+(?:how|whether|if)\s+(?:you'?d|you would|you|"
    r"to|i'?d|i should|we'?d)\s+count\b|\bdepends (?:on )?how you count\b",
    re.I,
)
# A person correcting themselves mid-answer.
_SELF_CORRECTION = re.compile(
    r"(?:\b(?:no|nah|sorry|wait|oops|hmm|um)\b[\s,.!-]*)?"
    r"\b(?:actually|i mean|i meant|make (?:that|it)|or rather|scratch that|correction)\b[\s,:.-]*",
    re.I,
)
# A correction of the period alone: "$800 a yr.. sorry i meant a month".
_PERIOD_PUT_RIGHT = re.compile(
    r"^\W*(?:(?:it'?s|its|that'?s|thats|it was)\s+)?(?P<period>(?:a|an|per|each|every)\s+"
    r"(?:month|year|yr|week|quarter)|monthly|yearly|annually|weekly|quarterly)\b",
    re.I,
)
# A figure taken back for another said right after it: "fifteen no fifty five", "60k,
# sorry, 16", "50, no wait, 60". Only between two figures: "no" and "sorry" say other
# things elsewhere ("no more than 20", "sorry, about 40").
_TAKEN_BACK = re.compile(
    r"(?:[\s,.!;:-]*\b(?:no|nah|nope|sorry|wait|oops|hang on|hold on)\b)+[\s,.!;:-]*", re.I
)
# Taken back whatever follows: "20k, no wait, let me check".
_PLAINLY_TAKEN_BACK = re.compile(
    r"\W*(?:(?:no|nah|nope)\W+(?:wait|sorry|hang on|hold on)|(?:wait|sorry)\W+(?:no|nah)|"
    r"hang on|hold on)\b.*",
    re.I | re.S,
)
_FIGURE_BEFORE = re.compile(r"\d[^\W\d_]*(?:\s+[^\W\d_]+){0,3}[\s,.!]*$")
_FIGURE_AFTER = re.compile(
    r"^(?:(?:more like|closer to|about|around|like|roughly|maybe|it'?s|its|make it)\s+)*\d",
    re.I,
)
_BARE_FIGURE = re.compile(
    r"^\W*(?:(?:more like|closer to|about|around|like|roughly|maybe|it'?s|its|make it)\s+)*"
    rf"(?P<num>\d+(?:[.,]\d+)?)(?:\s*(?P<mult>{_MULT}))?[\s.!?]*$",
    re.I,
)


def _taken_back(text: str) -> tuple[str, str, bool] | None:
    """What was said before the last correction, what after, and whether the correction
    was plain ("no wait", "I mean"; a lone "actually" may only stress what follows)."""
    parts = [
        (m.start(), m.end(), True)
        for m in _TAKEN_BACK.finditer(text)
        if _FIGURE_BEFORE.search(_spell_out_numbers(text[: m.start()]))
        and (
            _FIGURE_AFTER.match(_spell_out_numbers(text[m.end() :]))
            or _PLAINLY_TAKEN_BACK.fullmatch(m.group(0))
        )
    ]
    parts += [
        (m.start(), m.end(), not re.fullmatch(r"\W*actually\W*", m.group(0), re.I))
        for m in _SELF_CORRECTION.finditer(text)
    ]
    if not parts:
        return None
    start, end, firm = max(parts)
    return text[:start], text[end:], firm


def _carried_over(earlier: str, later: str) -> str:
    """The correction with the unit and period of the figure it replaces, when said bare:
    "sixty k annually, no sorry sixteen" is sixteen k annually."""
    bare = _BARE_FIGURE.match(_spell_out_numbers(later))
    said = _spell_out_numbers(earlier)
    if (period := _PERIOD_PUT_RIGHT.match(later)) and not re.search(
        r"\d", _spell_out_numbers(later)
    ):
        # "$800 a yr.. sorry i meant a month, aud": the figure stays, its period changes.
        spans = [m.span() for pattern, _ in _PERIODS for m in pattern.finditer(said)]
        if spans:
            start, end = max(spans)
            return f"{said[:start]} {period['period']}{said[end:]} {later[period.end() :]}"
    replaced = list(_AMOUNT.finditer(said))
    if bare is None or not replaced:
        return later
    last = replaced[-1]
    # "sixteen" takes sixty k's place as sixteen k; "three hundred" replaces "two hundred".
    end = last.end("mult") if bare["mult"] and last["mult"] else last.end("num")
    figure = bare["num"] + (f" {bare['mult']}" if bare["mult"] else "")
    return said[: last.start("num")] + figure + said[end:]


# Who decides turns on a sum not known yet: "depends on the price", "under 5k I sign".
_BY_AMOUNT = re.compile(
    r"\b(?:depends|depending|it depends)(?: on)? (?:the |how much |what )?(?:price|amount|cost|size|"
    r"value|spend|sum|it costs|budget|figure)|"
    r"\b(?:under|below|up to|less than|over|above|more than|anything over)\s+\S*\d\S*"
    r"[^.;!?]{0,30}?\bi (?:can|could|may) (?:just |myself )?"
    r"(?:sign|approve|decide|authori[sz]e|sign off|do|okay|ok|green[- ]?light|buy|spend)\b",
    re.I,
)
_UNSURE_AND_VAGUE = re.compile(
    r"^\W*(?:idk|i dunno|dunno|no idea|not sure|unsure|no clue|who knows|hard to say|i don'?t know)"
    r"\b[\s,.!?-]*(?:(?:tbh|honestly|really|yet|lol|maybe|probably|prob|i guess|soon|soonish|"
    r"soon-ish|-?ish|at some point|eventually|sometime|someday|whenever|tbd|depends|"
    r"we'?ll see|small|big|some|a bit|not much|a lot|kinda|sorta)[\s,.!?-]*)*"
    # "dunno, whenever the boss decides": when someone else gets round to it
    r"(?:(?:whenever|depends on|up to)\b.*)?$",
    re.IGNORECASE,
)


_SENTENCES = re.compile(r"(?<=[.;!?])\s+")


# A sentence that asks the bot something, not an answer said with a rising voice ("About
# 850 people globally?", "R400 a month maybe?").
_ASKS = re.compile(
    r"^\W*(?:(?:and|but|so|also|oh|ok|okay|sorry|um+|uh+|hmm+|just|quick question)\W+)*"
    r"(?:does|do|did|is|are|was|were|can|could|will|would|should|shall|may|might|what|how|why|"
    r"where|when|who|which|whose|have|has|any)\b",
    re.I,
)


def _without_questions(text: str) -> str | None:
    """The sentences of `text` that state something, when it also asks something; None
    when it asks nothing or only asks."""
    sentences = [s for s in _SENTENCES.split(text.strip()) if s.strip()]
    stated = [s for s in sentences if not (s.rstrip().endswith("?") and _ASKS.match(s))]
    if not stated or len(stated) == len(sentences):
        return None
    return " ".join(stated)


_FOR_THIS = re.compile(
    r"\b(?:for|on) (?:this|parley|a tool like this|something like this|your (?:tool|product|"
    r"thing|bot|service))\b",
    re.I,
)


_AFTER_THE_HOLIDAYS_ALONE = re.compile(
    r"^\W*(?:(?:oh|um+|uh+|well|so|probably|maybe|sometime|some time|definitely|realistically)\W+)*"
    r"(?:after|once|post|past)\s+(?:the\s+)?(?:christmas|xmas|holidays|festive (?:season|period)|"
    r"christmas (?:holidays|break|period)|holiday season)"
    r"(?:\W+(?:sometime|some time|i guess|probably|i think|maybe|really|now|then))*\W*$",
    re.I,
)
_WHEN_SOMEONE_ELSE_SAYS = re.compile(
    r"\bwhenever (?:the |my |our |head |he |she |they |management |leadership )?(?:\w+ )?"
    r"(?:says?|decides?|approves?|wants?|signs? off|tells? (?:us|me)|gives? the (?:ok|okay|go[- ]ahead|nod))\b|"
    r"\b(?:up to|depends on|depending on) (?:the|my|our|when the|when my|when our) "
    r"(?:boss|owner|board|manager|management|head office|director|ceo|committee|council|trustees)\b",
    re.I,
)
_CANNOT_SAY_WHEN = re.compile(
    r"^\W*(?:honestly\W+)?(?:i\s+)?(?:couldn'?t|can'?t|cannot) (?:really )?(?:tell you|say)\b\W*(?:$|[.!;])|"
    # "whenever things calm down a bit": when something else allows, not yet known
    r"\bwhenever (?:things|it|work|business|trade|the season|we|i|life) (?:\w+ ){0,2}(?:calms?|quietens?|"
    r"quiets?|slows?|settles?|frees?|gets? (?:quieter|less busy))\b|"
    r"\b(?:can(?:no|')?t|cannot|could(?:n'?t| not)|unable to|not able to|hard to|difficult to)\s+"
    r"(?:really\s+|honestly\s+)?(?:say|tell|give|commit to|promise|put)\s+(?:you\s+)?(?:a|any|the|an?y?)?\s*"
    r"(?:exact\s+|firm\s+|fixed\s+|specific\s+)?(?:date|time(?:line|frame)?|deadline|when)\b",
    re.I,
)
_NO_RUSH_ALONE = re.compile(
    r"^\W*(?:(?:oh|um+|uh+|er+|erm|well|honestly|really|so|hmm+|eh|ah)\W+)*"
    r"(?:(?:there'?s |there is )?no (?:rush|hurry)|(?:we'?re |i'?m |we are |i am )?not in (?:a|any) "
    r"(?:rush|hurry)|whenever|(?:it'?s |its )?not (?:urgent|pressing))"
    r"(?:\W+(?:really|not urgent|honestly|at all|whenever|no rush|no hurry|tbh|mate|to be honest|its ready|"
    r"(?:i'?m |we'?re |i am |we are )?not in (?:a|any) (?:rush|hurry)|"
    r"it'?s ready|is fine|works|suits|"
    # "Whenever, honestly, there's no deadline on it": no time said
    r"(?:there'?s |there is |we have |we'?ve got )?no deadline(?: on it| for (?:it|this)|"
    r"(?: \w+){1,4})?))*\W*$",
    re.I,
)


def read_answer(
    field_name: str,
    text: str,
    intent: str | None = None,
    country: str | None = None,
    today: date | None = None,
) -> Answer:
    """Read the answer to the qualifying question about `field_name`; `country` is that of
    the person's phone number, when known (for a budget in pesos or dollars, a summer
    south of the equator); `today` places a named month or quarter (today's date by
    default)."""
    if refuses_to_share(text):
        # "I won't be sharing any details today, thank you": no timeline of today
        return Answer(None, declined=True)
    read = _read_answer(field_name, text, intent, country, today)
    if field_name == "company_size" and _ASKS_WHO_COUNTS.search(text):
        return read  # the count stated beside the question is of those it asks about
    if read.value is None and read.follow_up is None:
        statements = _without_questions(text)
        if statements is not None:
            # "We're about 40 teachers plus 6 in the office. Does the price depend on
            # headcount?": the answer is in what they state; the question beside it is
            # answered on its own, and its words ("depend") say nothing of the answer.
            stated = _read_answer(field_name, statements, None, country, today)
            if stated.value is not None:
                return stated
    return read


def _read_answer(
    field_name: str,
    text: str,
    intent: str | None,
    country: str | None,
    today: date | None,
) -> Answer:
    text = with_answer_words(without_particles(text) or text)
    if asks_to_hear_it_again(text):
        return Answer(None)  # "I do not understand the question" is no "I do"
    if (meant := _ASKS_WHAT_IS_MEANT.match(text)) is not None:
        # "Do you mean would I sign off on it?": what the question means is asked, and
        # its words ("sign off") are no answer; what follows it may be.
        rest = text[meant.end() :]
        if not re.search(r"[^\W_]", rest):
            return Answer(None)
        text = rest
    if field_name == "timeline" and (
        # "no rush", "oh whenever": no hurry, and no time said. Some mean no timeline at
        # all, some only no hurry ("No set timeline" is an answer, "later").
        _NO_RUSH_ALONE.match(text.strip())
        # "after the holidays": early January or any time after
        or _AFTER_THE_HOLIDAYS_ALONE.match(text.strip())
        # "whenever the boss says": their time, not yet known
        or _WHEN_SOMEONE_ELSE_SAYS.search(text)
    ):
        return Answer(None)  # asked once more with the options, not guessed
    if field_name == "timeline" and _CANNOT_SAY_WHEN.search(text):
        # "Honestly I cannot say a date right now": no time, whatever "now" says.
        return Answer(None, declined=True)
    if _UNSURE_AND_VAGUE.match(text.strip()):
        # "idk, soon-ish?": not knowing, then a guess no band holds.
        return Answer(None, declined=True)
    if field_name != "authority":
        taken_back = _taken_back(text)
        if taken_back is not None:
            # "about 30, no actually closer to 60", "sixty k annually no sorry sixteen":
            # what they said last stands, with the first figure's unit when said bare. A
            # correction that can't be read is no reason to keep what it replaced.
            earlier, later, firm = taken_back
            last = read_answer(field_name, _carried_over(earlier, later), None, country, today)
            if last.value is not None or (firm and re.search(r"[^\W_]", later)):
                return Answer(last.value)
    if field_name == "company_size" and (
        _UNSURE_HOW_TO_COUNT.search(text) or _ASKS_WHO_COUNTS.search(text)
    ):
        # "a part-time secretary, the minister and a dozen volunteers. I'm not sure how
        # you'd count that": whom to count is the open question, so no band is guessed.
        return Answer(None)
    if field_name == "authority" and (_UNSURE_AFTER.search(text) or _BY_AMOUNT.search(text)):
        # "I decide. Well actually my manager decides. not sure", "up to 2k I can approve
        # it, over that the board": who decides is not known yet; asked again.
        return Answer(None)
    if field_name == "authority" and (concluded := _concluded_authority(text)):
        # "Glenn says he's the boss, but he told me to pick and he'll sign the check. So
        # it's my decision, really.": the story ends with its answer.
        return Answer(concluded)
    if field_name == "authority":
        value = read_authority(text, intent)
    elif field_name == "budget":
        value = read_budget(text, country)
    elif field_name == "timeline":
        if (concluded := _concluded(text)) is not None and (
            concluded_when := read_timeline(concluded, today, country)
        ):
            # "The money sits in the new financial year, which starts in March, so go-live
            # by about mid-year": the story ends with its answer.
            return Answer(concluded_when)
        said = _NOW_OPENING_A_QUESTION.sub("", text)
        value = read_timeline(said, today, country) if said.strip() else None
        besides = _NOT_BEFORE_CLAUSE.sub(" ", said)
        if besides != said and besides.strip():
            # "Not before Christmas anyway. I'd say by the summer": a time said besides,
            # when it is later than the first reading ("not before" only sets a floor).
            other = read_timeline(besides, today, country)
            if other is not None and (
                value is None or _SOONEST.index(other) > _SOONEST.index(value)
            ):
                value = other
        if (value in ("year", "later") and next_year_alone(said, today, country)) or (
            value in (None, "year", "later") and next_year_or_later(said, today, country)
        ):
            # "no rush, maybe next year": in December that is three weeks away or more than
            # a year, and people mean either (the persona authors filed it both ways).
            # Asked once with the two options rather than guessed.
            return Answer(None, follow_up=YEAR_OR_LATER)
    else:
        value = READERS[field_name](text)
    if field_name == "authority" and value == "influences" and not states_own_part(text):
        # "ask my boss", "the owner picks": whose decision it is, not the person's part
        # in it. Asked with buttons (a say, or looking into it) rather than guessed.
        return Answer(None, follow_up=NOT_THE_DECIDER)
    if value is not None:
        return Answer(value)
    for_this = _FOR_THIS.search(text)
    if field_name == "budget" and for_this is not None and text[for_this.end() :].strip():
        # "we spend a fortune on zillow leads so for this i'd say a thousand a month"
        settled = read_answer(field_name, text[for_this.end() :], None, country, today)
        if settled.value is not None:
            return settled
    sentences = _SENTENCES.split(text.strip())
    if field_name != "authority" and len(sentences) > 1 and sentences[-1].strip():
        # "That's what we pay for email now. For this I'd say £1,000 a month max": the
        # whole reads as no answer, its last sentence settles it.
        last = read_answer(field_name, sentences[-1], None, country, today)
        if last.value is not None:
            return last
    if field_name == "authority" and len(sentences) > 1 and sentences[0].strip():
        # "Me. My name's over the door.": the answer first, then why.
        first = read_answer(field_name, sentences[0], intent, country, today)
        if first.value is not None:
            return first
    if field_name == "authority" and (
        (intent == "deny" and not _TURNS_DOWN.search(text)) or _HALF_YES.search(text)
    ):
        return Answer(None, follow_up=NOT_THE_DECIDER)
    if field_name == "budget" and _PRICE_NOT_KNOWN.search(text):
        return Answer(None, follow_up=PRICE_NOT_KNOWN)
    if (_NOT_SURE.search(text) and not is_question(text)) or intent in ("skip", "deny"):
        # "What do you charge? I've no idea if that's daft money": a question to answer,
        # not a refusal of this one.
        return Answer(None, declined=True)
    if field_name == "budget" and _BUDGET_NOT_SET.search(text):
        return Answer(None, declined=True)  # "no budget set yet": not known, and not asked again
    return Answer(None)


# A budget said unprompted names itself: "our budget is about 5k", "we could spend 200 a
# month on a tool like this". Money spent elsewhere ("we spend $2000 a month on ads", "we
# lose $5,000 a month in missed calls", "I can sign up to 20k") is no budget for this.
_BUDGET_CLAUSE = re.compile(
    r"\bbudget\w*(?P<rest>[^.;!?]*)|"
    r"\b(?:spend|pay|invest|afford|put)\w*(?P<spend>[^.;!?]*?)\b(?:on|for|into|towards?)\s+"
    r"(?:this|it|that|a tool|the tool|a (?:\w+ )?(?:tool|solution|system|platform|product|service)|"
    r"software|parley|something like (?:this|that|parley)|your (?:\w+ )?(?:tool|product|software|"
    r"service|platform|plans?))\b|"
    # "we could spend $800", "happy to pay around 50 a month": what they would pay us
    r"\b(?:could|can|would|might|will|'d|happy to|able to|willing to|prepared to)\s+(?:\w+\s+)?"
    r"(?:spend|pay|invest|afford|go (?:up )?to)\b(?P<modal>[^.;!?]*)",
    re.I,
)


# Who decides, said beside another answer: "we're 45, and I'm the budget holder", "Q1 -
# my VP signs off". Only clauses about deciding are read.
_ABOUT_DECIDING = re.compile(
    r"\b(?:decid\w*|decision\w*|sign(?:s|ing)? (?:it )?off|sign[- ]off|approv\w*|budget holder|"
    r"my budget|final say|my call|up to me|i'?m the owner|i own (?:the|this|my))\b",
    re.I,
)
# When, said beside another answer: "about $2k a month and we'd want to start next quarter".
_ABOUT_WHEN = re.compile(
    r"\b(?:need(?:s|ed)? (?:it|this|something|to (?:have|be|start|go))|want(?:s|ed)? (?:it|this|to (?:start|"
    r"go live|launch|have|be))|'d (?:want|like) to (?:start|go live|launch|have)|looking to (?:start|go live|"
    r"launch)|hoping to (?:start|go live|launch)|go[- ]live|going live|live (?:by|before|in)|"
    r"(?:start|starting|launch|rolling out|roll out) (?:in|by|next|this|from|before|after)|"
    r"up and running|in place by|target\w* (?:date|go[- ]live|launch))\b",
    re.I,
)
# "the board approves it in January" says nothing of the person's part in it.
_ABOUT_THEMSELVES = re.compile(r"\b(?:i|i'm|im|me|my|mine|myself)\b", re.I)
_CLAUSES = re.compile(r"\s*(?:[,;.!?]|\s-\s|\band\b|\bbut\b|\bso\b)\s*", re.I)


def _volunteered_authority(text: str) -> str | None:
    values = {
        value
        for clause in _CLAUSES.split(text)
        if _ABOUT_DECIDING.search(clause)
        and _ABOUT_THEMSELVES.search(clause)
        and (value := read_authority(clause))
    }
    return values.pop() if len(values) == 1 else None


_ONE_OF_SO_MANY = re.compile(r"\bone of (?:its|the|their|our|his|her)? ?(?:\w+ )?\S+ \w+", re.I)


def _volunteered_timeline(text: str, today: date | None, country: str | None) -> str | None:
    when = _ABOUT_WHEN.search(text)
    if when is None:
        return None
    clause = re.split(r"[;!?]|\.(?!\d)|\bbut\b", text[when.start() :], maxsplit=1)[0]
    return read_timeline(clause, today, country)


_THOSE_WHO_DECIDE = re.compile(
    r"\b(?:the\s+|both\s+|all\s+)?(?:\w+\s+)?(?:\d+|two|three|four|five|six|seven|eight|nine|ten)\s+"
    r"(?:\w+\s+)?\w+\s+(?:who|that|which)\s+(?:own|owns|run|runs|decide|decides|make|makes|sign|signs|"
    r"manage|manages|approve|approves|lead|leads|founded|started|set up)\b",
    re.I,
)


def read_volunteered(
    text: str,
    country: str | None = None,
    requested: str | None = None,
    today: date | None = None,
) -> dict[str, str]:
    """Qualifying details said unprompted with clear cue words ("we're 200 people"), beside
    the answer to the `requested` question (who decides and when are read only there)."""
    found: dict[str, str] = {}
    if requested not in (None, "authority") and (authority := _volunteered_authority(text)):
        found["authority"] = authority
    if requested not in (None, "timeline") and (
        timeline := _volunteered_timeline(text, today, country)
    ):
        found["timeline"] = timeline
    # "I am one of its five members": a committee counted, not the company; nor are "the two
    # physios who own it".
    text = _THOSE_WHO_DECIDE.sub(" ", text)
    amounts = _amounts(_ONE_OF_SO_MANY.sub(" ", text))
    size = _band(_head_counts(amounts, cued_only=True), _size_bucket)
    spelled = _spell_out_numbers(text)
    if size and (_counts_a_part(spelled) or _TOTAL_THEN_PARTS.match(spelled)):
        size = read_company_size(text)  # a department counted is no company size
    if size and not _counted_two_ways(amounts, spelled):
        # "8 of us and 40 freelancers" has a cued count, and no size.
        found["company_size"] = size
    clause = _BUDGET_CLAUSE.search(text) if "?" not in text else None
    said = (clause["rest"] or clause["spend"] or clause["modal"] or "") if clause else ""
    budget_amounts = _amounts(said)
    yearly = _yearly_dollars(budget_amounts, country)
    budget = _band(yearly, _budget_bucket) if yearly else None
    if budget:
        found["budget"] = budget
    # The question asked is read by its own reader: a count it leaves open ("not sure how
    # you'd count that") is not filled in from the cue words here.
    found.pop(requested or "", None)
    return found
