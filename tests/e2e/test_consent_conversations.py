"""Consent and privacy over REST: opt in, opt out, keywords, HELP, data requests, erasure."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from bot import privacy
from bot.consent import load_consent_config
from bot.store import Contact
from tests.e2e.conftest import Stack, rest_id

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def capture_lead(stack: Stack, sender: str, name: str, email: str, phone: str = "skip") -> str:
    """A whole lead form, confirmed; returns the consent question that follows."""
    stack.say(sender, f"hi, I'm {name}, {email}, I'd like a demo")
    for answer in (phone, "Northwind", "Head of Ops", "we need to reply to leads faster"):
        if "here's what i have" in stack.text(sender, answer):
            break
    return stack.text(sender, "yes")


def contact_of(stack: Stack, sender: str) -> Contact:
    contact = stack.store.contacts.for_identity("rest", rest_id(sender))
    assert contact is not None
    return contact


def granted(stack: Stack, sender: str) -> dict[str, bool]:
    state = stack.store.consent.state(contact_of(stack, sender).id)
    return {purpose: event.granted for purpose, event in state.items()}


def test_clear_yes_is_recorded_with_its_wording_and_evidence(stack: Stack, sender: str) -> None:
    question = capture_lead(stack, sender, "Ines Duarte", "ines@northwind.pt", "+351 912 345 678")
    assert "email you product news" in question
    assert "text you" in stack.text(sender, "yes please, that's fine")
    assert "won't send" in stack.text(sender, "no")
    assert granted(stack, sender) == {"email": True}
    (event,) = stack.store.consent.history(contact_of(stack, sender).id)
    config = load_consent_config(stack.settings.consent_file)
    assert event.wording == config.wording_for("email", "Acme Test Co")
    assert event.wording_version == config.version and event.source == "conversation"
    assert event.evidence["conversation_id"] == rest_id(sender) and event.evidence["message_id"]
    assert event.evidence["text"] == "yes please, that's fine"


def test_maybe_is_not_consent(stack: Stack, sender: str) -> None:
    capture_lead(stack, sender, "Omar Haddad", "omar@northwind.ae")
    stack.say(sender, "hmm maybe, not sure")
    assert granted(stack, sender) == {}


def test_opt_out_in_the_middle_of_the_form(stack: Stack, sender: str) -> None:
    stack.say(sender, "can I get a demo")
    stack.say(sender, "Hana Kim")
    reply = stack.text(sender, "actually please stop emailing me")
    assert "won't contact you by email" in reply
    assert stack.slots(sender)["requested_slot"] is None
    contact = contact_of(stack, sender)
    assert granted(stack, sender) == {"email": False}
    assert [d.channel for d in stack.store.consent.do_not_contact(contact.id)] == ["email"]


def test_start_in_the_middle_of_the_form_is_not_a_name(stack: Stack, sender: str) -> None:
    # A fuzz run stored the keyword's intent, "/opt_in", as a lead's name.
    stack.say(sender, "can I get a demo")
    stack.say(sender, "START")
    assert stack.slots(sender)["requested_slot"] == "lead_name"
    contact = stack.store.contacts.for_identity("rest", rest_id(sender))
    assert contact is None or contact.name is None
    assert "email" in stack.text(sender, "Hana Kim")


@pytest.mark.parametrize("keyword", ["STOP", "stop", " Unsubscribe! ", "OPTOUT", "StopAll"])
def test_stop_family_keywords_withdraw_everything_on_web(
    stack: Stack, sender: str, keyword: str
) -> None:
    capture_lead(stack, sender, "Lena Vogel", f"lena.{abs(hash(keyword))}@northwind.de")
    stack.say(sender, "yes")
    reply = stack.text(sender, keyword)
    assert "won't contact you by any channel" in reply and "offer" not in reply
    state = granted(stack, sender)
    assert state["email"] is False and set(state) == {
        "email",
        "sms",
        "whatsapp",
        "telegram",
        "phone",
        "profiling",
    }
    history = stack.store.consent.history(contact_of(stack, sender).id)
    assert history[-1].source == "keyword" and history[-1].evidence["keyword"]


def test_help_keyword_says_who_and_how_to_stop(stack: Stack, sender: str) -> None:
    reply = stack.text(sender, "HELP")
    assert "acme test co" in reply and "stop" in reply and "privacy@example.com" in reply


def test_start_resubscribes_what_was_withdrawn(stack: Stack, sender: str) -> None:
    capture_lead(stack, sender, "Piotr Zielinski", "piotr@northwind.pl")
    stack.say(sender, "yes")
    stack.say(sender, "unsubscribe me from your emails")
    assert granted(stack, sender)["email"] is False
    reply = stack.text(sender, "START")
    assert "subscribed again to email" in reply
    assert granted(stack, sender)["email"] is True
    assert stack.store.consent.do_not_contact(contact_of(stack, sender).id) == []


def test_stop_everything_withdraws_every_purpose(stack: Stack, sender: str) -> None:
    capture_lead(stack, sender, "Ana Lima", "ana@northwind.br")
    stack.say(sender, "yes")
    stack.say(sender, "please stop everything, don't contact me again")
    assert set(granted(stack, sender).values()) == {False}


@pytest.mark.parametrize("text", ["don't stop the demo", "stop, I meant Acme"])
def test_stop_inside_a_sentence_does_not_withdraw(stack: Stack, sender: str, text: str) -> None:
    capture_lead(stack, sender, "Tomas Novak", f"tomas.{len(text)}@northwind.cz")
    stack.say(sender, "yes")
    stack.say(sender, text)
    assert granted(stack, sender)["email"] is True


def test_what_do_you_know_about_me(stack: Stack, sender: str) -> None:
    capture_lead(stack, sender, "Mei Chen", "mei@northwind.sg")
    stack.say(sender, "yes")
    reply = stack.text(sender, "what do you know about me?")
    assert "mei chen" in reply and "mei@northwind.sg" in reply and "email" in reply
    assert stack.store.privacy.audit_entries()[0].action == "view_profile"


def all_text(url: str) -> str:
    """Every value in every table of a database, as one string."""
    engine = sa.create_engine(url)
    try:
        metadata = sa.MetaData()
        metadata.reflect(engine)
        with engine.connect() as connection:
            return " ".join(
                str(row)
                for table in metadata.sorted_tables
                for row in connection.execute(sa.select(table))
            )
    finally:
        engine.dispose()


def test_erasure_leaves_nothing_of_the_person(stack: Stack, sender: str) -> None:
    capture_lead(stack, sender, "Zofia Wisniewska", "zofia@northwind.pl", "+48 512 345 678")
    stack.say(sender, "yes")
    stack.say(sender, "my role is Chief Widget Officer")
    assert "permanently delete" in stack.text(sender, "please delete my data")
    assert "deleted" in stack.text(sender, "yes")
    privacy.sweep_trackers(stack.store, stack.settings)

    for url in (stack.settings.database_url, stack.settings.tracker_store_url):
        text = all_text(url).lower()
        for secret in (
            "zofia",
            "wisniewska",
            "zofia@northwind.pl",
            "48512345678",
            "chief widget officer",
        ):
            assert secret not in text, f"{secret!r} still in {url}"
    salt = stack.settings.erasure_salt.value
    assert stack.store.privacy.is_suppressed(email="Zofia@Northwind.pl", salt=salt)
    assert stack.store.privacy.is_suppressed(phone="+48512345678", salt=salt)
