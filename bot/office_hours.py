"""When a person from the team can answer: office hours per team, in the team's time zone.

A team's week is a set of windows, each opening on a weekday at a local wall-clock time
for a length of time; a window that closes at or before it opens runs past midnight into
the next day ("mon-fri 22:00-06:00"). Closed dates (holidays) close the whole local
calendar day, also the part of an overnight window that reaches into it. Wall-clock times
are turned into instants in the team's zone, so 09:00 stays 09:00 across DST changes; an
opening time that does not exist on a spring-forward day opens at the first instant after
the gap, and one that happens twice on a fall-back day opens at the first.

The written form (settings): `mon-fri 09:00-17:30; sat 10:00-13:00`. Days are `mon` to
`sun`, ranges like `mon-fri` (also wrapping: `fri-mon`) and lists like `mon,wed`; several
times are comma-separated (`mon-fri 09:00-12:30,13:30-17:00`); `24:00` ends a day.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import phonenumbers
from phonenumbers import timezone as phone_timezones

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_DAY_MINUTES = 24 * 60
# Farther than any opening can be: a year of closed dates plus a week.
_HORIZON_DAYS = 372
_TIME = r"(\d{1,2}):(\d{2})"
_RANGE = re.compile(rf"\s*{_TIME}\s*-\s*{_TIME}\s*")


class OfficeHoursError(ValueError):
    """A written week, zone or date list that can't be read; the message says why."""


@dataclass(frozen=True)
class Window:
    """Open from `opens` (local) on `weekday` (0 = Monday) for `minutes`."""

    weekday: int
    opens: time
    minutes: int


@dataclass(frozen=True)
class OfficeHours:
    """One team's week, zone and closed dates; `always()` is a team that never closes."""

    timezone: str
    windows: tuple[Window, ...]
    closed: frozenset[date] = frozenset()
    # Set only by `always()`: no windows are needed then.
    round_the_clock: bool = False

    @classmethod
    def always(cls) -> OfficeHours:
        return cls("UTC", (), frozenset(), round_the_clock=True)

    def week_text(self) -> str:
        """The week as written in settings ("mon 09:00-17:30; tue 09:00-17:30"), read
        back by `parse_week` as the same windows; empty for a team always open."""
        entries = []
        for window in self.windows:
            start = window.opens.hour * 60 + window.opens.minute
            end = start + window.minutes
            end = end if end <= _DAY_MINUTES else end - _DAY_MINUTES  # overnight
            closes = f"{end // 60:02d}:{end % 60:02d}"
            entries.append(f"{DAYS[window.weekday]} {window.opens:%H:%M}-{closes}")
        return "; ".join(entries)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def is_open(self, now: datetime) -> bool:
        opening = self.next_opening(now)
        # Compared in UTC: in a fall-back hour two instants share one wall-clock time.
        return opening is not None and opening.astimezone(timezone.utc) == _aware(now).astimezone(
            timezone.utc
        )

    def next_opening(self, now: datetime) -> datetime | None:
        """`now` (in the team's zone) when open, else the next instant it opens; None
        when nothing opens within a year (every day closed)."""
        moment = _aware(now).astimezone(self.zone)
        if self.round_the_clock:
            return moment
        zone = self.zone
        first = moment.date() - timedelta(days=1)  # its overnight windows reach today
        for offset in range(_HORIZON_DAYS):
            day = first + timedelta(days=offset)
            # Spans of a day start before any span of a later day: the first day with an
            # open span after `moment` has the answer.
            starts = [
                max(start, moment)
                for window in self.windows
                if window.weekday == day.weekday()
                for start, end in self._open_parts(day, window, zone)
                if end > moment
            ]
            if starts:
                return min(starts).astimezone(zone)
        return None

    def _open_parts(
        self, day: date, window: Window, zone: ZoneInfo
    ) -> list[tuple[datetime, datetime]]:
        """The window opening on `day`, cut at midnight, without the parts on closed dates,
        as UTC instants."""
        cursor = datetime.combine(day, window.opens)
        end_wall = cursor + timedelta(minutes=window.minutes)
        parts = []
        while cursor < end_wall:
            stop = min(end_wall, datetime.combine(cursor.date() + timedelta(days=1), time()))
            if cursor.date() not in self.closed:
                start, end = _instant(cursor, zone), _instant(stop, zone)
                if end > start:
                    parts.append((start, end))
            cursor = stop
        return parts


def _instant(wall: datetime, zone: ZoneInfo) -> datetime:
    """A local wall-clock time as a UTC instant (the first of two on a fall-back night).
    In a spring-forward gap the time does not exist: it is the instant the gap ends."""
    instant = wall.replace(tzinfo=zone).astimezone(timezone.utc)
    if instant.astimezone(zone).replace(tzinfo=None) == wall:
        return instant
    # In a gap: the earliest instant whose wall clock is at or after `wall`.
    low = wall.replace(tzinfo=zone, fold=1).astimezone(timezone.utc)
    high = max(instant, low)
    low = min(instant, low)
    while high - low > timedelta(seconds=1):
        middle = low + (high - low) / 2
        if middle.astimezone(zone).replace(tzinfo=None) >= wall:
            high = middle
        else:
            low = middle
    return high.replace(microsecond=0)


def _aware(now: datetime) -> datetime:
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("office hours need an aware datetime (with a time zone)")
    return now


# ------------------------------------------------------------------ reading settings


