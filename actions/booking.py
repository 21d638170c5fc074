"""Booking a meeting: offer the next free times, read the pick, book it, confirm it.

Availability, the bookings themselves and the confirmation email live in bot.booking;
the store's unique slot constraint settles two people picking the same time.
"""

from __future__ import annotations

import logging
import re
from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.answers import said_this_turn
from actions.deps import StoreBacked
from actions.lead_form import INTERRUPT_INTENTS, Turn, said_again
from actions.open_question import settled
from actions.slots import (
    CONTACT_ID,
    LEAD_CAPTURED,
    READ_UNTIL,
    REQUESTED_SLOT,
    contact_slot,
    list_slot,
)
from actions.verification import awaiting_code
from bot.booking import (
    Availability,
    Slot,
    book,
    load_availability,
    next_free_slots,
    send_confirmation,
)
from bot.errors import ParleyError, SlotTaken, StoreUnavailable
from bot.interruptions import is_topic
from bot.meeting_choice import NEXT_WEEK, label, match_choice, wants_other_times
from bot.repair import asks_to_hear_it_again
from bot.store import Booking
from bot.types import ContactId
from bot.yes_no import turns_down

logger = logging.getLogger(__name__)

OFFERED = "offered_meetings"
CHOSEN = "meeting_slot"
ATTEMPTS = "booking_attempts"
OFFER_COUNT = 3
GIVE_UP_AFTER = 3


class BookingBacked(StoreBacked):
    def availability(self) -> Availability:
        return load_availability(self.settings)

    async def free_times(self, after: datetime | None = None) -> list[datetime]:
        slots = await self.call_store(
            next_free_slots,
            self.store,
            self.availability(),
            datetime.now(timezone.utc),
            count=OFFER_COUNT,
            after=after,
        )
        return [slot.start for slot in slots]

    def offer(self, dispatcher: CollectingDispatcher, times: list[datetime]) -> list[EventType]:
        zone = self.availability().timezone
        buttons = [{"title": label(t, zone), "payload": label(t, zone)} for t in times]
        dispatcher.utter_message(response="utter_meeting_times", timezone=zone, buttons=buttons)
        return [SlotSet(OFFERED, [t.isoformat() for t in times])]


class ActionStartBooking(BookingBacked, Action):
    def name(self) -> str:
        return "action_start_booking"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        contact = await self.conversation_contact(tracker)
        if contact is None or not (contact.email or contact.phone):
            if tracker.get_slot(LEAD_CAPTURED):
                # The details were asked for already and none reaches the person: the
                # same form again would loop; say what is missing instead.
                dispatcher.utter_message(response="utter_booking_needs_a_way_back")
                return [*settled(), FollowupAction("action_listen")]
            dispatcher.utter_message(response="utter_booking_needs_details")
            return [*settled(), FollowupAction("lead_form")]
        text = str(tracker.latest_message.get("text") or "")
        if _CHECKS_THE_BOOKING.search(text) and not _ANOTHER_ONE.search(text):
            # "so we're all booked in are we": the meeting booked, said again; not a second.
            booked = await self._upcoming(contact.id)
            if booked is not None:
                timezone_name = self.availability().timezone
                dispatcher.utter_message(
                    response="utter_meeting_already_booked",
                    when=f"{label(booked.starts_at, timezone_name)} ({timezone_name})",
                )
                return [*settled(), FollowupAction("action_listen")]
        try:
            times = await self.free_times()
        except (StoreUnavailable, ParleyError) as error:
            logger.error("could not list free meeting times: %s", error)
            times = []
        if not times:
            dispatcher.utter_message(response="utter_no_meeting_slots")
            return [*settled(), FollowupAction("action_listen")]
        return [
            *settled(),
            SlotSet(CONTACT_ID, contact.id),
            SlotSet(OFFERED, None),
            SlotSet(CHOSEN, None),
            SlotSet(ATTEMPTS, 0),
            SlotSet(REQUESTED_SLOT, CHOSEN),
            FollowupAction("booking_form"),
        ]

    async def _upcoming(self, contact_id: ContactId) -> Booking | None:
        try:
            bookings = await self.call_store(self.store.leads.bookings, contact_id)
        except StoreUnavailable as error:
            logger.error("could not read the contact's bookings: %s", error)
            return None
        now = datetime.now(timezone.utc)
        ahead = [b for b in bookings if b.status != "cancelled" and b.starts_at > now]
        return ahead[0] if ahead else None


