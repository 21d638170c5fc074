"""Where a phone number is: its country and time zones, from phonenumbers' metadata.

One home for enrichment (#10), the fairness audit's countries, quiet hours in a
contact's time zones and the dialling hint a caller's number gives to the numbers they
say.
"""

from __future__ import annotations

import phonenumbers
from phonenumbers import timezone as phone_timezones

_UNKNOWN_ZONE = "Etc/Unknown"
_NON_GEOGRAPHIC = "001"


def parsed(phone: str | None) -> phonenumbers.PhoneNumber | None:
    """An international number read as written, valid or not; None when unreadable."""
    if not phone:
        return None
    try:
        return phonenumbers.parse(phone, None)
    except phonenumbers.NumberParseException:
        return None


def time_zones_of(number: phonenumbers.PhoneNumber) -> list[str]:
    """Every zone the number may ring in (several for a number spanning a country)."""
    return [z for z in phone_timezones.time_zones_for_number(number) if z != _UNKNOWN_ZONE]


def place_of(phone: str | None) -> tuple[str | None, str | None]:
    """(country, time zone) of a valid E.164 number; either is None when unknown."""
    number = parsed(phone)
    if number is None or not phonenumbers.is_valid_number(number):
        return None, None
    region = phonenumbers.region_code_for_number(number)
    country = region if region and region != _NON_GEOGRAPHIC else None
    zones = time_zones_of(number)
    return country, zones[0] if len(zones) == 1 else None


def country_of(phone: str | None) -> str | None:
    return place_of(phone)[0]


def dialling_region(number: str | None) -> str:
    """The region of the number's country code ("" when none): validity aside, since a
    caller's number only hints where the numbers they say are from."""
    found = parsed(number) if number and number.startswith("+") else None
    if found is None:
        return ""
    region = phonenumbers.region_code_for_country_code(found.country_code or 0)
    return "" if region == phonenumbers.UNKNOWN_REGION else region
