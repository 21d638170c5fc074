"""HELP / INFO and "what can you do": who is writing, how to stop, whom to ask.

The HELP keyword and a bare "help" get the compliance answer (who is writing, how to stop,
whom to ask about data); "I have a few questions" gets an invitation to ask them; a
question about the product ("what does it do?") gets what Parley does. Either way the conversation goes on where it was (see actions/answers.py).
"""

from __future__ import annotations

import re

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.answers import answer_once, buttons_after_answer, conversation_stage
from actions.deps import StoreBacked
from actions.knowledge import knowledge_answer
from bot.interruptions import ANNOUNCED_QUESTIONS, only_announces
from bot.typos import with_chat_words

# Asking for help itself rather than about the product: "help", "help me pls", "menu".
_ASKS_FOR_HELP = re.compile(
    r"^\W*(?:(?:please|pls|plz|can you|could you|i need|need)\s+)*"
    r"(?:help|info|menu|options|support)(?:\s+(?:me|please|pls|plz|me out))*\W*$",
    re.IGNORECASE,
)


def only_announces_questions(text: str) -> bool:
    """'I have a few questions' (answered with 'ask away'), not 'questions: what is it?'
    nor a dictated "what does it do question mark"."""
    return only_announces(with_chat_words(text), ANNOUNCED_QUESTIONS)


def wants_help_text(tracker: Tracker) -> bool:
    metadata = tracker.latest_message.get("metadata") or {}
    if metadata.get("parley_keyword_kind") == "help":
        return True
    text = str(tracker.latest_message.get("text") or "")
    return text.startswith("/") or bool(_ASKS_FOR_HELP.match(text))


class ActionHelp(StoreBacked, Action):
    def name(self) -> str:
        return "action_help"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        if wants_help_text(tracker):
            # Carriers expect HELP to answer with exactly this, nothing more.
            dispatcher.utter_message(
                response="utter_help",
                company=self.settings.company_name,
                contact=self.settings.privacy_contact,
            )
            return []
        text = str(tracker.latest_message.get("text") or "")
        if only_announces_questions(text):
            dispatcher.utter_message(response="utter_ask_away")
            return []
        buttons = buttons_after_answer(tracker, conversation_stage(tracker))
        if common := knowledge_answer(tracker, self.settings, strict=True):
            # "Does it work on WhatsApp?" taken for "what can you do": the list's answer.
            dispatcher.utter_message(text=common, buttons=buttons)
            return []
        if (again := answer_once(dispatcher, tracker, "utter_answer_what_it_does")) is not None:
            return again
        dispatcher.utter_message(response="utter_answer_what_it_does", buttons=buttons)
        return []
