"""How far away a named month, quarter or year is: "by March", "Q3", "in 2027".

An answer to "when are you hoping to get started?" that names a point in the calendar
has no timeline of its own: "by March" is a quarter away in December and most of a year
away in April. This reader turns it into months from `today`, so that the timeline
reader can file it in its band. It reads only what names the calendar plainly:

- a month after a word that sets it in time ("in March", "by early September", "before
  May 2027"); "may" and "march" alone are verbs as often as months;
- a quarter ("Q3", "the third quarter"), with or without its year;
- a year from this one on ("2027", "by 2026").

A point already past this year is the next one: "in March" said in December is next
March. A quarter or month under way is no time away.
"""

from __future__ import annotations

import re
from datetime import date

_MONTHS = (
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
)  # fmt: skip
# A month's name, whole or short ("jan", "sept"); no group, for other patterns to use.
MONTH_NAME = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|"
    r"aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_MONTH = rf"(?P<month>{MONTH_NAME})"
_YEAR = r"(?P<year>20[2-9]\d)"
# "June '27"; "Dec 31" and "March 15" are days, so two figures without the apostrophe are a
# year only when no day could be meant.
_SHORT_YEAR = r"(?:'(?P<short>\d\d)|(?P<short_bare>3[2-9]|[4-9]\d))"
_SETS_IN_TIME = (
    # "this side of March": before it
    r"(?:in|by|before|this side of|until|till|til|around|round about|about|from|after|for|come|starting|start of|"
    r"beginning of|end of|middle of|early|mid|late|latest|next|this|say|end|start)"
)
_NAMED_MONTH = re.compile(
    rf"\b(?P<set>{_SETS_IN_TIME}|on)[\s-]+(?:(?:the\s+)?(?P<part>early|mid|middle of|late|end of|end|"
    # "on 31 March", "by the 15th of June": the day before the month
    rf"start of|beginning of)[\s-]+|(?:the\s+)?\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?)?{_MONTH}\b\.?(?:\s*,?\s*(?:{_YEAR}|{_SHORT_YEAR})\b)?",
    re.I,
)
# After the month or an event in it, without a clause ending in between.
_AFTER = re.compile(r"\bafter\b[^.;!?]*$", re.I)
# Where in the month: "by the end of January" is nearly two months away in December.
_PART_OF_MONTH = {"mid": 0.5, "middle of": 0.5, "late": 0.8, "end of": 0.9, "end": 0.9}
# A season named for itself, not as a word for something in it ("the spring rush", "the
# autumn appeal") or a verb ("before sales fall off").
_SEASON_ALONE = (
    r"(?=\s*(?:$|[.,;:!?)]|\b(?:next|this|at|in|when|if|so|and|or|but|please|ideally|"
    r"hopefully|latest|i|we|then|time)\b))"
)
# Days people plan around, at the month they fall in (the next one from today); moving
# feasts at their usual month. Only after a word that sets them in time.
_HOLIDAYS = (
    (r"christmas|xmas", 12),
    (r"(?:chinese|lunar) new year|\btet\b|spring festival", 2),
    (r"(?<!financial )(?<!fiscal )(?<!chinese )(?<!lunar )new year(?:'?s)?(?! eve)", 1),
    (r"diwali|deepavali", 11),
    (r"easter", 4),
    (r"black friday|thanksgiving", 11),
    (r"ramadan|ramzan", 2),
    (r"eid", 3),
    (r"the (?:christmas |festive |winter )?holidays|the festive season", 12),
    (r"golden week", 5),
    (r"chuseok|mid-autumn festival", 9),
    (r"carnival|carnaval|mardi gras", 2),
    (r"oktoberfest", 9),
    (r"valentine'?s(?: day)?", 2),
    (r"mother'?s day", 5),
    (
        r"back to school|the new school year|(?:the )?(?:next |new |coming )?(?:academic|school) year",
        9,
    ),
    (r"boxing day(?: sales)?", 12),
    (r"春节|春節|설날|seollal", 2),
    # Seasons as most people who name them live them (north of the equator); south of
    # it, see _SOUTHERN_SEASONS. Winter is left out: "by winter" said in December is this
    # one or the next.
    (r"(?:the )?summer(?: holidays| break| vacation| holiday|time)?", 7),
    (rf"(?:the )?spring(?:time)?{_SEASON_ALONE}", 4),
    (rf"(?:the )?(?:autumn|fall){_SEASON_ALONE}", 10),
)
_SUMMER, _SPRING, _AUTUMN = (pattern for pattern, _ in _HOLIDAYS[-3:])
# The seasons of Australia, New Zealand, South Africa or Argentina: summer holidays in
# January, spring from September, autumn from March.
_SOUTHERN_SEASONS = ((_SUMMER, 1), (_SPRING, 10), (_AUTUMN, 4))
_HOLIDAY = re.compile(
    r"\b(?P<when>before|this side of|by|until|till|after|around|for|in time for|ahead of|straight after|"
    r"right after|just after|once|post|over|next|come|round about|round|this coming|this|during|"
    # "sometime in the new year" is any time in it
    r"in(?!\s+the\s+new\s+year))\s+(?:the\s+)?(?P<day>"
    + "|".join(f"(?:{pattern})" for pattern, _ in _HOLIDAYS)
    + r")",
    re.I,
)
# A season or a holiday that is the whole answer, said with a doubt or a filler: "ah
# there's no rush the summer maybe", "Easter, hopefully".
_HOLIDAY_AS_THE_ANSWER = re.compile(
    r"^\W*(?:(?:ah|oh|um+|uh+|er+m?|eh|well|so|hmm+|there'?s no (?:rush|hurry)|no (?:rush|hurry)|"
    r"maybe|probably|possibly|hopefully|ideally|i think|i guess|i'?d say|realistically|"
    r"sometime (?:in|around))\W+)*(?:the\s+)?(?P<day>"
    + "|".join(f"(?:{pattern})" for pattern, _ in _HOLIDAYS)
    + r")(?:\W+(?:maybe|probably|possibly|hopefully|ideally|i think|i guess|i reckon|i'?d say|ish|"
    r"or so|at the latest|i suppose|if we can|if possible))*\W*$",
    re.I,
)
# "early next year", "mid-2027", "the first half of next year", "end of the year".
_PART_OF_YEAR = re.compile(
    r"\b(?P<part>early|earlier|start of|beginning of|first half of|h1|mid|middle of|"
    r"second half of|h2|late|latter part of|end of)[\s-]+(?:the\s+)?"
    rf"(?:next year|{_YEAR})\b|"
    # "2027 mid", "2027 end"
    rf"\b{_YEAR.replace('year', 'year2')}[\s-]+(?P<part2>early|mid|late|end)\b",
    re.I,
)
# A month named alone, after a comma or as the whole answer ("new financial year, April"):
# not "may" or "march", which are verbs as often, unless in brackets ("end of FY (March)").
_BARE_MONTH = re.compile(
    r"\b(?P<month>january|february|april|june|july|august|september|october|november|"
    r"december|(?<=\()(?:march|may)(?=\))|"
    # "Jan-ish", "Feb, worst case March": a short name as the whole answer's first word
    r"(?<=^)(?:jan|feb|apr|jun|jul|aug|sept?|oct|nov|dec)(?=-?ish\b|\W*$|\s*,|\s+(?:or|latest|at the latest|"
    r"ideally|hopefully|probably|worst case)\b))\b",
    re.I,
)
# "sometime next year": the middle of it, unless put off ("not before next year").
_NEXT_YEAR = re.compile(r"\bnext year\b", re.I)
_YEAR_PART_MONTH = {
    "early": 2, "earlier": 2, "start of": 1, "beginning of": 1, "first half of": 4, "h1": 4,
    "mid": 7, "middle of": 7, "second half of": 10, "h2": 10, "late": 11,
    "latter part of": 11, "end of": 12,
}  # fmt: skip
# "by end of quarter", "EOQ": the end of the quarter under way (or of the next).
_QUARTER_END = re.compile(
    r"\b(?:(?:the\s+)?end of (?:the |this |(?P<next>next |the next |the following ))?quarter|"
    r"quarter[- ]end|eoq)\b",
    re.I,
)
# Not a financial or tax year's end, nor the company's own ("our year end"), which falls in
# its own month ("our financial year end, which is the end of February").
_YEAR_END = re.compile(
    r"\b(?:(?:the\s+)?end of (?:the |this )?year|(?<!financial )(?<!fiscal )(?<!tax )(?<!our )(?<!their )(?<!my )(?<!company's )(?<!new )year[- ]end|eoy|"
    # "before the year ends", "before the year's out"
    r"(?:before|by the time|until|till) (?:the|this) year(?:'s| is)? (?:ends|is over|over|out|finishes|closes))\b",
    re.I,
)
_MONTH_AND_YEAR = re.compile(rf"(?<![\w-]){_MONTH}\s*,?\s*(?:{_YEAR}|{_SHORT_YEAR})\b", re.I)
_ORDINAL = {
    "first": 1,
    "1st": 1,
    "second": 2,
    "2nd": 2,
    "third": 3,
    "3rd": 3,
    "fourth": 4,
    "4th": 4,
}
_QUARTER = re.compile(
    r"\b(?:q\s?(?P<q>[1-4])|q\s(?P<spoken>one|two|three|four)|"
    r"(?P<ordinal>first|1st|second|2nd|third|3rd|fourth|4th)\s+quarter)"
    rf"(?:\s*(?:of\s+)?'?(?:{_YEAR}|(?P<short>\d\d)\b))?",
    re.I,
)
_YEAR_ALONE = re.compile(rf"(?<![\d.,/-]){_YEAR}(?![\d.,/-]*\d)")


