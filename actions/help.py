"""HELP / INFO and "what can you do": who is writing, how to stop, whom to ask."""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.deps import StoreBacked


class ActionHelp(StoreBacked, Action):
    def name(self) -> str:
        return "action_help"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        dispatcher.utter_message(
            response="utter_help",
            company=self.settings.company_name,
            contact=self.settings.privacy_contact,
        )
        return []
