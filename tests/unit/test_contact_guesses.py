"""Best readings of an email or a phone that could not be read as given."""

from __future__ import annotations

import pytest

from bot.contact_guesses import guess_email, guess_phone


@pytest.mark.parametrize(
    ("said", "guess"),
    [
        ("it's doherty plumbing at eircom dot net", "dohertyplumbing@eircom.net"),
        ("dwayne at peach state air.com", "dwayne@peachstateair.com"),
        (
            "my granddaughter set up the shop one it's prairie patchwork at shaw dot ca",
            "prairiepatchwork@shaw.ca",
        ),
        ("no email sorry", None),
        ("we are at the office", None),
        ("I work at Acme", None),
        ("i'm at acme dot com", None),
    ],
)
def test_an_address_said_in_pieces_is_joined(said: str, guess: str | None) -> None:
    assert guess_email(said) == guess


@pytest.mark.parametrize(
    ("said", "tried", "guess"),
    [
        ("07812 345 678", ("US",), "+447812345678"),
        ("087 214 6638", ("US",), "+353872146638"),
        ("oh eight seven two one four six six three eight", ("US",), "+353872146638"),
        # Tried already where it was read: the next likely country (only a guess, to check).
        ("087 214 6638", ("US", "IE"), "+61872146638"),
        ("07812 345 678", ("US", "GB", "DE", "IN", "IT"), None),
        ("+44 7812", ("US",), None),
        ("12345", ("US",), None),
    ],
)
def test_a_national_number_is_placed_in_the_first_likely_country(
    said: str, tried: tuple[str, ...], guess: str | None
) -> None:
    assert guess_phone(said, tried) == guess
