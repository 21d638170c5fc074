"""Office hours with fixed clocks: weekends, overnight hours, holidays, DST changes."""

from __future__ import annotations

from datetime import date, datetime, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.errors import InvalidSetting
from bot.office_hours import (
    OfficeHours,
    OfficeHoursError,
    describe_opening,
    parse_dates,
    parse_week,
    parse_zone,
    phone_zone,
)
from bot.settings import Settings, load_settings

LONDON = "Europe/London"


def at(text: str, zone: str = LONDON) -> datetime:
    """A local wall-clock time in `zone`, e.g. "2026-12-04 17:29"."""
    return datetime.fromisoformat(text).replace(tzinfo=ZoneInfo(zone))


def team(week: str, zone: str = LONDON, closed: str = "") -> OfficeHours:
    return OfficeHours(zone, parse_week(week), parse_dates(closed))


OFFICE = team("mon-fri 09:00-17:30")


@pytest.mark.parametrize(
    ("now", "open_now", "opens"),
    [
        ("2026-12-04 08:59", False, "2026-12-04 09:00"),  # Friday, before opening
        ("2026-12-04 09:00", True, "2026-12-04 09:00"),
        ("2026-12-04 17:29", True, "2026-12-04 17:29"),
        ("2026-12-04 17:30", False, "2026-12-07 09:00"),  # closing time: Monday next
        ("2026-12-05 12:00", False, "2026-12-07 09:00"),  # Saturday
        ("2026-12-06 23:59", False, "2026-12-07 09:00"),  # Sunday night
    ],
)
def test_a_working_week(now: str, open_now: bool, opens: str) -> None:
    assert OFFICE.is_open(at(now)) is open_now
    assert OFFICE.next_opening(at(now)) == at(opens)


def test_the_answer_is_in_the_team_zone_whatever_zone_now_is_in() -> None:
    now = datetime(2026, 12, 4, 18, 0, tzinfo=timezone.utc)  # Friday 18:00 in London
    opening = OFFICE.next_opening(now)
    assert opening is not None and str(opening.tzinfo) == LONDON
    assert opening == at("2026-12-07 09:00")
    with pytest.raises(ValueError, match="aware"):
        OFFICE.next_opening(datetime(2026, 12, 4, 18, 0))


def test_overnight_hours_belong_to_the_day_they_open() -> None:
    nights = team("mon-fri 22:00-06:00")
    assert nights.is_open(at("2026-12-07 23:00"))  # Monday night
    assert nights.is_open(at("2026-12-08 05:59"))  # Tuesday early: Monday's shift
    assert not nights.is_open(at("2026-12-08 06:00"))
    assert nights.next_opening(at("2026-12-08 06:00")) == at("2026-12-08 22:00")
    # Friday's shift runs into Saturday; Saturday night has none.
    assert nights.is_open(at("2026-12-12 03:00"))
    assert nights.next_opening(at("2026-12-12 06:30")) == at("2026-12-14 22:00")
    # Sunday morning has no Saturday shift to finish.
    assert not nights.is_open(at("2026-12-13 03:00"))


def test_closed_dates_close_the_whole_local_day() -> None:
    holidays = team("mon-fri 09:00-17:30", closed="2026-12-25, 2026-12-28")
    assert not holidays.is_open(at("2026-12-25 10:00"))
    # Christmas Eve after hours: Friday is Christmas, Monday the 28th closed too.
    assert holidays.next_opening(at("2026-12-24 18:00")) == at("2026-12-29 09:00")
    nights = team("mon-sun 22:00-06:00", closed="2026-12-25")
    assert nights.is_open(at("2026-12-24 23:30"))
    assert not nights.is_open(at("2026-12-25 01:00"))  # the shift stops at midnight
    assert nights.next_opening(at("2026-12-25 01:00")) == at("2026-12-26 00:00")


def test_nothing_opens_when_every_day_is_closed() -> None:
    days = ",".join(f"2027-01-{d:02d}" for d in range(1, 32))
    saturday_team = team("sat 10:00-12:00", closed=days + ",2026-12-26")
    assert saturday_team.next_opening(at("2026-12-26 11:00")) == at("2027-02-06 10:00")
    closed_all_year = ",".join(
        date.fromordinal(date(2026, 12, 1).toordinal() + i).isoformat() for i in range(400)
    )
    assert (
        team("mon-sun 09:00-17:00", closed=closed_all_year).next_opening(at("2026-12-04 08:00"))
        is None
    )


