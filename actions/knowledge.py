"""Answers from the marketers' list of common questions (knowledge.yml, bot/knowledge.py).

The list is consulted where the bot has nothing better: a message the classifier could
not place (the fallback), one it took for off-topic or small talk, and a question asked
in place of an answer in a form; and before the bot's own general answers (integrations,
what it does), which a marketer's entry that clearly fits replaces. The answer is the marketer's; the conversation then goes
on where it was, as after any other answer (data/rules.yml runs the form again).
"""

from __future__ import annotations

import logging
from pathlib import Path

from rasa_sdk import Tracker

from actions.deps import channel_of
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


def knowledge_answer(
    tracker: Tracker, settings: Settings, *, in_place_of_answer: bool = False, strict: bool = False
) -> str:
    """The list's answer to the latest message, or "" when no entry clearly matches.

    `in_place_of_answer`: the message came where a form expected an answer, so only a
    plain question is taken for one (and with the strict threshold). `strict`: the bot has
    a general answer of its own, which the marketers' entry replaces only when it is
    clearly what was asked. Elsewhere a question needs less evidence than a statement:
    the alternative is not understanding it at all.
    """
    text = str(tracker.latest_message.get("text") or "")
    if not text or text.startswith("/"):
        return ""
    asks = is_question(text)
    if in_place_of_answer and not asks:
        return ""
    loose = asks and not (in_place_of_answer or strict)
    threshold = knowledge.LOOSE_THRESHOLD if loose else knowledge.THRESHOLD
    found = current_knowledge(settings).match(text, threshold)
    if found is None:
        return ""
    answer = found.entry.answer_for(channel_of(tracker))
    if answer == _last_bot_text(tracker):
        return ""  # never the same words twice: the usual path says something else
    logger.info("common question %r answered (score %.2f)", found.entry.id, found.score)
    return answer


def _last_bot_text(tracker: Tracker) -> str:
    for event in reversed(tracker.events):
        if event.get("event") == "bot":
            return str(event.get("text") or "")
        if event.get("event") == "session_started":
            break
    return ""
