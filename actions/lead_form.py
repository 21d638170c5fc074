"""The lead form's brain: read each answer, validate it, save it, pick the next question.

Rasa's form loop calls `validate_lead_form` after every message while the form is
active. Returning no slot at all *rejects* the message, which lets the rules answer a
question or small talk before the form asks again; that is how interruptions work.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.answers import (
    QUESTION_INTENTS,
    answer_in_place_of_answer,
    answer_other_questions,
    reason_for,
    session_events,
)
from actions.custom_fields import CUSTOM_VALUE, CustomFieldStep, asks_why
from actions.deps import (
    StoreBacked,
    caller_number,
    channel_of,
    conversation_id,
    previous_user_text,
    session_user_texts,
)
from actions.handoff_in_form import turned_down_on_the_way_to_a_person
from actions.knowledge import knowledge_answer
from actions.slots import (
    ATTEMPTS,
    CONTACT_ID,
    FIELD_OF,
    NEEDS_HELP,
    READ_UNTIL,
    REQUESTED_SLOT,
    SKIPPED,
    SLOT_OF,
    UNSAVED,
    lead_values,
    list_slot,
    slots_from_contact,
)
from actions.verification import awaiting_code
from actions.what_is_meant import explain_the_question
from bot.contact_guesses import guess_email, guess_phone
from bot.errors import StoreUnavailable
from bot.interruptions import (
    interrupts_form,
    is_question,
    leaves_for_now,
    puts_off,
    wants_no_details,
)
from bot.lead_vocabulary import is_job_title
from bot.leads import Reading, phone_regions, read_message
from bot.meeting_choice import wants_time_first
from bot.needs import answers_the_need_question, states_a_need
from bot.third_parties import names_of_others
from bot.types import LEAD_FIELDS, ContactId, LeadField
from bot.yes_no import read_yes_no

logger = logging.getLogger(__name__)

# Messages with these intents are questions or requests, not answers, unless they also
# carry a detail the form was asking for (see bot.interruptions for the wording check).
INTERRUPT_INTENTS = frozenset(
    {
        "bot_challenge",
        "ask_capabilities",
        "chitchat",
        "out_of_scope",
        "ask_pricing",
        "request_demo",
        "talk_to_sales",
        "human_handoff",
        "greet",
        "thank",
        "goodbye",
        "cancel",
        "opt_out",
        "opt_in",
        "request_data",
        "request_erasure",
        # Questions along the way (actions/answers.py): answered, then the form goes on.
        "ask_integrations",
        "ask_data_use",
        "ask_why_needed",
        "ask_next_steps",
        "request_info",
    }
)
SKIP_INTENTS = frozenset({"skip", "deny"})
# Interruptions that end or redirect the conversation: they win over turning one
# question down ("no thanks, not interested" leaves the form).
LEAVING_INTENTS = frozenset(
    {"cancel", "opt_out", "request_data", "request_erasure", "human_handoff"}
)
SHORT_ANSWER_WORDS = 5
_WANTS_TO_KNOW = re.compile(
    r"^\W*(?:i|we)(?:'d| would)? (?:want|need|like|wanna|wish|hope)(?: to)? (?:know|understand|see|"
    r"find out|figure out|work out|track|measure)\b",
    re.IGNORECASE,
)
HELP_AFTER_FAILURES = 2
# After this many failed answers the question is set aside instead of asked forever: the
# first failure asks again, the second explains, a third would repeat the explanation.
SKIP_AFTER_FAILURES = 3

# A best reading of an email or phone, checked with the person before it is stored
# (bot/contact_guesses.py): the reading, and whether the question about it is open.
GUESS = "detail_guess"
GUESS_PENDING = "guess_pending"
GUESSED: frozenset[LeadField] = frozenset({"email", "phone"})
PROBLEM_RESPONSES = {
    "invalid_email": "utter_invalid_email",
    "no_email": "utter_no_email",
    "invalid_phone": "utter_invalid_phone",
    "no_phone": "utter_no_phone",
    "someone_elses": "utter_someone_elses_contact",
    "not_a_name": "utter_invalid_name",
    "too_long": "utter_too_long",
    "not_an_answer": "utter_answer_needed",
    "not_a_company": "utter_invalid_text",
    "empty": "utter_invalid_text",
}


@dataclass(frozen=True)
class Turn:
    """The latest message as the form sees it."""

    message_id: str | None
    text: str
    intent: str | None
    confidence: float
    persons: tuple[str, ...]
    organizations: tuple[str, ...]

    @classmethod
    def from_tracker(cls, tracker: Tracker) -> Turn:
        message = tracker.latest_message
        intent = message.get("intent") or {}
        entities = message.get("entities") or []
        return cls(
            message_id=message.get("message_id"),
            text=message.get("text") or "",
            intent=intent.get("name"),
            confidence=float(intent.get("confidence") or 0.0),
            persons=_entity_values(entities, "PERSON"),
            organizations=_entity_values(entities, "ORG"),
        )

    def is_interruption(self) -> bool:
        return interrupts_form(self.text, self.intent, self.confidence, INTERRUPT_INTENTS)


def _entity_values(entities: list[dict[str, Any]], name: str) -> tuple[str, ...]:
    return tuple(str(e["value"]) for e in entities if e.get("entity") == name and e.get("value"))


# Actions Rasa runs on every message; they do not answer the person.
_SILENT_ACTIONS = frozenset(
    {"action_listen", "action_extract_slots", "lead_form", "qualify_form", "booking_form"}
)


def bot_acted_since_user_spoke(tracker: Tracker) -> bool:
    """Whether a rule already answered the latest message (the form was interrupted)."""
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            return False
        if event.get("event") == "action" and event.get("name") not in _SILENT_ACTIONS:
            return True
    return False


def form_order(domain: DomainDict) -> tuple[LeadField, ...]:
    """The order of the questions: the lead form's required slots in the domain, which
    marketers edit in the studio; Parley's default order for anything it leaves out."""
    slots = domain.get("forms", {}).get("lead_form", {}).get("required_slots", [])
    named = [FIELD_OF[slot] for slot in slots if isinstance(slot, str) and slot in FIELD_OF]
    ordered = list(dict.fromkeys(named))
    return (*ordered, *(f for f in LEAD_FIELDS if f not in ordered))


