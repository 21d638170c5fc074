"""A marketer's topic is reached by its own words (nlu/topic_words.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from nlu.topic_words import TopicWordsClassifier, distinctive_words, topic_named

CAREERS = "topic_careers"
EXAMPLES = [
    ("are you hiring?", CAREERS),
    ("where can I send my CV", CAREERS),
    ("any vacancies at the moment?", CAREERS),
    ("I'd like to work for you", CAREERS),
    ("what do you cost at the moment", "ask_pricing"),
    ("I work in marketing", "inform"),
    ("send me some info", "request_info"),
    ("are you a bot?", "ask_bot"),
]


def test_a_topic_keeps_only_the_words_no_other_intent_uses() -> None:
    words = distinctive_words(EXAMPLES)
    assert set(words) == {CAREERS}
    # "moment", "work" and "send" are other intents' words too; plurals are stemmed.
    assert words == {CAREERS: ["cv", "hiring", "vacancy"]}


@pytest.mark.parametrize(
    ("text", "intent", "topic"),
    [
        ("got any vacancies for designers?", "request_info", CAREERS),
        ("is there a vacancy in your team", "nlu_fallback", CAREERS),
        ("are you still hiring developers?", "inform", CAREERS),
        # A lead's answer stays an answer: "inform" that is not a question.
        ("I'm the hiring manager", "inform", None),
        # DIET sure of something specific is left alone.
        ("how much is it while you're hiring?", "ask_pricing", None),
        ("any vacancies?", CAREERS, None),
        ("tell me more", "request_info", None),
        ("/request_info", "request_info", None),
    ],
)
def test_a_generic_guess_with_a_topics_words_is_that_topic(
    text: str, intent: str, topic: str | None
) -> None:
    assert topic_named(text, intent, distinctive_words(EXAMPLES)) == topic


def test_two_topics_named_at_once_are_left_to_diet() -> None:
    words = distinctive_words([*EXAMPLES, ("do you run internships", "topic_internships")])
    assert topic_named("any vacancies or internships?", "request_info", words) is None


def test_the_words_are_trained_persisted_and_loaded(tmp_path: Path) -> None:
    storage = LocalModelStorage(tmp_path)
    resource = Resource("topic_words")
    context = ExecutionContext(GraphSchema({}), "test")
    trained = TopicWordsClassifier.create({}, storage, resource, context)
    data = TrainingData([Message(data={"text": t, "intent": i}) for t, i in EXAMPLES])
    trained.train(data)
    loaded = TopicWordsClassifier.load({}, storage, resource, context)
    message = Message(
        data={
            "text": "got any vacancies for designers?",
            "intent": {"name": "request_info", "confidence": 0.7},
            "intent_ranking": [{"name": "request_info", "confidence": 0.7}],
        }
    )
    [processed] = loaded.process([message])
    assert processed.get("intent") == {"name": CAREERS, "confidence": 1.0}
    assert [r["name"] for r in processed.get("intent_ranking")] == [CAREERS, "request_info"]
