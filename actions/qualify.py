"""Qualifying questions after the lead form, and routing the lead by its grade.

The questions, their order and the skip rules come from qualification.yml
(bot.qualification); the grade comes from the scoring rubric (bot.scoring). Answers are
saved to the profile store as they come, so an abandoned conversation keeps them.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from datetime import datetime, timezone
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.answers import (
    answer_in_place_of_answer,
    answer_other_questions,
    response_of,
    said_in_session,
)
from actions.deps import StoreBacked, channel_of, conversation_id
from actions.handoff_in_form import INSISTED
from actions.knowledge import knowledge_answer
from actions.lead import PERSON_INTENTS
from actions.lead_form import INTERRUPT_INTENTS, Turn, bot_acted_since_user_spoke, said_again
from actions.routing import RouteSteps, asked_by_routing, current_rules
from actions.slots import (
    HANDOFF_REQUESTED,
    QUAL_ATTEMPTS,
    QUAL_FIELD_OF,
    QUAL_FOLLOW_UP,
    QUAL_SKIPPED,
    QUAL_SLOT_OF,
    READ_UNTIL,
    REQUESTED_SLOT,
    contact_slot,
    lead_values,
    list_slot,
)
from actions.verification import awaiting_code
from actions.what_is_meant import asked_again_what_is_meant, explain_the_question
from bot import routing
from bot.custom_questions import read_custom_answer
from bot.errors import ParleyError, StoreUnavailable
from bot.handoff import reply_due
from bot.interruptions import defers, has_cue, interrupts_form, is_question, reads_like
from bot.leads import read_message, states_lead_details
from bot.meeting_choice import asks_for_meeting
from bot.phone_places import country_of, country_of_email
from bot.qualification import (
    PRICE_NOT_KNOWN,
    Answer,
    QualificationConfig,
    load_qualification_config,
    read_answer,
)
from bot.qualification import read_volunteered as read_volunteered_details
from bot.question_topics import only_asks_topics
from bot.repair import asks_to_rephrase, checks_the_question
from bot.scoring import load_content_rubric, score_contact
from bot.settings import Settings
from bot.store import ProfileStore
from bot.types import ContactId
from bot.yes_no import read_correction

logger = logging.getLogger(__name__)

# "Sorry, a correction to the size: we are about 90": an answer given again to replace
# the earlier one, not a volunteered detail that an earlier answer outranks.
_CORRECTS_AN_ANSWER = re.compile(
    r"\b(?:correction|correct that|actually|i meant|i mean|make (?:that|it)|sorry)\b", re.I
)
SLOT_OF = QUAL_SLOT_OF
FIELD_OF = QUAL_FIELD_OF
# Questions a marketer added share three slots, so that adding one needs no training:
# the form's slot while any of them is asked, which one it is, and the answers so far.
CUSTOM_SLOT = "qual_custom"
CUSTOM_QUESTION = "qual_custom_question"
CUSTOM_ANSWERS = "qual_custom_answers"
SKIPPED = QUAL_SKIPPED
ATTEMPTS = QUAL_ATTEMPTS
DONE = "qualification_done"
GRADE = "lead_grade"
QUALIFY_INTERRUPTS = INTERRUPT_INTENTS | {"book_meeting"}
# What the rubric counts as engagement, by the intent that shows it.
ENGAGEMENT_OF = {"ask_pricing": "asked_pricing", "request_demo": "requested_demo"}
# After this many answers that could not be read, the question is set aside.
GIVE_UP_AFTER = 2


def qualification_values(tracker: Tracker) -> dict[str, str]:
    values = {f: tracker.get_slot(slot) for f, slot in SLOT_OF.items()}
    custom = tracker.get_slot(CUSTOM_ANSWERS)
    if isinstance(custom, dict):
        values |= {str(k): v for k, v in custom.items() if k not in SLOT_OF}
    return {f: v for f, v in values.items() if isinstance(v, str)}


def answer_events(answers: dict[str, str], tracker: Tracker) -> list[EventType]:
    """SlotSets holding `answers`: a slot per built-in question, one for all custom ones."""
    events: list[EventType] = [SlotSet(SLOT_OF[f], v) for f, v in answers.items() if f in SLOT_OF]
    custom = {f: v for f, v in answers.items() if f not in SLOT_OF}
    if custom:
        held = tracker.get_slot(CUSTOM_ANSWERS)
        events.append(
            SlotSet(CUSTOM_ANSWERS, {**(held if isinstance(held, dict) else {}), **custom})
        )
    return events


def asking(config: QualificationConfig, field: str | None) -> list[EventType]:
    """The form's next question: a built-in one by its slot, a custom one by its id."""
    if field is None or config.custom(field) is None:
        return [SlotSet(REQUESTED_SLOT, SLOT_OF[field] if field else None)]
    return [
        SlotSet(CUSTOM_QUESTION, field),
        SlotSet(CUSTOM_SLOT, None),
        SlotSet(REQUESTED_SLOT, CUSTOM_SLOT),
    ]