def next_year_away(text: str, today: date) -> float | None:
    """Months to the middle of next year when `text` says "next year": seven in December,
    over a year in June."""
    if _NEXT_YEAR.search(text) is None:
        return None
    return _middle_of(today.year + 1, today)


def _middle_of(year: int, today: date) -> float:
    """Months from `today` to the middle of `year`: a year named without a month."""
    return _months_to(_YEAR_PART_MONTH["mid"], year, today)


_ONES = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
# A year as it is said aloud: "twenty twenty-eight", "two thousand and twenty nine".
_SPOKEN_YEAR = re.compile(
    r"\b(?:twenty|two thousand(?: and)?)[\s-]+(?P<tens>twenty|thirty)(?:[\s-]+(?P<ones>"
    + "|".join(_ONES)
    + r"))?\b",
    re.I,
)


def _year_in_figures(match: re.Match[str]) -> str:
    ones = _ONES.index(match["ones"].lower()) + 1 if match["ones"] else 0
    return str(2000 + (20 if match["tens"].lower() == "twenty" else 30) + ones)


def years_in_figures(text: str) -> str:
    """Years said aloud as figures: "twenty twenty-eight" -> "2028"."""
    return _SPOKEN_YEAR.sub(_year_in_figures, text)


# A day and month in figures after a word that sets them in time: "till 31/01", "by 3.2".
# Day first unless the second figure can only be a day ("by 12/28"). With a dot, only the
# month second: "from 9.30" is a time of day.
_DATE_IN_FIGURES = re.compile(
    r"\b(?:by|before|until|till|til|on|from|around|after|starting|start|end|ends|due|"
    # the same in the speaker's first language: "bis zum 15.02.", "hasta el 15/02"
    r"bis(?: zum)?|ab|vor dem|hasta(?: el)?|antes del?|avant le|jusqu'au|at[eé](?: dia)?|voor)\s+"
    r"(?:the\s+)?(?P<a>[0-3]?\d)(?P<sep>[/.])(?P<b>[0-3]?\d)(?P<year>[/.](?:20)?\d\d)?(?![\d/]|\.\d)",
    re.I,
)


