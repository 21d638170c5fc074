"""Data-subject requests in conversation: "what do you know about me", "delete my data".

Only this conversation's own contact is shown or erased. Details that another contact
holds (a typed email or phone, a claim) are reached only through a one-time code sent to
that address (actions/verification.py).
"""

from __future__ import annotations

import logging
import re
from abc import ABC, abstractmethod

from rasa_sdk import Action, Tracker
from rasa_sdk.events import (
    ActiveLoop,
    AllSlotsReset,
    EventType,
    FollowupAction,
    Restarted,
    SlotSet,
)
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.data_summary import read_summary
from actions.deps import caller_number, channel_of, conversation_id
from actions.fallback import ladder_response
from actions.open_question import asking
from actions.slots import CONTACT_ID, REQUESTED_SLOT
from actions.verification import ERASE, SHOW, CodeSender
from bot import privacy, verification
from bot.errors import StoreUnavailable
from bot.leads import read_message
from bot.store import Claim, Contact, DetailField

# Asked once per conversation: "waiting" while the address may come, "done" after.
LOOKUP, LOOKUP_WAITING, LOOKUP_DONE = "privacy_lookup", "waiting", "done"
ADDRESS_FIELDS: tuple[DetailField, ...] = ("email", "phone")

logger = logging.getLogger(__name__)