def test_opening_time_keeps_its_wall_clock_across_dst_changes() -> None:
    # London: clocks go forward on Sunday 28 March 2027, back on Sunday 31 October 2027.
    before = OFFICE.next_opening(at("2027-03-26 18:00"))
    assert before == at("2027-03-29 09:00")
    assert before is not None and before.utcoffset() is not None
    assert before.astimezone(timezone.utc).hour == 8  # 09:00 BST
    after = OFFICE.next_opening(at("2027-10-29 18:00"))
    assert after is not None and after.astimezone(timezone.utc).hour == 9  # 09:00 GMT
    new_york = team("mon-fri 09:00-17:00", "America/New_York")
    # New York moves a fortnight before London: 09:00 there is 13:00 UTC, not 14:00.
    opening = new_york.next_opening(datetime(2027, 3, 12, 23, 0, tzinfo=timezone.utc))
    assert opening is not None and opening.astimezone(timezone.utc).hour == 13


def test_an_opening_time_that_does_not_exist_opens_when_the_gap_ends() -> None:
    early = team("sun 01:30-03:00")  # 01:00-02:00 does not happen on 28 March 2027
    opening = early.next_opening(at("2027-03-27 12:00"))
    assert opening == datetime(2027, 3, 28, 1, 0, tzinfo=timezone.utc)  # 02:00 BST
    assert early.is_open(datetime(2027, 3, 28, 1, 30, tzinfo=timezone.utc))
    # On the night the clocks go back, 01:30 happens twice: the first one opens.
    late = team("sun 01:30-03:00")
    opening = late.next_opening(at("2027-10-30 12:00"))
    assert opening is not None
    assert opening.astimezone(timezone.utc) == datetime(2027, 10, 31, 0, 30, tzinfo=timezone.utc)
    # The second 01:30 (GMT) is inside the window too, and so is the hour between.
    assert late.is_open(datetime(2027, 10, 31, 1, 30, tzinfo=timezone.utc))
    assert not late.is_open(datetime(2027, 10, 31, 3, 0, tzinfo=timezone.utc))


def test_a_team_without_hours_is_always_open() -> None:
    always = OfficeHours.always()
    now = datetime(2026, 12, 5, 3, 0, tzinfo=timezone.utc)
    assert always.is_open(now) and always.next_opening(now) == now


def test_several_windows_a_day_and_wrapping_day_ranges() -> None:
    split = team("mon-fri 09:00-12:30,13:30-17:00; sat 10:00-13:00")
    assert not split.is_open(at("2026-12-07 13:00"))
    assert split.next_opening(at("2026-12-07 13:00")) == at("2026-12-07 13:30")
    assert split.next_opening(at("2026-12-04 17:00")) == at("2026-12-05 10:00")
    weekend = team("fri-mon 00:00-24:00")
    assert weekend.is_open(at("2026-12-06 23:59")) and not weekend.is_open(at("2026-12-08 12:00"))
    assert weekend.next_opening(at("2026-12-08 12:00")) == at("2026-12-11 00:00")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "no opening times"),
        ("mon-fri", "write days, then times"),
        ("weekdays 09:00-17:00", "days are mon"),
        ("mon-fri 9-5", "times are like"),
        ("mon 25:00-26:00", "not a time of day"),
        ("mon 24:30-01:00", "not a time of day"),
        ("mon 09:00-09:00", "same time"),
    ],
)
def test_bad_weeks_say_what_is_wrong(text: str, message: str) -> None:
    with pytest.raises(OfficeHoursError, match=message):
        parse_week(text)


def test_zones_and_dates_are_checked() -> None:
    assert parse_zone("America/New_York") == "America/New_York"
    for bad in ("Mars/Olympus", "EST", "../etc"):
        with pytest.raises(OfficeHoursError):
            parse_zone(bad)
    with pytest.raises(OfficeHoursError, match="2026-13-01"):
        parse_dates("2026-12-25, 2026-13-01")


def test_the_time_zone_a_phone_number_tells() -> None:
    now = datetime(2026, 12, 4, tzinfo=timezone.utc)
    assert phone_zone("+442079460000", now) == LONDON  # a London landline
    assert phone_zone("+447700900123", now) == LONDON  # a UK mobile: London, not Jersey
    assert phone_zone("+12125550100", now) == "America/New_York"
    assert phone_zone("+33612345678", now) == "Europe/Paris"
    assert phone_zone("+61412345678", now) is None  # an Australian mobile: which coast?
    assert phone_zone("+34612345678", now) is None  # Spain's mobiles: Madrid or the Canaries
    assert phone_zone("not a number", now) is None and phone_zone(None, now) is None