def _date_in_figures(text: str, today: date) -> tuple[int, float] | None:
    match = _DATE_IN_FIGURES.search(text)
    if match is None:
        return None
    a, b = int(match["a"]), int(match["b"])
    if match["sep"] == "." and b > 12 and not match["year"]:
        return None  # "from 9.30" is a time of day
    year = int(match["year"][1:]) if match["year"] else None
    if year is not None and year < 100:
        year += 2000

    def away(day: int, month: int) -> float:
        if year is None:
            return _away(day, month, today)
        # "until 31.12.2027": that year's day, not the next one of its kind
        months = (year - today.year) * 12 + month - today.month + (day - today.day) / 30
        return max(0.0, months)

    if 1 <= b <= 12 < a <= 31:
        return match.start(), away(a, b)
    if 1 <= a <= 12 < b <= 31:
        return match.start(), away(b, a)
    if not (1 <= a <= 12 and 1 <= b <= 12):
        return None
    # "by 03/02": the 3rd of February or the 2nd of March. When both fall in the same
    # band of the timeline, either is the answer; when not, no date is read.
    readings = sorted((away(a, b), away(b, a)))
    if months_bucket(readings[0]) != months_bucket(readings[1]):
        return None
    return match.start(), readings[0]


def _away(day: int, month: int, today: date) -> float:
    away = _months_to(month, None, today) + (day - today.day) / 30
    return max(0.0, away if away >= 0 else away + 12)


