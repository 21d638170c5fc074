"""Yes, no and not sure everywhere; corrections always work (#18).

Whole conversations over the REST channel against a real Rasa and action server, judged
from the profile store: consent through its consent reads, erasure by the contact being
gone, corrections by the stored contact. Bot messages are recognised by their fixed words
in domain.yml and consent.yml.
"""

from __future__ import annotations

from typing import Any

import pytest

from bot.store import Contact
from tests.e2e.conftest import Stack, rest_id

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

SUMMARY = "here's what i have"
EMAIL_QUESTION = "email you product news"
SMS_QUESTION = "text you demo reminders"
DETAILS = {
    "phone": "skip",
    "company": "Kilbride Joinery",
    "role": "operations lead",
    "need": "quotes requested online go unanswered for days",
}


def contact_of(stack: Stack, sender: str) -> Contact:
    contact = stack.store.contacts.for_identity("rest", rest_id(sender))
    assert contact is not None, f"nothing stored for {sender}"
    return contact


def granted(stack: Stack, sender: str) -> dict[str, bool]:
    state = stack.store.consent.state(contact_of(stack, sender).id)
    return {purpose: event.granted for purpose, event in state.items()}


def to_summary(
    stack: Stack, sender: str, name: str, email: str, opener: str = "", **answers: str
) -> str:
    """Give the details the form asks for until the summary is shown; return it."""
    details = {**DETAILS, **answers}
    reply = stack.text(sender, f"hiya, {name} here, {email}, could I get a demo? {opener}")
    for _ in range(8):
        if SUMMARY in reply:
            return reply
        requested = stack.slots(sender).get("requested_slot") or ""
        assert requested.startswith("lead_"), reply
        reply = stack.text(sender, details[requested.removeprefix("lead_")])
    raise AssertionError(reply)


def buttons(messages: list[dict[str, Any]]) -> list[tuple[str, str]]:
    return [(b["title"], b["payload"]) for m in messages for b in m.get("buttons", [])]


# ----------------------------------------------------------------------- the summary


@pytest.mark.parametrize("said", ["yeah righto", "spot on mate", "haan ji, all correct"])
def test_a_yes_in_own_words_confirms_the_summary(stack: Stack, sender: str, said: str) -> None:
    to_summary(stack, sender, "Aoife Kelly", f"aoife.{len(said)}@kilbride.ie")
    assert EMAIL_QUESTION in stack.text(sender, said)
    assert contact_of(stack, sender).lead_status == "confirmed"


def test_a_correction_with_its_value_is_stored_and_shown_again(stack: Stack, sender: str) -> None:
    to_summary(stack, sender, "Rohan Mehta", "rohan@kilbride.in")
    reply = stack.text(sender, "that's not right, the company should be Globex Joinery")
    assert SUMMARY in reply and "globex joinery" in reply
    stack.say(sender, "yes thats correct now")
    contact = contact_of(stack, sender)
    assert (contact.company, contact.lead_status) == ("Globex Joinery", "confirmed")


def test_no_with_the_right_detail_corrects_it(stack: Stack, sender: str) -> None:
    to_summary(stack, sender, "Tom Byrne", "tom@kilbride.ie")
    reply = stack.text(sender, "no, my company is Byrne and Sons")
    assert SUMMARY in reply and "byrne and sons" in reply
    assert contact_of(stack, sender).company == "Byrne and Sons"


def test_a_detail_named_wrong_is_asked_for_again(stack: Stack, sender: str) -> None:
    to_summary(stack, sender, "Nia Evans", "nia.evans@kilbrde.co.uk")
    assert "email address" in stack.text(sender, "the email is wrong")
    reply = stack.text(sender, "nia.evans@kilbride.co.uk")
    assert SUMMARY in reply and "nia.evans@kilbride.co.uk" in reply
    assert contact_of(stack, sender).email == "nia.evans@kilbride.co.uk"


def test_a_bare_no_asks_what_to_change_with_a_button_per_detail(stack: Stack, sender: str) -> None:
    to_summary(stack, sender, "Kofi Boateng", "kofi@kilbride.gh")
    messages = stack.say(sender, "nope")
    titles = [title for title, _ in buttons(messages)]
    assert {"Name", "Email", "Phone", "Company", "Role"} <= set(titles)
    payload = dict(buttons(messages))["Company"]
    assert "company" in stack.text(sender, payload)
    reply = stack.text(sender, "Boateng Carpentry")
    assert SUMMARY in reply and "boateng carpentry" in reply
    assert contact_of(stack, sender).company == "Boateng Carpentry"


def test_an_unclear_answer_to_the_summary_is_asked_once_then_left(
    stack: Stack, sender: str
) -> None:
    summary = to_summary(stack, sender, "Li Wei", "li.wei@kilbride.cn")
    first = stack.text(sender, "hmm")
    assert first and first != summary and "correct" in first
    second = stack.text(sender, "dunno")
    assert second != first and EMAIL_QUESTION in second  # the conversation goes on
    assert contact_of(stack, sender).lead_status != "confirmed"


