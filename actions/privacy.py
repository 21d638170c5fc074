"""Data-subject requests in conversation: "what do you know about me", "delete my data"."""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence

from rasa_sdk import Action, Tracker
from rasa_sdk.events import AllSlotsReset, EventType, Restarted
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.consent import PURPOSE_WORDS
from actions.deps import StoreBacked
from actions.lead import FIELD_LABELS
from bot import privacy
from bot.errors import StoreUnavailable
from bot.store import Contact
from bot.types import LEAD_FIELDS

logger = logging.getLogger(__name__)


def data_summary(contact: Contact, consent: Mapping[str, bool], blocked: Sequence[str]) -> str:
    lines = [
        f"- {FIELD_LABELS[field]}: {getattr(contact, field)}"
        for field in LEAD_FIELDS
        if getattr(contact, field)
    ]
    lines.append(
        "- Channels you've talked to us on: " + ", ".join(i.channel for i in contact.channels)
    )
    granted = [PURPOSE_WORDS[p] for p, yes in consent.items() if yes]
    lines.append("- You've agreed to: " + (", ".join(granted) if granted else "no marketing"))
    if blocked:
        lines.append(
            "- We must not contact you by: " + ", ".join(PURPOSE_WORDS.get(b, b) for b in blocked)
        )
    return "\n".join(lines)


class PrivacyAction(StoreBacked, Action, ABC):
    @abstractmethod
    def name(self) -> str: ...


class ActionShowMyData(PrivacyAction):
    def name(self) -> str:
        return "action_show_my_data"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        company = self.settings.company_name
        try:
            contact = await self.conversation_contact(tracker)
            if contact is None:
                dispatcher.utter_message(response="utter_no_data", company=company)
                return []
            summary = await self.call_store(self._summary, contact, tracker.sender_id)
        except StoreUnavailable as error:
            logger.error("could not read the profile for a data request: %s", error)
            dispatcher.utter_message(response="utter_privacy_failed")
            return []
        dispatcher.utter_message(response="utter_my_data", company=company, summary=summary)
        return []

    def _summary(self, contact: Contact, sender_id: str) -> str:
        consent = {str(p): e.granted for p, e in self.store.consent_state(contact.id).items()}
        blocked = [entry.channel for entry in self.store.do_not_contact(contact.id)]
        self.store.record_audit(f"self-service:{sender_id}", "view_profile", contact.id)
        return data_summary(contact, consent, blocked)


class ActionEraseMe(PrivacyAction):
    def name(self) -> str:
        return "action_erase_me"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        try:
            contact = await self.conversation_contact(tracker)
            if contact is not None:
                await self.call_store(
                    privacy.erase, self.store, self.settings, contact.id, "self-service"
                )
            await self.call_store(
                self.store.queue_tracker_erasure, [tracker.sender_id]
            )  # this conversation, even with no profile
        except StoreUnavailable as error:
            logger.error("erasure failed, store unavailable: %s", error)
            dispatcher.utter_message(response="utter_privacy_failed")
            return []
        dispatcher.utter_message(response="utter_erased")
        # Nothing of this conversation is kept in the tracker from here on.
        return [AllSlotsReset(), Restarted()]