def months_bucket(months: float) -> str:
    """The timeline band `months` from today falls in."""
    if months <= 1:
        return "now"
    if months <= 3:
        return "quarter"
    if months <= 12:
        return "year"
    return "later"


def months_away(text: str, today: date, south: bool = False) -> float | None:
    """Months from `today` to the first month, quarter or year `text` names; None when it
    names none. `south`: the person lives south of the equator (their summer is January)."""
    text = years_in_figures(text)
    found: list[tuple[int, float]] = []
    if (figures := _date_in_figures(text, today)) is not None:
        found.append(figures)
    months = _named_months(text)
    if (day_named := _day_named(text, today)) is not None:
        start, end, away = day_named
        found.append((start, away))
        # The month is said with its day: not a second time.
        months = [
            m for m in months if not start <= m.start() < end and not m.start() <= start < m.end()
        ]
    for month in months:
        number = _MONTHS.index(month["month"][:3].lower()) + 1
        said = month.groupdict()
        part = _PART_OF_MONTH.get((said.get("part") or said.get("set") or "").lower(), 0.0)
        before = text[max(0, month.start() - 40) : month.start() + len(said.get("set") or "")]
        # ("after Christmas, the start of January": the "after" is Christmas's)
        if _AFTER.search(re.split(r"[,;.!?]", before)[-1]):
            part = 1.0  # "after March", "after our fiscal year closes in March": April on
        away = _months_to(number, _year_of(month), today)
        set_word = (said.get("set") or "").lower()
        if set_word == "next" and number == today.month and _year_of(month) is None:
            away += 12  # "next December" said in December is a year away
        # "early jan", "in early January": its first days, not its middle
        early = "early" in (set_word, (said.get("part") or "").lower())
        if not part and set_word not in _BY_ITS_START and not early:
            away = _into_next_month(away, today)
        found.append((month.start(), away + part))
    relative = _RELATIVE_MONTH.search(text)
    if relative is not None:
        part = _PART_OF_MONTH.get(relative["part"].lower().replace("the ", ""), 0.0)
        found.append((relative.start(), (relative["which"].lower() != "this") + part))
    holiday = _HOLIDAY.search(text) or _HOLIDAY_AS_THE_ANSWER.match(text)
    if holiday is not None:
        day = holiday["day"].lower()
        number = next(n for pattern, n in _HOLIDAYS if re.fullmatch(pattern, day, re.I))
        if south:
            number = next(
                (n for season, n in _SOUTHERN_SEASONS if re.fullmatch(season, day, re.I)), number
            )
        after = (
            0.5
            if (holiday.groupdict().get("when") or "").lower()
            in ("after", "straight after", "right after", "just after", "once", "post")
            else 0.0
        )
        found.append((holiday.start(), _months_to(number, None, today) + after))
    part_of_year = _PART_OF_YEAR.search(text)
    if part_of_year is not None:
        where = str(part_of_year["part"] or part_of_year["part2"]).lower()
        number = _YEAR_PART_MONTH["end of" if where == "end" else where]
        year_said = part_of_year["year"] or part_of_year["year2"]
        named = int(year_said) if year_said else today.year + 1
        found.append((part_of_year.start(), _months_to(number, named, today)))
    for bare in _BARE_MONTH.finditer(text):
        # A month named bare counts beside one named in time only when settled on after
        # it ("in March, so probably April"), not when guessed before it ("January?
        # February? Before March anyway").
        settled_before = bool(
            _SETTLED_JUST_BEFORE.search(text[max(0, bare.start() - 25) : bare.start()])
        )
        if any(m.start() <= bare.start() < m.end() for m in months) or (
            months
            and not settled_before
            and not _SETTLED_ON.search(text, months[0].end(), bare.start())
        ):
            continue
        number = _MONTHS.index(bare["month"][:3].lower()) + 1
        away = _months_to(number, None, today)
        if not _BY_THE_START.search(text[: bare.start()]):
            away = _into_next_month(away, today)
        found.append((bare.start(), away))
    quarter_end = _QUARTER_END.search(text)
    if quarter_end is not None:
        last_month = (today.month - 1) // 3 * 3 + 3
        later = 3 if quarter_end["next"] else 0
        found.append((quarter_end.start(), last_month - today.month + later + 1 - _into(today)))
    year_end = _YEAR_END.search(text)
    if year_end is not None:
        found.append((year_end.start(), 12 - today.month + 0.5))
    quarter = _QUARTER.search(text)
    if quarter is not None:
        if quarter["q"]:
            number = int(quarter["q"])
        elif quarter["spoken"]:
            number = _ONES.index(quarter["spoken"].lower()) + 1
        else:
            number = _ORDINAL[quarter["ordinal"].lower()]
        year = _year_of(quarter)
        first_month = number * 3 - 2
        if year is None and today.month >= first_month + 3:
            year = today.year + 1
        elif year is None:
            year = today.year
        # The middle of the quarter: "by Q1" in December is two months away, not one. A
        # quarter under way is "this quarter", not "this month".
        away = max(_months_to(first_month + 1, year, today), 2.0)
        found.append((quarter.start(), away))
    if not found:
        for match in _YEAR_ALONE.finditer(text):
            if _RULED_OUT.search(text[: match.start()]):
                continue  # "Not for 2027. Maybe 2028": the year ruled out is not when
            year = int(match["year"])
            if year == today.year:
                return 12 - today.month + 0.5
            if year > today.year:
                # Its middle, as for "next year": within the year in December, later in June.
                return _middle_of(year, today)
    if not found:
        return None
    bare_after = holiday is not None and any(
        f[0] > holiday.start() and _BARE_MONTH.match(text, f[0]) for f in found
    )
    if holiday is not None and (any(m.start() > holiday.start() for m in months) or bare_after):
        # "after the holidays, mid-January", "after Christmas, January sometime": the month
        # says when the holiday only hinted.
        found = [f for f in found if f[0] != holiday.start()]
    settled = [f for f in found if _SETTLED_JUST_BEFORE.search(text[max(0, f[0] - 25) : f[0]])]
    if settled and len(found) > 1:
        # "probably April, once the trustees have met in March": the time hedged on is meant.
        return settled[-1][1]
    if _NOT_BEFORE_FIRST.search(text[: min(found)[0] + 1]) or _SETTLED_LATER.search(text):
        # "Not before Ramadan ends. After Eid, around April": each time named puts it
        # later, and the last one is when they mean.
        return max(found)[1]
    if _SETTLED_ON.search(text, min(found)[0], max(found)[0]):
        # "Before the summer would be lovely, but realistically October", "once the rush
        # is over, so mid March": the time they settle on is the last one named.
        return max(found)[1]
    return min(found)[1]


