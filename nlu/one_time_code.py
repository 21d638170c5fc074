"""A message that is just a six-digit code (with a few words around it) is `enter_code`.

The codes Parley sends to prove an email or phone (actions/verification.py) are random
digits; a statistical classifier cannot learn them from examples, and the wording around
them is small and fixed, so this component settles it. Inside a form the action that
checks codes stays silent when none is pending, so six digits meant as an answer (a
budget, a head count) still reach the form.
"""

from __future__ import annotations

import re
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.training_data.message import Message

from nlu.explicit_details import settle_intent

ENTER_CODE = "enter_code"
CODE_DIGITS = 6
_TOKENS = re.compile(r"\d+|[^\W\d_]+(?:'[^\W\d_]+)?")
# Words people put around a code they were sent, in chat and as speech recognition
# writes them ("the code is 4 8 2 9 1 3").
_AROUND_A_CODE = frozenset(
    [
        "the",
        "my",
        "your",
        "a",
        "code",
        "codes",
        "is",
        "it",
        "it's",
        "its",
        "here",
        "here's",
        "that",
        "this",
        "verification",
        "one",
        "time",
        "pin",
        "number",
        "ok",
        "okay",
        "sure",
        "thanks",
        "thank",
        "you",
        "got",
        "i",
        "i've",
        "ve",
        "received",
        "sent",
        "was",
    ]
)


def is_code_message(text: str) -> bool:
    tokens = _TOKENS.findall(text.lower())
    digits = [t for t in tokens if t.isdigit()]
    words = [t for t in tokens if not t.isdigit()]
    return (
        sum(len(d) for d in digits) == CODE_DIGITS
        and all(word in _AROUND_A_CODE for word in words)
        and not re.search(r"[@+]", text)
    )


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class OneTimeCodeClassifier(GraphComponent):
    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> OneTimeCodeClassifier:
        return cls()

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get("text") or ""
            if not text.startswith("/") and is_code_message(text):
                settle_intent(message, ENTER_CODE)
        return messages
