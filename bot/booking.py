"""Meeting times: availability (booking.yml), free slots, booking, the ICS confirmation.

Times are computed in the calendar's timezone (so DST changes move nothing people see)
and stored in UTC. The store's unique index on a booked start time settles races.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from bot.errors import ParleyError, SlotTaken
from bot.handoff import EMAIL
from bot.settings import Settings
from bot.store import Booking, Contact, ProfileStore
from bot.types import ContactId

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

__all__ = ["Availability", "BookingConfigError", "Slot", "SlotTaken", "book", "ics_for",
           "load_availability", "next_free_slots", "send_confirmation"]  # fmt: skip


@dataclass
class BookingConfigError(ParleyError):
    path: Path
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


@dataclass(frozen=True)
class Availability:
    timezone: str
    days: frozenset[int]  # 0 = Monday
    opens: time
    closes: time
    slot: timedelta
    notice: timedelta
    days_ahead: int
    title: str
    location: str


@dataclass(frozen=True)
class Slot:
    start: datetime  # UTC
    end: datetime


def load_availability(settings: Settings) -> Availability:
    path = settings.booking_file
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else {}
    except yaml.YAMLError as error:
        raise BookingConfigError(path, f"not valid YAML: {error}") from error
    if not isinstance(raw, dict):
        raise BookingConfigError(path, "expected a mapping")
    zone = str(raw.get("timezone", "UTC"))
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise BookingConfigError(
            path, f"timezone: unknown {zone!r}; use an IANA name like Europe/London"
        ) from None
    days = raw.get("days", list(DAYS[:5]))
    if not isinstance(days, list) or not days or any(str(d).lower()[:3] not in DAYS for d in days):
        raise BookingConfigError(path, f"days: expected a list like [mon, tue, wed], not {days!r}")
    hours = re.fullmatch(
        r"\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*", str(raw.get("hours", "09:00-17:00"))
    )
    if not hours:
        raise BookingConfigError(
            path, f'hours: expected like "09:00-17:00", not {raw.get("hours")!r}'
        )
    opens, closes = time(int(hours[1]), int(hours[2])), time(int(hours[3]), int(hours[4]))
    if opens >= closes:
        raise BookingConfigError(path, "hours: opening must come before closing")
    numbers = {}
    for key, default, low, high in (
        ("slot_minutes", 30, 5, 480),
        ("notice_hours", 4, 0, 720),
        ("days_ahead", 14, 1, 365),
    ):
        value = raw.get(key, default)
        if not isinstance(value, int) or not low <= value <= high:
            raise BookingConfigError(
                path, f"{key}: expected a whole number from {low} to {high}, not {value!r}"
            )
        numbers[key] = value
    return Availability(
        timezone=zone,
        days=frozenset(DAYS.index(str(d).lower()[:3]) for d in days),
        opens=opens, closes=closes,
        slot=timedelta(minutes=numbers["slot_minutes"]),
        notice=timedelta(hours=numbers["notice_hours"]),
        days_ahead=numbers["days_ahead"],
        title=str(raw.get("title", "Meeting with {company}")),
        location=str(raw.get("location", "")),
    )  # fmt: skip


def candidate_slots(availability: Availability, now: datetime) -> list[Slot]:
    zone = ZoneInfo(availability.timezone)
    earliest = now + availability.notice
    today = now.astimezone(zone).date()
    slots = []
    for offset in range(availability.days_ahead + 1):
        day = today + timedelta(days=offset)
        if day.weekday() not in availability.days:
            continue
        slots += [s for s in _day_slots(day, availability, zone) if s.start >= earliest]
    return slots


def _day_slots(day: date, availability: Availability, zone: ZoneInfo) -> list[Slot]:
    start = datetime.combine(day, availability.opens, tzinfo=zone)
    closes = datetime.combine(day, availability.closes, tzinfo=zone)
    slots = []
    # Wall-clock arithmetic in the local zone, then UTC: a 09:00 meeting stays at 09:00
    # on either side of a DST change.
    while start + availability.slot <= closes:
        utc_start = start.astimezone(timezone.utc)
        slots.append(Slot(utc_start, utc_start + availability.slot))
        start = start + availability.slot
    return slots


def next_free_slots(
    store: ProfileStore,
    availability: Availability,
    now: datetime,
    count: int = 3,
    after: datetime | None = None,
) -> list[Slot]:
    """The first `count` free slots bookable now; with `after`, only those starting later
    ("none of those, anything next week?")."""
    candidates = [s for s in candidate_slots(availability, now) if after is None or s.start > after]
    if not candidates:
        return []
    taken = store.leads.bookings_between(candidates[0].start, candidates[-1].end)
    free = [
        s for s in candidates if not any(b.starts_at < s.end and b.ends_at > s.start for b in taken)
    ]
    return free[:count]


def book(store: ProfileStore, contact_id: ContactId, slot: Slot, now: datetime) -> Booking:
    return store.leads.book_meeting(contact_id, slot.start, slot.end, now)


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> str:
    """RFC 5545: lines of at most 75 octets, continued with a space."""
    raw = line.encode()
    parts: list[str] = []
    while len(raw) > 75:
        cut = 75 if not parts else 74
        while cut > 0 and (raw[cut] & 0xC0) == 0x80:  # never split a UTF-8 character
            cut -= 1
        parts.append(raw[:cut].decode())
        raw = raw[cut:]
    parts.append(raw.decode())
    return "\r\n ".join(parts)


def _stamp(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def ics_for(
    booking: Booking,
    availability: Availability,
    contact: Contact,
    organizer: str,
    company: str,
    now: datetime,
) -> str:
    title = availability.title.format(company=company)
    lines = [
        "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Parley//Meeting booking//EN", "METHOD:REQUEST",
        "BEGIN:VEVENT",
        f"UID:{booking.id}@parley",
        f"DTSTAMP:{_stamp(now)}",
        f"DTSTART:{_stamp(booking.starts_at)}",
        f"DTEND:{_stamp(booking.ends_at)}",
        f"SUMMARY:{_escape(title)}",
        f"LOCATION:{_escape(availability.location)}",
        f"ORGANIZER;CN={_escape(company)}:mailto:{organizer}",
        f"ATTENDEE;CN={_escape(contact.name or contact.email or '')};RSVP=TRUE:mailto:{contact.email}",
        "STATUS:CONFIRMED",
        "END:VEVENT", "END:VCALENDAR",
    ]  # fmt: skip
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"


def send_confirmation(
    store: ProfileStore,
    settings: Settings,
    booking: Booking,
    availability: Availability,
    now: datetime,
) -> str | None:
    """Queue the confirmation email with the ICS; the reason it can't be sent, if any."""
    contact = store.contacts.get(booking.contact_id)
    permission = store.consent.may_send(contact.id, "email", now)
    if not permission:
        return permission.refusal
    if not settings.mail.configured:
        return "email is not configured"
    local = booking.starts_at.astimezone(ZoneInfo(availability.timezone))
    body = (
        f"Hi {contact.name or 'there'},\n\nYour meeting with {settings.company_name} is booked for "
        f"{local:%A %d %B %Y at %H:%M} ({availability.timezone}).\n{availability.location}\n\n"
        "The calendar invitation is attached."
    )
    store.outbox.enqueue_delivery(
        contact.id, EMAIL,
        {"to": contact.email, "subject": f"Booked: {availability.title.format(company=settings.company_name)}",
         "body": body, "booking_id": booking.id,
         "ics": ics_for(booking, availability, contact, settings.mail.mail_from, settings.company_name, now)},
        now,
    )  # fmt: skip
    return None