# A year said to be out of the question: "not for 2027", "not in 2027".
_RULED_OUT = re.compile(r"\b(?:not|never|no way)\s+(?:for|in|during|within)\s+(?:the\s+)?$", re.I)
_DAY_ORDINALS = (
    "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth",
    "tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth",
    "seventeenth", "eighteenth", "nineteenth", "twentieth",
)  # fmt: skip
_DAY = (
    r"(?P<day>[0-3]?\d|(?:twenty|thirty)?[\s-]?(?:"
    + "|".join(_DAY_ORDINALS)
    + r")|twentieth|thirtieth)(?:st|nd|rd|th)?"
)
# A day of a month, either way round: "on the fifth of January", "by Jan 12th".
_DAY_OF_MONTH = re.compile(
    rf"\b(?:the\s+)?{_DAY}\s+(?:of\s+)?{_MONTH}\b|"
    + rf"\b{_MONTH.replace('month>', 'month2>')}\s+(?:the\s+)?{_DAY.replace('day>', 'day2>')}\b(?!\s*(?:am|pm|:|\.\d))",
    re.I,
)


def _day_number(said: str) -> int | None:
    said = said.lower().replace("-", " ").strip()
    if said.isdigit():
        return int(said) if 1 <= int(said) <= 31 else None
    tens, _, ones = said.rpartition(" ")
    if said in ("twentieth", "thirtieth"):
        return 20 if said == "twentieth" else 30
    if ones not in _DAY_ORDINALS:
        return None
    return {"": 0, "twenty": 20, "thirty": 30}.get(tens.strip(), 0) + _DAY_ORDINALS.index(ones) + 1


