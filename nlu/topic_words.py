"""A marketer's topic reached by its own words.

A topic added in the studio (studio/topics.py) comes with a handful of examples, against
hundreds for the built-in intents, so DIET often ranks it far behind a generic guess:
"got any vacancies for designers?" was taken for a request for information although the
topic's examples say "any vacancies at the moment?". At training time this component
keeps, for each topic, the words of its examples that no other intent's examples use
("vacancies", "hiring", "cv"); at run time a message with words of exactly one topic,
which DIET took for a guess that says little (a request for information, no guess, small
talk, or details given in a question), is that topic.

Only topics are corrected, and only from generic guesses: a lead's answer ("I'm the
hiring manager", DIET's `inform`, not a question) is never turned into a topic.
Placed after the FallbackClassifier and before nlu.clear_requests.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.interruptions import is_question, is_topic
from nlu.explicit_details import settle_intent

_FILE = "topic_words.json"
_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")
# Guesses that say little about what was asked.
_GENERIC = frozenset(
    {"request_info", "nlu_fallback", "out_of_scope", "chitchat", "greet", "ask_capabilities"}
)
# Too common to name a topic even when the built-in examples happen not to use them.
_COMMON_WORDS = """the and you your yours any are for have has had can could would should will what
    with this that there their about how who when where why does did our ours out get got
    like want need just some from into them they she him her his its it's i'm i've i'd
    you're we're was were been being also very much more most please thanks thank hello
    is it at to do me my we us in on of or an as be by if no so up ok hi"""
_COMMON = frozenset(_COMMON_WORDS.split())


def word_stem(word: str) -> str:
    """A word without its plural ending, so that "vacancy" finds "vacancies"."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def stems(text: str) -> set[str]:
    return {word_stem(w) for w in _WORD.findall(text.lower()) if len(w) >= 2 and w not in _COMMON}


def distinctive_words(examples: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    """For each topic intent, the stems of its examples that no other intent uses."""
    by_intent: dict[str, set[str]] = defaultdict(set)
    for text, intent in examples:
        by_intent[intent] |= stems(text)
    found: dict[str, list[str]] = {}
    for intent, words in by_intent.items():
        if not is_topic(intent):
            continue
        others = set().union(*(w for name, w in by_intent.items() if name != intent))
        if own := sorted(words - others):
            found[intent] = own
    return found


def topic_named(text: str, intent: str, words: dict[str, list[str]]) -> str | None:
    """The one topic whose own words `text` uses, when DIET's `intent` can give way."""
    if not words or not text or text.startswith("/") or is_topic(intent):
        return None
    if intent not in _GENERIC and not (intent == "inform" and is_question(text)):
        return None
    said = stems(text)
    named = [topic for topic, own in words.items() if said.intersection(own)]
    return named[0] if len(named) == 1 else None


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class TopicWordsClassifier(GraphComponent):
    def __init__(
        self,
        model_storage: ModelStorage,
        resource: Resource,
        words: dict[str, list[str]] | None = None,
    ) -> None:
        self._model_storage = model_storage
        self._resource = resource
        self._words = words or {}

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> TopicWordsClassifier:
        return cls(model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        examples = (
            (str(m.get("text") or ""), str(m.get("intent") or ""))
            for m in training_data.intent_examples
        )
        self._words = distinctive_words(examples)
        with self._model_storage.write_to(self._resource) as directory:
            (directory / _FILE).write_text(json.dumps(self._words, indent=1), encoding="utf-8")
        return self._resource

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> TopicWordsClassifier:
        try:
            with model_storage.read_from(resource) as directory:
                words = json.loads((directory / _FILE).read_text(encoding="utf-8"))
        except (ValueError, FileNotFoundError):
            # A model trained before any topic existed: nothing to correct.
            words = {}
        return cls(model_storage, resource, words)

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            intent = str((message.get("intent") or {}).get("name") or "")
            topic = topic_named(str(message.get("text") or ""), intent, self._words)
            if topic is not None:
                settle_intent(message, topic)
        return messages
