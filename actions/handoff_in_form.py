"""Asking for a person while the lead form runs.

The first time, the bot says a person will follow up once it has the details and the form
goes on. Asked again, it does not say the same words twice or keep asking: once there is
a way to reach the person (an email or a phone), the questions left are skipped, so the
form ends and the summary and the handoff follow with what was given. Without one, a
caller asking again is handed over to be called back on the number they are calling from;
anyone else is asked only for the email and the phone, and asked a third time, a web chat
visitor is answered by the team in the open chat (the inbox), and anyone else (a REST
client) is told plainly that nobody can get back to them without one; the form ends with
what was given.
"""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.answers import said_in_session
from actions.deps import StoreBacked, caller_number, channel_of
from actions.slots import (
    FIELD_OF,
    HANDOFF_REQUESTED,
    REQUESTED_SLOT,
    SKIPPED,
    SLOT_OF,
    list_slot,
)
from bot.leads import read_message
from bot.types import LEAD_FIELDS, LeadField

FIRST_TIME = "utter_handoff_in_form"
INSISTED = "utter_handoff_insisted"
NEED_CONTACT = "utter_handoff_need_contact"
CANNOT_REACH = "utter_handoff_cannot_reach"
REACH_YOU = "utter_handoff_reach_you"
REACHABLE_BY: tuple[LeadField, ...] = ("email", "phone")
# Read from the request for a person itself: who they are and where they work
# ("it's wade lindqvist now can i get a person").
KEPT_ON_THE_WAY: tuple[LeadField, ...] = ("name", "company")
# What the bot says when the details are asked for on the way to a person or to sales.
ON_THE_WAY_TO_A_PERSON = (FIRST_TIME, "utter_handoff", "utter_sales_intro")


class ActionHandoffInForm(StoreBacked, Action):
    def name(self) -> str:
        return "action_handoff_in_form"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        requested = FIELD_OF.get(str(tracker.get_slot(REQUESTED_SLOT) or ""))
        told = self._told_with_the_request(tracker, requested)
        return [*told, *await self._asked_again(dispatcher, tracker, requested)]

    def _told_with_the_request(
        self, tracker: Tracker, requested: LeadField | None
    ) -> list[EventType]:
        """ "it's wade lindqvist now can i get a person": the name asked for is given with
        the request, and kept. Only a name or a company: an email or a phone goes through
        the form's checks of whose it is."""
        if requested not in KEPT_ON_THE_WAY or tracker.get_slot(SLOT_OF[requested]):
            return []
        text = str(tracker.latest_message.get("text") or "")
        reading = read_message(text, region=self.settings.default_region, requested=requested)
        value = reading.values.get(requested)
        return [SlotSet(SLOT_OF[requested], value)] if value else []

    async def _asked_again(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, requested: LeadField | None
    ) -> list[EventType]:
        if requested in REACHABLE_BY and self._turns_down(tracker, requested):
            # "no you don't need my email just get somebody to ring me": the question turned
            # down on the way to a person, so the other way back is asked, not the same one.
            to_a_person = turned_down_on_the_way_to_a_person(
                dispatcher, tracker, requested, asked_now=True
            )
            if to_a_person is not None:
                return to_a_person
        reachable = any(tracker.get_slot(SLOT_OF[f]) for f in REACHABLE_BY)
        if not said_in_session(tracker, FIRST_TIME):
            dispatcher.utter_message(response=FIRST_TIME)
            return []
        skipped = list_slot(tracker, SKIPPED)
        left = [f for f in LEAD_FIELDS if not tracker.get_slot(SLOT_OF[f]) and f not in skipped]
        if not reachable and on_the_phone(tracker):
            # A caller asking again is put through to be called back on the number they
            # are calling from: asking them to spell an address first would keep them
            # from the person they asked for twice.
            return [ActiveLoop(None), *_without_a_way_back(dispatcher, tracker)]
        if not reachable and not said_in_session(tracker, NEED_CONTACT):
            dispatcher.utter_message(response=NEED_CONTACT)
            # "An email or a phone is all I still need": the form asks for nothing else.
            return [SlotSet(SKIPPED, [*skipped, *(f for f in left if f not in REACHABLE_BY)])]
        if not reachable:
            return [ActiveLoop(None), *_without_a_way_back(dispatcher, tracker)]
        dispatcher.utter_message(response=INSISTED)
        return [SlotSet(SKIPPED, [*skipped, *left])]

    def _turns_down(self, tracker: Tracker, requested: LeadField) -> bool:
        text = str(tracker.latest_message.get("text") or "")
        return read_message(text, region=self.settings.default_region, requested=requested).declined


def turned_down_on_the_way_to_a_person(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    declined: LeadField,
    *,
    asked_now: bool = False,
) -> list[EventType] | None:
    """A person asked for, and a detail turned down with no way back given: not the end
    of the form ("no details needed") but the same steps as asking again for the person.
    First the other way back is asked for (and then the questions left), then the caller
    is handed over to be
    called back on the number they call from (a web chat visitor is answered in the
    chat; anyone else is told why nobody can get back). None when no person was asked
    for (in this message, when `asked_now`), or there is a way back."""
    wants_a_person = (
        asked_now
        or tracker.get_slot(HANDOFF_REQUESTED)
        or any(
            said_in_session(tracker, response)
            for response in (*ON_THE_WAY_TO_A_PERSON, NEED_CONTACT, REACH_YOU)
        )
    )
    if not wants_a_person:
        return None
    if any(tracker.get_slot(SLOT_OF[f]) for f in REACHABLE_BY):
        return None
    skipped = [*list_slot(tracker, SKIPPED), declined]
    left = [f for f in REACHABLE_BY if f not in skipped and not tracker.get_slot(SLOT_OF[f])]
    if left and not any(said_in_session(tracker, r) for r in (NEED_CONTACT, REACH_YOU)):
        # The other way back, then the questions left as usual: the team calling back
        # wants the role and the need too, and asking for a person again ends the form
        # once there is a way back.
        dispatcher.utter_message(response=REACH_YOU)
        return [SlotSet(SKIPPED, skipped), SlotSet(REQUESTED_SLOT, SLOT_OF[left[0]])]
    # The form ends as when every question is done (the company too, when it was kept for
    # after the way back); the handoff comes next, not the summary.
    unasked = [f for f in LEAD_FIELDS if f not in skipped and not tracker.get_slot(SLOT_OF[f])]
    return [SlotSet(SKIPPED, [*skipped, *unasked]), *_without_a_way_back(dispatcher, tracker)]


def on_the_phone(tracker: Tracker) -> bool:
    """A phone call whose calling number is known: the way back when nothing else is."""
    return channel_of(tracker) == "voice" and caller_number(tracker) is not None


def _without_a_way_back(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
    """The form's end for someone after a person who gives no email or phone. A caller can
    still be called back on the number they are calling from (actions/handoff.py) and a
    web chat visitor is answered by the team in the open chat (the inbox); anyone else is
    told plainly why nobody can get back."""
    calling = on_the_phone(tracker)
    answered_here = calling or channel_of(tracker) == "web"
    if not answered_here:
        dispatcher.utter_message(response=CANNOT_REACH)
    return [
        SlotSet(REQUESTED_SLOT, None),
        FollowupAction("action_human_handoff" if answered_here else "action_listen"),
    ]