def requested_field(tracker: Tracker) -> str | None:
    slot = tracker.get_slot(REQUESTED_SLOT) or ""
    if slot == CUSTOM_SLOT:
        question = tracker.get_slot(CUSTOM_QUESTION)
        return str(question) if question else None
    return FIELD_OF.get(slot)


def wants_a_person(tracker: Tracker) -> bool:
    """A handoff asked for before there were details, or a person asked for since."""
    return bool(tracker.get_slot(HANDOFF_REQUESTED)) or asked_for_person(tracker)


# The question that narrows an answer with two readings (bot/qualification.py).
# Said before the question is asked again: what it costs, for a budget hard to name
# without it. "Not me" to who decides is narrowed by the question itself, asked in its
# follow-up wording (QUAL_FOLLOW_UP), so that one question is on screen, not two.
FOLLOW_UPS = {PRICE_NOT_KNOWN: "utter_pricing"}
MEETING_INTENTS = frozenset({"request_demo", "book_meeting"})
# Requests that may carry a meeting in their words: a meeting's own, sales, information,
# details given.
_MAY_ASK_FOR_MEETING = MEETING_INTENTS | {
    "talk_to_sales",
    "request_info",
    "inform",
    "human_handoff",
}


def asked_for_meeting(tracker: Tracker) -> bool:
    """Whether they asked for a demo or a meeting in this conversation, in words that say
    so (or with the button), or put a question off to the meeting they expect."""
    for event in tracker.events:
        if event.get("event") != "user":
            continue
        name = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
        text = str(event.get("text") or "")
        if name in MEETING_INTENTS and (text.startswith("/") or has_cue(str(name), text)):
            return True
        if name in _MAY_ASK_FOR_MEETING and asks_for_meeting(text):
            return True  # "kindly arrange a demo call with your sales team"
        if defers(text):
            return True  # "can we cover it on the call?"
    return False


def engagement_in(tracker: Tracker) -> set[str]:
    """The rubric's engagement events this conversation shows: a pricing question, a demo
    asked for. Only a message whose words ask counts (or the button): a form answer such as
    the company "Small Team Co" or the timeline "in a few months" may be classified
    ask_pricing, and it asks nothing."""
    shown = set()
    for event in tracker.events:
        if event.get("event") != "user":
            continue
        name = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
        text = str(event.get("text") or "")
        if name in ENGAGEMENT_OF and (text.startswith("/") or reads_like(str(name), text)):
            shown.add(ENGAGEMENT_OF[name])
    return shown


def asked_for_person(tracker: Tracker) -> bool:
    """Whether they asked for a person (or sales) since the last handoff.

    Only a message whose words ask for one counts: a form answer such as the role
    "operations lead" may be classified talk_to_sales, and it asks for nobody.
    """
    for event in reversed(tracker.events):
        if event.get("event") == "action" and event.get("name") == "action_human_handoff":
            return False
        if event.get("event") == "user":
            name = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
            text = str(event.get("text") or "")
            # Its own words, not only a question's shape: "could you clarify what you need
            # from me?" taken for a handoff asks for nobody.
            if (
                name in PERSON_INTENTS
                and (text.startswith("/") or has_cue(str(name), text))
                # "I'd rather talk that over with your person": a question put off to them
                and not defers(text)
            ):
                return True
    return False


# A deferral of every question, not only the one asked.
_ALL_OF_IT = re.compile(
    r"\b(?:all (?:of )?(?:that|this|these|those|them|the rest)|all that stuff|the rest|everything|"
    r"these questions|those questions|any of (?:that|this|these|those)|them all)\b",
    re.IGNORECASE,
)


