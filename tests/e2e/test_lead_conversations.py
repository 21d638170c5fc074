"""Whole lead-capture conversations over the REST channel, checked in the profile store."""

from __future__ import annotations

import pytest

from bot.store import Contact
from tests.e2e.conftest import Stack, rest_id

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def contact_of(stack: Stack, sender: str) -> Contact:
    contact = stack.store.contacts.for_identity("rest", rest_id(sender))
    assert contact is not None, f"nothing stored for {sender}"
    return contact


def fill_rest_of_form(stack: Stack, sender: str, answers: dict[str, str]) -> str:
    """Answer whatever the form asks next until the summary appears."""
    reply = ""
    for _ in range(8):
        requested = stack.slots(sender).get("requested_slot")
        if not requested:
            break
        reply = stack.text(sender, answers[requested.removeprefix("lead_")])
        if "here's what i have" in reply:
            return reply
    return reply


def test_happy_path_stores_a_confirmed_lead(stack: Stack, sender: str) -> None:
    first = stack.text(sender, "hello there")
    assert "automated assistant" in first and "example.test/privacy" in first
    assert "what's your name" in stack.text(sender, "i'd like to see a demo of the product")
    assert "email" in stack.text(sender, "Dana Reyes")
    assert "phone" in stack.text(sender, "dana.reyes@acme-widgets.com")
    assert "company" in stack.text(sender, "(415) 555-0134")
    assert "role" in stack.text(sender, "Acme Widgets")
    assert "solve" in stack.text(sender, "Head of Growth")
    summary = stack.text(sender, "we lose web leads because nobody follows up quickly")
    assert "here's what i have" in summary and "dana.reyes@acme-widgets.com" in summary
    assert "thanks, dana reyes" in stack.text(sender, "yep that's all correct")

    contact = contact_of(stack, sender)
    assert (contact.name, contact.email, contact.phone) == (
        "Dana Reyes",
        "dana.reyes@acme-widgets.com",
        "+14155550134",
    )
    assert (contact.company, contact.role) == ("Acme Widgets", "Head of Growth")
    assert contact.need == "we lose web leads because nobody follows up quickly"
    assert contact.lead_status == "confirmed"


def test_several_details_in_one_message_fill_several_fields(stack: Stack, sender: str) -> None:
    reply = stack.text(
        sender, "Hi, I'm Priya Raman from Globex Corporation, priya@globex.com. Can I get a demo?"
    )
    assert "phone" in reply and "your name" not in reply
    contact = contact_of(stack, sender)
    assert (contact.name, contact.email, contact.company) == (
        "Priya Raman",
        "priya@globex.com",
        "Globex Corporation",
    )


def test_correction_in_the_middle_of_the_form_updates_the_email(stack: Stack, sender: str) -> None:
    stack.say(sender, "I want to talk to your sales team")
    stack.say(sender, "Marek Nowak")
    stack.say(sender, "marek@nowak-logistics.pl")
    reply = stack.text(sender, "sorry, my email is actually m.nowak@nowak-logistics.pl")
    assert "phone" in reply
    contact = contact_of(stack, sender)
    assert contact.email == "m.nowak@nowak-logistics.pl"
    changes = [
        e.data for e in stack.store.contacts.timeline(contact.id) if e.kind == "field_changed"
    ]
    assert {
        "field": "email",
        "old": "marek@nowak-logistics.pl",
        "new": "m.nowak@nowak-logistics.pl",
    } in changes


def test_summary_can_be_corrected_before_confirming(stack: Stack, sender: str) -> None:
    stack.say(
        sender, "I'm Tom Baker from Initech, tom@initech.com, +44 20 7946 0958 - I'd like a demo"
    )
    reply = fill_rest_of_form(stack, sender, {"role": "CTO", "need": "automate lead follow up"})
    assert "initech" in reply
    assert "what to change" in stack.text(sender, "no, that's not right")
    corrected = stack.text(sender, "my company is Initrode")
    assert "here's what i have" in corrected and "initrode" in corrected
    stack.say(sender, "yes")
    contact = contact_of(stack, sender)
    assert (contact.company, contact.lead_status) == ("Initrode", "confirmed")


def test_two_invalid_emails_explain_and_offer_to_skip(stack: Stack, sender: str) -> None:
    stack.say(sender, "book a demo please")
    stack.say(sender, "Aiko Tanaka")
    first = stack.text(sender, "aiko at home")
    assert "email" in first
    second = stack.say(sender, "aiko.tanaka@")
    texts = " ".join(m.get("text", "") for m in second).lower()
    assert "name@company.com" in texts
    buttons = [b["payload"] for m in second for b in m.get("buttons", [])]
    assert "/skip" in buttons
    assert "phone" in stack.text(sender, "/skip")
    contact = contact_of(stack, sender)
    assert contact.name == "Aiko Tanaka" and contact.email is None
    assert stack.slots(sender)["skipped_fields"] == ["email"]