def _day_named(text: str, today: date) -> tuple[int, int, float] | None:
    """Months to a day named with its month, the first one said: "the fifth of January"
    said on 5 December is a month away, not six weeks."""
    match = _DAY_OF_MONTH.search(text)
    if match is None:
        return None
    day = _day_number(match["day"] or match["day2"] or "")
    if day is None:
        return None
    number = _MONTHS.index((match["month"] or match["month2"])[:3].lower()) + 1
    away = _months_to(number, None, today) + (day - today.day) / 30
    return match.start(), match.end(), away if away >= 0 else away + 12


def _named_months(text: str) -> list[re.Match[str]]:
    """Each month named in time ("in March", "by june '27", "March 2027"), in order, the
    first of two that overlap."""
    found = sorted(
        [*_NAMED_MONTH.finditer(text), *_MONTH_AND_YEAR.finditer(text)], key=lambda m: m.start()
    )
    kept: list[re.Match[str]] = []
    for match in found:
        if not kept or match.start() >= kept[-1].end():
            kept.append(match)
    return kept


# A time said again as the one meant: "..., so probably April", "but realistically June".
_SETTLED_ON = re.compile(
    r"\b(?:so|but|though|realistically|more realistically|more likely|likelier|in reality|"
    r"probably|but probably|sometime|some time|say|roughly)\b",
    re.I,
)
# The same, said right before the time: "probably April", "realistically mid-June".
_SETTLED_JUST_BEFORE = re.compile(
    r"\b(?:realistically|more realistically|more likely|likelier|in reality|probably|"
    r"but probably)\s+(?:(?:in|by|around|at|for|the|end of|mid|early|late)[\s-]+)*$",
    re.I,
)
# "end of next month", "mid this month": where in a month counted from this one.
_RELATIVE_MONTH = re.compile(
    r"\b(?P<part>early|mid|middle of|late|end of|the end of|end)[\s-]+(?:the\s+)?"
    r"(?P<which>this|next|following) month\b",
    re.I,
)


# A first time that only says when it cannot be, then another: the later one is meant.
_NOT_BEFORE_FIRST = re.compile(r"\bnot\s+(?:before|until|till|til)\s+\S*$", re.I)
_SETTLED_LATER = re.compile(
    r"\bnot\s+(?:before|until|till|til)\b.*[.,;]\s*(?:after|around|so)\b", re.I
)


def _year_of(match: re.Match[str]) -> int | None:
    groups = match.groupdict()
    if groups.get("year"):
        return int(groups["year"])
    if short := groups.get("short") or groups.get("short_bare"):
        return 2000 + int(short)
    return None


# "By January" is met at its start; "in January" or plain "January" somewhere in it. The
# words are the one named before a month in time, or right before a month named bare.
_BY_ITS_START = frozenset(
    {
        "by",
        "before",
        "this side of",
        "until",
        "till",
        "til",
        "ahead of",
        "start of",
        "beginning of",
        "start",
    }
)
_BY_THE_START = re.compile(
    rf"\b(?:{'|'.join(sorted(_BY_ITS_START, key=len, reverse=True))})\s+(?:the\s+)?$", re.I
)


def _into(today: date) -> float:
    """How much of today's month has gone, in months."""
    return (today.day - 1) / 30


def _into_next_month(away: float, today: date) -> float:
    """Next month named as a whole: its middle, so "January" said on 5 December is six
    weeks off (more than the month "now" allows) and said on 28 December a fortnight."""
    if away != 1:
        return away
    return away + max(0.0, 0.5 - _into(today))


def _months_to(month: int, year: int | None, today: date) -> float:
    if year is None:
        return float((month - today.month) % 12)
    return float(max(0, (year - today.year) * 12 + month - today.month))