class QualificationBacked(StoreBacked):
    """Shared reads: the configured questions and what the store already knows."""

    @property
    def config(self) -> QualificationConfig:
        return load_qualification_config(self.settings.qualification_file)

    async def known_answers(self, tracker: Tracker) -> dict[str, str]:
        """Answers from this conversation, then from earlier ones in the store."""
        known = qualification_values(tracker)
        contact_id = contact_slot(tracker)
        if not contact_id:
            return known
        try:
            stored = await self.call_store(self.store.leads.qualification, contact_id)
        except (StoreUnavailable, LookupError) as error:
            logger.warning("could not read stored qualification: %s", error)
            return known
        return {**stored, **known}

    async def save_answers(self, tracker: Tracker, answers: dict[str, str]) -> bool:
        contact_id = contact_slot(tracker)
        if not answers or not contact_id:
            return bool(answers)
        try:
            await self.call_store(
                self.store.leads.record_qualification,
                contact_id,
                answers,
                channel=channel_of(tracker),
                conversation_id=conversation_id(tracker),
                custom=self.config.custom_choices,
            )
        except (StoreUnavailable, ParleyError, LookupError) as error:
            logger.error("could not save qualification %s: %s", sorted(answers), error)
            return False
        return True


class ActionStartQualification(QualificationBacked, Action):
    """Ask what is still unknown, or route straight away when nothing is."""

    def name(self) -> str:
        return "action_start_qualification"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        wants_person = wants_a_person(tracker)
        if wants_person and said_in_session(tracker, INSISTED):
            # Asked again for a person while giving details: no more questions.
            return [FollowupAction("action_human_handoff")]
        known = await self.known_answers(tracker)
        events = answer_events(known, tracker)
        config = self.config
        first = config.next_question(known, set(list_slot(tracker, SKIPPED)))
        if first is None:
            return [*events, FollowupAction("action_route_lead")]
        # A person is coming either way; the answers let them prepare.
        intro = "utter_qualify_intro_handoff" if wants_person else "utter_qualify_intro"
        dispatcher.utter_message(response=intro)
        return [
            *events,
            SlotSet(READ_UNTIL, tracker.latest_message.get("message_id")),
            SlotSet(ATTEMPTS, 0),
            *asking(config, first),
            FollowupAction("qualify_form"),
        ]


def question_put_to_the_person(tracker: Tracker) -> str | None:
    """The qualifying question just asked, when the latest message puts it off to the person
    who follows up ("I'd rather talk that over with your person", taken for a request for
    a person): that one question is left for them, and the others go on."""
    text = str(tracker.latest_message.get("text") or "")
    if not defers(text):
        return None
    seen_user = False
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            if seen_user:
                return None
            seen_user = True
        elif seen_user and event.get("event") == "bot":
            asked = response_of(event)
            return next((f for f, slot in SLOT_OF.items() if asked.endswith(f"_ask_{slot}")), None)
    return None


async def resume_after_deferral(
    dispatcher: CollectingDispatcher, tracker: Tracker, backed: QualificationBacked, field: str
) -> list[EventType]:
    """The question put off set aside ("No problem."), the next one asked."""
    skipped = {*list_slot(tracker, SKIPPED), field}
    dispatcher.utter_message(response="utter_qualify_skipped")
    config = backed.config
    following = config.next_question(await backed.known_answers(tracker), skipped)
    events: list[EventType] = [SlotSet(SKIPPED, sorted(skipped))]
    if following is None:
        return [*events, FollowupAction("action_route_lead")]
    return [
        *events,
        SlotSet(READ_UNTIL, tracker.latest_message.get("message_id")),
        SlotSet(ATTEMPTS, 0),
        *asking(config, following),
        FollowupAction("qualify_form"),
    ]


