"""Quiet hours use the time zone stored on the profile (enrichment, #10) before the
zones a phone number suggests."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, time, timezone
from zoneinfo import ZoneInfo

from bot.store import Contact, ContactSnapshot
from bot.types import ContactId
from campaigns.guards import Limits, allowed_hours, zones_of

T0 = datetime(2024, 5, 1, tzinfo=timezone.utc)
LIMITS = Limits(time(8), time(21), cap_per_day=2, cap_per_week=5, default_region="US")


def snapshot(phone: str | None, zone: str | None) -> ContactSnapshot:
    contact = Contact(
        ContactId("c1"),
        "Dana",
        None,
        phone,
        None,
        None,
        None,
        "new",
        (),
        T0,
        T0,
        timezone=zone,
    )
    return ContactSnapshot(
        contact, {}, frozenset(), {}, {}, {}, frozenset(), None, None, None, None, ()
    )


def test_zones_of_stored_timezone_wins_over_the_phone_number() -> None:
    assert zones_of(snapshot("+14155550134", "Europe/Paris"), "US") == [ZoneInfo("Europe/Paris")]


def test_zones_of_without_stored_timezone_reads_the_phone_number() -> None:
    assert zones_of(snapshot("+14155550134", None), "US") == [ZoneInfo("America/Los_Angeles")]


def test_zones_of_unknown_stored_timezone_falls_back_to_the_phone_number() -> None:
    assert zones_of(snapshot("+12125550100", "Mars/Olympus"), "US") == [
        ZoneInfo("America/New_York")
    ]


def test_quiet_hours_follow_the_stored_timezone() -> None:
    nine_am_paris = datetime(2024, 5, 1, 7, 0, tzinfo=timezone.utc)  # midnight in California
    in_paris = snapshot("+14155550134", "Europe/Paris")
    assert allowed_hours(nine_am_paris, zones_of(in_paris, "US"), LIMITS)
    by_phone = replace(in_paris, contact=replace(in_paris.contact, timezone=None))
    assert not allowed_hours(nine_am_paris, zones_of(by_phone, "US"), LIMITS)
