"""Asking a qualifying question a marketer added (qualification.yml, bot.custom_questions).

The form's requested slot for every custom question is `qual_custom`; Rasa asks for it
with this action, which says the question the conversation is on with its options as
buttons (on a call the channel reads them as a menu to press or say). The second time,
after an answer that could not be read, it asks in other words.
"""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.deps import channel_of
from actions.qualify import ATTEMPTS, CUSTOM_QUESTION, QualificationBacked
from bot.custom_questions import CustomQuestion

logger = logging.getLogger(__name__)


def buttons_of(question: CustomQuestion, channel: str) -> list[dict[str, Any]]:
    # The payload is the button title as typed: the answer reader knows it exactly.
    return [{"title": o.title_for(channel), "payload": o.label} for o in question.options]


def said_list(titles: list[str]) -> str:
    """ "A, B or C" """
    return titles[0] if len(titles) == 1 else f"{', '.join(titles[:-1])} or {titles[-1]}"


class ActionAskQualCustom(QualificationBacked, Action):
    def name(self) -> str:
        return "action_ask_qual_custom"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        question_id = str(tracker.get_slot(CUSTOM_QUESTION) or "")
        question = self.config.custom(question_id)
        if question is None:
            # Removed by a publish while this conversation was on it: the next answer
            # is read as a try at nothing and the form moves on.
            logger.warning("custom qualifying question %r is no longer configured", question_id)
            return []
        channel = channel_of(tracker)
        buttons = buttons_of(question, channel)
        if int(tracker.get_slot(ATTEMPTS) or 0) == 0:
            dispatcher.utter_message(
                response="utter_ask_qual_custom",
                buttons=buttons,
                question=question.text_for(channel),
            )
        elif question.again:
            dispatcher.utter_message(
                response="utter_ask_qual_custom", buttons=buttons, question=question.again
            )
        else:
            titles = [str(b["title"]) for b in buttons]
            dispatcher.utter_message(
                response="utter_ask_qual_custom_again", buttons=buttons, options=said_list(titles)
            )
        return []
