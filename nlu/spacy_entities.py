"""People's and organisations' names from spaCy's statistical NER, at half Rasa's cost.

Rasa's SpacyEntityExtractor parses every message a second time with the whole spaCy
pipeline (the first parse, SpacyNLP's, is lower-cased, which NER cannot use). Of that
pipeline only the `ner` component finds entities, and in the `en_core_web_sm` family it
has its own token-to-vector layer: the shared `tok2vec`, the tagger, the attribute ruler
and the lemmatizer change nothing it sees. Running the tokenizer and `ner` alone gives the
same entities in about half the time (bench/README.md, #21), on every message.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.extractors.spacy_entity_extractor import SpacyEntityExtractor
from rasa.nlu.utils.spacy_utils import SpacyModel
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message


class NerMissingError(ValueError):
    """The configured spaCy pipeline has no `ner` component to find names with."""


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR,
    is_trainable=False,
    model_from="SpacyNLP",
)
class SpacyNamedEntities(SpacyEntityExtractor):
    """SpacyEntityExtractor's entities, from the tokenizer and the `ner` component only."""

    def process(self, messages: list[Message], model: SpacyModel) -> list[Message]:
        nlp = model.model
        if "ner" not in nlp.pipe_names:
            raise NerMissingError(
                f"the spaCy pipeline {model.model_name!r} has no 'ner' component "
                f"(it has {', '.join(nlp.pipe_names) or 'none'}); names cannot be found"
            )
        ner = nlp.get_pipe("ner")
        # A pipeline whose `ner` listens to a shared layer (transformer pipelines do) needs
        # that layer run first: those get the whole pipeline, as Rasa runs it.
        listens = any(
            "ner" in getattr(component, "listening_components", ()) for _, component in nlp.pipeline
        )
        dimensions = self._config["dimensions"]
        for message in messages:
            # Stateless on the shared pipeline (no select_pipes), so SpacyNLP's own parse of
            # the next message is never affected.
            text = message.get(TEXT)
            doc = nlp(text) if listens else ner(nlp.make_doc(text))
            found = self.add_extractor_name(self._extract_entities(doc))
            wanted: list[dict[str, Any]] = self.filter_irrelevant_entities(found, dimensions)
            message.set(ENTITIES, message.get(ENTITIES, []) + wanted, add_to_output=True)
        return messages
