"""Answers to the qualifying questions in any common notation land in the right band.

Through the REST channel, a lead gives head counts, budgets and timelines the way people
type them (European separators, rupees in lakh, ranges, words, per month) and the profile
store ends up with the band each one falls into.
"""

from __future__ import annotations

import pytest

from tests.e2e.conftest import Stack
from tests.e2e.test_qualification_conversations import answer_questions, capture_lead, contact_of

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def lead(name: str, email: str, company: str) -> dict[str, str]:
    return {
        "name": name,
        "email": email,
        "phone": "skip",
        "company": company,
        "role": "Head of Marketing",
        "need": "we lose web enquiries because nobody follows up quickly",
    }


CASES = [
    pytest.param(
        lead("Anjali Menon", "anjali@kaveri-textiles.in", "Kaveri Textiles"),
        {
            "company_size": "around 1.200 employees",
            "authority": "it's my call",
            "budget": "₹5 lakh per month",  # 6 million rupees a year: about $72k
            "timeline": "in 6-8 weeks",
        },
        {
            "company_size": "1000+",
            "authority": "decides",
            "budget": "over_50k",
            "timeline": "quarter",
        },
        id="rupees-in-lakh-european-separator",
    ),
    pytest.param(
        lead("Niamh Walsh", "niamh@harbourlight.ie", "Harbour Light"),
        {
            "company_size": "forty-odd of us",
            "authority": "I recommend, the CFO signs off",
            "budget": "2,5k a month",
            "timeline": "a month or two",
        },
        {
            "company_size": "11-50",
            "authority": "influences",
            "budget": "10k_50k",
            "timeline": "quarter",
        },
        id="words-and-decimal-comma",
    ),
    pytest.param(
        lead("Pieter de Vries", "pieter@karoo-logistics.co.za", "Karoo Logistics"),
        {
            "company_size": "between 50 and 100 people",
            "authority": "I'm the founder",
            "budget": "R50 000 a year",  # rand: under $3k
            "timeline": "eighteen months",
        },
        {"company_size": "51-200", "authority": "decides", "budget": "1k_10k", "timeline": "later"},
        id="ranges-and-rand",
    ),
]


@pytest.mark.parametrize(("details", "answers", "stored"), CASES)
def test_qualifying_answers_in_common_notations_are_stored_as_bands(
    stack: Stack,
    sender: str,
    details: dict[str, str],
    answers: dict[str, str],
    stored: dict[str, str],
) -> None:
    reply = capture_lead(stack, sender, "hi, could I get a demo please", details)
    assert "how many people work at your company" in reply, reply
    answer_questions(stack, sender, answers, reply)
    contact = contact_of(stack, sender)
    assert stack.store.leads.qualification(contact.id) == stored
