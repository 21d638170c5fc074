"""Free times across a DST change, double booking refused, the ICS confirmation by email."""

from __future__ import annotations

import threading
from datetime import datetime, timezone
from pathlib import Path

import pytest

from bot.booking import (
    BookingConfigError,
    book,
    load_availability,
    next_free_slots,
    send_confirmation,
)
from bot.errors import SlotTaken
from bot.handoff import deliver_due
from bot.settings import Settings, load_settings
from bot.store import ConsentWords, ProfileStore
from tests.handoff.conftest import Inbox

# Friday 27 March 2026, 10:00 UTC: London moves to summer time on Sunday 29 March.
BEFORE_DST = datetime(2026, 3, 27, 10, 0, tzinfo=timezone.utc)
CALENDAR = """\
timezone: Europe/London
days: [mon, tue, wed, thu, fri]
hours: "09:00-11:00"
slot_minutes: 60
notice_hours: 2
days_ahead: 5
title: "Meeting with {company}"
location: "Video call"
"""


def _settings(settings: Settings, tmp_path: Path, calendar: str = CALENDAR) -> Settings:
    (tmp_path / "booking.yml").write_text(calendar, encoding="utf-8")
    environ = {"PARLEY_BOOKING_FILE": str(tmp_path / "booking.yml")}
    return load_settings(environ={**_env(settings), **environ}, dotenv=tmp_path / "none.env")


def _env(settings: Settings) -> dict[str, str]:
    return {
        "PARLEY_DATA_DIR": str(settings.data_dir),
        "PARLEY_COMPANY_NAME": settings.company_name,
        "PARLEY_SMTP_HOST": settings.mail.host,
        "PARLEY_SMTP_PORT": str(settings.mail.port),
        "PARLEY_SMTP_SECURITY": settings.mail.security,
        "PARLEY_MAIL_FROM": settings.mail.mail_from,
    }


def _unfolded(ics: str) -> dict[str, str]:
    lines = ics.replace("\r\n ", "").split("\r\n")
    return {
        line.split(":", 1)[0].split(";")[0]: line.split(":", 1)[1] for line in lines if ":" in line
    }


def test_slots_are_local_working_hours_on_both_sides_of_dst(
    store: ProfileStore, settings: Settings, tmp_path: Path
) -> None:
    availability = load_availability(_settings(settings, tmp_path))
    slots = next_free_slots(store, availability, BEFORE_DST, count=4)
    # Friday 10:00 local is too soon (2 h notice from 10:00 UTC = 10:00 GMT); Monday is BST.
    assert [s.start for s in slots] == [
        datetime(2026, 3, 30, 8, 0, tzinfo=timezone.utc),  # Mon 09:00 BST
        datetime(2026, 3, 30, 9, 0, tzinfo=timezone.utc),  # Mon 10:00 BST
        datetime(2026, 3, 31, 8, 0, tzinfo=timezone.utc),
        datetime(2026, 3, 31, 9, 0, tzinfo=timezone.utc),
    ]


def test_friday_morning_before_the_change_is_gmt(
    store: ProfileStore, settings: Settings, tmp_path: Path
) -> None:
    availability = load_availability(_settings(settings, tmp_path))
    early = datetime(2026, 3, 27, 6, 0, tzinfo=timezone.utc)
    first = next_free_slots(store, availability, early, count=1)[0]
    assert first.start == datetime(2026, 3, 27, 9, 0, tzinfo=timezone.utc)  # Fri 09:00 GMT


def test_a_booked_time_is_not_offered_and_cannot_be_booked_twice(
    store: ProfileStore, settings: Settings, tmp_path: Path
) -> None:
    availability = load_availability(_settings(settings, tmp_path))
    one = store.leads.update_fields("web", "a", {"email": "a@acme.io"}, "a").id
    two = store.leads.update_fields("web", "b", {"email": "b@acme.io"}, "b").id
    first = next_free_slots(store, availability, BEFORE_DST, count=1)[0]
    book(store, one, first, BEFORE_DST)
    with pytest.raises(SlotTaken):
        book(store, two, first, BEFORE_DST)
    assert next_free_slots(store, availability, BEFORE_DST, count=1)[0].start != first.start