def test_question_in_the_middle_of_the_form_is_answered_then_resumed(
    stack: Stack, sender: str
) -> None:
    stack.say(sender, "can someone from sales get in touch")
    stack.say(sender, "Lucas Martin")
    stack.say(sender, "lucas@martin.fr")
    stack.say(sender, "skip")
    reply = stack.text(sender, "wait, am I talking to a real person?")
    assert ("bot" in reply or "person from our team" in reply) and "company" in reply
    pricing = stack.text(sender, "how much does it cost?")
    assert "$49" in pricing and "company" in pricing
    assert "role" in stack.text(sender, "Martin & Fils")
    assert contact_of(stack, sender).company == "Martin & Fils"


def test_cancel_leaves_the_form_and_keeps_what_was_given(stack: Stack, sender: str) -> None:
    stack.say(sender, "I'd like pricing details")
    stack.say(sender, "Sofia Rossi")
    stack.say(sender, "sofia@rossi.it")
    reply = stack.text(sender, "never mind, forget it")
    assert "stopped" in reply
    assert stack.slots(sender)["requested_slot"] is None
    contact = contact_of(stack, sender)
    assert (contact.name, contact.email, contact.lead_status) == (
        "Sofia Rossi",
        "sofia@rossi.it",
        "partial",
    )
    assert "lead_form_cancelled" in [e.kind for e in stack.store.contacts.timeline(contact.id)]


def test_returning_person_is_not_asked_again(stack: Stack, sender: str) -> None:
    stack.say(sender, "Hi I'm Grace Hopper from Cobol Systems, grace@cobol.systems")
    fill_rest_of_form(
        stack, sender, {"phone": "skip", "role": "Admiral", "need": "modernise our pipeline"}
    )
    stack.say(sender, "yes")
    again = stack.text(sender, "I want a demo")
    # Details confirmed: the demo's times, not the details asked (or shown) again.
    assert "free times" in again
    assert "your name" not in again and "here's what i have" not in again


def test_same_email_on_a_new_conversation_is_kept_apart_until_proven(
    stack: Stack, sender: str
) -> None:
    stack.say(sender, "Hello, Kwame Mensah here, kwame@accra-tech.gh, I'd like a demo")
    fill_rest_of_form(
        stack,
        sender,
        {
            "phone": "+233 24 123 4567",
            "company": "Accra Tech",
            "role": "COO",
            "need": "qualify leads faster",
        },
    )
    stack.say(sender, "yes")
    later = sender + "-later"
    stack.say(later, "hi")
    reply = stack.text(later, "talk to sales please, my email is kwame@accra-tech.gh")
    assert "accra tech" not in reply and "coo" not in reply  # nothing known is shown
    first, second = contact_of(stack, sender), contact_of(stack, later)
    assert first.id != second.id and first.company == "Accra Tech" and second.company is None
    [claim] = stack.store.contacts.possible_duplicates(first.id)
    assert (claim.contact_id, claim.value) == (second.id, "kwame@accra-tech.gh")


def test_invalid_phone_then_valid_phone_is_stored_as_e164(stack: Stack, sender: str) -> None:
    stack.say(sender, "demo please. I'm Ana Souza, ana@souza.com.br")
    assert "phone number" in stack.text(sender, "12 34")
    assert "company" in stack.text(sender, "+55 11 91234-5678")
    assert contact_of(stack, sender).phone == "+5511912345678"


def test_small_talk_and_out_of_scope_get_answers_and_store_nothing(
    stack: Stack, sender: str
) -> None:
    assert "bot" in stack.text(sender, "how's your day going?")
    assert "outside what i can help" in stack.text(sender, "can you order me a pizza")
    assert "what can i do" in stack.text(sender, "hey")
    assert stack.store.contacts.for_identity("rest", rest_id(sender)) is None


def test_hostile_text_in_fields_is_stored_as_given(stack: Stack, sender: str) -> None:
    stack.say(sender, "i want a demo")
    stack.say(sender, "Bobby Tables")
    stack.say(sender, "bobby@tables.example")
    stack.say(sender, "skip")
    stack.say(sender, "<script>alert('x')</script> Ltd")
    stack.say(sender, "DBA")
    stack.say(sender, "Robert'); DROP TABLE contacts;-- and <b>bold</b> claims")
    contact = contact_of(stack, sender)
    assert contact.company == "<script>alert('x')</script> Ltd"
    assert contact.need == "Robert'); DROP TABLE contacts;-- and <b>bold</b> claims"
    assert stack.store.contacts.count() >= 1


def test_emoji_name_is_refused_politely_and_asked_again(stack: Stack, sender: str) -> None:
    stack.say(sender, "show me a demo")
    reply = stack.text(sender, "🙂🙂")
    assert "name" in reply
    assert stack.store.contacts.for_identity("rest", rest_id(sender)) is None
