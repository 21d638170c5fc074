"""Messages that plainly state lead details are `inform`, whatever DIET guessed.

"my company is Initrode" or a bare email address can look like anything to a
statistical classifier trained on a few hundred sentences; the wording itself is
unambiguous, so this component, placed after DIET and the fallback classifier, settles it.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.training_data.message import Message

from bot.interruptions import has_cue
from bot.leads import states_lead_details

INFORM = "inform"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class ExplicitDetailsClassifier(GraphComponent):
    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"region": "US", "keep_intents": []}

    def __init__(self, config: dict[str, Any]) -> None:
        self._region = str(config["region"])
        self._keep = frozenset(config["keep_intents"])

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> ExplicitDetailsClassifier:
        return cls(config)

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            if self._should_override(message):
                settle_intent(message, INFORM)
        return messages

    def _should_override(self, message: Message) -> bool:
        text = message.get("text") or ""
        current = str((message.get("intent") or {}).get("name") or "")
        if not text or text.startswith("/") or current == INFORM:
            return False
        if current in self._keep and has_cue(current, text):
            return False  # "unsubscribe dana@acme.io" stays an opt-out
        return states_lead_details(text, self._region)


def settle_intent(message: Message, name: str) -> None:
    """Make `name` the message's intent, certain, at the head of the ranking."""
    intent = {"name": name, "confidence": 1.0}
    message.set("intent", intent, add_to_output=True)
    ranking = [r for r in message.get("intent_ranking") or [] if r.get("name") != name]
    message.set("intent_ranking", [intent, *ranking], add_to_output=True)
