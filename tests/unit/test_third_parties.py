"""Names and addresses of the people a visitor speaks for are never taken as theirs (#18)."""

from __future__ import annotations

import pytest

from bot.leads import read_message
from bot.third_parties import (
    is_someone_elses_address,
    is_someone_elses_name,
    names_of_others,
)


@pytest.mark.parametrize(
    ("said", "names"),
    [
        (
            "Good morning, my line manager, Ms. Ingrid Solberg, asked me to get in touch",
            ["Ingrid Solberg"],
        ),
        ("we need a bot for the shop. Her name's Temitope Bello, she owns it", ["Temitope Bello"]),
        ("i'm phoning for doctor amara nwosu she runs the clinic", ["amara nwosu"]),
        ("it's for Luca Bianchi, he handles all of this", ["Luca Bianchi"]),
        ("Kind regards, Dr. Amal Haddad", []),
        # A company said after "for" or "on behalf of", and oneself with a title, are no one else.
        ("we'd like a chatbot for Green Valley Dental", []),
        ("writing on behalf of Pike & Sons Joinery", []),
        ("hello, this is Mr. Tan speaking", []),
    ],
)
def test_names_said_as_someone_elses(said: str, names: list[str]) -> None:
    assert names_of_others([said]) == names


def test_a_shared_family_name_is_no_one_elses_name() -> None:
    assert is_someone_elses_name("Ingrid Solberg", ["Ingrid Solberg"])
    assert is_someone_elses_name("Fernandes", ["Fernandes"])
    assert not is_someone_elses_name("Priya Patel", ["Raj Patel"])


def test_an_address_made_of_someone_elses_name_unless_it_is_theirs_too() -> None:
    assert is_someone_elses_address("luca.bianchi@bianchiauto.it", ["Luca Bianchi"], None)
    assert not is_someone_elses_address(
        "sofia.bianchi@bianchiauto.it", ["Luca Bianchi"], "Sofia Bianchi"
    )
    assert not is_someone_elses_address("office@bianchiauto.it", ["Luca Bianchi"], None)


def test_the_boss_named_earlier_is_not_taken_at_the_name_or_email_question() -> None:
    others = names_of_others(["Hi, my boss Mr. Kwame Asante wants a demo of your bot"])
    name = read_message(
        "Kwame Asante", region="GH", requested="name", persons=["Kwame Asante"], others=others
    )
    assert "name" not in name.values and name.problems["name"] == "someone_elses"
    email = read_message(
        "send it all to kwame.asante@asantefreight.com.gh",
        region="GH",
        requested="email",
        others=others,
    )
    assert "email" not in email.values and email.problems["email"] == "someone_elses"
    own = read_message("Efua Mensah", region="GH", requested="name", others=others)
    assert own.values["name"] == "Efua Mensah"
