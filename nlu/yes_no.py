"""A plain yes or no is `affirm` or `deny`; "that detail is wrong" is `correct_detail`.

DIET learns yes and no from examples and misses the many ways people say them ("yeah
righto", "haan ji", "yeah nah", "I'd prefer not"); bot/yes_no.py reads them by rule. This
component, placed after the other custom classifiers, settles the intent only when a
message is nothing but an answer (answer words, politeness, channel names): a question,
a detail ("no, my company is Globex" stays `inform`) or a request the words themselves
support ("not now" stays `cancel`, "no more texts" stays `opt_out`) is left alone.
"""

from __future__ import annotations

import re
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.training_data.message import Message

from bot.interruptions import has_cue, states_opt_out
from bot.leads import states_lead_details
from bot.yes_no import read_correction, read_yes_no
from nlu.explicit_details import settle_intent

AFFIRM, DENY, CORRECT_DETAIL = "affirm", "deny", "correct_detail"
# Requests whose own words may also read as a yes or a no: their intent stands when the
# words support it ("skip" is a no, but in a form it skips the question).
KEEP_INTENTS = frozenset(
    {
        "cancel",
        "skip",
        "opt_out",
        "opt_in",
        "human_handoff",
        "talk_to_sales",
        "book_meeting",
        "request_demo",
        "request_data",
        "request_erasure",
        "goodbye",
        "enter_code",
    }
)


_SAID_FIRST = re.compile(
    r"^\W*(?:yes|yeah|yep|yup|yea|sure|absolutely|definitely|of course|no|nope|nah|"
    r"(?:no|nope|nah) (?:thanks|thank you|ta|cheers)|not (?:right )?now|not today|not for now|"
    r"not at the moment|not yet)\b\s*[,.!-]",
    re.I,
)


_FAREWELL = re.compile(
    r"\b(?:bye|goodbye|see (?:you|ya)|cheerio|take care|ciao|farewell|good ?night|talk soon)\b",
    re.I,
)


def _after_the_first(text: str) -> str:
    """What follows the first sentence ("ok." in "ok. and cost-wise? is there a price list")."""
    parts = re.split(r"(?<=[.!?])\s+", text.strip(), maxsplit=1)
    return parts[1] if len(parts) > 1 else ""


def intent_for(text: str, current: str | None, region: str = "US") -> str | None:
    """The intent the words settle, or None to leave the classifier's guess."""
    if not text or text.startswith("/") or current == "enter_code":
        return None
    if states_lead_details(text, region) and current == "inform":
        return None  # "no, my email is ..." is the detail itself
    correction = read_correction(text)
    if correction is not None:
        return CORRECT_DETAIL
    if current is not None and current.startswith("ask_") and "?" in _after_the_first(text):
        # "ok. and cost-wise? is there a price list somewhere": a word of reply, then the
        # question the classifier saw.
        return None
    reading = read_yes_no(text)
    if reading.answer not in ("yes", "no"):
        return None
    if (
        reading.purposes
        and not _FAREWELL.search(text)
        and current not in KEEP_INTENTS - {"goodbye", "skip"}
    ):
        # "Leave the texts off, thanks, it's a landline": an answer about a channel, with
        # its reason, which the classifier took for a goodbye.
        return AFFIRM if reading.answer == "yes" else DENY
    # An answer said first and then explained ("yes, texts are actually my preference")
    # is that answer too: read_yes_no already allows only a word or two it doesn't know.
    if not reading.clean and not _SAID_FIRST.match(text):
        return None
    if current in KEEP_INTENTS and _supports(current, text, reading.answer):
        return None
    return AFFIRM if reading.answer == "yes" else DENY


def _supports(intent: str, text: str, answer: str) -> bool:
    if intent == "opt_out":
        # "emails yes, texts no" accepts something: it is an answer, not a withdrawal.
        return answer == "no" and states_opt_out(text)
    return has_cue(intent, text)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class YesNoClassifier(GraphComponent):
    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"region": "US"}

    def __init__(self, config: dict[str, Any]) -> None:
        self._region = str(config["region"])

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> YesNoClassifier:
        return cls(config)

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            current = (message.get("intent") or {}).get("name")
            settled = intent_for(message.get("text") or "", current, self._region)
            if settled is not None:
                settle_intent(message, settled)
        return messages
