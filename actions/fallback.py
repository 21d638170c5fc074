"""When the bot did not understand: a ladder, never the same words twice in a row.

First it asks the person to put it another way; if that fails too, it shows what it can
do (utter_default, with buttons); then it offers a person. The rung is read from the bot's
own recent messages, so a form question or an answer in between does not reset the
ladder, but anything understood does. Once the lead is complete, a message the bot cannot
place is most likely a closing remark, so the first rung there just closes politely, and
an "ok" or "no thanks" that no rule expects is answered as one (all set, then goodbye).

It is both the NLU fallback (rules) and Rasa's core fallback (config.yml); as the core
fallback it takes the message back, as Rasa's own default fallback does.
"""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet, UserUtteranceReverted
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.answers import (
    FINISHED_STAGES,
    START_BUTTONS,
    answer_other_questions,
    answers_the_open_question,
    bot_events_since,
    conversation_stage,
    response_of,
    session_events,
)
from actions.deps import StoreBacked, previous_user_text
from actions.knowledge import knowledge_answer
from actions.lead_form import ValidateLeadForm
from actions.slots import FIELD_OF, READ_UNTIL, REQUESTED_SLOT, SKIPPED, SLOT_OF, list_slot
from actions.what_is_meant import explain_the_question
from bot.interruptions import is_question
from bot.repair import asks_to_repeat, asks_to_rephrase

REPHRASE = "utter_fallback_rephrase"
WHAT_I_DO = "utter_default"
PERSON = "utter_fallback_offer_person"
ALL_SET = "utter_all_set"
SAY_AGAIN = "utter_say_again"
REPHRASED = "utter_rephrase_what_i_do"
GOODBYE = "utter_goodbye"
WELCOME = "utter_you_are_welcome"
LADDER = (REPHRASE, WHAT_I_DO, PERSON)
FALLBACK_RESPONSES = frozenset({*LADDER, ALL_SET})
# The intents the rules send here (data/rules.yml); any other means Rasa's core fallback.
RULE_INTENTS = frozenset({"nlu_fallback", "skip"})
# Understood, but no rule follows it: after the end, "ok" or "no" is a closing remark.
ACKNOWLEDGEMENTS = frozenset({"affirm", "deny"})


def previous_responses(events: list[dict[str, Any]]) -> list[str]:
    """The responses the bot gave to the previous message, latest first."""
    return [
        name
        for event in bot_events_since(events, 1, this_turn=False)
        if (name := response_of(event))
    ]


def previous_rung(events: list[dict[str, Any]]) -> str | None:
    """The fallback response that answered the previous message, if one did.

    Only the bot's messages to the previous message count: a turn that was understood
    (no fallback in it) breaks the ladder, whatever came before; a form question after
    the fallback does not.
    """
    return next((n for n in previous_responses(events) if n in FALLBACK_RESPONSES), None)


def next_rung(previous: str | None, finished: bool) -> str:
    if previous is None:
        return ALL_SET if finished else REPHRASE
    if previous == ALL_SET:
        return REPHRASE
    if previous == PERSON:
        return WHAT_I_DO  # then the person again: the two alternate
    return LADDER[LADDER.index(previous) + 1]


def closing(previous: list[str], first: str) -> str:
    """A closing remark after the end: `first`, or goodbye if `first` was just said."""
    return GOODBYE if first in previous else first


def ladder_response(tracker: Tracker) -> str:
    """What the fallback says to the latest message: the next rung of the ladder, or after
    the end, a closing remark to an "ok" or a "no"."""
    finished = conversation_stage(tracker) in FINISHED_STAGES
    intent = (tracker.latest_message.get("intent") or {}).get("name")
    events = session_events(tracker)
    if _SIGNS_OFF.search(str(tracker.latest_message.get("text") or "")):
        # "okay thank you that's all": whatever was asked, they are leaving.
        return GOODBYE
    if finished and intent in ACKNOWLEDGEMENTS:
        return closing(previous_responses(events), ALL_SET)
    if _THANKS.search(str(tracker.latest_message.get("text") or "")):
        # "k thx" after an answer: thanks, not a message to put another way.
        return closing(previous_responses(events), WELCOME)
    rung = next_rung(previous_rung(events), finished)
    if rung == REPHRASE and (_is_the_opener(events) or REPHRASE in _recent_responses(events)):
        # Someone whose first words could not be placed does not yet know what to ask: what
        # the bot can do, with buttons, helps more than "put it another way". Nor is that
        # asked again a turn or two after it was last asked.
        return WHAT_I_DO
    return rung


