"""Showing offered meeting times to people and reading which one they picked.

Pure functions: a time is shown in the calendar's timezone ("Tue 25 Nov, 10:00"), and a
reply picks one by its label, its position ("the second one", "2"), its weekday or its
hour ("Tuesday", "the 2pm one").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

_ORDINALS = {
    "first": 0, "1st": 0, "second": 1, "2nd": 1, "third": 2, "3rd": 2,
    "fourth": 3, "4th": 3, "fifth": 4, "5th": 4, "last": -1,
    "earliest": 0, "soonest": 0, "latest": -1, "later one": -1, "earlier one": 0,
    # in the speaker's first language: "der erste passt", "la primera", "o segundo"
    "erste": 0, "ersten": 0, "zweite": 1, "dritte": 2, "primero": 0, "primera": 0,
    "segundo": 1, "segunda": 1, "tercero": 2, "tercera": 2, "premier": 0, "premiere": 0,
    "première": 0, "deuxième": 1, "deuxieme": 1, "primeiro": 0, "primeira": 0, "eerste": 0,
    "tweede": 1, "letzte": -1, "último": -1, "ultimo": -1, "última": -1, "dernier": -1,
    # Hindi and Tagalog: "pehla wala theek hai", "yung pangalawa po"
    "pehla": 0, "pehle": 0, "pahla": 0, "pehli": 0, "doosra": 1, "dusra": 1, "doosri": 1,
    "dusri": 1, "teesra": 2, "tisra": 2, "teesri": 2, "pangalawa": 1,
    "pangatlo": 2,
}  # fmt: skip
# Leaving the choice to us: the earliest time offered. Not when it turns them all down.
_ANY = re.compile(
    r"\b(?:any(?:one| of them| time)?|anything|whichever|either|don'?t mind|do not mind|"
    r"up to you|you (?:choose|pick|decide)|all (?:good|fine)|doesn'?t matter)\b",
    re.I,
)
_CONDITION = re.compile(
    r"\b(?:after|before|morning|afternoon|evening|later|earlier|tomorrow|next|week|but)\b", re.I
)
_NONE = re.compile(r"\b(?:none|neither|not|no|can'?t|cannot|won'?t|other|different)\b", re.I)
# Only as the whole reply: "one" in "the second one" is not a position.
_NUMBER_WORDS = {"one": 0, "two": 1, "three": 2, "four": 3, "five": 4}
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_HOUR = re.compile(r"\b(?P<h>\d{1,2})(?::(?P<m>\d{2}))?\s*(?P<ampm>am|pm|a\.m\.|p\.m\.)?", re.I)


def label(start: datetime, timezone: str) -> str:
    local = start.astimezone(ZoneInfo(timezone))
    return local.strftime("%a %d %b, %H:%M")


def match_choice(text: str, options: Sequence[datetime], timezone: str) -> datetime | None:
    """The offered time the reply picks, or None when it picks none or several."""
    if not options:
        return None
    cleaned = text.strip().lower().rstrip(".!")
    for option in options:
        if cleaned == label(option, timezone).lower() or cleaned == option.isoformat().lower():
            return option
    if cleaned.isdigit() or cleaned in _NUMBER_WORDS:
        index = int(cleaned) - 1 if cleaned.isdigit() else _NUMBER_WORDS[cleaned]
        return options[index] if 0 <= index < len(options) else None
    for word, index in _ORDINALS.items():
        if re.search(rf"\b{word}\b", cleaned) and (index == -1 or index < len(options)):
            return options[index]
    local = [o.astimezone(ZoneInfo(timezone)) for o in options]
    candidates = list(range(len(options)))
    weekdays = [i for i, day in enumerate(_WEEKDAYS) if re.search(rf"\b{day[:3]}\w*\b", cleaned)]
    if weekdays:
        candidates = [i for i in candidates if local[i].weekday() in weekdays]
    hour = _hour_of(cleaned)
    if hour is not None:
        candidates = [i for i in candidates if (local[i].hour, local[i].minute) == hour]
    part = _part_of_day(cleaned) if hour is None and not _NONE.search(cleaned) else None
    if part is not None:
        # "Tuesday afternoon works", "the morning one": the offered times in that part
        candidates = [i for i in candidates if part[0] <= local[i].hour < part[1]]
    if (weekdays or hour is not None or part is not None) and len(candidates) == 1:
        return options[candidates[0]]
    if part is not None and candidates and _ANY.search(cleaned):
        return options[candidates[0]]  # "any morning is fine": the earliest of them
    if (
        not weekdays
        and hour is None
        and _ANY.search(cleaned)
        and not _NONE.search(cleaned)
        and not _CONDITION.search(cleaned)
    ):
        return options[0]
    return None


# Parts of the day, as hours [from, to).
_PARTS_OF_DAY = (
    (re.compile(r"\b(?:morning|a\.?m\.? one|before lunch|early one)\b", re.I), (0, 12)),
    (re.compile(r"\b(?:afternoon|after lunch|p\.?m\.? one)\b", re.I), (12, 17)),
    (re.compile(r"\b(?:evening|after work|end of the day)\b", re.I), (17, 24)),
)


def _part_of_day(text: str) -> tuple[int, int] | None:
    found = [hours for pattern, hours in _PARTS_OF_DAY if pattern.search(text)]
    return found[0] if len(found) == 1 else None


def _hour_of(text: str) -> tuple[int, int] | None:
    for match in _HOUR.finditer(text):
        hour, minute = int(match["h"]), int(match["m"] or 0)
        ampm = (match["ampm"] or "").replace(".", "").lower()
        if not ampm and match["m"] is None:
            continue  # a bare number is a position or a date, not a time
        if ampm == "pm" and hour < 12:
            hour += 12
        if ampm == "am" and hour == 12:
            hour = 0
        if 0 <= hour < 24 and 0 <= minute < 60:
            return hour, minute
    return None


# "can we sort out a time first?", "book the slot first, details after": the meeting before
# the details. Booking needs a way to send the invitation, so the details still come first,
# but the person is told why rather than asked the same question again.
_TIME_FIRST = re.compile(
    r"\b(?:(?:sort|pick|choose|set|book|agree|fix|lock|nail|find|get|grab|arrange|schedule)"
    r"(?: out| in| down| up)? (?:a|the|our|my) (?:time|slot|date|day|meeting|call|demo|appointment)"
    r"(?: slot)? (?:first|before(?: (?:that|this|anything|the details|i give)\b)?)|"
    # ("so our counsellors can call first thing": when they call, not what comes first)
    r"(?:time|slot|date|meeting|call|demo|appointment) first\b(?!\s+thing)|"
    # "let's just pick a time", "can we just book the slot": straight to the time
    r"(?:let'?s|can we|could we|i'?d rather|i just want to|i only want to)\s+just\s+"
    r"(?:pick|choose|book|sort out|find|grab|set)\s+(?:a|the)\s+(?:time|slot|date)\b|"
    r"(?:details|info|information|name|email) (?:after|afterwards|later)\b.*\b(?:time|slot|meeting|call|demo)\b|"
    r"(?:time|slot|date|meeting|call|demo)\b.*\b(?:then|and then|before) (?:i(?:'ll| will)? give|"
    r"the details|my details)\b)",
    re.IGNORECASE,
)


def wants_time_first(text: str) -> bool:
    """Whether the message asks to pick the meeting time before giving any details."""
    return bool(_TIME_FIRST.search(text))


# A demo or a meeting asked for in words: "kindly arrange a demo call", "can we do a zoom
# tuesday?", "I'd love to see yours live". Not "no demo needed", not "our calls".
_MEETING_REQUEST = re.compile(
    r"\b(?:(?:set up|setting up|book|booking|schedule|scheduling|arrange|arranging|organi[sz]e|"
    r"get|have|do|fix|line up|want|like|need|request|(?:i'?m|im|i am|we'?re|we are) "
    r"(?:just |really )?after)(?: in)? (?:a|an|the|some|one|quick) (?:(?:quick|short|brief|live|online|"
    r"free|initial|first|personal|"
    r"video|demo|intro|discovery|sales) ){0,2}(?:demo|demonstration|call|meeting|zoom|teams call|"
    r"video call|chat|appointment|walk-?through|screen ?share|session|consultation|consult|"
    r"presentation)|"
    r"(?:demo|demonstration|walk-?through|product tour|screen ?share|demostrations?|demonstation|demostracion|demonstracion|demonstra[cç][aã]o)|"
    # "could we set something up for later?", "find us a time", "pencil me in"
    r"(?:set|fix|line|pencil|book|fit|squeeze|get) (?:something|a time|a date|one|us|me) (?:up|in)|"
    r"set up (?:something|a time|a date)|find (?:us|me) a (?:time|slot|date)|"
    # "arrange a time to speak with somebody about your system"
    r"(?:arrange|arranging|organi[sz]e|organi[sz]ing|schedule|scheduling) (?:a|some) "
    r"(?:good |convenient |suitable )?(?:time|date|slot)|"
    r"see (?:it|yours|parley|your (?:product|tool|platform|software|bot)|the (?:product|tool|"
    r"platform|software|bot)) (?:live|in action|working|running))\b"
    # "we set up a call centre": a call of theirs, no meeting
    r"(?!\s+(?:cent(?:er|re)s?|list|logs?|scripts?|queues?|volumes?|recordings?|tracking))"
    # "you do a chat thing for websites", "have a chat widget": the product, not a meeting
    r"(?<!chat(?=\s(?:thing|things|tool|bot|bots|widget|box|window|feature|function|service|app|"
    r"software|plugin|plug-in|option|for websites?|for sites|on (?:websites?|the site|our site|"
    r"my site|your site))\b))",
    re.IGNORECASE,
)
_NO_MEETING = re.compile(
    r"\b(?:no|not|don'?t|do not|without|never|no need for)\b[^.,;!?]{0,20}"
    r"\b(?:demo|call|meeting|zoom|walk-?through)\b",
    re.IGNORECASE,
)


def asks_for_meeting(text: str) -> bool:
    """Whether the words ask for a demo or a meeting (and do not turn one down)."""
    return bool(_MEETING_REQUEST.search(text)) and not _NO_MEETING.search(text)


# "None of those work, do you have anything next week?": other times, not a pick.
_OTHER_TIMES = re.compile(
    r"\b(?:none of (?:those|them|these)|neither of (?:those|them|these)|(?:any|some) other (?:times?|"
    r"slots?|days?|options)|other (?:times?|slots?|days?)|anything (?:else|later|next week)|"
    r"something (?:else|later)|(?:a )?different (?:time|day)|later (?:in the week|that week|"
    r"times?|slots?)|next week|(?:those|these|they) (?:don'?t|do not|won'?t) work)\b",
    re.IGNORECASE,
)
NEXT_WEEK = re.compile(r"\bnext week\b", re.IGNORECASE)


def wants_other_times(text: str) -> bool:
    """Whether the reply turns the offered times down and asks for others."""
    return bool(_OTHER_TIMES.search(text))
