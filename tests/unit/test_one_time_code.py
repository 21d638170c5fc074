from __future__ import annotations

import pytest
from rasa.shared.nlu.training_data.message import Message

from nlu.one_time_code import OneTimeCodeClassifier, is_code_message


@pytest.mark.parametrize(
    "text",
    ["482913", "the code is 482 913", "4 8 2 9 1 3", "code: 123-456, thanks", "it's 016492"],
)
def test_a_code_with_the_usual_words_around_it_is_a_code(text: str) -> None:
    assert is_code_message(text)


@pytest.mark.parametrize(
    "text",
    [
        "my budget is 500000",
        "+44 123456",
        "12345",
        "1234567",
        "call me on 415 555 0100",
        "dana@acme.io 123456",
        "we are 200 people",
    ],
)
def test_other_messages_with_digits_are_not_codes(text: str) -> None:
    assert not is_code_message(text)


def test_the_classifier_sets_enter_code_and_keeps_the_ranking() -> None:
    message = Message(
        data={
            "text": "my code is 903 118",
            "intent": {"name": "inform"},
            "intent_ranking": [{"name": "inform", "confidence": 0.7}],
        }
    )
    [out] = OneTimeCodeClassifier().process([message])
    assert out.get("intent") == {"name": "enter_code", "confidence": 1.0}
    assert [r["name"] for r in out.get("intent_ranking")] == ["enter_code", "inform"]