# "so we're all booked in are we", "is that confirmed then?": a check on the booking made.
_CHECKS_THE_BOOKING = re.compile(
    r"\b(?:booked|confirmed|scheduled|sorted|locked in|in the (?:diary|calendar))\b[^.!]*"
    r"(?:\?|\b(?:are we|am i|is it|is that|right|yeah|then|yes)\W*$)|"
    r"^\W*(?:so |and |ok |okay )?(?:are we|am i|is it|is that|is the (?:meeting|call|demo)|did (?:it|that)) "
    r"(?:all |now |definitely )?(?:booked|confirmed|scheduled|sorted|set|go through|work)",
    re.I,
)
_ANOTHER_ONE = re.compile(
    r"\b(?:another|second|one more|also|too|as well|reschedule|move|change|different|new|cancel)\b",
    re.I,
)


class ActionAskMeetingSlot(BookingBacked, Action):
    """The booking form's question: today's free times, as buttons."""

    def name(self) -> str:
        return "action_ask_meeting_slot"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        if said_this_turn(tracker, _OFFERS):
            # "None of those, anything later?": the form's check just offered the later
            # times; offering today's first ones again would take them back (a loop).
            return []
        try:
            times = await self.free_times()
        except (StoreUnavailable, ParleyError) as error:
            logger.error("could not list free meeting times: %s", error)
            times = []
        if not times:
            dispatcher.utter_message(response="utter_no_meeting_slots")
            return [SlotSet(OFFERED, [])]
        return self.offer(dispatcher, times)


_OFFERS = frozenset({"utter_meeting_times", "utter_no_later_meeting_slots"})


class ValidateBookingForm(BookingBacked, Action):
    def name(self) -> str:
        return "validate_booking_form"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        turn = Turn.from_tracker(tracker)
        already_read = turn.message_id is not None and turn.message_id == tracker.get_slot(
            READ_UNTIL
        )
        if tracker.get_slot(OFFERED) is None or already_read:
            # The form has just started (or restarted after a clash): ask, don't re-read.
            return [SlotSet(REQUESTED_SLOT, CHOSEN)]
        if await awaiting_code(self, tracker):
            return []  # a code sent from here: action_verify_code checks it
        offered = [datetime.fromisoformat(t) for t in list_slot(tracker, OFFERED)]
        if not offered:
            # There was nothing to offer: leave the form rather than loop on it.
            return [SlotSet(REQUESTED_SLOT, None), SlotSet(CHOSEN, None)]
        picked = match_choice(turn.text, offered, self.availability().timezone)
        if picked is not None:
            return [
                SlotSet(CHOSEN, picked.isoformat()),
                SlotSet(READ_UNTIL, turn.message_id),
                SlotSet(REQUESTED_SLOT, None),
            ]
        if asks_to_hear_it_again(turn.text) and not int(tracker.get_slot(ATTEMPTS) or 0):
            # "Sorry, can you say that again?": the same times once more, then counted as a
            # try, so that the second time says how to pick rather than the same list.
            return [
                *self.offer(dispatcher, offered),
                SlotSet(ATTEMPTS, 1),
                SlotSet(READ_UNTIL, turn.message_id),
                SlotSet(REQUESTED_SLOT, CHOSEN),
            ]
        if (
            (turn.intent in INTERRUPT_INTENTS or is_topic(turn.intent))
            and turn.is_interruption()
            and not said_again(tracker)
            and not asks_to_hear_it_again(turn.text)
        ):
            # Said again after the rules answered it ("k?", "k?"), it is a try at picking
            # that was not understood: counted below, not answered the same way forever.
            return []
        if wants_other_times(turn.text):
            # "None of those, anything next week?": the next free times after these, not
            # a failed pick.
            later = await self._later_times(max(offered), turn.text)
            if later:
                return [
                    *self.offer(dispatcher, later),
                    SlotSet(READ_UNTIL, turn.message_id),
                    SlotSet(REQUESTED_SLOT, CHOSEN),
                ]
            dispatcher.utter_message(response="utter_no_later_meeting_slots")
            return [SlotSet(READ_UNTIL, turn.message_id), SlotSet(REQUESTED_SLOT, CHOSEN)]
        attempts = int(tracker.get_slot(ATTEMPTS) or 0) + 1
        if attempts >= GIVE_UP_AFTER or _turns_the_times_down(turn.text, turn.intent):
            dispatcher.utter_message(response="utter_route_declined")
            return [SlotSet(ATTEMPTS, 0), SlotSet(CHOSEN, None), SlotSet(REQUESTED_SLOT, None)]
        # Never the same words twice: the second time, say how to pick.
        again = "utter_meeting_not_understood" if attempts == 1 else "utter_meeting_how_to_pick"
        dispatcher.utter_message(response=again)
        return [SlotSet(ATTEMPTS, attempts), SlotSet(REQUESTED_SLOT, CHOSEN)]

    async def _later_times(self, last_offered: datetime, text: str) -> list[datetime]:
        after = last_offered
        if NEXT_WEEK.search(text):
            zone = ZoneInfo(self.availability().timezone)
            today = datetime.now(zone).date()
            monday = today + timedelta(days=7 - today.weekday())
            after = max(
                after, datetime.combine(monday, time.min, tzinfo=zone) - timedelta(seconds=1)
            )
        try:
            return await self.free_times(after=after)
        except (StoreUnavailable, ParleyError) as error:
            logger.error("could not list later meeting times: %s", error)
            return []


