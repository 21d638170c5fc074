"""Details are taken only where the person gives them (#18), over the REST channel.

Judged from the profile store, never from the bot's wording: what ends up stored for the
conversation is what the person clearly said about themselves, and nothing else.
"""

from __future__ import annotations

import pytest

from bot.store import Contact
from tests.e2e.conftest import Stack, rest_id

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

ANSWERS = {
    "name": "Dana Reyes",
    "email": "dana.reyes@harbourlight.ie",
    "phone": "+44 20 7946 0958",
    "company": "Harbour Light Ltd",
    "role": "marketing manager",
    "need": "we lose track of people who fill in the enquiry form",
}


def stored(stack: Stack, sender: str) -> Contact | None:
    return stack.store.contacts.for_identity("rest", rest_id(sender))


def asked(stack: Stack, sender: str) -> str | None:
    requested = stack.slots(sender).get("requested_slot")
    return requested.removeprefix("lead_") if isinstance(requested, str) else None


def reach(stack: Stack, sender: str, field: str, opener: str = "I'd like a demo please") -> None:
    """Start the lead form and answer it until it asks for `field`."""
    stack.say(sender, opener)
    for _ in range(8):
        current = asked(stack, sender)
        if current == field:
            return
        assert current is not None, f"the form ended before asking for {field}"
        stack.say(sender, ANSWERS[current])
    pytest.fail(f"never asked for {field}")


@pytest.mark.parametrize(
    ("answer", "name"),
    [
        ("María de la Cruz", "María de la Cruz"),
        ("it's Pieter van der Berg", "Pieter van der Berg"),
        ("Ahmad bin Ismail", "Ahmad bin Ismail"),
        ("it's Siobhan O'Neill", "Siobhan O'Neill"),
        ("it's JP, Jean-Pierre Tremblay", "Jean-Pierre Tremblay"),
        ("Nguyen Van Anh", "Nguyen Van Anh"),
        ("myself Ravi Kumar", "Ravi Kumar"),
    ],
)
def test_names_are_kept_whole(stack: Stack, sender: str, answer: str, name: str) -> None:
    reach(stack, sender, "name")
    stack.say(sender, answer)
    contact = stored(stack, sender)
    assert contact is not None and contact.name == name
    assert asked(stack, sender) == "email"


@pytest.mark.parametrize("answer", ["Nadia Khan", "Skip Henderson"])
def test_a_plain_name_is_a_name_not_a_skip(stack: Stack, sender: str, answer: str) -> None:
    reach(stack, sender, "name")
    stack.say(sender, answer)
    contact = stored(stack, sender)
    assert contact is not None and contact.name == answer
    assert "name" not in (stack.slots(sender).get("skipped_fields") or [])


@pytest.mark.parametrize("greeting", ["helo", "hii there", "heyyy", "gday", "good mornin", "👋"])
def test_a_greeting_is_never_the_name(stack: Stack, sender: str, greeting: str) -> None:
    reach(stack, sender, "name")
    stack.say(sender, greeting)
    contact = stored(stack, sender)
    assert contact is None or contact.name is None
    stack.say(sender, "Dana Reyes")
    contact = stored(stack, sender)
    assert contact is not None and contact.name == "Dana Reyes"


@pytest.mark.parametrize(
    "refusal", ["I'd rather not give my number", "no phone thanks", "not comfortable sharing that"]
)
def test_refusing_the_phone_fills_nothing_else(stack: Stack, sender: str, refusal: str) -> None:
    reach(stack, sender, "phone")
    stack.say(sender, refusal)
    contact = stored(stack, sender)
    assert contact is not None and (contact.phone, contact.company) == (None, None)
    assert asked(stack, sender) == "company"
    stack.say(sender, "Koala Freight Pty Ltd")
    contact = stored(stack, sender)
    assert contact is not None and contact.company == "Koala Freight Pty Ltd"
    assert contact.phone is None


