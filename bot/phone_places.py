"""Where a phone number is: its country and time zones, from phonenumbers' metadata.

One home for enrichment (#10), the fairness audit's countries, quiet hours in a
contact's time zones and the dialling hint a caller's number gives to the numbers they
say.
"""

from __future__ import annotations

import phonenumbers
from phonenumbers import PhoneNumberFormat, PhoneNumberType
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


Place = tuple[str | None, str | None]  # (country, time zone); either None when unknown


def place_of(phone: str | None) -> Place:
    """(country, time zone) of a valid E.164 number; either is None when unknown."""
    number = parsed(phone)
    if number is None:
        return None, None
    kind = phonenumbers.number_type(number)
    return (None, None) if kind == PhoneNumberType.UNKNOWN else _place(number, kind)


def read_number(text: str, region: str) -> tuple[str, Place] | None:
    """`text` read as a number written in `region`: its E.164 form and its place, or
    None when it is not a valid number. The same as `bot.leads.normalize_phone` and then
    `place_of`, but parsed and checked once: imports read a hundred thousand numbers.
    (Unlike a visitor's answer, an imported drama number such as 07700 900123 is refused:
    a list is checked for numbers that can be reached.)"""
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    # is_valid_number is exactly "number_type is not UNKNOWN"; the kind is needed anyway.
    kind = phonenumbers.number_type(number)
    if kind == PhoneNumberType.UNKNOWN:
        return None
    return phonenumbers.format_number(number, PhoneNumberFormat.E164), _place(number, kind)


def _place(number: phonenumbers.PhoneNumber, kind: int) -> Place:
    region = phonenumbers.region_code_for_number(number)
    country = region if region and region != _NON_GEOGRAPHIC else None
    # time_zones_for_number would work the kind out again; only kinds that are not
    # geographical (toll-free and the like) need its country-wide answer.
    if phonenumbers.is_number_type_geographical(kind, number.country_code or 0):
        found = phone_timezones.time_zones_for_geographical_number(number)
    else:
        found = phone_timezones.time_zones_for_number(number)
    zones = [zone for zone in found if zone != _UNKNOWN_ZONE]
    return country, zones[0] if len(zones) == 1 else None


def country_of(phone: str | None) -> str | None:
    return place_of(phone)[0]


# Countries wholly or mostly south of the equator, whose summer is December to February.
_SOUTHERN = frozenset({"AU", "NZ", "ZA", "AR", "CL", "UY", "PY", "BR", "BO", "PE", "NA", "BW",
                       "LS", "SZ", "ZW", "ZM", "MZ", "MG", "MU", "MW", "FJ", "PG"})  # fmt: skip


def in_the_south(country: str | None) -> bool:
    """Whether the seasons a person in `country` names are the southern hemisphere's."""
    return country is not None and country.upper() in _SOUTHERN


# Country codes that are sold as generic names ("startup.io", "brand.co", "studio.ai").
_GENERIC_USE = frozenset({"CO", "IO", "AI", "ME", "TV", "LY", "GG", "FM", "AM", "TO", "CC", "WS",
                          "LA", "SO", "SH", "AC", "IM", "VC", "GL", "NU", "TK", "ST", "BZ"})  # fmt: skip


def country_of_email(email: str | None) -> str | None:
    """The country an address's domain names ("@cebuconnect.ph" is the Philippines), when
    its ending is a country's own and not one used the world over."""
    if not email or "@" not in email:
        return None
    tld = email.rsplit(".", 1)[-1].upper()
    tld = "GB" if tld == "UK" else tld
    if len(tld) != 2 or tld in _GENERIC_USE or tld not in phonenumbers.SUPPORTED_REGIONS:
        return None
    return tld


def dialling_region(number: str | None) -> str:
    """The region of the number's country code ("" when none): validity aside, since a
    caller's number only hints where the numbers they say are from."""
    found = parsed(number) if number and number.startswith("+") else None
    if found is None:
        return ""
    region = phonenumbers.region_code_for_country_code(found.country_code or 0)
    return "" if region == phonenumbers.UNKNOWN_REGION else region
