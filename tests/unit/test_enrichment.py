"""bot.enrichment: company domain from a business email, country and zone from a phone."""

from __future__ import annotations

import pytest

from bot.enrichment import Enrichment, company_domain_of, enrich
from bot.phone_places import place_of


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
