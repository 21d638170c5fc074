"""A question about the question just asked: "like my job title?", "do you mean our office
or the whole group?", "per month or per year?".

Neither an answer nor a question about the product: the question is put in other words
that say what a good answer looks like, and nothing counts as a failed answer. A detail of
the lead form is asked again in its help wording (the `needs_help` variant of its
question); a built-in qualifying question gets a sentence saying what it means, then the
form asks it again with its buttons.
"""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.slots import FIELD_OF, NEEDS_HELP, QUAL_FIELD_OF, REQUESTED_SLOT
from bot.repair import asks_to_rephrase, checks_the_question

QUALIFYING_EXPLAINED = {
    "company_size": "utter_explain_qual_company_size",
    "authority": "utter_explain_qual_authority",
    "budget": "utter_explain_qual_budget",
    "timeline": "utter_explain_qual_timeline",
}


def field_being_asked(tracker: Tracker) -> str | None:
    """The lead detail or built-in qualifying question the bot is waiting for, if any."""
    slot = str(tracker.get_slot(REQUESTED_SLOT) or "")
    return FIELD_OF.get(slot) or QUAL_FIELD_OF.get(slot)


def asks_what_is_meant(text: str, field: str) -> bool:
    return checks_the_question(text, field) or asks_to_rephrase(text)


def asked_again_what_is_meant(tracker: Tracker, text: str) -> bool:
    """Whether `text` asks what the waiting question means right after the person asked
    that of the same question: put in other words once, it is not explained again (the
    same words twice), and the form sets the question aside instead."""
    field = field_being_asked(tracker)
    if field is None or not asks_what_is_meant(text, field):
        return False
    requested = tracker.get_slot(REQUESTED_SLOT)
    users = 0
    for event in reversed(tracker.events):
        kind = event.get("event")
        if kind == "user":
            users += 1
            if users == 2:
                return asks_what_is_meant(str(event.get("text") or ""), field)
        elif (
            users == 1
            and kind == "slot"
            and event.get("name") == REQUESTED_SLOT
            and event.get("value") not in (None, requested)
        ):
            return False  # another question was asked in between
    return False


def explain_the_question(
    dispatcher: CollectingDispatcher, tracker: Tracker, text: str
) -> list[EventType] | None:
    """The events that put the question in other words when `text` asks what it means;
    None when it does not, when no question is waiting, or when it was just explained."""
    field = field_being_asked(tracker)
    if field is None or not asks_what_is_meant(text, field):
        return None
    if asked_again_what_is_meant(tracker, text):
        return None
    if field in QUALIFYING_EXPLAINED:
        dispatcher.utter_message(response=QUALIFYING_EXPLAINED[field])
        return []
    return [SlotSet(NEEDS_HELP, True)]
