"""The answer to whichever yes/no question is open, in whatever words it comes (#18).

The bot asks yes/no questions in five places: the summary ("Is that right?"), each
consent question, the erasure confirmation, and the offers after qualifying (talk to
someone now or book a time; book a meeting). The action asking one sets three slots:
`yes_no_pending` (a featurized flag the rules in data/rules.yml condition on, so that any
answer, whatever intent it got, comes here), `yes_no_question` (which one) and
`yes_no_unclear` (unclear answers so far).

`action_yes_no_answer` reads the answer (bot/yes_no.py first, the classifier's affirm or
deny when the words alone say nothing) and hands a clear one to the action that carries
it out. An unclear answer gets one clarifying question with Yes/No buttons, worded
differently from the question; after a second one the conversation moves on safely: no
consent, an erasure request passed to the privacy team, the summary left unconfirmed.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.answers import TOPIC_RESPONSES, say_topic
from actions.consent import ActionResubscribe
from actions.deps import StoreBacked, conversation_id, previous_user_text
from actions.open_question import (
    ACTION_NAME,
    CONSENT_ANSWERED,
    CONSENT_PURPOSE,
    PENDING,
    QUESTION,
    UNCLEAR,
    answer_of,
    asked_already,
    asked_this_session,
    consent_answers,
    previous_action,
    settled,
)
from actions.slots import lead_values, list_slot
from bot import privacy
from bot.consent import purposes_mentioned
from bot.errors import StoreUnavailable
from bot.interruptions import has_cue, is_question, states_opt_out
from bot.leads import states_lead_details
from bot.meeting_choice import asks_for_meeting
from bot.question_topics import asked_topics
from bot.repair import asks_to_hear_it_again, asks_to_rephrase
from bot.types import PURPOSES
from bot.yes_no import read_correction, read_yes_no, respelt_detail

logger = logging.getLogger(__name__)

PLURAL: dict[str, str] = {
    "email": "emails", "sms": "text messages", "whatsapp": "WhatsApp messages",
    "telegram": "Telegram messages", "phone": "phone calls", "profiling": "lead scoring",
}  # fmt: skip
# "talk to someone now or book a time?": which one the words pick.
_BOOK = re.compile(
    r"\b(?:book|booking|meeting|meet|schedule|appointment|calendar|diary|slot|time|later|"
    r"second|2nd|latter|tomorrow|week|monday|tuesday|wednesday|thursday|friday|morning|"
    r"afternoon|evening)\b",
    re.I,
)
# Putting the offer off, not taking it: "maybe later", "I'll check with my VP first".
_DEFERS = re.compile(
    r"\b(?:maybe later|later maybe|perhaps later|not (?:yet|now|right now|today|at the moment)|"
    r"let me (?:think|check|talk|ask|get back)|i'?ll (?:check|think|get back|come back|let you know|"
    r"talk|ask|see)|i will (?:check|think|get back|come back|let you know|talk|ask|see)|"
    r"need to (?:check|think|talk|ask)|(?:check|talk|speak) (?:with|to) (?:my|the|our) \w+ first)\b",
    re.I,
)
_SEND_INSTEAD = re.compile(
    r"\b(?:send|e-?mail|mail)\s+(?:me|us)\b|\b(?:by|via|on|over|through) e-?mail\b|"
    r"\be-?mail (?:only|is (?:fine|better|enough|best))\b|\bjust (?:the )?(?:info|information|"
    r"details|brochure)\b",
    re.I,
)
_THE_INVITE = re.compile(r"\b(?:invite|invitation|calendar|link|zoom|teams)\b", re.I)
_TALK = re.compile(
    r"\b(?:talk|speak|chat|call|ring|someone|somebody|person|human|agent|rep|now|first|1st|"
    r"former)\b",
    re.I,
)


class ActionYesNoAnswer(StoreBacked, Action):
    """Carry out a clear answer; ask once when it is unclear; then move on safely."""

    def name(self) -> str:
        return ACTION_NAME

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        question = tracker.get_slot(QUESTION)
        message = tracker.latest_message
        intent = str((message.get("intent") or {}).get("name") or "")
        text = str(message.get("text") or "")
        if (
            question == "erasure"
            and tracker.get_slot(PENDING)
            and is_question(text)
            and intent not in ("affirm", "deny", "request_erasure")
        ):
            # "Before I say yes: will that also take me off your mailing lists?" is a
            # question about the erasure, not a withdrawal or an answer: answered, then
            # the same yes/no is open again, in other words.
            dispatcher.utter_message(response="utter_erasure_explained")
            return [FollowupAction("action_listen")]
        if intent == "opt_out" and not _refuses_only_the_asked(tracker, question, text):
            # STOP, or a withdrawal beyond the question asked: honoured as a withdrawal.
            return [*settled(), FollowupAction("action_withdraw_consent")]
        if intent == "opt_in" and question != "consent":
            resubscribe = ActionResubscribe(self._store, self._settings)
            events = await resubscribe.run(dispatcher, tracker, domain)
            return [*settled(), *events, FollowupAction("action_listen")]
        if intent == "request_erasure" and question != "erasure":
            return [FollowupAction("action_ask_erasure")]
        if question == "close":
            return self._close(dispatcher, tracker)
        if not tracker.get_slot(PENDING) or question is None:
            dispatcher.utter_message(response="utter_anything_else")
            return [*settled(), FollowupAction("action_listen")]
        if not asked_this_session(tracker):
            # Slots outlive sessions: a question from an earlier visit is no longer open.
            dispatcher.utter_message(response="utter_greet")
            return [*settled(), FollowupAction("action_listen")]
        if asks_to_rephrase(text) and not asks_to_rephrase(previous_user_text(tracker)):
            # "Could you put that differently?": the question in its other words, and not
            # counted as an unclear answer. Asked again right after, it counts, so that the
            # conversation moves on.
            if question == "summary" and tracker.get_slot(UNCLEAR):
                # Its other words were said already: the details read out again instead.
                return [FollowupAction("action_submit_lead")]
            return self._rephrase(dispatcher, tracker, str(question))
        if question == "summary":
            return self._summary(dispatcher, tracker)
        if question == "consent":
            return self._consent(dispatcher, tracker)
        if question == "erasure":
            return await self._erasure(dispatcher, tracker)
        return self._offer(dispatcher, tracker, meeting_only=question == "meeting")

    @staticmethod
    def _rephrase(
        dispatcher: CollectingDispatcher, tracker: Tracker, question: str
    ) -> list[EventType]:
        if question == "consent":
            purpose = str(tracker.get_slot(CONSENT_PURPOSE))
            what = PLURAL.get(purpose, purpose)
            dispatcher.utter_message(response="utter_clarify_consent", what=what)
        else:
            dispatcher.utter_message(response=_REPHRASED.get(question, "utter_clarify_offer"))
        return [FollowupAction("action_listen")]

    # -------------------------------------------------------------------- summary

    def _summary(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        answer = answer_of(tracker)
        if _leaving(tracker):
            # "never mind": the details stay as given, and nothing more is asked.
            dispatcher.utter_message(response="utter_summary_unconfirmed")
            return [*settled(), FollowupAction("action_listen")]
        if answer == "yes":
            return [*settled(), FollowupAction("action_confirm_lead")]
        text = str(tracker.latest_message.get("text") or "")
        if (
            answer not in ("yes", "no")
            and asks_to_hear_it_again(text)
            and _READ_AGAIN.search(text)
            and not asks_to_hear_it_again(previous_user_text(tracker))
        ):
            # "sorry, can you repeat?": the details read out again, not an unclear answer.
            return [FollowupAction("action_submit_lead")]
        if answer == "no" and previous_action(tracker) != "action_correct_detail":
            return [FollowupAction("action_correct_detail")]
        if (
            read_correction(text, at_summary=True) is not None
            or respelt_detail(text, lead_values(tracker)) is not None
        ):
            # "We're an A/S. The company is Nordlys Bikes A/S.", "it's Nascimento, com S
            # e C": a new value, no "no".
            return [FollowupAction("action_correct_detail")]
        if answer == "no" or asked_already(tracker):
            # Asked what to change and still no change: leave the details as they are.
            dispatcher.utter_message(response="utter_summary_unconfirmed")
            return [*settled(), FollowupAction("action_ask_consent")]
        dispatcher.utter_message(response="utter_clarify_summary")
        return _clarified()

    # -------------------------------------------------------------------- consent

    def _consent(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        purpose = tracker.get_slot(CONSENT_PURPOSE)
        if purpose not in PURPOSES:
            return [*settled(), FollowupAction("action_ask_consent")]
        answers = consent_answers(tracker, purpose)
        if purpose in answers:
            # action_record_consent reads the same answers and records them.
            return [*settled(), FollowupAction("action_record_consent")]
        text = str(tracker.latest_message.get("text") or "")
        if not answers and states_lead_details(text, self.settings.default_region):
            # "my email's actually dana@acme.io": a detail, not an answer; the form takes
            # it, and the consent question comes again after the summary.
            return [*settled(), FollowupAction("lead_form")]
        refused = [p for p, granted in answers.items() if not granted]
        answered = sorted({*list_slot(tracker, CONSENT_ANSWERED), *refused})
        what = PLURAL.get(str(purpose), str(purpose))
        if asked_already(tracker):
            dispatcher.utter_message(response="utter_consent_left", what=what)
            return [
                *settled(),
                SlotSet(CONSENT_ANSWERED, sorted({*answered, purpose})),
                SlotSet(CONSENT_PURPOSE, None),
                FollowupAction("action_ask_consent"),
            ]
        if read_yes_no(text).question:
            asked = [t for t in asked_topics(text) if t in TOPIC_RESPONSES]
            if asked:
                # "who actually sees this info? It isn't sold to anyone, is it?": that
                # answer first, then the question again.
                say_topic(dispatcher, tracker, self.settings, asked[0])
            dispatcher.utter_message(response="utter_clarify_consent_question", what=what)
        else:
            dispatcher.utter_message(response="utter_clarify_consent", what=what)
        return [SlotSet(CONSENT_ANSWERED, answered), *_clarified()]

    # -------------------------------------------------------------------- erasure

    async def _erasure(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        answer = answer_of(tracker)
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        text = str(tracker.latest_message.get("text") or "")
        if answer is None and _WANTS_IT_GONE.search(text) and not _NOT.search(text):
            answer = "yes"  # "i just want it all gone please"
        if answer == "yes" or (intent == "request_erasure" and answer is None):
            return [*settled(), FollowupAction("action_erase_me")]
        if answer == "no":
            dispatcher.utter_message(response="utter_erasure_kept")
            return [*settled(), FollowupAction("action_listen")]
        if not asked_already(tracker):
            dispatcher.utter_message(response="utter_clarify_erasure")
            return _clarified()
        await self._refer_erasure(dispatcher, tracker)
        return [*settled(), FollowupAction("action_listen")]

    async def _refer_erasure(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
        """An erasure request the bot could not confirm goes to the privacy team, on record."""
        privacy_contact = self.settings.privacy_contact
        try:
            contact = await self.conversation_contact(tracker)
            if contact is not None:
                data: dict[str, Any] = {
                    "conversation_id": conversation_id(tracker),
                    "reason": "the answer to the erasure question was unclear",
                    "referred_to": privacy_contact,
                }
                await self.call_store(
                    self.store.contacts.record_event, contact.id, "erasure_referred", data
                )
                await self.call_store(
                    self.store.privacy.record_audit,
                    privacy.self_service_actor(contact.id),
                    "erasure_referred",
                    contact.id,
                    {"reason": "unclear_answer"},
                )
        except StoreUnavailable as error:
            logger.error("could not record an erasure referral: %s", error)
            dispatcher.utter_message(response="utter_privacy_failed")
            return
        response = "utter_erasure_referred" if contact is not None else "utter_erasure_no_data"
        dispatcher.utter_message(response=response, privacy_contact=privacy_contact)

    # -------------------------------------------------------------------- offers

    def _offer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, *, meeting_only: bool
    ) -> list[EventType]:
        answer = answer_of(tracker)
        text = str(tracker.latest_message.get("text") or "")
        book, talk = bool(_BOOK.search(text)), bool(_TALK.search(text))
        # "Please send me details on email only": something else instead of the meeting.
        instead = (
            meeting_only
            and not book
            and bool(_SEND_INSTEAD.search(text))
            and not _THE_INVITE.search(text)  # "yes, email me the invite"
        )
        # "Not right now, could we set something up for later?" asks for the meeting.
        if (
            answer == "no"
            or instead
            or (answer is None and _DEFERS.search(text) and not asks_for_meeting(text))
        ):
            # "Maybe later, I'll check with my VP first" puts it off: nothing is booked.
            dispatcher.utter_message(response="utter_route_declined")
            return [*settled(), FollowupAction("action_listen")]
        if meeting_only and talk and not book:
            # Offered a meeting, asked for a person now: a person it is.
            return [*settled(), FollowupAction("action_human_handoff")]
        if meeting_only and (answer == "yes" or book):
            return [*settled(), FollowupAction("action_start_booking")]
        if book != talk and not text.startswith("/"):
            chosen = "action_start_booking" if book else "action_human_handoff"
            return [*settled(), FollowupAction(chosen)]
        if asked_already(tracker):
            dispatcher.utter_message(response="utter_route_declined")
            return [*settled(), FollowupAction("action_listen")]
        if meeting_only:
            dispatcher.utter_message(response="utter_clarify_meeting")
        elif answer == "yes":
            dispatcher.utter_message(response="utter_offer_which")
        else:
            dispatcher.utter_message(response="utter_clarify_offer")
        return _clarified()

    @staticmethod
    def _close(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        """ "Anything else I can help with?" after a lead that needs no offer."""
        answer = answer_of(tracker)
        text = str(tracker.latest_message.get("text") or "")
        if answer != "no" and _THANKS.search(text) and not _WANTS_MORE.search(text):
            # "ok thanks", "grand, thanks very much": nothing else, said kindly.
            dispatcher.utter_message(response="utter_you_are_welcome_closing")
        elif answer == "yes":
            dispatcher.utter_message(response="utter_greet")
        elif answer == "no":
            dispatcher.utter_message(response="utter_route_declined")
        else:
            dispatcher.utter_message(response="utter_anything_else")
        return [*settled(), FollowupAction("action_listen")]


_THANKS = re.compile(r"\b(?:thanks|thank you|thank u|thx|ta|cheers|much appreciated)\b", re.I)
# "yes please, one more thing", "thanks, and what about ...": more to come.
_WANTS_MORE = re.compile(
    r"\?|\b(?:yes|yeah|yep|yup|please|pls|actually|one more|another|also|what|how|can|could)\b",
    re.I,
)


# Asked "delete everything?", the wish said in its own words.
_WANTS_IT_GONE = re.compile(
    r"\b(?:want|need|like|have)\s+(?:it|them|everything|it all|all (?:of )?(?:it|that|this)|"
    r"my (?:data|details|info\w*|stuff))\s+(?:all\s+)?(?:gone|deleted|erased|removed|wiped)\b|"
    r"\bget rid of (?:it|them|everything|all)\b|\b(?:delete|erase|remove|wipe) (?:it|them|everything|all)\b",
    re.I,
)


_NOT = re.compile(r"\b(?:don'?t|do not|not|never|no need|rather not)\b", re.I)


def _leaving(tracker: Tracker) -> bool:
    message = tracker.latest_message
    intent = (message.get("intent") or {}).get("name")
    return intent == "cancel" and has_cue("cancel", str(message.get("text") or ""))


# Each open question in other words than it was asked (the consent one needs its purpose).
# Asked in words to hear it again ("hmm" and "what?" are no such request here).
_READ_AGAIN = re.compile(
    r"\b(?:repeat|again|pardon|read (?:it|them|that|those) (?:back|out))\b", re.I
)
_REPHRASED = {
    "summary": "utter_clarify_summary",
    "erasure": "utter_clarify_erasure",
    "offer": "utter_clarify_offer",
    "meeting": "utter_clarify_meeting",
}


def _clarified() -> list[EventType]:
    return [SlotSet(UNCLEAR, 1), FollowupAction("action_listen")]


_WITHDRAWS_ALL = re.compile(
    r"\b(?:stop all|all (?:messages|marketing|contact)|every ?thing|unsubscribe|"
    r"leave me alone|remove me|take me off)\b",
    re.I,
)


def _refuses_only_the_asked(tracker: Tracker, question: object, text: str) -> bool:
    """ "Please don't email me" said to the email question is a no to it, not a withdrawal."""
    metadata = tracker.latest_message.get("metadata") or {}
    asked = tracker.get_slot(CONSENT_PURPOSE)
    if question != "consent" or metadata.get("parley_keyword_kind") or _WITHDRAWS_ALL.search(text):
        return False
    purposes = read_yes_no(text).purposes
    if purposes.get(asked) is True:
        return True  # "emails are fine but no texts": an answer, partly a yes
    # "sms no, I prefer whatsapp": only the channel asked about is refused.
    refused = {p for p, granted in purposes.items() if not granted}
    if refused:
        return refused == {asked}
    return purposes_mentioned(text) == {asked} and states_opt_out(text)
