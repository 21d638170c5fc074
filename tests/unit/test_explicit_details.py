"""The explicit-details classifier on real Rasa messages."""

from __future__ import annotations

import pytest
from rasa.shared.nlu.training_data.message import Message

from nlu.explicit_details import ExplicitDetailsClassifier


def classify(text: str, intent: str, confidence: float = 0.9) -> str:
    message = Message(data={"text": text, "intent": {"name": intent, "confidence": confidence}})
    component = ExplicitDetailsClassifier({"region": "US", "keep_intents": ["cancel"]})
    (processed,) = component.process([message])
    return str(processed.get("intent")["name"])


@pytest.mark.parametrize(
    "text",
    ["my company is Initrode", "dana@acme.io", "sure, +44 20 7946 0958", "my job title is CRO"],
)
def test_stated_details_become_inform(text: str) -> None:
    assert classify(text, "out_of_scope") == "inform"


def test_a_privacy_intent_without_its_words_yields_to_details() -> None:
    component = ExplicitDetailsClassifier(
        {"region": "US", "keep_intents": ["request_erasure", "opt_out"]}
    )
    messages = [
        Message(data={"text": t, "intent": {"name": i, "confidence": 0.9}})
        for t, i in [("Hi I'm Grace Hopper, grace@cobol.systems", "request_erasure"),
                     ("unsubscribe grace@cobol.systems please", "opt_out")]
    ]  # fmt: skip
    assert [m.get("intent")["name"] for m in component.process(messages)] == ["inform", "opt_out"]


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("what's your phone number?", "ask_capabilities"),
        ("cancel, my email is x@y.io", "cancel"),
        ("/request_demo", "request_demo"),
        ("tell me a joke", "chitchat"),
    ],
)
def test_other_messages_keep_their_intent(text: str, intent: str) -> None:
    assert classify(text, intent) == intent


@pytest.mark.parametrize(
    "text",
    [
        "sorry it's jp dot tremblay at acme dot ca",
        "yeah so my email is anna dot kovacs at gmail dot com thanks",
        "I work at Koala Freight",
        "i work for Sharma Textiles Pvt. Ltd.",
    ],
)
def test_read_out_addresses_and_workplaces_become_inform(text: str) -> None:
    assert classify(text, "chitchat") == "inform"


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("does it work with Salesforce?", "ask_capabilities"),
        ("Nadia Khan", "skip"),
        ("I'd rather not give my number", "skip"),
        ("helo", "greet"),
        ("we met at the expo", "chitchat"),
    ],
)
def test_questions_refusals_and_names_keep_their_intent(text: str, intent: str) -> None:
    assert classify(text, intent) == intent
