"""The yes/no question a conversation has open, kept in slots, and what an answer to it means.

The actions that ask a yes/no question (summary, consent, erasure, offers) set these slots
with `asking`; `action_yes_no_answer` (actions/clarify.py) reads the answer and `settled`
closes the question. Kept apart from that action so that the actions it hands answers to
can use them without importing it back.
"""

from __future__ import annotations

import re
from typing import Literal

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet

from bot.consent import purposes_mentioned
from bot.interruptions import has_cue, states_opt_out
from bot.types import PURPOSES, Purpose
from bot.yes_no import Answer, read_yes_no

PENDING = "yes_no_pending"
QUESTION = "yes_no_question"
UNCLEAR = "yes_no_unclear"
Question = Literal["summary", "consent", "erasure", "offer", "meeting", "close"]
# Consent slots (actions/consent.py sets them when it asks).
CONSENT_PURPOSE = "consent_purpose"
CONSENT_ANSWERED = "consent_answered"
ACTION_NAME = "action_yes_no_answer"
BUTTON_ANSWERS: dict[str, Answer] = {"affirm": "yes", "deny": "no"}
CLEAR_CONFIDENCE = 0.8
# Actions that run on every message without answering the person.
_SILENT = frozenset({"action_listen", "action_extract_slots"})


def asking(question: Question, *, pending: bool = True) -> list[EventType]:
    """Events for the action that asks a yes/no question."""
    return [SlotSet(PENDING, pending), SlotSet(QUESTION, question), SlotSet(UNCLEAR, 0)]


def settled() -> list[EventType]:
    """Events for whatever closes the open question (an answer, a handoff, a booking)."""
    return [SlotSet(PENDING, False), SlotSet(QUESTION, None), SlotSet(UNCLEAR, 0)]


def consent_question_set_aside(tracker: Tracker) -> list[EventType]:
    """The open consent question left unanswered (nothing recorded), for when the
    conversation has gone round it without an answer: the next one, or the end, comes
    next rather than the same question again. No events when none is open."""
    purpose = tracker.get_slot(CONSENT_PURPOSE)
    if not tracker.get_slot(PENDING) or tracker.get_slot(QUESTION) != "consent" or not purpose:
        return []
    answered = tracker.get_slot(CONSENT_ANSWERED)
    done = sorted({*(answered if isinstance(answered, list) else []), str(purpose)})
    return [*settled(), SlotSet(CONSENT_ANSWERED, done), SlotSet(CONSENT_PURPOSE, None)]


def previous_action(tracker: Tracker) -> str | None:
    """The bot's last action before the person's latest message."""
    seen_user = False
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            if seen_user:
                return None
            seen_user = True
        elif seen_user and event.get("event") == "action" and event.get("name") not in _SILENT:
            return str(event.get("name"))
    return None


def answer_of(tracker: Tracker, *, strict: bool = False) -> Answer | None:
    """Yes, no or unsure; None when the message gives no answer at all.

    `strict` (consent) takes a yes only from a message that is nothing but a yes: "yes,
    but only monthly" is not consent to the words asked.
    """
    message = tracker.latest_message
    text = str(message.get("text") or "")
    intent = message.get("intent") or {}
    name, confidence = intent.get("name"), float(intent.get("confidence") or 0.0)
    if text.startswith("/"):  # a button
        return BUTTON_ANSWERS.get(str(name))
    reading = read_yes_no(text)
    if reading.question:
        return None
    if reading.answer is not None:
        if strict and reading.answer == "yes" and not reading.clean:
            return None
        return reading.answer
    if confidence >= CLEAR_CONFIDENCE and name in ("affirm", "deny"):
        return "yes" if name == "affirm" else "no"
    if name in ("skip", "cancel") and has_cue(str(name), text):
        return "no"
    return None


