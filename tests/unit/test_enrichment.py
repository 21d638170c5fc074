"""bot.enrichment: company domain from a business email, country and zone from a phone."""

from __future__ import annotations

import phonenumbers
import pytest
from phonenumbers import PhoneNumberFormat
from phonenumbers import timezone as phone_timezones

from bot.enrichment import Enrichment, company_domain_of, enrich, enrichment_of
from bot.leads import normalize_phone
from bot.phone_places import Place, place_of, read_number


@pytest.mark.parametrize(
    ("email", "domain"),
    [
        ("dana@acme.io", "acme.io"),
        ("Dana@Sales.Acme.CO.UK", "sales.acme.co.uk"),
        ("bo@hotmail.acme.com", "hotmail.acme.com"),
    ],
)
def test_company_domain_of_business_address_is_its_domain(email: str, domain: str) -> None:
    assert company_domain_of(email) == domain


@pytest.mark.parametrize(
    "email",
    [
        "dana@gmail.com",
        "dana@outlook.com",
        "dana@yahoo.com",
        "dana@hotmail.com",
        "dana@icloud.com",
        "dana@proton.me",
        "dana@yahoo.co.uk",
        "dana@hotmail.fr",
        "dana@GMAIL.COM",
        None,
        "",
        "not-an-address",
    ],
)
def test_company_domain_of_free_mail_or_nothing_is_none(email: str | None) -> None:
    assert company_domain_of(email) is None


def test_place_of_number_in_one_zone_gives_country_and_zone() -> None:
    assert place_of("+14155550134") == ("US", "America/Los_Angeles")
    assert place_of("+442079460958") == ("GB", "Europe/London")
    assert place_of("+33612345678") == ("FR", "Europe/Paris")


def test_place_of_number_spanning_zones_gives_country_only() -> None:
    assert place_of("+18005551234") == ("US", None)  # toll-free: the whole of NANP
    assert place_of("+79161234567") == ("RU", None)


@pytest.mark.parametrize("phone", [None, "", "+1", "not a number", "+999123"])
def test_place_of_unusable_number_is_unknown(phone: str | None) -> None:
    assert place_of(phone) == (None, None)


def test_enrich_combines_email_and_phone() -> None:
    assert enrich("dana@acme.io", "+12125550100") == Enrichment("acme.io", "US", "America/New_York")
    assert enrich("dana@gmail.com", None) == Enrichment(None, None, None)


def test_enrichment_of_a_known_place_is_what_enrich_finds() -> None:
    place = place_of("+12125550100")
    assert enrichment_of("dana@acme.io", place) == enrich("dana@acme.io", "+12125550100")
    assert enrichment_of("dana@gmail.com", None) == enrich("dana@gmail.com", None)


def _by_the_book(text: str, region: str) -> tuple[str, Place] | None:
    """normalize_phone, then the place from the library's own checks, each from scratch."""
    try:
        e164 = normalize_phone(text, region)
    except ValueError:
        return None
    number = phonenumbers.parse(e164, None)
    assert phonenumbers.is_valid_number(number)
    region_code = phonenumbers.region_code_for_number(number)
    zones = [z for z in phone_timezones.time_zones_for_number(number) if z != "Etc/Unknown"]
    country = region_code if region_code != "001" else None
    return e164, (country, zones[0] if len(zones) == 1 else None)


def _numbers_of_every_kind() -> list[tuple[str, str]]:
    """Each region's example number of each type, written nationally and internationally,
    and again with a digit changed or left out (often no longer valid)."""
    found = [("(212) 555-0134 ext. 5", "US"), ("06 1234 5678", "IT"), ("+800 1234 5678", "US")]
    for region in sorted(phonenumbers.SUPPORTED_REGIONS):
        for kind in range(11):
            example = phonenumbers.example_number_for_type(region, kind)
            if example is None:
                continue
            national = phonenumbers.format_number(example, PhoneNumberFormat.NATIONAL)
            e164 = phonenumbers.format_number(example, PhoneNumberFormat.E164)
            changed = e164[:-3] + str((int(e164[-3]) + 1) % 10) + e164[-2:]
            found += [(national, region), (e164, "US"), (changed, "US"), (e164[:-1], "US")]
    return found


def test_read_number_agrees_with_normalize_phone_and_place_of() -> None:
    numbers = _numbers_of_every_kind()
    read = {(text, region): read_number(text, region) for text, region in numbers}
    assert read == {(text, region): _by_the_book(text, region) for text, region in numbers}
    assert sum(found is None for found in read.values()) > 100  # invalid ones were tried too
    e164s = [found[0] for found in read.values() if found is not None]
    assert [place_of(e164) for e164 in e164s] == [_by_the_book(e, "US")[1] for e in e164s]  # type: ignore[index]