def next_field(
    values: dict[LeadField, str], skipped: list[str], order: Sequence[LeadField] = LEAD_FIELDS
) -> str | None:
    """The slot to ask for next, or None when the form is complete."""
    missing = (f for f in order if f not in values and f not in skipped)
    field = next(missing, None)
    return SLOT_OF[field] if field else None


def _say_why_if_asked(dispatcher: CollectingDispatcher, turn: Turn, field: LeadField) -> None:
    """Why the bot asks for `field`, when the message asks that as it turns it down."""
    if asks_why(turn.text, turn.intent):
        dispatcher.utter_message(response="utter_answer_why_needed", reason=reason_for(field))


def _took_a_detail(events: list[EventType]) -> bool:
    return any(
        e.get("event") == "slot" and e.get("name") in FIELD_OF and e.get("value") for e in events
    )


class ValidateLeadForm(StoreBacked, Action):
    def name(self) -> str:
        return "validate_lead_form"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        if tracker.get_slot(REQUESTED_SLOT) == CUSTOM_VALUE:
            return await self._validate_custom(dispatcher, tracker)
        events = await self._validate(dispatcher, tracker, domain)
        if _took_a_detail(events):
            # "carla@mendozapools.com - and does this plug into Zoho?": the detail is
            # taken, and the question asked with it answered before the next one.
            answer_other_questions(dispatcher, tracker, self.settings, "")
        if _ends_with_nothing_given(tracker, events):
            # Every question set aside and not one detail given: a summary of blanks to
            # confirm would be a question about nothing. The form ends as when someone
            # says they want no part of the details.
            dispatcher.messages[:] = [
                m for m in dispatcher.messages if m.get("response") not in _SET_ASIDE
            ]
            return await self._stop(dispatcher, tracker, Turn.from_tracker(tracker))
        return await self._then_custom_fields(tracker, events)

    async def _then_custom_fields(
        self, tracker: Tracker, events: list[EventType]
    ) -> list[EventType]:
        """The built-in questions are done: the marketers' own fields come next
        (actions/custom_fields.py), before the form ends with the summary."""
        step = CustomFieldStep(self)
        if not len(step.fields) or any(e.get("event") == "followup" for e in events):
            return events
        asked = [e for e in events if e.get("event") == "slot" and e["name"] == REQUESTED_SLOT]
        if not asked or asked[-1]["value"] is not None:
            return events
        contact = [
            e["value"] for e in events if e.get("event") == "slot" and e["name"] == CONTACT_ID
        ]
        following = await step.next_events(
            tracker, ContactId(contact[-1]) if contact and contact[-1] else None
        )
        # Rasa's form asks for the first requested slot a validation sets (and ends on the
        # last one being None): the built-in "none left" must not come before the field.
        kept = [e for e in events if not (e.get("event") == "slot" and e["name"] == REQUESTED_SLOT)]
        return [*kept, *following]

    async def _validate_custom(
        self, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> list[EventType]:
        """An answer to a custom field, unless the message is something else: what the
        rules answer (questions, requests, leaving) is left to them, as for the built-in
        fields, and the form asks the same field again afterwards."""
        step = CustomFieldStep(self)
        field = step.asked(tracker)
        turn = Turn.from_tracker(tracker)
        already_read = turn.message_id is not None and turn.message_id == tracker.get_slot(
            READ_UNTIL
        )
        if field is None:
            return await step.next_events(tracker)  # removed by a publish meanwhile
        if already_read or bot_acted_since_user_spoke(tracker):
            return [SlotSet(REQUESTED_SLOT, CUSTOM_VALUE)]
        if await awaiting_code(self, tracker):
            return []
        if turn.intent in LEAVING_INTENTS and turn.is_interruption():
            return []
        answer = step.read(tracker, field)
        if answer.value is None and not answer.declined:
            if leaves_for_now(turn.text):
                return await self._stop(dispatcher, tracker, turn, for_now=True)
            if asks_why(turn.text, turn.intent):
                # The field's own reason when it has one; else the rules' general answer.
                return step.help(dispatcher, tracker, field) if field.help else []
            if turn.is_interruption():
                return []
            if common := knowledge_answer(tracker, self.settings, in_place_of_answer=True):
                dispatcher.utter_message(text=common)
                return []
        return await step.answered(dispatcher, tracker, field, answer)

    async def _validate(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        turn = Turn.from_tracker(tracker)
        requested = FIELD_OF.get(tracker.get_slot(REQUESTED_SLOT) or "")
        already_read = turn.message_id is not None and turn.message_id == tracker.get_slot(
            READ_UNTIL
        )
        back_after_interruption = requested is not None and bot_acted_since_user_spoke(tracker)
        if (
            back_after_interruption
            and not already_read
            and turn.intent in _SMALL_TALK
            and said_again(tracker)
        ):
            # "hello? sorry, the signal dropped", said again: a try at this question that
            # was not understood, so the question explains itself, then moves on.
            return await self._apply(dispatcher, tracker, requested, turn, Reading(), domain)
        if already_read or back_after_interruption:
            # The rules answered this message; Rasa's own choice of the next question
            # would ignore skipped fields, so the form says which one comes next.
            return [SlotSet(REQUESTED_SLOT, self._next(tracker, {}, domain))]
        if await awaiting_code(self, tracker):
            return []  # a code sent from here: action_verify_code checks it
        if requested in GUESSED and tracker.get_slot(GUESS_PENDING):
            checked = await self._guess_checked(dispatcher, tracker, requested, turn, domain)
            if checked is not None:
                return checked
        reading = self._read(tracker, turn, requested)
        if requested and _says_nothing_else(reading, requested):
            if (explained := explain_the_question(dispatcher, tracker, turn.text)) is not None:
                return explained  # "like my job title?": asked again in other words
            if wants_time_first(turn.text):
                return self._time_first(dispatcher, tracker, requested, turn, domain)
        if requested and wants_time_first(turn.text) and {"email", "phone"} & reading.values.keys():
            # "Call me back on this number, let's just pick a time": the way back given,
            # and the time wanted first; the rest waits for the meeting.
            events: list[EventType] = [SlotSet(SLOT_OF[f], v) for f, v in reading.values.items()]
            events += await self._save(dispatcher, tracker, reading.values)
            return events + self._time_first(
                dispatcher, tracker, requested, turn, domain, given=reading.values
            )
        if (
            requested
            and not turn.is_interruption()
            and not {"email", "phone"} & reading.values.keys()
            and (answer := knowledge_answer(tracker, self.settings, in_place_of_answer=True))
        ):
            # A common question the classifier took for an answer: the marketers' answer,
            # then the form asks its question again.
            dispatcher.utter_message(text=answer)
            return []
        if (
            requested
            and not turn.is_interruption()
            and requested not in reading.values
            and not {"email", "phone"} & reading.values.keys()
            # "Why do you need my email? I only wanted to look": the reason, then the
            # question set aside as they wish (below)
            and not _declines(turn, requested, reading)
            and answer_in_place_of_answer(dispatcher, tracker, self.settings)
        ):
            return []  # the same, for one of Parley's own topics
        leaving = turn.intent in LEAVING_INTENTS and turn.is_interruption()
        gave_nothing = not reading.values and not lead_values(tracker)
        if requested and not leaving and gave_nothing and wants_no_details(turn.text):
            # "Why is a name necessary? I just want the information": the reason, and no
            # details asked for.
            _say_why_if_asked(dispatcher, turn, requested)
            to_a_person = turned_down_on_the_way_to_a_person(dispatcher, tracker, requested)
            return to_a_person or await self._stop(dispatcher, tracker, turn)
        if (
            requested
            and not leaving
            and requested not in reading.values
            and leaves_for_now(turn.text)
        ):
            # "I'll come back when I've got more time": the form stops here and what was
            # given stays, rather than every other question being asked of them.
            return await self._stop(dispatcher, tracker, turn, for_now=not gave_nothing)
        if (
            requested
            and requested not in ("name", "email")
            and turn.intent in _ALREADY_UNDER_WAY
            # A meeting is no interruption of the form elsewhere, but the same request here
            and interrupts_form(turn.text, turn.intent, turn.confidence, _ALREADY_UNDER_WAY)
            # A phone number or a company read from it is an answer ("just call me on
            # ..."); role and need take any words, so there a reading says nothing.
            and (requested not in reading.values or requested in ("role", "need"))
            and not _answers_despite_cue(tracker, turn, requested, reading)
            and (said_again(tracker) or _JUST_THAT.search(turn.text))
        ):
            # "I just want to book the demo please" when the role is asked: the demo is
            # what the form is for, so this question is set aside, not asked forever (and
            # the request is no answer to it).
            others = {f: v for f, v in reading.values.items() if f != requested}
            return await self._decline(
                dispatcher, tracker, requested, turn, Reading(values=others), domain
            )
        if requested and not leaving and puts_off(turn.text) and said_again(tracker):
            # "No, thank you, not today." to one question, then the next: not this one
            # question but all of it, for now; what was given stays.
            return await self._stop(dispatcher, tracker, turn, for_now=True)
        if requested and not leaving and _declines(turn, requested, reading):
            if requested in ("email", "phone") and (
                to_a_person := turned_down_on_the_way_to_a_person(dispatcher, tracker, requested)
            ):
                return to_a_person
            if gave_nothing and (list_slot(tracker, SKIPPED) or _said_no_details(tracker)):
                # A second question turned down before any detail was given, or the first
                # after saying no details were on offer ("only questions, no details").
                return await self._stop(dispatcher, tracker, turn)
            return await self._decline(dispatcher, tracker, requested, turn, reading, domain)
        # Only what the message states outright counts here; an email read out when it
        # was asked for is stated too.
        stated = self._read(tracker, turn, "email" if requested == "email" else None)
        if (
            requested
            and turn.is_interruption()
            and not _states_contact(stated, turn)
            and not _answers_despite_cue(tracker, turn, requested, reading)
            and not (turn.intent in _QUESTIONS and said_again(tracker))
        ):
            # A question said again after the rules answered it is a try at this question
            # that was not understood: counted, so that the question is set aside rather
            # than the same answer given forever. (Asking again for a person is insisting,
            # which the handoff rules count themselves.)
            return []
        if (
            requested == "phone"
            and _moved_on_from_phone(reading)
            and not _turns_down(turn)
            # "let me just type it on the keypad": the number is coming, keyed in; the
            # question is asked again with how to key it, not answered by what follows
            and not _KEYS_IT_IN.search(turn.text)
        ):
            if _NAMES_THE_PHONE.search(turn.text):
                # "Leave the phone out of it, if you don't mind": no number and the phone
                # named, so turned down; never the next question's answer.
                return await self._decline(dispatcher, tracker, requested, turn, Reading(), domain)
            following = FIELD_OF.get(self._next(tracker, {}, domain, also_skipped="phone") or "")
            if following and following in self._read(tracker, turn, following).values:
                return await self._skip_phone_and_read_on(dispatcher, tracker, turn, domain)
        return await self._apply(dispatcher, tracker, requested, turn, reading, domain)

    async def _stop(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        turn: Turn,
        *,
        for_now: bool = False,
    ) -> list[EventType]:
        """The person wants no part of the details, or turned down a second question
        before giving any, or leaves `for_now` after giving some: the form ends here,
        rather than asking every question in turn only to hear no each time. What they
        gave stays; they can pick it up again."""
        if for_now:
            await self.note_on_timeline(tracker, "lead_form_cancelled")
            dispatcher.utter_message(response="utter_lead_cancelled")
        else:
            await self.note_on_timeline(tracker, "lead_form_declined")
            dispatcher.utter_message(response="utter_lead_form_declined")
        return [
            SlotSet(ATTEMPTS, 0),
            SlotSet(NEEDS_HELP, False),
            SlotSet(READ_UNTIL, turn.message_id),
            SlotSet(REQUESTED_SLOT, None),
            FollowupAction("action_listen"),
        ]

    async def _decline(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        field: LeadField,
        turn: Turn,
        reading: Reading,
        domain: DomainDict,
    ) -> list[EventType]:
        """The person turned the question down: set it aside, keep only what they stated
        outright elsewhere in the message ("no phone, but I'm at Acme")."""
        # "Why do you need my email already? I only wanted to look.": the reason, then the
        # question set aside as they wish.
        _say_why_if_asked(dispatcher, turn, field)
        if not reading.values:
            return self._skip(dispatcher, tracker, field, turn, domain)
        skipped = [*list_slot(tracker, SKIPPED), field]
        tracker.slots[SKIPPED] = skipped
        dispatcher.utter_message(response="utter_field_skipped")
        events = await self._apply(dispatcher, tracker, None, turn, reading, domain)
        return [
            SlotSet(SKIPPED, skipped),
            SlotSet(ATTEMPTS, 0),
            SlotSet(NEEDS_HELP, False),
            *events,
        ]

    def _time_first(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        field: LeadField,
        turn: Turn,
        domain: DomainDict,
        given: dict[LeadField, str] | None = None,
    ) -> list[EventType]:
        """ "Can we sort out a time first?": the times come once there is a way to send the
        invitation, said once; asked again, this question is set aside, not repeated.
        `given`: details read from this message, not yet in the tracker's slots."""
        values = {**lead_values(tracker), **(given or {})}
        if values.get("email") or values.get("phone"):
            # The invitation has somewhere to go: the rest waits for the meeting, all of
            # it at once rather than one question set aside per turn.
            skipped = list_slot(tracker, SKIPPED)
            while (slot := next_field(values, skipped, form_order(domain))) is not None:
                skipped.append(FIELD_OF[slot])
            dispatcher.utter_message(response="utter_time_before_other_details")
            return [
                SlotSet(SKIPPED, skipped),
                SlotSet(ATTEMPTS, 0),
                SlotSet(NEEDS_HELP, False),
                SlotSet(READ_UNTIL, turn.message_id),
                SlotSet(REQUESTED_SLOT, None),
            ]
        skipped = list_slot(tracker, SKIPPED)
        way_back: list[LeadField] = [f for f in ("email", "phone") if f not in skipped]
        if wants_time_first(previous_user_text(tracker)) and way_back and field not in way_back:
            # Asked twice for the time first: only what the invitation needs is asked for,
            # the rest waits for the meeting (not one question set aside per turn).
            others = [f for f in LEAD_FIELDS if f not in way_back and not values.get(f)]
            dispatcher.utter_message(response="utter_booking_needs_a_way_back")
            return [
                SlotSet(SKIPPED, sorted({*skipped, *others})),
                SlotSet(ATTEMPTS, 0),
                SlotSet(NEEDS_HELP, False),
                SlotSet(READ_UNTIL, turn.message_id),
                SlotSet(REQUESTED_SLOT, SLOT_OF[way_back[0]]),
            ]
        if wants_time_first(previous_user_text(tracker)):
            return self._skip(
                dispatcher, tracker, field, turn, domain, response="utter_skipped_for_now"
            )
        dispatcher.utter_message(response="utter_time_after_details")
        return []

    async def _skip_phone_and_read_on(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, turn: Turn, domain: DomainDict
    ) -> list[EventType]:
        """A digit-free answer to the optional phone question answers the next question."""
        skipped = [*list_slot(tracker, SKIPPED), "phone"]
        tracker.slots[SKIPPED] = skipped
        dispatcher.utter_message(response="utter_field_skipped")
        following = FIELD_OF.get(
            next_field(lead_values(tracker), skipped, form_order(domain)) or ""
        )
        reading = self._read(tracker, turn, following)
        events = await self._apply(dispatcher, tracker, following, turn, reading, domain)
        return [SlotSet(SKIPPED, skipped), *events]

    def _guess(
        self, tracker: Tracker, requested: LeadField, turn: Turn, reading: Reading
    ) -> str | None:
        """A best reading of an email or phone that could not be read as given, unless one
        was already checked with the person for this detail."""
        problem = reading.problems.get(requested)
        if requested in reading.values or problem not in ("invalid_email", "invalid_phone"):
            return None
        earlier = str(tracker.get_slot(GUESS) or "")
        if earlier and ("@" in earlier) == (requested == "email"):
            return None
        if requested == "email":
            return guess_email(turn.text)
        tried = phone_regions(
            self.settings.default_region, lead_values(tracker).get("email"), caller_number(tracker)
        )
        return guess_phone(turn.text, tried)

    async def _guess_checked(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        requested: LeadField,
        turn: Turn,
        domain: DomainDict,
    ) -> list[EventType] | None:
        """The answer to "is your email ...?": a yes stores the guess, a no asks for the
        detail again in full; anything else is read as usual (None)."""
        guess = str(tracker.get_slot(GUESS) or "")
        if turn.text.startswith("/"):
            answer = {"affirm": "yes", "deny": "no"}.get(turn.intent or "")
        else:
            answer = read_yes_no(turn.text).answer
        done = [SlotSet(GUESS_PENDING, False)]
        if answer == "yes" and guess:
            confirmed = Reading(values={requested: guess})
            return done + await self._apply(dispatcher, tracker, requested, turn, confirmed, domain)
        if answer == "no":
            dispatcher.utter_message(response="utter_guess_wrong")
            return [
                *done,
                SlotSet(NEEDS_HELP, True),
                SlotSet(READ_UNTIL, turn.message_id),
                SlotSet(REQUESTED_SLOT, SLOT_OF[requested]),
            ]
        return None

    def _read(self, tracker: Tracker, turn: Turn, requested: LeadField | None) -> Reading:
        return read_message(
            turn.text,
            region=self.settings.default_region,
            requested=requested,
            persons=turn.persons,
            organizations=turn.organizations,
            email_hint=lead_values(tracker).get("email"),
            excluded=(self.settings.company_name,),
            caller=caller_number(tracker),
            others=names_of_others(session_user_texts(tracker)),
            own_name=lead_values(tracker).get("name"),
        )

    def _next(
        self,
        tracker: Tracker,
        updates: dict[LeadField, str],
        domain: DomainDict,
        also_skipped: LeadField | None = None,
    ) -> str | None:
        known = {**lead_values(tracker), **updates}
        skipped = [*list_slot(tracker, SKIPPED), *([also_skipped] if also_skipped else [])]
        return next_field(known, skipped, form_order(domain))

    def _skip(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        field: LeadField,
        turn: Turn,
        domain: DomainDict,
        response: str = "utter_field_skipped",
    ) -> list[EventType]:
        skipped = [*list_slot(tracker, SKIPPED), field]
        dispatcher.utter_message(response=response)
        return [
            SlotSet(SKIPPED, skipped),
            SlotSet(ATTEMPTS, 0),
            SlotSet(NEEDS_HELP, False),
            SlotSet(READ_UNTIL, turn.message_id),
            SlotSet(REQUESTED_SLOT, next_field(lead_values(tracker), skipped, form_order(domain))),
        ]

    async def _apply(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        requested: LeadField | None,
        turn: Turn,
        reading: Reading,
        domain: DomainDict,
    ) -> list[EventType]:
        events: list[EventType] = [SlotSet(SLOT_OF[f], v) for f, v in reading.values.items()]
        events += await self._save(dispatcher, tracker, reading.values)
        # Said once: "Sorry, I didn't catch your name." After that the question itself
        # explains what it needs, then moves on; the same apology again would be the
        # same words twice in a row.
        first_try = not int(tracker.get_slot(ATTEMPTS) or 0)
        if requested in GUESSED and (guess := self._guess(tracker, requested, turn, reading)):
            # "doherty plumbing at eircom dot net": the best reading, asked about once
            # (utter_ask_lead_email/phone say "Just to check: is your email ...?").
            return [
                *events,
                SlotSet(GUESS, guess),
                SlotSet(GUESS_PENDING, True),
                SlotSet(NEEDS_HELP, False),
                SlotSet(READ_UNTIL, turn.message_id),
                SlotSet(REQUESTED_SLOT, SLOT_OF[requested]),
            ]
        self._report_problems(dispatcher, requested, reading, first_try=first_try)
        attempts = _attempt_events(tracker, requested, reading)
        if requested and _gave_up(attempts):
            return events + self._skip(
                dispatcher, tracker, requested, turn, domain, "utter_skipped_for_now"
            )
        events += attempts
        known = {**lead_values(tracker), **reading.values}
        prefilled = {FIELD_OF[e["name"]]: e["value"] for e in events if e["name"] in FIELD_OF}
        events.append(SlotSet(READ_UNTIL, turn.message_id))
        if requested and requested not in reading.values:
            # A question not yet answered is asked again rather than jumping ahead.
            events.append(SlotSet(REQUESTED_SLOT, SLOT_OF[requested]))
        else:
            next_slot = self._next(tracker, {**known, **prefilled}, domain)
            events.append(SlotSet(REQUESTED_SLOT, next_slot))
        return events

    async def _save(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, values: dict[LeadField, str]
    ) -> list[EventType]:
        """Write new details (and any an outage held back) to the profile store."""
        unsaved = list_slot(tracker, UNSAVED)
        known = lead_values(tracker)
        pending = {f: known[f] for f in LEAD_FIELDS if f in unsaved and f in known} | values
        if not pending:
            return []
        try:
            contact = await self.call_store(
                self.store.contacts.record_stated_details,
                channel_of(tracker),
                tracker.sender_id,
                pending,
                conversation_id=conversation_id(tracker),
            )
        except StoreUnavailable as error:
            logger.error("could not save lead fields %s: %s", sorted(pending), error)
            dispatcher.utter_message(response="utter_store_unavailable")
            return [SlotSet(UNSAVED, sorted(set(unsaved) | set(pending)))]
        prefill = slots_from_contact(contact, {**known, **values}, list_slot(tracker, SKIPPED))
        return [*prefill, SlotSet(UNSAVED, [])]

    @staticmethod
    def _report_problems(
        dispatcher: CollectingDispatcher,
        requested: LeadField | None,
        reading: Reading,
        *,
        first_try: bool = True,
    ) -> None:
        for field, problem in reading.problems.items():
            if field in reading.values or (field == requested and not first_try):
                continue
            answered_something_else = field == requested and bool(reading.values)
            if answered_something_else:
                continue  # e.g. a correction to another field: just ask again
            if field == requested or field in ("email", "phone"):
                dispatcher.utter_message(
                    response=PROBLEM_RESPONSES.get(problem, "utter_invalid_text")
                )


_FREE_TEXT: frozenset[LeadField] = frozenset({"role", "need"})


def _says_nothing_else(reading: Reading, requested: LeadField) -> bool:
    """No detail read but, at most, the free text of the question asked (a role or a need
    takes any words, "like my job title?" included)."""
    if requested in _FREE_TEXT:
        return set(reading.values) <= {requested}
    return not reading.values


def _states_contact(stated: Reading, turn: Turn) -> bool:
    """Whether an interrupting message still gives details to keep: anything stated, but
    from a question only an email or a number ("How is our data used? We need to be GDPR
    compliant" states no need for Parley)."""
    if is_question(turn.text):
        return bool({"email", "phone"} & stated.values.keys())
    return bool(stated.values)


def _answers_despite_cue(
    tracker: Tracker, turn: Turn, requested: LeadField, reading: Reading
) -> bool:
    """Whether words that carry a request's cue still answer the question asked: a name
    that is also a word ("gwen price"), a problem told in answer to "what are you hoping
    to solve?" ("we get demo requests and nobody follows up"), or the same answer given
    again after it was taken for a question (the person insists: it is their answer)."""
    if requested not in reading.values or turn.intent in LEAVING_INTENTS:
        return False
    if requested == "need" and _WANTS_TO_KNOW.match(turn.text) and "?" not in turn.text:
        return True  # "I want to know which leads book a class" is a need, not a question
    if is_question(turn.text):
        return False
    if requested == "need" and (states_a_need(turn.text) or answers_the_need_question(turn.text)):
        return True
    if requested == "name" and len(turn.text.split()) <= 3:
        return True
    if requested == "role" and len(turn.text.split()) <= 4 and is_job_title(turn.text):
        return True  # "gm", "md": a title the classifier took for a greeting
    placed = _TITLE_IN_A_TEAM.match(turn.text) if requested == "role" else None
    if placed is not None and is_job_title(placed["title"]):
        return True  # "Assistant Manager in the Overseas Sales Department"
    # Only a short answer: a request said twice ("I just want to know what you have on
    # file") is still a request.
    return len(turn.text.split()) <= SHORT_ANSWER_WORDS and said_again(tracker)


# A title, then the team it sits in: "assistant manager in the overseas sales department",
# "I'm a rep on the inside sales team".
_TITLE_IN_A_TEAM = re.compile(
    r"^\W*(?:i'?m |i am |im )?(?:the |a |an )?(?P<title>[\w&/ -]+?)\s+(?:in|of|at|for|on|with|within)\s+"
    r"(?:the |our |my )?(?:[\w&-]+\s+){0,3}(?:department|dept|team|division|unit|office|group|desk|"
    r"function)\b[\w\s,.&-]*$",
    re.I,
)


def _said_no_details(tracker: Tracker) -> bool:
    """Whether an earlier message of this session turned down giving any details."""
    earlier = [e for e in session_events(tracker) if e.get("event") == "user"][:-1]
    return any(wants_no_details(str(e.get("text") or "")) for e in earlier)


# Questions the rules answer with the same words each time.
_QUESTIONS = QUESTION_INTENTS | {"ask_pricing", "ask_capabilities", "bot_challenge"}
# What the form says when it sets a question aside.
_SET_ASIDE = frozenset({"utter_field_skipped", "utter_skipped_for_now"})


def _ends_with_nothing_given(tracker: Tracker, events: list[EventType]) -> bool:
    """Whether these events complete the form with no detail known or given."""
    if not tracker.get_slot(REQUESTED_SLOT) or any(e.get("event") == "followup" for e in events):
        return False  # not asking anything yet, or the form already stopped
    requested = [e for e in events if e.get("event") == "slot" and e["name"] == REQUESTED_SLOT]
    if not requested or requested[-1]["value"] is not None:
        return False
    given = [e for e in events if e.get("event") == "slot" and e["name"] in FIELD_OF and e["value"]]
    return not given and not lead_values(tracker)


# Asking again, in the form, for what the form is already doing.
_ALREADY_UNDER_WAY = frozenset({"request_demo", "book_meeting"})
# Said in passing ("hello?", "thanks"): the rules answer, the form goes on.
_SMALL_TALK = frozenset({"greet", "thank", "chitchat"})
_JUST_THAT = re.compile(r"\b(?:just|only|simply)\b", re.IGNORECASE)


def said_again(tracker: Tracker) -> bool:
    """Whether the latest message repeats the one before it, which the bot answered."""
    texts: list[str] = []
    answered = False
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            texts.append(" ".join(str(event.get("text") or "").lower().split()))
            if len(texts) == 2:
                break
        elif len(texts) == 1 and event.get("event") == "bot":
            answered = True
    return len(texts) == 2 and answered and texts[0] == texts[1] and bool(texts[0])


# "skip po", "no thanks lah": the words of a refusal, never a company or a name to read on.
_REFUSING_START = re.compile(r"^\W*(?:skip|no|nah|nope|naw|pass|none|not)\b", re.IGNORECASE)


_KEYS_IT_IN = re.compile(
    r"\b(?:type|key|punch|tap|enter|put)\w*\s+(?:it|them|that|the (?:number|digits))\s+(?:in|on|into|out)\b|"
    r"\b(?:keypad|key pad|dial ?pad|keys)\b",
    re.I,
)
_NAMES_THE_PHONE = re.compile(
    r"\b(?:phone|number|mobile|cell|landline|digits|ring me|call me|text me)\b", re.I
)


def _turns_down(turn: Turn) -> bool:
    return turn.intent in SKIP_INTENTS or bool(_REFUSING_START.match(turn.text))


def _moved_on_from_phone(reading: Reading) -> bool:
    """No digits at all and nothing else said: the person may be answering the next
    question (read as such only when it reads as an answer to it)."""
    return reading.problems.get("phone") == "no_phone" and not reading.values


def _declines(turn: Turn, requested: LeadField, reading: Reading) -> bool:
    """Whether the message turns the question down rather than answering it.

    The classifier's skip/deny alone is not enough: "Nadia Khan" or "Skip Henderson"
    may come back as either, and when the name was asked a name is a name.
    """
    if turn.text.strip().startswith("/"):
        return turn.intent in SKIP_INTENTS  # the Skip button
    if requested in reading.values:
        return False
    return reading.declined


def _gave_up(attempt_events: list[EventType]) -> bool:
    counts = [e["value"] for e in attempt_events if e["name"] == ATTEMPTS]
    return bool(counts) and counts[0] >= SKIP_AFTER_FAILURES


def _attempt_events(
    tracker: Tracker, requested: LeadField | None, reading: Reading
) -> list[EventType]:
    """Count failed answers to the same question; after two, the question explains itself.

    Something else told counts only when it is new: a message read the same way again
    ("I need to think about it" read as the need, every time) is still no answer.
    """
    if requested is None or requested in reading.values:
        return [SlotSet(ATTEMPTS, 0), SlotSet(NEEDS_HELP, False)]
    known = lead_values(tracker)
    if any(known.get(f) != v for f, v in reading.values.items()):
        return []  # the person told us something else; that is not a failed answer
    attempts = int(tracker.get_slot(ATTEMPTS) or 0) + 1
    return [SlotSet(ATTEMPTS, attempts), SlotSet(NEEDS_HELP, attempts >= HELP_AFTER_FAILURES)]
