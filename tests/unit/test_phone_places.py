"""Where an address or number says a person is."""

from __future__ import annotations


def test_an_email_names_its_country_only_with_a_countrys_own_ending() -> None:
    from bot.phone_places import country_of_email

    assert country_of_email("jas@cebuconnect.ph") == "PH"
    assert country_of_email("a@shop.co.uk") == "GB"
    assert country_of_email("a@shop.com.au") == "AU"
    # Endings sold the world over say nothing of where someone is.
    assert [country_of_email(e) for e in ("a@b.io", "a@b.co", "a@b.ai", "a@b.com")] == [None] * 4
    assert country_of_email(None) is None and country_of_email("not an address") is None
