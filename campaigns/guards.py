"""The checks every campaign send passes at the moment it is claimed.

Whether the store's rules let marketing go out on the channel at all (an address there,
Telegram only for people who started the bot, consent for the channel's purpose, no
do-not-contact: `ContactSnapshot.may_send`, the same answer `store.consent.may_send`
gives booking emails), then campaign policy: the frequency caps, WhatsApp's 24-hour
window (after it only a pre-approved template), and quiet hours in the contact's local
time.
They read a fresh `ContactSnapshot`, never what was true when the send was planned.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import phonenumbers

from bot.phone_places import parsed, time_zones_of
from bot.store import ContactSnapshot
from campaigns.definitions import PREFERRED, SEND_CHANNELS, Message

WHATSAPP_WINDOW = timedelta(hours=24)
_QUIET_STEP = timedelta(minutes=15)
_UNKNOWN_ZONE = "Etc/Unknown"


@dataclass(frozen=True)
class Limits:
    quiet_start: time
    quiet_end: time
    cap_per_day: int
    cap_per_week: int
    default_region: str


def candidate_channels(channels: Sequence[str], snapshot: ContactSnapshot) -> list[str]:
    """The step's channel order with `preferred` replaced by where they last talked to us
    (when that is a channel we can send on), duplicates dropped."""
    ordered: list[str] = []
    for channel in channels:
        chosen = snapshot.preferred_channel if channel == PREFERRED else channel
        if chosen in SEND_CHANNELS and chosen not in ordered:
            ordered.append(chosen)
    return ordered


def address_of(channel: str, snapshot: ContactSnapshot) -> str | None:
    return snapshot.address(channel)


def refusal(
    channel: str,
    snapshot: ContactSnapshot,
    message: Message,
    limits: Limits,
    configured: Collection[str],
    now: datetime,
) -> str | None:
    """Why this channel may not be used for this contact now, or None."""
    if channel not in configured:
        return "no provider configured"
    permission = snapshot.may_send(channel)
    if not permission:
        return permission.refusal
    if snapshot.sent_last_day.get(channel, 0) >= limits.cap_per_day:
        return "frequency cap (day)"
    if snapshot.sent_last_week.get(channel, 0) >= limits.cap_per_week:
        return "frequency cap (week)"
    closed = channel == "whatsapp" and not in_whatsapp_window(snapshot, now)
    if closed and message.whatsapp_content_sid is None:
        return "whatsapp window closed"
    return None


def in_whatsapp_window(snapshot: ContactSnapshot, now: datetime) -> bool:
    last = snapshot.last_inbound.get("whatsapp")
    return last is not None and now - last < WHATSAPP_WINDOW


def zones_of(snapshot: ContactSnapshot, default_region: str) -> list[ZoneInfo]:
    """The contact's possible time zones: the one stored on their profile (enrichment,
    #10), else those of their phone number, else the default region's. A number
    spanning several zones keeps them all, and quiet hours must hold in every one."""
    stored = _zone(snapshot.contact.timezone)
    if stored is not None:
        return [stored]
    number = parsed(snapshot.contact.phone)
    if number is None:
        number = phonenumbers.example_number(default_region)
    names = time_zones_of(number) if number else []
    zones = [zone for zone in map(_zone, names) if zone is not None]
    return zones or [ZoneInfo("UTC")]


def _zone(name: str | None) -> ZoneInfo | None:
    if not name or name == _UNKNOWN_ZONE:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def allowed_hours(at: datetime, zones: Sequence[ZoneInfo], limits: Limits) -> bool:
    start, end = limits.quiet_start, limits.quiet_end
    if start == end:
        return True  # "00:00-00:00": no quiet hours at all
    for zone in zones:
        local = at.astimezone(zone).time()
        inside = start <= local < end if start <= end else (local >= start or local < end)
        if not inside:
            return False
    return True


def next_allowed(at: datetime, zones: Sequence[ZoneInfo], limits: Limits) -> datetime | None:
    """`at` if sending is allowed then, else the first quarter hour when it is (None if
    no time in the next two days works: zones too far apart for one window)."""
    probe = at
    for _ in range(int(timedelta(days=2) / _QUIET_STEP)):
        if allowed_hours(probe, zones, limits):
            return probe
        probe = (probe + _QUIET_STEP).replace(second=0, microsecond=0)
        probe -= timedelta(minutes=probe.minute % 15)
    return None


def next_time_of_day(after: datetime, wanted: time, zones: Sequence[ZoneInfo]) -> datetime:
    """The first moment after `after` when it is `wanted` o'clock in the contact's
    (first) zone."""
    zone = zones[0]
    local = after.astimezone(zone)
    candidate = local.replace(hour=wanted.hour, minute=wanted.minute, second=0, microsecond=0)
    if candidate <= local:
        candidate += timedelta(days=1)
    return candidate.astimezone(after.tzinfo)