# How far back "put it another way" counts as just said.
_RECENT_TURNS = 3


def _recent_responses(events: list[dict[str, Any]]) -> list[str]:
    """The responses the bot gave to the last few messages before this one."""
    return [
        name
        for event in bot_events_since(events, _RECENT_TURNS + 1, this_turn=False)
        if (name := response_of(event))
    ]


def _is_the_opener(events: list[dict[str, Any]]) -> bool:
    said = [
        e
        for e in events
        if e.get("event") == "user" and not str(e.get("text") or "").startswith("/")
    ]
    return len(said) == 1


_THANKS = re.compile(
    r"^\W*(?:(?:ok|okay|k|kk|cool|great|nice|alright|right|sure|perfect|awesome|lovely|"
    r"good on (?:ya|you|yer))\W+)*"
    r"(?:thx|thanks|thank you|thank u|ty|tysm|cheers|ta|thnx|thanx|tq|much appreciated)"
    r"(?:\W+(?:so much|a lot|very much|again|mate|heaps|loads))*\W*$",
    re.I,
)
_SIGNS_OFF = re.compile(
    r"\b(?:that'?s all|that is all|that'?s everything|bye|goodbye|see (?:you|ya)|cheers then|"
    r"take care|have a (?:good|nice|great) (?:day|one|evening)|"
    # "mi gone, likkle more", "gotta go, laters"
    r"(?:i'?m|mi|me) (?:gone|off now|heading off|outta here)|likkle more|laters|"
    r"catch (?:you|ya|u) later|(?:gotta|got to|have to) go)\b",
    re.I,
)


class ActionFallback(StoreBacked, Action):
    def name(self) -> str:
        return "action_fallback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        text = str(tracker.latest_message.get("text") or "")
        if intent in RULE_INTENTS and answers_the_open_question(tracker, text):
            # "yes remove everything" to "delete everything?", which the classifier could
            # not place: the answer to the question open, not a message to put another way.
            return [FollowupAction("action_yes_no_answer")]
        if intent in RULE_INTENTS and (read := await self._answer_told(tracker, text, domain)):
            events, told = read
            dispatcher.messages.extend(told.messages)
            return events
        if intent in RULE_INTENTS and tracker.active_loop.get("name"):
            explained = explain_the_question(dispatcher, tracker, text)
            if explained is not None:
                return explained  # "do you mean our office or the whole group?"
        if intent in RULE_INTENTS and _say_again(dispatcher, tracker):
            return []
        if intent in RULE_INTENTS and (
            answer := knowledge_answer(tracker, self.settings, in_place_of_answer=False)
        ):
            # One of the marketers' common questions, in words the classifier never saw.
            dispatcher.utter_message(text=answer, buttons=_what_next(tracker))
            return []
        if intent in RULE_INTENTS and answer_other_questions(
            dispatcher, tracker, self.settings, ""
        ):
            # "Patient info is sensitive, where does all of this get stored?"
            if dispatcher.messages and not dispatcher.messages[-1].get("buttons"):
                dispatcher.messages[-1]["buttons"] = _what_next(tracker)
            return []
        rung = ladder_response(tracker)
        dispatcher.utter_message(response=rung)
        if rung == PERSON and (set_aside := _question_set_aside(tracker)):
            # Three tries at the same form question and still nothing: the question is
            # left (it can be given later), not asked round the ladder again.
            return set_aside
        if intent not in RULE_INTENTS:
            # Called as the core fallback: no policy knew what to do with a message the
            # NLU understood, so it is taken back, as in Rasa's action_default_fallback.
            return [UserUtteranceReverted()]
        return []

    async def _answer_told(
        self, tracker: Tracker, text: str, domain: DomainDict
    ) -> tuple[list[EventType], CollectingDispatcher] | None:
        """ "What happens is people ask for quotes and they sit in an inbox for a week...":
        a need told at length, which the classifier could not place, is the answer to
        "what are you hoping to solve?", read by the lead form; likewise "Oh, it's Dorothy.
        Dorothy Kessler. Sorry, should I have said that at the start?" to "what's your
        name?" when the form reads the name from it. None for anything else."""
        requested = tracker.get_slot(REQUESTED_SLOT)
        if (
            tracker.active_loop.get("name") != "lead_form"
            or requested not in SLOT_OF.values()
            or is_question(text)
            or (requested == SLOT_OF["need"] and len(text.split()) < _NEED_WORDS)
        ):
            return None
        told = CollectingDispatcher()
        form = ValidateLeadForm(store=self.store, settings=self.settings)
        events = await form.run(told, tracker, domain)
        if requested == SLOT_OF["need"]:
            read = any(e.get("event") == "slot" and e.get("name") == READ_UNTIL for e in events)
        else:
            read = any(
                e.get("event") == "slot" and e.get("name") == requested and e.get("value")
                for e in events
            )
        return (events, told) if read else None