def test_saying_when_the_team_is_back() -> None:
    friday_evening = at("2026-12-04 18:00")
    monday = at("2026-12-07 09:00")
    assert describe_opening(monday, friday_evening, LONDON) == "Monday at 9:00 (London time)"
    assert (
        describe_opening(monday, friday_evening, "America/New_York")
        == "Monday at 4:00 (New York time)"
    )
    assert describe_opening(at("2026-12-05 09:30"), friday_evening, LONDON) == (
        "tomorrow at 9:30 (London time)"
    )
    assert describe_opening(at("2026-12-04 19:00"), friday_evening, LONDON) == (
        "today at 19:00 (London time)"
    )
    assert describe_opening(at("2026-12-29 09:00"), at("2026-12-21 18:00"), LONDON) == (
        "Tuesday 29 December at 9:00 (London time)"
    )
    # Late in Sydney is already tomorrow there.
    assert describe_opening(monday, at("2026-12-06 12:00"), "Australia/Sydney") == (
        "tomorrow at 20:00 (Sydney time)"
    )


# ------------------------------------------------------------------ settings


def _load(tmp_path: Path, **env: str) -> Settings:
    return load_settings({"PARLEY_DATA_DIR": str(tmp_path), **env}, dotenv=tmp_path / "none")


def test_without_office_hours_every_team_is_always_open(tmp_path: Path) -> None:
    hours = _load(tmp_path).office_hours
    name, default = hours.team_for("web")
    assert name == "default" and default.round_the_clock


def test_teams_are_keyed_by_the_handoff_channel(tmp_path: Path) -> None:
    hours = _load(
        tmp_path,
        PARLEY_OFFICE_HOURS="mon-fri 09:00-17:30",
        PARLEY_OFFICE_TIMEZONE=LONDON,
        PARLEY_OFFICE_CLOSED="2026-12-25",
        PARLEY_OFFICE_HOURS_VOICE="mon-sat 08:00-20:00",
        PARLEY_OFFICE_TIMEZONE_VOICE="America/New_York",
    ).office_hours
    name, web = hours.team_for("web")
    assert name == "default" and web.timezone == LONDON and date(2026, 12, 25) in web.closed
    name, voice = hours.team_for("voice")
    assert name == "voice" and voice.timezone == "America/New_York"
    assert voice.closed == web.closed  # the default team's closed dates unless its own
    assert voice.is_open(at("2026-12-05 10:00", "America/New_York"))  # Saturday


@pytest.mark.parametrize(
    ("env", "key", "message"),
    [
        ({"PARLEY_OFFICE_HOURS": "mon-fri 09:00-17:00"}, "PARLEY_OFFICE_TIMEZONE", "required"),
        (
            {"PARLEY_OFFICE_HOURS": "mon-fri 9-5", "PARLEY_OFFICE_TIMEZONE": LONDON},
            "PARLEY_OFFICE_HOURS",
            "09:00-17:30",
        ),
        (
            {"PARLEY_OFFICE_HOURS": "mon 09:00-17:00", "PARLEY_OFFICE_TIMEZONE": "London"},
            "PARLEY_OFFICE_TIMEZONE",
            "IANA",
        ),
        ({"PARLEY_OFFICE_TIMEZONE": LONDON}, "PARLEY_OFFICE_TIMEZONE", "PARLEY_OFFICE_HOURS"),
        ({"PARLEY_OFFICE_HOURS_PHONE": "mon 09:00-17:00"}, "PARLEY_OFFICE_HOURS_PHONE", "voice"),
        ({"PARLEY_OFFICE_CLOSED_SMS": "2026-12-25"}, "PARLEY_OFFICE_CLOSED_SMS", "HOURS_SMS"),
        (
            {
                "PARLEY_OFFICE_HOURS_SMS": "mon 09:00-17:00",
                "PARLEY_OFFICE_TIMEZONE_SMS": "Nowhere/X",
            },
            "PARLEY_OFFICE_TIMEZONE_SMS",
            "IANA",
        ),
    ],
)
def test_bad_office_hours_settings_name_the_key(
    tmp_path: Path, env: dict[str, str], key: str, message: str
) -> None:
    with pytest.raises(InvalidSetting) as raised:
        _load(tmp_path, **env)
    assert raised.value.key == key and message in raised.value.reason


def test_child_processes_see_the_same_office_hours(tmp_path: Path) -> None:
    """What `parley run` exports for the action server reads back identically."""
    from bot.stack import child_env

    for env in (
        {},
        {
            "PARLEY_OFFICE_HOURS": "mon-fri 09:00-12:30,13:30-17:30; sat 12:00-24:00; sun 22:00-06:00",
            "PARLEY_OFFICE_TIMEZONE": LONDON,
            "PARLEY_OFFICE_CLOSED": "2026-12-25,2026-12-26",
            "PARLEY_OFFICE_HOURS_VOICE": "mon-sun 00:00-24:00",
            "PARLEY_OFFICE_TIMEZONE_VOICE": "America/New_York",
        },
    ):
        settings = _load(tmp_path, **env)
        again = load_settings(environ=child_env(settings), dotenv=tmp_path / "none")
        assert again.office_hours == settings.office_hours