class ValidateQualifyForm(QualificationBacked, Action):
    """Read each answer (buttons or free text); questions and small talk pass through."""

    def name(self) -> str:
        return "validate_qualify_form"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        events = await self._validate(dispatcher, tracker)
        if (
            events  # none: a rule answers the message, and the same question follows
            and tracker.get_slot(QUAL_FOLLOW_UP)
            and not any(
                e.get("event") == "slot" and e.get("name") == QUAL_FOLLOW_UP for e in events
            )
        ):
            # The follow-up wording is for the question after the answer it narrows.
            events.append(SlotSet(QUAL_FOLLOW_UP, None))
        return events

    async def _validate(
        self, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> list[EventType]:
        turn = Turn.from_tracker(tracker)
        config = self.config
        requested = requested_field(tracker)
        known = await self.known_answers(tracker)
        skipped = set(list_slot(tracker, SKIPPED))
        already_read = turn.message_id is not None and turn.message_id == tracker.get_slot(
            READ_UNTIL
        )
        if requested is None or already_read or bot_acted_since_user_spoke(tracker):
            # Just started (the message was the consent answer) or back after a rule
            # answered a question: ask, without reading that message as an answer.
            return asking(config, requested or config.next_question(known, skipped))
        if await awaiting_code(self, tracker):
            return []  # a code sent from here: action_verify_code checks it
        if requested not in config.choices:
            # A custom question removed by a publish while it was being asked: set aside.
            skipped.add(requested)
            next_field = config.next_question(known, skipped)
            return [SlotSet(SKIPPED, sorted(skipped)), *asking(config, next_field)]
        custom = config.custom(requested)
        if custom is not None:
            reading = read_custom_answer(custom, turn.text, turn.intent)
            answer = Answer(reading.option, declined=reading.declined)
        else:
            country = (
                await self._phone_country(tracker) if requested in ("budget", "timeline") else None
            )
            answer = read_answer(requested, turn.text, turn.intent, country)
        corrects = bool(_CORRECTS_AN_ANSWER.search(turn.text))
        answers = {
            k: v
            for k, v in read_volunteered_details(turn.text, requested=requested).items()
            if k not in known or (corrects and known[k] != v)
        }
        if answer.value is not None:
            answers[requested] = answer.value
        if only_asks_topics(turn.text):
            # "Is there a contract for one year or can I stop every month?" asks about
            # Parley (answered below); the year it names is no timeline.
            answers, answer = {}, Answer(None)
        if checks_the_question(turn.text, requested):
            # "Do you mean do I have the final say?" holds "I have the final say" but asks
            # what the question means: explained below, not read as the answer.
            answers, answer = {}, Answer(None)
        deferred = not answers and defers(turn.text)
        if deferred and not _ALL_OF_IT.search(turn.text):
            # "Discuss in demo lah": this question is left for the call; the next is asked,
            # as people who put one off often answer another.
            answer = Answer(None, declined=True)
        elif deferred:
            # "We can go through all of that on the call": the rest too, for the person
            # they will meet.
            dispatcher.utter_message(response="utter_qualify_for_the_call")
            while (left := config.next_question(known, skipped)) is not None:
                skipped.add(left)
            return [
                SlotSet(SKIPPED, sorted(skipped)),
                SlotSet(READ_UNTIL, turn.message_id),
                SlotSet(ATTEMPTS, 0),
                *asking(config, None),
            ]
        if not answers and asked_again_what_is_meant(tracker, turn.text):
            # Explained once and still unclear: set aside, not explained again word for word.
            answer = Answer(None, declined=True)
        interrupted = interrupts_form(turn.text, turn.intent, turn.confidence, QUALIFY_INTERRUPTS)
        if interrupted and answer.follow_up and not is_question(turn.text):
            # "The partners decide, and they'll want to see it working first, which is the
            # point of the demonstration": an answer to follow up, with the demo in passing.
            interrupted = False
        if (
            not answers
            and not interrupted
            and not deferred
            and answer_in_place_of_answer(dispatcher, tracker, self.settings)
        ):
            # "How much is it per seat?", "after this bit is someone going to call me": one
            # of Parley's own topics the classifier took for an answer, answered before the
            # question is asked again (not explained, as if it asked what the question means).
            return [SlotSet(READ_UNTIL, turn.message_id), *asking(config, requested)]
        if (
            not answers
            # "I am not sure what you mean" is no "not sure" about the answer
            and (not answer.declined or asks_to_rephrase(turn.text))
            and (explained := explain_the_question(dispatcher, tracker, turn.text)) is not None
        ):
            # "Do you mean our office or the whole group?": what the question means, then
            # the question again, not counted as an answer that failed.
            return [*explained, SlotSet(READ_UNTIL, turn.message_id), *asking(config, requested)]
        if (
            not answers
            and not interrupted
            and not deferred
            and (common := knowledge_answer(tracker, self.settings, in_place_of_answer=True))
        ):
            # A common question the classifier took for an answer: answered, then asked again.
            dispatcher.utter_message(text=common)
            return []
        if (
            not answers
            and not answer.declined
            and (interrupted or self._corrects(turn))
            and not said_again(tracker)
        ):
            # A question or a request: the rules answer, then we ask again. A correction
            # to a lead detail leaves the questions for the summary (data/rules.yml). Said
            # again after that answer, it is a try at this question that was not
            # understood: counted, so that the question is set aside, not asked forever.
            return []
        events = answer_events(answers, tracker)
        if custom is not None and requested in answers:
            events.append(SlotSet(CUSTOM_SLOT, answers[requested]))
        events.append(SlotSet(READ_UNTIL, turn.message_id))
        if answers:
            await self.save_answers(tracker, answers)
            # "About 40 of us. And do you charge per seat?": the answer is taken, and the
            # question asked with it answered before the next one.
            answer_other_questions(dispatcher, tracker, self.settings, "")
        known |= answers
        if requested not in answers:
            attempts = int(tracker.get_slot(ATTEMPTS) or 0) + 1
            if answer.follow_up and attempts == 1:
                # "No" to "will you be the one deciding?": which of the other two, asked
                # once with buttons rather than guessed.
                if answer.follow_up in FOLLOW_UPS:
                    dispatcher.utter_message(response=FOLLOW_UPS[answer.follow_up])
                else:
                    events.append(SlotSet(QUAL_FOLLOW_UP, answer.follow_up))
                events.append(SlotSet(ATTEMPTS, attempts))
                return [*events, *asking(config, requested)]
            if answer.declined or answer.follow_up or attempts >= GIVE_UP_AFTER:
                dispatcher.utter_message(response="utter_qualify_skipped")
                skipped.add(requested)
                events.append(SlotSet(SKIPPED, sorted(skipped)))
            else:
                dispatcher.utter_message(response="utter_qualify_not_understood")
                events.append(SlotSet(ATTEMPTS, attempts))
                return [*events, *asking(config, requested)]
        events.append(SlotSet(ATTEMPTS, 0))
        return [*events, *asking(config, config.next_question(known, skipped))]

    async def _phone_country(self, tracker: Tracker) -> str | None:
        """The country of the person's phone number, else of their email address: which
        pesos or dollars they mean, and which summer."""
        values = lead_values(tracker)
        phone, email = values.get("phone"), values.get("email")
        contact_id = contact_slot(tracker)
        if (phone is None or email is None) and contact_id:
            try:
                contact = await self.call_store(self.store.contacts.get, contact_id)
                phone, email = phone or contact.phone, email or contact.email
            except (StoreUnavailable, LookupError) as error:
                logger.warning("could not read the contact's phone: %s", error)
        return country_of(phone) or country_of_email(email)

    def _corrects(self, turn: Turn) -> bool:
        """ "The company should be Globex", "my email is ...": a lead detail, not an answer."""
        if turn.intent == "correct_detail":
            # "Me. My name's over the door." is no correction: one is read only when it
            # names a detail and gives no value, or one the lead form would take.
            correction = read_correction(turn.text, at_summary=True)
            return correction is not None and (
                correction.value is None
                or correction.field
                in read_message(
                    correction.value,
                    region=self.settings.default_region,
                    requested=correction.field,
                ).values
            )
        return turn.intent == "inform" and states_lead_details(
            turn.text, self.settings.default_region
        )


class ActionRouteLead(QualificationBacked, Action):
    """Score the lead and route it by the first routing rule that applies (routing.yml,
    bot/routing.py); the shipped rules send A to a person (outside office hours, a handoff
    answered when the team is back, or a meeting), B to nurture, C and D to a close.

    Whoever asked for a person gets one before any rule is read: no edit can strand
    someone who asked for a human."""

    def __init__(
        self,
        store: ProfileStore | None = None,
        settings: Settings | None = None,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        super().__init__(store, settings)
        self._clock = clock or (lambda: datetime.now(timezone.utc))

    def name(self) -> str:
        return "action_route_lead"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        name = lead_values(tracker).get("name", "there")
        contact_id = contact_slot(tracker)
        if contact_id:
            await self._record_engagement(tracker, contact_id)
        grade = await self._grade(contact_id) if contact_id else None
        events: list[EventType] = [SlotSet(DONE, True), SlotSet(GRADE, grade)]
        if wants_a_person(tracker):
            return [*events, FollowupAction("action_human_handoff")]
        rules = current_rules(self.settings)
        now = await self._situation(tracker, contact_id, grade, rules)
        # A validated list ends with a rule for everyone; the default's is the safety net.
        rule = routing.choose(rules, now) or routing.default_rules()[-1]
        await self._record(contact_id, "routed", tracker, rule=rule.name, grade=grade)
        steps = RouteSteps(self, dispatcher, tracker, name, self._clock())
        return [*events, *await steps.carry_out(rule)]

    async def _situation(
        self,
        tracker: Tracker,
        contact_id: ContactId | None,
        grade: str | None,
        rules: Sequence[routing.Rule],
    ) -> routing.Situation:
        channel = channel_of(tracker)
        now = self._clock()
        _, hours = self.settings.office_hours.team_for(channel)
        purposes = {p for r in rules for p in r.when.consent}
        answers: dict[str, str] = {str(k): v for k, v in lead_values(tracker).items()}
        named = {a.field for r in rules for a in r.when.answers}
        if named:
            answers |= await self.known_answers(tracker)
        if contact_id and named - set(routing.BUILT_IN_ANSWERS) - set(answers):
            answers = {**await self._lead_field_values(contact_id), **answers}
        return routing.Situation(
            grade=grade,
            channel=channel,
            answers=answers,
            team_open=reply_due(self.settings, channel, now) is None,
            local_time=now.astimezone(hours.zone).time(),
            consent=await self._consent(contact_id, purposes),
            asked_for_meeting=asked_for_meeting(tracker),
            asked_again=asked_by_routing(tracker),
        )

    async def _lead_field_values(self, contact_id: ContactId) -> dict[str, str]:
        """The marketers' own lead fields stored for the contact, for conditions on them."""
        try:
            return await self.call_store(self.store.leads.custom_fields, contact_id)
        except (StoreUnavailable, LookupError) as error:
            logger.error("could not read lead fields for routing: %s", error)
            return {}

    async def _consent(self, contact_id: ContactId | None, purposes: set[str]) -> dict[str, bool]:
        """Consent in force for the purposes the rules ask about; unknown counts as not."""
        if not contact_id or not purposes:
            return {}
        try:
            state = await self.call_store(self.store.consent.state, contact_id)
        except (StoreUnavailable, LookupError) as error:
            logger.error("could not read consent for routing: %s", error)
            return {}
        found = {str(p): event for p, event in state.items()}
        # A grant still waiting for its confirmation sends nothing yet (double opt-in).
        return {p: p in found and found[p].granted and not found[p].pending for p in purposes}

    async def _grade(self, contact_id: ContactId) -> str | None:
        try:
            result = await self.call_store(
                score_contact,
                self.store,
                contact_id,
                rubric=load_content_rubric(
                    self.settings.scoring_file, self.settings.qualification_file
                ),
                now=datetime.now(timezone.utc),
                model_dir=self.settings.data_dir / "models",
            )
        except (StoreUnavailable, ParleyError, LookupError) as error:
            logger.error("could not score contact %s: %s", contact_id, error)
            return None
        return str(result.grade)

    async def _record_engagement(self, tracker: Tracker, contact_id: ContactId) -> None:
        """Pricing questions and demo requests in this conversation, once each."""
        asked = engagement_in(tracker)
        if not asked:
            return
        conversation = conversation_id(tracker)
        try:
            timeline = await self.call_store(self.store.contacts.timeline, contact_id)
        except StoreUnavailable as error:
            logger.error("could not read the timeline: %s", error)
            return
        recorded = {e.kind for e in timeline if e.data.get("conversation_id") == conversation}
        for kind in sorted(asked - recorded):
            await self._record(contact_id, kind, tracker)

    async def _record(
        self, contact_id: ContactId | None, kind: str, tracker: Tracker, **more: Any
    ) -> None:
        if not contact_id:
            return
        data: dict[str, Any] = {"conversation_id": conversation_id(tracker), **more}
        try:
            await self.call_store(self.store.contacts.record_event, contact_id, kind, data)
        except StoreUnavailable as error:
            logger.error("could not record %s: %s", kind, error)