@pytest.mark.parametrize(
    "company",
    [
        "Sharma Textiles Pvt. Ltd.",
        "Müller GmbH & Co. KG",
        "Acme, Inc.",
        "Dupont S.A.",
        "Rossi S.r.l.",
        "Nowak Sp. z o.o.",
    ],
)
def test_company_suffixes_stay_whole(stack: Stack, sender: str, company: str) -> None:
    reach(stack, sender, "company")
    stack.say(sender, company)
    contact = stored(stack, sender)
    assert contact is not None and contact.company == company
    assert asked(stack, sender) == "role"


@pytest.mark.parametrize(
    "answer",
    ["HubSpot", "we use Salesforce", "Melbourne", "Acme Test Co", "marketing manager", "LinkedIn"],
)
def test_tools_places_titles_and_the_bots_company_are_no_company(
    stack: Stack, sender: str, answer: str
) -> None:
    reach(stack, sender, "company")
    stack.say(sender, answer)
    contact = stored(stack, sender)
    assert contact is not None and contact.company is None
    assert asked(stack, sender) == "company"


def test_a_question_at_the_company_question_fills_nothing(stack: Stack, sender: str) -> None:
    reach(stack, sender, "company")
    stack.say(sender, "does it work with Salesforce?")
    contact = stored(stack, sender)
    assert contact is not None and contact.company is None
    stack.say(sender, "Harbour Light Ltd")
    contact = stored(stack, sender)
    assert contact is not None and contact.company == "Harbour Light Ltd"


@pytest.mark.parametrize(
    "opener",
    [
        "Does it work with Salesforce?",
        "can it sync with HubSpot and Mailchimp?",
        "I found Acme Test Co on LinkedIn, what do you do?",
        "I'm the CMO, how much is it?",
        "Hi I'm from Melbourne, is Parley available in Australia?",
    ],
)
def test_names_and_companies_inside_questions_are_not_stored(
    stack: Stack, sender: str, opener: str
) -> None:
    stack.say(sender, opener)
    contact = stored(stack, sender)
    assert contact is None or (contact.name, contact.company) == (None, None)
    reach(stack, sender, "company", opener="I'd like a demo please")
    contact = stored(stack, sender)
    assert contact is not None and contact.company is None and contact.name == "Dana Reyes"


@pytest.mark.parametrize(
    ("spoken", "email"),
    [
        ("sorry it's jp dot tremblay at acme dot ca", "jp.tremblay@acme.ca"),
        ("yeah so my email is anna dot kovacs at gmail dot com thanks", "anna.kovacs@gmail.com"),
        ("uh j smith at outlook dot com", "jsmith@outlook.com"),
        ("raj underscore patel at the rate yahoo dot co dot in", "raj_patel@yahoo.co.in"),
    ],
)
def test_an_address_read_out_with_words_around_it(
    stack: Stack, sender: str, spoken: str, email: str
) -> None:
    reach(stack, sender, "email")
    stack.say(sender, spoken)
    contact = stored(stack, sender)
    assert contact is not None and contact.email == email
    assert asked(stack, sender) == "phone"


def test_an_introduction_gives_name_and_company(stack: Stack, sender: str) -> None:
    stack.say(
        sender, "Hi, this is Pieter van der Berg from Koala Freight Pty Ltd, can I see a demo?"
    )
    contact = stored(stack, sender)
    assert contact is not None
    assert (contact.name, contact.company) == ("Pieter van der Berg", "Koala Freight Pty Ltd")


def test_someone_elses_number_is_refused_and_their_own_kept(stack: Stack, sender: str) -> None:
    """Nobody's details are stored as someone else's: a boss's number given at the phone
    question is not kept, the bot says why, and the person's own number then is."""
    reach(stack, sender, "phone")
    said = stack.text(sender, "best to call my manager on +44 20 7946 0321, she decides")
    contact = stored(stack, sender)
    assert contact is not None and contact.phone is None
    assert "your own" in said and asked(stack, sender) == "phone"
    stack.say(sender, "mine is +44 20 7946 0774")
    contact = stored(stack, sender)
    assert contact is not None and contact.phone == "+442079460774"


def test_a_name_given_for_someone_else_is_not_stored(stack: Stack, sender: str) -> None:
    reach(stack, sender, "name")
    stack.say(sender, "it's for my boss really, Marcus Webb")
    contact = stored(stack, sender)
    assert contact is None or contact.name is None
    assert asked(stack, sender) == "name"