# Words that make a yes conditional or narrower than the words asked ("texts are fine but
# only monthly"): such a yes is asked about again rather than recorded.
_LIMITS = re.compile(
    r"\b(?:but|only|just|if|unless|except|as long as|so long as|provided|max|maximum|"
    r"no more than|not too|once|rarely|occasionally|sometimes|maybe|perhaps|might|depends|"
    r"later|not yet|weekly|monthly|yearly)\b",
    re.IGNORECASE,
)


_CLAUSE_BREAK = re.compile(r"[,;.!]|\s+-\s+")


def limits_consent(text: str) -> bool:
    # "emails are fine but no texts": a "but" that refuses another channel limits nothing;
    # nor does one that accepts ("whatsapp would be better but sms is also okay").
    return bool(_LIMITS.search(_BUT_ACCEPTING.sub("", _BUT_REFUSING.sub("", text))))


_CHANNEL_WORDS = r"(?:texts?|sms|txts?|messages|e-?mails?|calls?|whats ?app|telegram)"
_BUT_ACCEPTING = re.compile(
    rf"\bbut\s+(?:\w+\s+){{0,2}}?{_CHANNEL_WORDS}\s+(?:is|are|'s|'re|would be|will be)?\s*"
    r"(?:also\s+|still\s+)?(?:ok|okay|fine|good|great|alright|all right)(?:\s+(?:too|as well|also))?\b",
    re.IGNORECASE,
)
_BUT_REFUSING = re.compile(
    rf"\bbut\s+(?:no|not|never)\s+(?:\w+\s+){{0,2}}?{_CHANNEL_WORDS}\b[^,.;!?]*",
    re.IGNORECASE,
)


def consent_answers(tracker: Tracker, asked: Purpose) -> dict[Purpose, bool]:
    """What the latest message accepts and refuses, by purpose, asked about `asked`.

    A yes counts only for the purpose asked, whose exact words the person saw; a no counts
    for every purpose it names ("emails yes, texts no" spares the texts question).
    """
    message = tracker.latest_message
    text = str(message.get("text") or "")
    intent = (message.get("intent") or {}).get("name")
    reading = read_yes_no(text)
    if reading.answer is None and not reading.question and not limits_consent(text):
        # "Texts are fine, I actually read those": the answer, then a remark about it.
        first = read_yes_no(_CLAUSE_BREAK.split(text, maxsplit=1)[0])
        if first.clean:
            reading = first
    if intent == "opt_out" and not any(reading.purposes.values()):
        # "please don't text me", said to a consent question, is a no to what it names.
        return dict.fromkeys(purposes_mentioned(text), False) if states_opt_out(text) else {}
    answers: dict[Purpose, bool] = {p: v for p, v in reading.purposes.items() if v is False}
    if reading.only:
        answers |= {p: False for p in PURPOSES if p not in reading.purposes}
    if asked in reading.purposes:
        if reading.clean or not reading.purposes[asked] or not limits_consent(text):
            answers[asked] = reading.purposes[asked]
    elif not reading.purposes:
        said = answer_of(tracker, strict=True)
        if said in ("yes", "no"):
            answers[asked] = said == "yes"
        elif intent == "opt_in" and has_cue("opt_in", text):
            answers[asked] = True  # "yes, you can email me"
    elif reading.unnamed in ("yes", "no") and reading.clean:
        answers[asked] = reading.unnamed == "yes"  # "no, and no texts either"
    return answers


def asked_this_session(tracker: Tracker) -> bool:
    """Whether the open question was asked in the current session (the session start
    carries slots over, before its first action_listen; those do not count)."""
    events = list(tracker.events)
    starts = [i for i, e in enumerate(events) if e.get("event") == "session_started"]
    if not starts:
        return True
    acted = False
    for event in events[starts[-1] + 1 :]:
        kind = event.get("event")
        if kind == "action":
            acted = True
        elif acted and kind == "slot" and event.get("name") == QUESTION and event.get("value"):
            return True
    return False


def asked_already(tracker: Tracker) -> bool:
    """Whether the clarifying question was asked for the open question."""
    return int(tracker.get_slot(UNCLEAR) or 0) >= 1
