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


@pytest.mark.parametrize(
    ("text", "intent"),
    [("what's your phone number?", "ask_capabilities"), ("cancel, my email is x@y.io", "cancel"),
     ("/request_demo", "request_demo"), ("tell me a joke", "chitchat")],
)  # fmt: skip
def test_other_messages_keep_their_intent(text: str, intent: str) -> None:
    assert classify(text, intent) == intent