def test_a_correction_after_the_summary_was_confirmed(stack: Stack, sender: str) -> None:
    to_summary(stack, sender, "Grace Obi", "grace@kilbride.ng")
    assert EMAIL_QUESTION in stack.text(sender, "yes")
    reply = stack.text(sender, "oh wait, the role is wrong, it's head of operations")
    assert SUMMARY in reply and "head of operations" in reply
    contact = contact_of(stack, sender)
    assert contact.role == "head of operations" and contact.lead_status == "confirmed"


def test_a_correction_while_qualifying_shows_the_summary_then_resumes(
    stack: Stack, sender: str
) -> None:
    to_summary(stack, sender, "Jack Moran", "jack@kilbride.ie")
    assert EMAIL_QUESTION in stack.text(sender, "yes")
    assert "how many people" in stack.text(sender, "no thanks")
    reply = stack.text(sender, "hang on, the company should be Moran Joinery Ltd")
    assert SUMMARY in reply and "moran joinery ltd" in reply
    assert "how many people" in stack.text(sender, "yes, that's right now")
    assert contact_of(stack, sender).company == "Moran Joinery Ltd"


# ----------------------------------------------------------------------- consent


def test_consent_yes_and_no_in_own_words(stack: Stack, sender: str) -> None:
    to_summary(stack, sender, "Siobhan Walsh", "siobhan@kilbride.ie", phone="+353 85 123 4567")
    assert EMAIL_QUESTION in stack.text(sender, "grand")
    assert SMS_QUESTION in stack.text(sender, "go on then")
    stack.say(sender, "yeah nah")
    assert granted(stack, sender) == {"email": True}


def test_consent_in_the_speakers_first_language_never_goes_back_to_the_summary(
    stack: Stack, sender: str
) -> None:
    """ "E-Mail gerne" was classified as details: the lead form showed the summary again,
    and a yes to it asked the consent question again, round and round."""
    to_summary(stack, sender, "Jonas Keller", "jonas@kilbride.de", phone="+49 171 2345678")
    assert EMAIL_QUESTION in stack.text(sender, "passt, alles richtig")
    reply = stack.text(sender, "E-Mail gerne")
    assert SUMMARY not in reply and SMS_QUESTION in reply
    stack.say(sender, "SMS lieber nicht")
    assert granted(stack, sender) == {"email": True}


def test_the_same_question_at_a_consent_question_does_not_go_round_for_ever(
    stack: Stack, sender: str
) -> None:
    to_summary(stack, sender, "Rafael Costa", "rafael@kilbride.br")
    assert EMAIL_QUESTION in stack.text(sender, "yes")
    asked = "sorry, what does your assistant actually do?"
    replies = [stack.text(sender, asked) for _ in range(3)]
    assert EMAIL_QUESTION in replies[0] and EMAIL_QUESTION in replies[1]
    assert EMAIL_QUESTION not in replies[2] and "talk to a person" in replies[2]
    assert granted(stack, sender) == {}


def test_a_detail_given_at_a_consent_question_goes_to_the_form(stack: Stack, sender: str) -> None:
    to_summary(stack, sender, "Maeve Byrne", "maeve@kilbride.ie")
    assert EMAIL_QUESTION in stack.text(sender, "yes")
    reply = stack.text(sender, "my company is actually Byrne Carpentry")
    assert SUMMARY in reply and "byrne carpentry" in reply
    assert contact_of(stack, sender).company == "Byrne Carpentry"


def test_a_partial_answer_records_each_purpose_and_spares_the_texts_question(
    stack: Stack, sender: str
) -> None:
    to_summary(stack, sender, "Priya Nair", "priya@kilbride.in", phone="+91 98765 43210")
    assert EMAIL_QUESTION in stack.text(sender, "yes")
    reply = stack.text(sender, "email's fine but no texts")
    assert SMS_QUESTION not in reply
    assert granted(stack, sender) == {"email": True}


def test_not_sure_is_clarified_once_in_other_words_then_nothing_is_recorded(
    stack: Stack, sender: str
) -> None:
    to_summary(stack, sender, "Lukas Weber", "lukas@kilbride.de")
    question = stack.text(sender, "yes")
    assert EMAIL_QUESTION in question
    first = stack.text(sender, "hmm, not sure")
    assert "yes or a no" in first and EMAIL_QUESTION not in first
    second = stack.text(sender, "maybe, dunno")
    assert second != first and EMAIL_QUESTION not in second
    assert "no for now" in second
    assert granted(stack, sender) == {}