def parse_week(text: str) -> tuple[Window, ...]:
    """`mon-fri 09:00-17:30; sat 10:00-13:00` as windows; OfficeHoursError says why not."""
    windows: list[Window] = []
    entries = [e.strip() for e in text.split(";") if e.strip()]
    if not entries:
        raise OfficeHoursError('no opening times; write them like "mon-fri 09:00-17:30"')
    for entry in entries:
        days_text, _, times_text = entry.partition(" ")
        if not times_text.strip():
            raise OfficeHoursError(f'{entry!r}: write days, then times, like "mon-fri 09:00-17:30"')
        days = _days(days_text)
        for part in times_text.split(","):
            opens, minutes = _range(part)
            windows += [Window(day, opens, minutes) for day in days]
    return tuple(sorted(set(windows), key=lambda w: (w.weekday, w.opens)))


def _days(text: str) -> list[int]:
    days: list[int] = []
    for item in text.lower().split(","):
        first, _, last = item.strip().partition("-")
        if first[:3] not in DAYS or (last and last[:3] not in DAYS) or len(first) < 3:
            raise OfficeHoursError(f"{text!r}: days are mon, tue, ... sun, like mon-fri or sat,sun")
        start = DAYS.index(first[:3])
        end = DAYS.index(last[:3]) if last else start
        days += [(start + i) % 7 for i in range((end - start) % 7 + 1)]
    return sorted(set(days))


def _range(text: str) -> tuple[time, int]:
    match = _RANGE.fullmatch(text)
    if match is None:
        raise OfficeHoursError(f"{text.strip()!r}: times are like 09:00-17:30")
    h1, m1, h2, m2 = (int(g) for g in match.groups())
    if h1 > 23 or m1 > 59 or h2 > 24 or m2 > 59 or (h2 == 24 and m2):
        raise OfficeHoursError(f"{text.strip()!r}: not a time of day (00:00 to 24:00)")
    start, end = h1 * 60 + m1, h2 * 60 + m2
    if start == end:
        raise OfficeHoursError(f"{text.strip()!r}: opens and closes at the same time")
    minutes = end - start if end > start else end + _DAY_MINUTES - start  # overnight
    return time(h1, m1), minutes


def parse_zone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise OfficeHoursError(
            f"{name!r} is not an IANA time zone; use one like Europe/London"
        ) from None
    if "/" not in name and name != "UTC":
        # ZoneInfo takes "GB" or "EST", whose meaning people rarely intend.
        raise OfficeHoursError(f"{name!r}: use a zone named for a place, like Europe/London")
    return name


def parse_dates(text: str) -> frozenset[date]:
    """`2026-12-25, 2026-12-26` as dates."""
    found = set()
    for item in (i.strip() for i in text.split(",") if i.strip()):
        try:
            found.add(date.fromisoformat(item))
        except ValueError:
            raise OfficeHoursError(f"{item!r} is not a date like 2026-12-25") from None
    return frozenset(found)


# ------------------------------------------------------------------ saying when


def phone_zone(phone: str | None, now: datetime) -> str | None:
    """The time zone of an E.164 number's place, when the number tells it: one zone, or
    several that keep the same time all year (the UK's mobiles: London, Jersey, ...)."""
    if not phone:
        return None
    try:
        number = phonenumbers.parse(phone, None)
    except phonenumbers.NumberParseException:
        return None
    zones = _real_zones(phone_timezones.time_zones_for_number(number))
    if not zones:  # mobiles and other numbers without a place: the country's zones
        zones = _real_zones(phone_timezones._country_level_time_zones_for_number(number))
    if len(zones) > 1 and not _same_time_all_year(zones, now):
        return None
    if len(zones) > 1:
        # The zone of the country's own landlines: London rather than Guernsey.
        region = phonenumbers.region_code_for_country_code(number.country_code or 0)
        example = phonenumbers.example_number_for_type(
            region, phonenumbers.PhoneNumberType.FIXED_LINE
        )
        usual = _real_zones(phone_timezones.time_zones_for_number(example)) if example else []
        return next((z for z in usual if z in zones), zones[0])
    return zones[0] if zones else None


def _real_zones(names: tuple[str, ...] | list[str]) -> list[str]:
    found = []
    for name in names:
        try:
            ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            continue
        if "/" in name and not name.startswith("Etc/"):
            found.append(name)
    return sorted(found)


def _same_time_all_year(zones: list[str], now: datetime) -> bool:
    instants = [_aware(now) + timedelta(days=15 * i) for i in range(25)]
    offsets = {tuple(t.astimezone(ZoneInfo(z)).utcoffset() for t in instants) for z in zones}
    return len(offsets) == 1


def zone_label(zone: str) -> str:
    """ "Europe/London" -> "London time"; "America/Argentina/Buenos_Aires" -> "Buenos Aires time"."""
    if zone == "UTC":
        return "UTC"
    return f"{zone.rsplit('/', 1)[-1].replace('_', ' ')} time"


def describe_opening(opening: datetime, now: datetime, zone: str) -> str:
    """When the team is back, in words, in `zone`: "today at 14:00", "tomorrow at 9:00",
    "Monday at 9:00", or further off "Monday 4 January at 9:00"; with the zone named."""
    local = opening.astimezone(ZoneInfo(zone))
    today = _aware(now).astimezone(ZoneInfo(zone)).date()
    ahead = (local.date() - today).days
    clock = f"{local.hour}:{local.minute:02d}"
    if ahead <= 0:
        day = "today"
    elif ahead == 1:
        day = "tomorrow"
    elif ahead < 7:
        day = DAY_NAMES[local.weekday()]
    else:
        day = f"{DAY_NAMES[local.weekday()]} {local.day} {local:%B}"
    return f"{day} at {clock} ({zone_label(zone)})"
