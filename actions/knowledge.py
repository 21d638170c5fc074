"""Answers from the marketers' list of common questions (knowledge.yml, bot/knowledge.py).

The list is consulted where the bot has nothing better: a message the classifier could
not place (the fallback), one it took for off-topic or small talk, and a question asked
in place of an answer in a form. The answer is the marketer's; the conversation then goes
on where it was, as after any other answer (data/rules.yml runs the form again).
"""

from __future__ import annotations

import logging
from pathlib import Path

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.answers import buttons_after_answer, conversation_stage
from actions.deps import StoreBacked, channel_of
from bot import knowledge
from bot.interruptions import is_question
from bot.settings import Settings

logger = logging.getLogger(__name__)
_FILES: dict[Path, knowledge.KnowledgeFile] = {}


def current_knowledge(settings: Settings) -> knowledge.Knowledge:
    """The published list; a list someone broke by hand answers nothing (and says so in
    the log) rather than breaking the conversation."""
    path = settings.knowledge_file
    source = _FILES.setdefault(path, knowledge.KnowledgeFile(path))
    try:
        return source.current()
    except knowledge.KnowledgeError as error:
        logger.error("%s is not a valid list of common questions: %s", path, error)
        return knowledge.EMPTY


def knowledge_answer(tracker: Tracker, settings: Settings, *, in_place_of_answer: bool) -> str:
    """The list's answer to the latest message, or "" when no entry clearly matches.

    `in_place_of_answer`: the message came where a form expected an answer, so only a
    plain question is taken for one (and with the strict threshold). Elsewhere a question
    needs less evidence than a statement: the alternative is not understanding it at all.
    """
    text = str(tracker.latest_message.get("text") or "")
    if not text or text.startswith("/"):
        return ""
    asks = is_question(text)
    if in_place_of_answer and not asks:
        return ""
    threshold = (
        knowledge.LOOSE_THRESHOLD if asks and not in_place_of_answer else knowledge.THRESHOLD
    )
    found = current_knowledge(settings).match(text, threshold)
    if found is None:
        return ""
    logger.info("common question %r answered (score %.2f)", found.entry.id, found.score)
    return found.entry.answer_for(channel_of(tracker))


class _AnswerOrSay(StoreBacked, Action):
    """The list's answer if it has one, else the usual response."""

    usual = ""

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        answer = knowledge_answer(tracker, self.settings, in_place_of_answer=False)
        if not answer:
            dispatcher.utter_message(response=self.usual)
            return []
        buttons = buttons_after_answer(tracker, conversation_stage(tracker))
        dispatcher.utter_message(text=answer, buttons=buttons)
        return []


class ActionOutOfScope(_AnswerOrSay):
    usual = "utter_out_of_scope"

    def name(self) -> str:
        return "action_out_of_scope"


class ActionChitchat(_AnswerOrSay):
    usual = "utter_chitchat"

    def name(self) -> str:
        return "action_chitchat"