def _question_set_aside(tracker: Tracker) -> list[EventType]:
    """The lead form's open question put aside: skipped, so the form asks the next one."""
    field = FIELD_OF.get(str(tracker.get_slot(REQUESTED_SLOT) or ""))
    if tracker.active_loop.get("name") != "lead_form" or field is None:
        return []
    return [SlotSet(SKIPPED, sorted({*list_slot(tracker, SKIPPED), field}))]


# A need is told in a sentence; two or three words the classifier could not place are
# something else (the ladder's business).
_NEED_WORDS = 5


def _what_next(tracker: Tracker) -> list[dict[str, str]]:
    """After a question answered before anything else was asked for, what the bot can do
    (the answer alone leaves a first-time visitor with nothing to press)."""
    return list(START_BUTTONS) if conversation_stage(tracker) == "start" else []


def _say_again(dispatcher: CollectingDispatcher, tracker: Tracker) -> bool:
    """Asked to repeat ("sorry?", "come again"): the bot's last words again, and True.
    In a form the form asks its question again by itself; after a fallback the ladder
    goes on instead (its last words were no question worth repeating)."""
    text = str(tracker.latest_message.get("text") or "")
    rephrase = asks_to_rephrase(text)
    if not rephrase and not asks_to_repeat(text):
        return False
    events = session_events(tracker)
    if previous_rung(events) is not None:
        return False
    if tracker.active_loop.get("name"):
        dispatcher.utter_message(response=SAY_AGAIN)
        return True
    if REPHRASED in previous_responses(events):
        # Put more simply already, and still not clear: a person, not those words again.
        dispatcher.utter_message(response=PERSON)
        return True
    if rephrase or asks_to_repeat(previous_user_text(tracker)):
        # Other words, not the same ones again: outside a form the bot's last words were
        # an invitation or an answer, and what it can do is the plainest way to go on.
        # Asked to repeat a second time running, the same words did not help either.
        dispatcher.utter_message(response=REPHRASED)
        return True
    said = previous_messages(events)
    if not said:
        return False
    for message in said:
        dispatcher.utter_message(text=message["text"], buttons=message.get("buttons") or [])
    return True


def previous_messages(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The bot's messages (text and buttons) to the previous message, in order."""
    return [
        {"text": event["text"], "buttons": (event.get("data") or {}).get("buttons")}
        for event in reversed(bot_events_since(events, 1, this_turn=False))
        if event.get("text")
    ]


class ActionClose(Action):
    """Thanks after the end: you're welcome, and goodbye rather than the same words again."""

    def name(self) -> str:
        return "action_close"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        previous = previous_responses(session_events(tracker))
        dispatcher.utter_message(response=closing(previous, WELCOME))
        return []


GOODBYE_AGAIN = "utter_goodbye_again"


class ActionGoodbye(Action):
    """Goodbye, said once: a second goodbye right after ("Dziekuje, thank you." then
    "Goodbye.") gets a shorter one, never the same words again."""

    def name(self) -> str:
        return "action_goodbye"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        said = previous_responses(session_events(tracker))
        dispatcher.utter_message(response=GOODBYE_AGAIN if GOODBYE in said else GOODBYE)
        return []
