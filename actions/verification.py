"""Proving a claimed email or phone with a one-time code before its details are used.

A typed address that another contact holds is only a claim (bot/store/identity.py).
When the person asks to see or delete what we hold, a code goes to that address; the
code typed back here proves it, and only then are the details shown, linked or erased.
"""

from __future__ import annotations

import logging
import re

from rasa_sdk import Action, Tracker
from rasa_sdk.events import AllSlotsReset, EventType, Restarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.data_summary import read_summary
from actions.deps import StoreBacked, conversation_id
from actions.slots import READ_UNTIL
from bot import privacy, verification
from bot.errors import DeliveryFailed, StoreUnavailable
from bot.store import Claim, CodeCheck
from bot.types import ContactId

logger = logging.getLogger(__name__)

_CODE = re.compile(r"(?<!\d)(\d{3})[\s-]?(\d{3})(?!\d)")
# Codes bound to the person who holds the address: an erasure must outlive this
# conversation's own contact, which is erased at once.
ERASE, SHOW = "erase", "show"
ENTER_CODE = "enter_code"
SPENT = {"locked": "utter_code_locked", "expired": "utter_code_expired"}


def code_in(text: str) -> str | None:
    match = _CODE.search(text)
    return match.group(1) + match.group(2) if match else None


async def awaiting_code(action: StoreBacked, tracker: Tracker) -> bool:
    """Whether the latest message is a code this conversation is waiting for: forms then
    leave it to action_verify_code instead of reading it as an answer."""
    if tracker.latest_message.get("intent", {}).get("name") != ENTER_CODE:
        return False
    try:
        return await action.call_store(
            action.store.contacts.has_live_code, conversation_id(tracker)
        )
    except StoreUnavailable:
        return False


class CodeSender(StoreBacked):
    """Sends a code for a claim and says so; shared by the data-request actions."""

    async def offer_code(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        claim: Claim,
        purpose: str,
        *,
        sent: str | None = None,
    ) -> None:
        """Send a code for `claim`; `sent` names the reply once it is on its way (by
        default one that says which address holds details)."""
        privacy_contact = self.settings.privacy_contact
        address = claim.value
        if not verification.can_send(self.settings, claim.field):
            dispatcher.utter_message(
                response="utter_cannot_verify", address=address, privacy_contact=privacy_contact
            )
            return
        bound_to = claim.holder_id if purpose == ERASE and claim.holder_id else claim.contact_id
        issued = await self.call_store(
            self.store.contacts.issue_verification_code,
            bound_to,
            conversation_id(tracker),
            claim.field,
            address,
            purpose,
        )
        if issued.code is None:
            dispatcher.utter_message(response="utter_code_limit", privacy_contact=privacy_contact)
            return
        try:
            await self.call_store(
                verification.send_code, self.settings, claim.field, address, issued.code
            )
        except DeliveryFailed as error:
            logger.warning("could not send a verification code by %s: %s", claim.field, error)
            dispatcher.utter_message(response="utter_code_send_failed")
            return
        response = "utter_code_sent_to_erase" if purpose == ERASE else "utter_code_sent_to_show"
        dispatcher.utter_message(response=sent or response, address=address)


class ActionVerifyCode(CodeSender, Action):
    """A code typed back: on a match the claimed details become the person's own."""

    def name(self) -> str:
        return "action_verify_code"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        code = code_in(tracker.latest_message.get("text") or "")
        try:
            checked = (
                await self.call_store(
                    self.store.contacts.check_verification_code, conversation_id(tracker), code
                )
                if code
                else None
            )
            if checked is None or checked.status == "no_code":
                return self._not_expected(dispatcher, tracker)
            return await self._answer(dispatcher, tracker, checked)
        except StoreUnavailable as error:
            logger.error("could not check a verification code: %s", error)
            dispatcher.utter_message(response="utter_privacy_failed")
            return [SlotSet(READ_UNTIL, tracker.latest_message.get("message_id"))]

    @staticmethod
    def _not_expected(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        dispatcher.utter_message(response="utter_no_code_expected")
        return [SlotSet(READ_UNTIL, tracker.latest_message.get("message_id"))]

    async def _answer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, checked: CodeCheck
    ) -> list[EventType]:
        read = [SlotSet(READ_UNTIL, tracker.latest_message.get("message_id"))]
        if checked.status == "wrong":
            dispatcher.utter_message(response="utter_code_wrong")
            return read
        if checked.status in SPENT:
            dispatcher.utter_message(response=SPENT[checked.status])
            return read
        if checked.purpose == ERASE:
            return await self._erase(dispatcher, tracker, checked.contact_id, checked.value)
        assert checked.contact_id is not None
        summary = await self.call_store(read_summary, self.store, checked.contact_id)
        dispatcher.utter_message(response="utter_code_verified", address=checked.value)
        dispatcher.utter_message(
            response="utter_my_data", company=self.settings.company_name, summary=summary
        )
        return read

    async def _erase(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        contact_id: ContactId | None,
        address: str | None,
    ) -> list[EventType]:
        if contact_id is not None:  # None only if the holder was erased meanwhile
            actor = privacy.self_service_actor(contact_id)
            await self.call_store(privacy.erase, self.store, self.settings, contact_id, actor)
        await self.call_store(self.store.privacy.queue_tracker_erasure, [tracker.sender_id])
        dispatcher.utter_message(response="utter_code_verified_erased", address=address)
        return [AllSlotsReset(), Restarted()]