class ActionBookMeeting(BookingBacked, Action):
    def name(self) -> str:
        return "action_book_meeting"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        chosen = tracker.get_slot(CHOSEN)
        contact_id = contact_slot(tracker)
        if not chosen or not contact_id:
            return [SlotSet(OFFERED, [])]
        availability = self.availability()
        start = datetime.fromisoformat(chosen)
        now = datetime.now(timezone.utc)
        slot = next(
            (s for s in await self._slots_at(start) if s.start == start),
            None,
        )
        try:
            if slot is None:
                raise SlotTaken(start)
            booking = await self.call_store(book, self.store, contact_id, slot, now)
        except SlotTaken:
            # The form asks again with the times free now; the pick is not read twice.
            dispatcher.utter_message(response="utter_meeting_taken")
            return [
                SlotSet(CHOSEN, None),
                SlotSet(OFFERED, []),
                SlotSet(REQUESTED_SLOT, CHOSEN),
                FollowupAction("booking_form"),
            ]
        except (StoreUnavailable, ParleyError) as error:
            logger.error("could not book %s: %s", chosen, error)
            dispatcher.utter_message(response="utter_store_unavailable")
            return [SlotSet(CHOSEN, None)]
        confirmation = await self._confirm(booking, now)
        dispatcher.utter_message(
            response="utter_meeting_booked",
            when=f"{label(start, availability.timezone)} ({availability.timezone})",
            confirmation=confirmation,
        )
        return [SlotSet(CHOSEN, None), SlotSet(OFFERED, [])]

    async def _slots_at(self, start: datetime) -> list[Slot]:
        # The pick must still be free and bookable (notice, hours) when it is booked.
        return await self.call_store(
            next_free_slots, self.store, self.availability(), datetime.now(timezone.utc), count=500
        )

    async def _confirm(self, booking: Booking, now: datetime) -> str:
        try:
            reason = await self.call_store(
                send_confirmation, self.store, self.settings, booking, self.availability(), now
            )
        except (StoreUnavailable, ParleyError) as error:
            logger.error("booking confirmation not queued: %s", error)
            return "Our team will confirm it with you."
        if reason is None:
            return "A calendar invitation is on its way by email."
        return "Our team will confirm it with you."


_NONE_OF_THEM = re.compile(r"^\W*(?:neither|none)\b", re.IGNORECASE)


def _turns_the_times_down(text: str, intent: str | None) -> bool:
    """A no to the times offered, in its words ("no thanks", "neither"): the classifier's
    deny alone is not enough, "the one on the 12th, if there is one" picks a day."""
    if intent not in ("deny", "skip"):
        return False
    return text.startswith("/") or turns_down(text) or bool(_NONE_OF_THEM.match(text))
