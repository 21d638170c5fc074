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

    Only a question gets one: a statement that shares words with an entry ("so long",
    "no texts", "it's my call") is no question about it. `in_place_of_answer` (the message
    came where a form expected an answer) and `strict` (the bot has a general answer of
    its own, which the entry replaces only when it is clearly what was asked) need the
    stricter score; elsewhere nothing else understood the question at all.
    """
    text = str(tracker.latest_message.get("text") or "")
    if not text or text.startswith("/") or not is_question(text):
        return ""
    if _asks_for_something_personal(tracker):
        return ""
    loose = not (in_place_of_answer or strict)
    threshold = knowledge.LOOSE_THRESHOLD if loose else knowledge.THRESHOLD
    found = current_knowledge(settings).match(text, threshold)
    if found is None:
        return ""
    answer = found.entry.answer_for(channel_of(tracker))
    if answer == _last_bot_text(tracker):
        return ""  # never the same words twice: the usual path says something else
    logger.info("common question %r answered (score %.2f)", found.entry.id, found.score)
    return answer


# Requests about the person themselves: however much "what data do you have on me?"
# sounds like "where is the data stored?", a list entry must never answer it.
PERSONAL_INTENTS = frozenset(
    {"request_data", "request_erasure", "human_handoff", "talk_to_sales", "opt_out",
     "opt_in", "cancel", "book_meeting", "request_demo", "enter_code", "correct_detail"}
)  # fmt: skip


def _asks_for_something_personal(tracker: Tracker) -> bool:
    """Whether the classifier's best guess (under the fallback, if it fell back) is a
    request about the person, not a question about the product."""
    parse = tracker.latest_message
    ranking = [parse.get("intent") or {}, *(parse.get("intent_ranking") or [])]
    for intent in ranking:
        name = intent.get("name") if isinstance(intent, dict) else None
        if name and name != "nlu_fallback":
            return name in PERSONAL_INTENTS
    return False


def _last_bot_text(tracker: Tracker) -> str:
    for event in reversed(tracker.events):
        if event.get("event") == "bot":
            return str(event.get("text") or "")
        if event.get("event") == "session_started":
            break
    return ""


def list_answers(settings: Settings, sentence: str) -> bool:
    """Whether an entry of the list clearly answers this one question."""
    return current_knowledge(settings).match(sentence, knowledge.THRESHOLD) is not None
