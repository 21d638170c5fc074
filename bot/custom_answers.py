"""Reading a free-text answer to a marketer's own lead field (bot/custom_fields.py).

People answer in words, not in the canonical forms the store keeps: "about 40",
"1.200", "next Friday", "a mate told me", "jo at acme dot io". Each type has a reader
here that returns the canonical value (what `CustomField.normalize` would accept) only
when the answer is clear: a wrong detail is worse than a missing one, so an answer that
could mean two options, two numbers or two dates is left unread and asked again.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from difflib import SequenceMatcher
from typing import Literal

from bot.custom_fields import MAX_VALUE, CustomField, Option, check_number
from bot.errors import InvalidField
from bot.interruptions import declines, is_question
from bot.lead_vocabulary import word_set
from bot.leads import clean_free_text, read_message
from bot.qualification import spell_out_numbers
from bot.yes_no import read_yes_no

# Why nothing was read (the ask action words its second try after it).
Problem = str


@dataclass(frozen=True)
class CustomAnswer:
    value: str | None = None
    problem: Problem | None = None
    declined: bool = False


@dataclass(frozen=True)
class Context:
    """What the reader needs besides the words: today (dates), where the person is
    (phone numbers, day/month order) and what the conversation already knows."""

    today: date
    region: str = "US"
    email_hint: str | None = None
    caller: str | None = None


UNCLEAR = CustomAnswer(problem="unclear")

# Words that only turn the question down, whatever the field's type ("skip", "pass",
# "rather not say"). "No" is not one of them: it answers a yes/no field.
_SKIP_ONLY = re.compile(
    r"^\W*(?:skip(?: (?:it|this|that)(?: one)?)?|pass|next|n/?a|no comment|rather not(?: say)?|"
    r"(?:i'?d )?prefer not to (?:say|answer)|(?:i'?d )?rather not (?:say|answer|share)|"
    r"none of your business)\W*$",
    re.IGNORECASE,
)


def read_answer(field: CustomField, text: str, context: Context) -> CustomAnswer:
    """The canonical value `text` gives for `field`, or why there is none."""
    said = text.strip()
    if not said:
        return CustomAnswer(problem="empty")
    if said == "/skip" or _SKIP_ONLY.match(said):
        return CustomAnswer(declined=True)
    if said.startswith("/"):
        return UNCLEAR  # another button (an intent) is no answer to this question
    first = _before_refusal(field, said, context)
    if first is not None:
        return first
    if is_question(said):
        return CustomAnswer(problem="question")  # "what do you mean by event?" names no event
    if declines(said):
        return CustomAnswer(declined=True)
    return _READERS[field.type](field, said, context)


def _before_refusal(field: CustomField, said: str, context: Context) -> CustomAnswer | None:
    """Answers that would otherwise read as turning the question down: a bare "no" to a
    yes/no field, an option called "None"."""
    if field.type == "yes_no":
        found = read_yes_no(said)
        if found.clean and found.answer in ("yes", "no"):
            return CustomAnswer(value=found.answer)
    if field.type == "choice":
        exact = _exact_option(field.options, said)
        if exact is not None:
            return CustomAnswer(value=exact.id)
    return None


# ------------------------------------------------------------------------------ text

_TEXT_LEAD_IN = re.compile(
    r"^(?:(?:sure|ok|okay|yes|yeah|so|well|um+|uh+|hmm+)[,!.\s]+)*"
    r"(?:(?:it'?s|it’s|it is|that'?s|that is|i'?d say|i would say|"
    r"(?:my|our|the) [\w ]{1,30}? (?:is|are))\s+)?",
    re.IGNORECASE,
)


def _read_text(field: CustomField, said: str, context: Context) -> CustomAnswer:
    if is_question(said):
        return UNCLEAR
    try:
        value = clean_free_text("need", _TEXT_LEAD_IN.sub("", said), answered=True)
    except ValueError as error:
        return CustomAnswer(problem="too_long" if str(error) == "too_long" else "unclear")
    if len(value) > min(field.max_length, MAX_VALUE):
        return CustomAnswer(problem="too_long")
    return CustomAnswer(value=value)


# ---------------------------------------------------------------------------- choice

_STOP = word_set(
    "a an the of from by via through on in at my our your i we it was is it's its some "
    "one and or to me us they"
)
_NEGATION = re.compile(r"\b(?:not|never|no|nor|neither|didn'?t|wasn'?t|isn'?t|don'?t)\b")
_CLAUSE = re.compile(r"[,;.!?]|\b(?:but|though|although)\b")
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6,
             "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10, "last": -1}  # fmt: skip
_BY_POSITION = re.compile(
    r"^\W*(?:(?:the|option|number|no\.?)\s+)?(?P<at>\d{1,2}|"
    + "|".join(_ORDINALS)
    + r")(?:\s+(?:one|option))?\W*$",
    re.IGNORECASE,
)
_CLOSE_ENOUGH = 0.84  # one slip in a word of six letters or more ("serch", "frend")
_MIN_FUZZY = 5


def _plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    bare = bare.replace("’", "'").replace("_", " ").replace("-", " ")
    return " ".join(re.sub(r"[^\w\s']", " ", bare).split())


def _words(text: str) -> list[str]:
    return _plain(text).split()


def _stem(word: str) -> str:
    for suffix in ("ing", "ed", "es", "s"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def _same_word(said: str, meant: str) -> bool:
    if said == meant or _stem(said) == _stem(meant):
        return True
    if min(len(said), len(meant)) < _MIN_FUZZY:
        return False
    return SequenceMatcher(None, said, meant).ratio() >= _CLOSE_ENOUGH


def _exact_option(options: Sequence[Option], said: str) -> Option | None:
    """The option whose id or label is the whole answer (a button's payload is its label)."""
    plain = _plain(said)
    return next(
        (o for o in options if plain in (_plain(o.id), _plain(o.label))),
        None,
    )


def _names(option: Option) -> list[list[str]]:
    """Each way of naming the option, as its words that carry meaning."""
    names = [option.label, option.id, *option.phrasings]
    worded = [[w for w in _words(n) if w not in _STOP] or _words(n) for n in names]
    return [w for w in worded if w]


def _names_option(option: Option, clause: list[str]) -> bool:
    for name in _names(option):
        if all(any(_same_word(said, meant) for said in clause) for meant in name):
            return True
    return False


def _by_position(options: Sequence[Option], said: str) -> Option | None:
    """ "The second one", "3": only from a list of words, where a number is no label."""
    found = _BY_POSITION.match(said)
    if found is None or any(re.search(r"\d", o.label) for o in options):
        return None
    at = found["at"].lower()
    number = int(at) if at.isdigit() else _ORDINALS[at]
    if number == -1:
        return options[-1]
    return options[number - 1] if 1 <= number <= len(options) else None


def _read_choice(field: CustomField, said: str, context: Context) -> CustomAnswer:
    positioned = _by_position(field.options, said)
    if positioned is not None:
        return CustomAnswer(value=positioned.id)
    named: set[str] = set()
    for clause in _CLAUSE.split(_plain_keeping_clauses(said)):
        if not clause.strip() or _NEGATION.search(clause):
            continue  # "not google", "no, a friend": only what a clause says outright
        words = clause.split()
        named |= {o.id for o in field.options if _names_option(o, words)}
    if len(named) == 1:
        return CustomAnswer(value=named.pop())
    return CustomAnswer(problem="ambiguous" if named else "unclear")


def _plain_keeping_clauses(text: str) -> str:
    """Lower case without accents, keeping the punctuation that splits clauses."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    bare = bare.replace("’", "'").replace("_", " ").replace("-", " ")
    return re.sub(r"[^\w\s',;.!?]", " ", bare)


# ---------------------------------------------------------------------------- number

# Vague amounts: no number to store ("a few", "loads", "hundreds").
_VAGUE = re.compile(
    r"\b(?:(?:a )?few|several|many|lots?|loads?|plenty|some|hundreds|thousands|dozens|"
    r"millions)\b(?!\s*\d)",
    re.IGNORECASE,
)
_NUMBER = re.compile(
    r"(?<![\w.,])(?P<sign>-)?(?P<digits>\d+(?:[.,' ]\d+)*)\s*(?P<scale>k|m|thousand|million)?\b",
    re.IGNORECASE,
)
_SCALES = {"k": 1000, "thousand": 1000, "m": 1_000_000, "million": 1_000_000}
# A range is two numbers, not one ("20-30", "between 20 and 30").
_RANGE = re.compile(r"\d\s*(?:-|–|to|or)\s*\d|\bbetween\b", re.IGNORECASE)


def _decimal(digits: str) -> Decimal | None:
    """ "1.200" and "1,200" are twelve hundred; "2,5" and "2.5" two and a half; with both
    separators the last is the decimal point ("1.200,50")."""
    digits = digits.replace("'", "").replace(" ", "")
    marks = [ch for ch in digits if ch in ".,"]
    if len(set(marks)) == 2:
        point = marks[-1]
        digits = digits.replace("." if point == "," else ",", "").replace(",", ".")
    elif marks:
        groups = re.split(r"[.,]", digits)
        thousands = all(len(g) == 3 for g in groups[1:]) and 1 <= len(groups[0]) <= 3
        if thousands:
            digits = "".join(groups)
        elif len(marks) == 1:
            digits = digits.replace(",", ".")
        else:
            return None  # "1.2.3": no number
    try:
        return Decimal(digits)
    except InvalidOperation:
        return None


def read_number(said: str) -> Decimal | None:
    """The one number an answer states: "about 40", "1.200", "two hundred", "2,5k"."""
    if _VAGUE.search(said) and not re.search(r"\d", said):
        return None
    spelt = spell_out_numbers(said)
    if _RANGE.search(spelt):
        return None
    found = list(_NUMBER.finditer(spelt))
    if len(found) != 1:
        return None
    match = found[0]
    number = _decimal(match["digits"])
    if number is None:
        return None
    if match["scale"]:
        number *= _SCALES[match["scale"].lower()]
    return -number if match["sign"] else number


def _read_number(field: CustomField, said: str, context: Context) -> CustomAnswer:
    number = read_number(said)
    if number is None:
        return CustomAnswer(problem="not_a_number")
    try:
        return CustomAnswer(value=check_number(field, number))
    except InvalidField:
        return CustomAnswer(problem="out_of_range")


# ------------------------------------------------------------------------------ date

_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august",
           "september", "october", "november", "december")  # fmt: skip
_MONTH_WORD = (
    r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|"
    r"aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?:,?\s*(?P<year>(?:19|20)\d\d))?"
_MONTH_DAY = re.compile(rf"\b{_MONTH_WORD}\s+(?:the\s+)?{_DAY}\b{_YEAR}", re.IGNORECASE)
_DAY_MONTH = re.compile(rf"\b(?:the\s+)?{_DAY}\s+(?:of\s+)?{_MONTH_WORD}{_YEAR}\b", re.IGNORECASE)
_ISO = re.compile(r"\b(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})\b")
_NUMERIC = re.compile(
    r"(?<![\d/.-])(?P<a>\d{1,2})[/.-](?P<b>\d{1,2})(?:[/.-](?P<year>\d{4}|\d{2}))?(?![\d/.-])"
)
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKDAY = re.compile(
    r"\b(?P<which>next|this|coming|last)?\s*(?P<day>mon|tue|tues|wed|thu|thur|thurs|fri|sat|"
    r"sun)(?:day)?\b",
    re.IGNORECASE,
)
_RELATIVE = re.compile(r"\bin\s+(?P<count>\d+|a|an)\s+(?P<unit>days?|weeks?)\b", re.IGNORECASE)
_NAMED_DAYS = {"today": 0, "tomorrow": 1, "yesterday": -1, "day after tomorrow": 2}
_NAMED_DAY = re.compile(r"\b(?:the\s+)?(day after tomorrow|today|tomorrow|yesterday)\b", re.I)
# Countries that write the month first (3/4 is March 4th there, April 3rd elsewhere).
_MONTH_FIRST = frozenset({"US", "PH", "FM", "MH", "PW", "CA"})
# Vague dates: a month or a week is no day ("end of March", "next week", "in the spring").
_VAGUE_DATE = re.compile(
    r"\b(?:end of|beginning of|start of|mid|middle of|early|late|next week|next month|"
    r"this week|this month|sometime|some time|spring|summer|autumn|fall|winter|asap|soon)\b",
    re.IGNORECASE,
)


def _month_number(word: str) -> int:
    word = word.lower().rstrip(".")
    return next(i for i, name in enumerate(_MONTHS, 1) if name.startswith(word[:3]))


def _nearest(month: int, day: int, today: date) -> date | None:
    """A day and month without a year: the one nearest today (March 3rd said in December
    is next March; November 20th said on December 4th was two weeks ago)."""
    candidates = []
    for year in (today.year - 1, today.year, today.year + 1):
        try:
            candidates.append(date(year, month, day))
        except ValueError:
            continue
    return min(candidates, key=lambda d: abs((d - today).days)) if candidates else None


def _dated(year: str | None, month: int, day: int, today: date) -> date | None:
    if year is None:
        return _nearest(month, day, today)
    full = int(year) + (2000 if len(year) == 2 else 0)
    try:
        return date(full, month, day)
    except ValueError:
        return None


def _weekday(match: re.Match[str], today: date) -> date:
    target = next(i for i, d in enumerate(_WEEKDAYS) if d.startswith(match["day"].lower()[:3]))
    ahead = (target - today.weekday()) % 7
    which = (match["which"] or "").lower()
    if which == "last":
        return today - timedelta(days=(today.weekday() - target) % 7 or 7)
    if which == "next":
        return today + timedelta(days=ahead or 7)  # the first one after today
    return today + timedelta(days=ahead)


def _numeric(match: re.Match[str], region: str, today: date) -> date | None:
    a, b = int(match["a"]), int(match["b"])
    if a > 12 and b > 12:
        return None
    month_first = b > 12 or (a <= 12 and region.upper() in _MONTH_FIRST)
    month, day = (a, b) if month_first else (b, a)
    return _dated(match["year"], month, day, today)


def read_date(said: str, *, today: date, region: str = "US") -> date | None:
    """The one day an answer names: "31/12/2026", "next Friday", "March 3rd", "in 2 weeks"."""
    found: list[date | None] = []
    for iso in _ISO.finditer(said):
        found.append(_dated(iso["year"], int(iso["month"]), int(iso["day"]), today))
    rest = _ISO.sub(" ", said)
    for numeric in _NUMERIC.finditer(rest):
        found.append(_numeric(numeric, region, today))
    rest = _NUMERIC.sub(" ", rest)
    for pattern in (_MONTH_DAY, _DAY_MONTH):
        for named in pattern.finditer(rest):
            found.append(
                _dated(named["year"], _month_number(named["month"]), int(named["day"]), today)
            )
        rest = pattern.sub(" ", rest)
    found += [_weekday(m, today) for m in _WEEKDAY.finditer(rest)]
    found += [today + timedelta(days=_NAMED_DAYS[m[1].lower()]) for m in _NAMED_DAY.finditer(rest)]
    for relative in _RELATIVE.finditer(spell_out_numbers(rest)):
        count = 1 if relative["count"].lower() in ("a", "an") else int(relative["count"])
        days = count * (7 if relative["unit"].lower().startswith("week") else 1)
        found.append(today + timedelta(days=days))
    distinct = set(found)
    if len(distinct) != 1 or None in distinct:
        return None
    return found[0]


def _read_date(field: CustomField, said: str, context: Context) -> CustomAnswer:
    if _VAGUE_DATE.search(said) and not re.search(r"\d", said):
        return CustomAnswer(problem="not_a_date")
    found = read_date(said, today=context.today, region=context.region)
    if found is None:
        return CustomAnswer(problem="not_a_date")
    return CustomAnswer(value=found.isoformat())


# --------------------------------------------------------------------- email, phone


def _read_contact(kind: Literal["email", "phone"], said: str, context: Context) -> CustomAnswer:
    """Email and phone as the lead form reads them (spoken addresses, the caller's
    country for a number without its code)."""
    reading = read_message(
        said,
        region=context.region,
        requested=kind,
        email_hint=context.email_hint,
        caller=context.caller,
    )
    value = reading.values.get(kind)
    if value:
        return CustomAnswer(value=value)
    return CustomAnswer(problem=reading.problems.get(kind) or f"no_{kind}")


def _read_email(field: CustomField, said: str, context: Context) -> CustomAnswer:
    return _read_contact("email", said, context)


def _read_phone(field: CustomField, said: str, context: Context) -> CustomAnswer:
    return _read_contact("phone", said, context)


# ---------------------------------------------------------------------------- yes/no


def _read_yes_no(field: CustomField, said: str, context: Context) -> CustomAnswer:
    found = read_yes_no(said)
    if found.answer in ("yes", "no") and not found.question:
        return CustomAnswer(value=found.answer)
    return CustomAnswer(problem="not_yes_no")


_READERS = {
    "text": _read_text,
    "choice": _read_choice,
    "number": _read_number,
    "date": _read_date,
    "email": _read_email,
    "phone": _read_phone,
    "yes_no": _read_yes_no,
}