def test_not_sure_then_yes_is_consent(stack: Stack, sender: str) -> None:
    to_summary(stack, sender, "Mele Tupou", "mele@kilbride.to")
    stack.say(sender, "yep")
    stack.say(sender, "what would you send?")
    stack.say(sender, "ok then, yes please")
    assert granted(stack, sender) == {"email": True}


@pytest.mark.parametrize("said", ["I'd prefer not", "not at the moment", "nah, you're alright"])
def test_a_no_in_own_words_records_nothing_and_goes_on(
    stack: Stack, sender: str, said: str
) -> None:
    to_summary(stack, sender, "Ewa Nowak", f"ewa.{len(said)}@kilbride.pl")
    stack.say(sender, "yes")
    reply = stack.text(sender, said)
    assert EMAIL_QUESTION not in reply and "how many people" in reply
    assert granted(stack, sender) == {}


# ----------------------------------------------------------------------- erasure


def test_an_erasure_confirmed_in_own_words_is_carried_out(stack: Stack, sender: str) -> None:
    to_summary(stack, sender, "Callum Reid", "callum@kilbride.scot")
    assert "permanently delete" in stack.text(sender, "please delete my data")
    stack.say(sender, "aye, go on")
    assert stack.store.contacts.for_identity("rest", rest_id(sender)) is None


def test_an_unclear_erasure_answer_goes_to_the_privacy_team(stack: Stack, sender: str) -> None:
    to_summary(stack, sender, "Ana Souza", "ana@kilbride.br")
    question = stack.text(sender, "can you delete my data")
    first = stack.text(sender, "hmm")
    assert first != question and "yes or no" in first
    second = stack.text(sender, "dunno really")
    assert "privacy team" in second
    contact = contact_of(stack, sender)  # nothing deleted without a clear yes
    assert "erasure_referred" in [e.kind for e in stack.store.contacts.timeline(contact.id)]


# ----------------------------------------------------------------------- offers

HOT = {
    "phone": "skip",
    "company": "BigCo Widgets",
    "role": "VP of Marketing",
    "need": "we lose web leads because nobody follows up quickly",
}
HOT_ANSWERS = {
    "company_size": "we're around 400 people",
    "authority": "it's my call",
    "budget": "somewhere around 60k a year",
    "timeline": "asap",
}


def to_offer(stack: Stack, sender: str, email: str) -> str:
    to_summary(stack, sender, "Dana Reyes", email, "And what does it cost?", **HOT)
    reply = stack.text(sender, "yes")
    for _ in range(3):
        if EMAIL_QUESTION not in reply and SMS_QUESTION not in reply:
            break
        reply = stack.text(sender, "no thanks")
    for _ in range(6):
        requested = stack.slots(sender).get("requested_slot") or ""
        if not requested.startswith("qual_"):
            break
        reply = stack.text(sender, HOT_ANSWERS[requested.removeprefix("qual_")])
    return reply


def test_yes_to_an_either_or_offer_asks_which_then_books(stack: Stack, sender: str) -> None:
    offer = to_offer(stack, sender, "dana@bigco-offers.com")
    assert "talk to someone from our team now" in offer, offer
    messages = stack.say(sender, "yes please")
    titles = [title.lower() for title, _ in buttons(messages)]
    assert any("book" in t for t in titles) and any("talk" in t for t in titles)
    assert "next free times" in stack.text(sender, dict(buttons(messages))["Book a meeting"])
    assert "booked:" in stack.text(sender, "the first one")
    assert stack.store.leads.bookings(contact_of(stack, sender).id)


# ----------------------------------------------------------------------- this stop's kinds


def test_a_spelling_note_is_no_part_of_the_corrected_name(stack: Stack, sender: str) -> None:
    to_summary(stack, sender, "Sofia Marchett", "sofia@lumina-skin.com")
    reply = stack.text(sender, "oh, typo in my name, it's Sofia Marchetti with an i at the end")
    assert SUMMARY in reply and "sofia marchetti" in reply and "with an i" not in reply
    assert contact_of(stack, sender).name == "Sofia Marchetti"


def test_emails_yes_but_no_texts_records_both_answers_and_the_questions_go_on(
    stack: Stack, sender: str
) -> None:
    to_summary(stack, sender, "Jamie Castellano", "jamie@foxglove-brew.com", phone="828-555-0186")
    assert EMAIL_QUESTION in stack.text(sender, "yes")
    reply = stack.text(sender, "emails are fine but no texts please, I'll never read them")
    assert "won't contact you" not in reply and "how many people" in reply, reply
    assert granted(stack, sender).get("email") is True
    assert granted(stack, sender).get("sms") is not True


def test_the_same_words_again_never_get_the_same_answer(stack: Stack, sender: str) -> None:
    stack.say(sender, "hello")
    first = stack.text(sender, "what do you actually do")
    second = stack.text(sender, "what do you actually do")
    third = stack.text(sender, "what do you actually do")
    assert len({first, second, third}) == 3, (first, second, third)
    assert "person" in third