def test_two_people_racing_for_one_time_get_one_booking(
    store: ProfileStore, settings: Settings, tmp_path: Path
) -> None:
    availability = load_availability(_settings(settings, tmp_path))
    slot = next_free_slots(store, availability, BEFORE_DST, count=1)[0]
    ids = [
        store.leads.update_fields("web", f"r{n}", {"email": f"r{n}@acme.io"}, f"r{n}").id
        for n in range(4)
    ]
    outcomes: list[str] = []

    def attempt(contact_id: str) -> None:
        try:
            book(store, contact_id, slot, BEFORE_DST)
            outcomes.append("booked")
        except SlotTaken:
            outcomes.append("taken")

    threads = [threading.Thread(target=attempt, args=(i,)) for i in ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["booked", "taken", "taken", "taken"]
    assert len(store.leads.bookings()) == 1


def test_confirmation_email_carries_a_valid_ics_only_with_consent(
    store: ProfileStore, settings: Settings, tmp_path: Path, smtp: tuple[Inbox, int]
) -> None:
    configured = _settings(settings, tmp_path)
    availability = load_availability(configured)
    contact = store.leads.update_fields(
        "web", "c", {"name": "Dana, Reyes", "email": "dana@acme.io"}, "c"
    )
    slot = next_free_slots(store, availability, BEFORE_DST, count=1)[0]
    booking = book(store, contact.id, slot, BEFORE_DST)
    assert send_confirmation(store, configured, booking, availability, BEFORE_DST) == "no consent"
    store.consent.record(
        contact.id,
        "email",
        True,
        channel="web",
        wording="May we email you?",
        wording_version="v1",
        source="conversation",
        evidence={"conversation_id": "c"},
    )
    assert send_confirmation(store, configured, booking, availability, BEFORE_DST) is None
    assert deliver_due(store, configured, BEFORE_DST).delivered == 1
    (mail,) = smtp[0].messages
    assert mail["To"] == "dana@acme.io"
    (invite,) = [part for part in mail.walk() if part.get_content_type() == "text/calendar"]
    ics = invite.get_payload(decode=True).decode()
    assert all(len(line.encode()) <= 75 for line in ics.split("\r\n"))
    fields = _unfolded(ics)
    assert fields["DTSTART"] == "20260330T080000Z" and fields["DTEND"] == "20260330T090000Z"
    assert fields["SUMMARY"] == "Meeting with Acme Test Co"
    assert fields["ATTENDEE"] == "mailto:dana@acme.io" and "Dana\\, Reyes" in ics
    assert fields["UID"] == f"{booking.id}@parley" and fields["METHOD"] == "REQUEST"


def test_confirmation_email_is_not_queued_to_a_blocked_address(
    store: ProfileStore, settings: Settings, tmp_path: Path
) -> None:
    configured = _settings(settings, tmp_path)
    availability = load_availability(configured)
    contact = store.leads.update_fields("web", "c", {"email": "dana@acme.io"}, "c")
    words = ConsentWords("web", "May we email you?", "v1", "staff", {"by": "sam"})
    store.consent.grant(contact.id, ["email"], words)
    store.consent.block_contact(contact.id, "email", "undeliverable", "bounced")
    slot = next_free_slots(store, availability, BEFORE_DST, count=1)[0]
    booking = book(store, contact.id, slot, BEFORE_DST)
    reason = send_confirmation(store, configured, booking, availability, BEFORE_DST)
    assert reason == "do not contact"
    assert store.outbox.deliveries() == []


@pytest.mark.parametrize(
    ("calendar", "words"),
    [
        (CALENDAR.replace("Europe/London", "Mars/Olympus"), "unknown 'Mars/Olympus'"),
        (CALENDAR.replace('"09:00-11:00"', '"11:00-09:00"'), "opening must come before"),
        (CALENDAR.replace("slot_minutes: 60", "slot_minutes: 0"), "slot_minutes"),
        (CALENDAR.replace("[mon, tue, wed, thu, fri]", "[someday]"), "days:"),
    ],
)
def test_calendar_mistakes_are_named(
    settings: Settings, tmp_path: Path, calendar: str, words: str
) -> None:
    with pytest.raises(BookingConfigError, match=words):
        load_availability(_settings(settings, tmp_path, calendar))


def test_the_shipped_calendar_loads(settings: Settings) -> None:
    availability = load_availability(settings)
    assert availability.timezone == "Europe/London" and availability.days == frozenset(range(5))