class PrivacyAction(CodeSender, Action, ABC):
    @abstractmethod
    def name(self) -> str: ...

    async def show(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        """What this conversation's own contact holds; a code for a claim it made."""
        company = self.settings.company_name
        try:
            contact, claim = await self.own_contact_and_claim(tracker)
            if contact is None:
                dispatcher.utter_message(response="utter_no_data", company=company)
            else:
                summary = await self.call_store(read_summary, self.store, contact.id)
                dispatcher.utter_message(response="utter_my_data", company=company, summary=summary)
            if claim is not None:
                await self.offer_code(dispatcher, tracker, claim, SHOW)
            elif _knows_no_address(contact) and tracker.get_slot(LOOKUP) is None:
                # Someone who left their details another time, on another channel: the
                # address they name gets a code, which alone opens that profile.
                dispatcher.utter_message(response="utter_ask_lookup_address")
                return [SlotSet(LOOKUP, LOOKUP_WAITING)]
        except StoreUnavailable as error:
            logger.error("could not read the profile for a data request: %s", error)
            dispatcher.utter_message(response="utter_privacy_failed")
        return []

    async def own_contact_and_claim(self, tracker: Tracker) -> tuple[Contact | None, Claim | None]:
        """This conversation's contact, and the newest claim it made on someone's details."""
        contact = await self.conversation_contact(tracker)
        if contact is None:
            return None, None
        claims = await self.call_store(self.store.contacts.open_claims, contact.id)
        return contact, (claims[0] if claims else None)


class ActionShowMyData(PrivacyAction):
    def name(self) -> str:
        return "action_show_my_data"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        events = await self.show(dispatcher, tracker)
        asks_the_address = any(
            e.get("name") == LOOKUP and e.get("value") == LOOKUP_WAITING for e in events
        )
        if asks_the_address and tracker.active_loop.get("name"):
            # Someone in a form who came for their data: the address they used is the
            # question now. The form's own question after it would be answered instead
            # (and ask for the data again, round and round); they can take it up later.
            return [
                *events,
                ActiveLoop(None),
                SlotSet(REQUESTED_SLOT, None),
                FollowupAction("action_listen"),
            ]
        return events


def _knows_no_address(contact: Contact | None) -> bool:
    return contact is None or not (contact.email or contact.phone)


# Digits, an @, a dictated "at ... dot" or a run of spoken digits: an address, even one
# that could not be read.
_ADDRESS_SIGN = re.compile(r"@|\d|\bat\b.*\bdot\b", re.I)
_DIGIT_WORD = re.compile(
    r"\b(?:zero|oh|one|two|three|four|five|six|seven|eight|nine|double)\b", re.I
)
# What the person's turn would have got without the lookup waiting for an address.
_USUAL_ANSWER = {"out_of_scope": "utter_out_of_scope"}


def _tries_an_address(text: str) -> bool:
    return bool(_ADDRESS_SIGN.search(text)) or len(_DIGIT_WORD.findall(text)) >= 3


class ActionPrivacyLookup(PrivacyAction):
    """The reply to "which email or phone did you use?". The address is a claim, not a
    detail of this conversation's contact: it is not stored. The reply is the same
    whether or not a profile holds it, so that nobody learns whose address is on file:
    a code goes there when one does, and only the code opens that profile."""

    def name(self) -> str:
        return "action_privacy_lookup"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        done = SlotSet(LOOKUP, LOOKUP_DONE)
        text = str(tracker.latest_message.get("text") or "")
        found = self._address_in(text, tracker)
        if found is None:
            if not _tries_an_address(text):
                # Not an answer at all ("so long"): answered as it would have been, here,
                # and the turn ends (the fallback as a follow-up action went round and
                # round through the rules).
                intent = str((tracker.latest_message.get("intent") or {}).get("name"))
                said = _USUAL_ANSWER.get(intent) or ladder_response(tracker)
                dispatcher.utter_message(response=said)
                return [done, FollowupAction("action_listen")]
            dispatcher.utter_message(
                response="utter_lookup_no_address", privacy_contact=self.settings.privacy_contact
            )
            return [done]
        field, address = found
        try:
            own = await self.conversation_contact(tracker)
            if own is not None and address in (own.email, own.phone):
                return [done, *await self.show(dispatcher, tracker)]
            claim = await self.call_store(
                self.store.contacts.claim_for_lookup,
                channel_of(tracker),
                tracker.sender_id,
                field,
                address,
                conversation_id(tracker),
            )
            await self._answer_lookup(dispatcher, tracker, field, address, claim)
        except StoreUnavailable as error:
            logger.error("could not look up an address for a data request: %s", error)
            dispatcher.utter_message(response="utter_privacy_failed")
            return [done]
        return [done] if claim is None else [done, SlotSet(CONTACT_ID, claim.contact_id)]

    async def _answer_lookup(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        field: DetailField,
        address: str,
        claim: Claim | None,
    ) -> None:
        if not verification.can_send(self.settings, field):
            dispatcher.utter_message(
                response="utter_lookup_cannot_verify",
                address=address,
                privacy_contact=self.settings.privacy_contact,
            )
        elif claim is not None:
            await self.offer_code(dispatcher, tracker, claim, SHOW, sent="utter_lookup_code_sent")
        else:
            dispatcher.utter_message(response="utter_lookup_code_sent", address=address)

    def _address_in(self, text: str, tracker: Tracker) -> tuple[DetailField, str] | None:
        for field in ADDRESS_FIELDS:
            reading = read_message(
                text,
                region=self.settings.default_region,
                requested=field,
                caller=caller_number(tracker),
            )
            if field in reading.values:
                return field, reading.values[field]
        return None


class ActionAskErasure(Action):
    """ "Delete everything?": a yes/no question, answered through actions/clarify.py."""

    def name(self) -> str:
        return "action_ask_erasure"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        dispatcher.utter_message(response="utter_confirm_erasure")
        return [*asking("erasure"), FollowupAction("action_listen")]


class ActionEraseMe(PrivacyAction):
    def name(self) -> str:
        return "action_erase_me"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        try:
            _, claim = await self.own_contact_and_claim(tracker)
            # This conversation's own contact, and the conversation even with none.
            await self.call_store(
                privacy.erase_conversation,
                self.store,
                self.settings,
                channel_of(tracker),
                tracker.sender_id,
            )
        except StoreUnavailable as error:
            logger.error("erasure failed, store unavailable: %s", error)
            dispatcher.utter_message(response="utter_privacy_failed")
            return []
        dispatcher.utter_message(response="utter_erased")
        if claim is not None:
            # The details someone else's contact holds go only once the code proves them.
            try:
                await self.offer_code(dispatcher, tracker, claim, ERASE)
            except StoreUnavailable as error:
                logger.error("could not send an erasure code: %s", error)
        # Nothing of this conversation is kept in the tracker from here on.
        return [AllSlotsReset(), Restarted()]
