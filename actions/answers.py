"""Answers to the questions people ask along the way, wherever they ask them.

A question is answered in a few honest sentences, and the conversation then goes on
where it was: a form asks its question again (the rules in data/rules.yml run the form
after the answer), the summary and the consent question are asked again, and at the start
the answer carries the buttons of what the bot can do. Once the lead is complete, the
answers say what happens next and never start the lead form again.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, Literal

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.deps import StoreBacked, channel_of
from actions.knowledge import knowledge_answer, list_answers
from actions.open_question import PENDING, consent_question_set_aside
from actions.slots import LEAD_CAPTURED, REQUESTED_SLOT, lead_values
from bot.interruptions import has_cue, is_question
from bot.question_topics import asked_topics, question_sentences
from bot.settings import Settings
from bot.yes_no import read_yes_no

# Intents that are questions (or a request for product information), never an answer to a
# form's question: the lead form's INTERRUPT_INTENTS must hold them for the rules to answer.
QUESTION_INTENTS = frozenset(
    {"ask_integrations", "ask_data_use", "ask_why_needed", "ask_next_steps", "request_info"}
)

Stage = Literal[
    "start", "lead_form", "captured", "qualifying", "booking", "done", "booked", "handoff"
]
FINISHED_STAGES = frozenset({"done", "booked", "handoff"})

# What the bot can do, offered with an answer given before anything else started.
START_BUTTONS: list[dict[str, str]] = [
    {"title": "Book a demo", "payload": "/request_demo"},
    {"title": "Pricing", "payload": "/ask_pricing"},
    {"title": "Talk to sales", "payload": "/talk_to_sales"},
]
# The offers that end a lead (actions/qualify.py): a question after one keeps its buttons.
OFFERS = frozenset({"utter_route_hot", "utter_route_warm", "utter_route_booking"})
# On these channels the team answers in the same conversation.
REPLY_IN_PLACE = frozenset({"sms", "whatsapp", "voice", "telegram"})


def session_events(tracker: Tracker) -> list[dict[str, Any]]:
    """The events of the current session (Rasa keeps earlier sessions in the tracker)."""
    events = list(tracker.events)
    starts = [i for i, e in enumerate(events) if e.get("event") == "session_started"]
    return events[starts[-1] + 1 :] if starts else events


# Rasa's metadata key naming the response of a bot message. Spelled in two parts because
# tests/unit/test_contract.py reads every quoted "utter_..." in actions/ as a response name.
RESPONSE_KEY = "_".join(("utter", "action"))


def response_of(event: dict[str, Any]) -> str:
    """The response a bot message event came from ("" if none, e.g. a custom message)."""
    name = (event.get("metadata") or {}).get(RESPONSE_KEY)
    return str(name) if name else ""


def bot_responses(events: list[dict[str, Any]]) -> Iterator[tuple[str, dict[str, Any]]]:
    """(response name, event) of each bot message, latest first."""
    for event in reversed(events):
        if event.get("event") == "bot":
            yield response_of(event), event


def said_in_session(tracker: Tracker, response: str) -> bool:
    return any(name == response for name, _ in bot_responses(session_events(tracker)))


def bot_events_since(
    events: list[dict[str, Any]], turns: int, *, this_turn: bool = True
) -> list[dict[str, Any]]:
    """The bot's messages since the person's `turns`-th latest message, latest first;
    without `this_turn`, not those since the latest one (the answers to earlier messages
    only)."""
    users = 0
    found: list[dict[str, Any]] = []
    for event in reversed(events):
        kind = event.get("event")
        if kind == "user":
            users += 1
            if users > turns:
                break
        elif kind == "bot" and (this_turn or users >= 1):
            found.append(event)
    return found


def said_lately(tracker: Tracker, response: str, turns: int = 4) -> bool:
    """Whether `response` answered one of the person's last `turns` messages."""
    return any(response_of(e) == response for e in bot_events_since(session_events(tracker), turns))


def said_this_turn(tracker: Tracker, responses: frozenset[str]) -> bool:
    """Whether one of `responses` was said since the person's latest message."""
    for event in reversed(list(tracker.events)):
        if event.get("event") == "user":
            return False
        if event.get("event") == "bot" and response_of(event) in responses:
            return True
    return False


def repeated_turns(tracker: Tracker, responses: frozenset[str]) -> int:
    """How many times in a row, just before this message, the person said the same words
    and got one of `responses` as (part of) the answer."""
    events = session_events(tracker)
    users = [i for i, e in enumerate(events) if e.get("event") == "user"]
    if not users:
        return 0
    said = _same_words(events[users[-1]].get("text"))
    count = 0
    for before, after in zip(reversed(users[:-1]), reversed(users), strict=False):
        answered = any(
            e.get("event") == "bot" and response_of(e) in responses for e in events[before:after]
        )
        if not answered or _same_words(events[before].get("text")) != said:
            break
        count += 1
    return count


def _same_words(text: object) -> str:
    return " ".join(re.findall(r"\w+", str(text or "").lower()))


# Said instead of the same answer again: the person has not got what they wanted from it.
ANSWER_AGAIN = "utter_answer_again"
ANSWER_OFFER_PERSON = "utter_answer_offer_person"
NOT_TWICE = frozenset({ANSWER_AGAIN, ANSWER_OFFER_PERSON})


def answer_once(
    dispatcher: CollectingDispatcher, tracker: Tracker, response: str
) -> list[EventType] | None:
    """When the last answer was already `response` (or its stand-in), say something else
    and return the events to go on with: never the same words twice in a row; the second
    time, a person, and an open consent question is left unanswered rather than asked a
    third time (it was asked after each answer). None when `response` is still to say."""
    repeats = repeated_turns(tracker, frozenset({response}) | NOT_TWICE)
    if repeats == 0 or (repeats > 2 and repeats % 2 == 1):
        # After the offer of a person, the same words again get the answer again, then
        # the offer: never one sentence three times in a row.
        return None
    dispatcher.utter_message(response=ANSWER_AGAIN if repeats == 1 else ANSWER_OFFER_PERSON)
    return consent_question_set_aside(tracker) if repeats > 1 else []


def conversation_stage(tracker: Tracker) -> Stage:
    """Where the conversation is, as far as answering a question goes."""
    if tracker.get_slot("handoff_open"):
        return "handoff"
    loop = tracker.active_loop_name
    if loop == "lead_form":
        return "lead_form"
    if loop == "qualify_form":
        return "qualifying"
    if loop == "booking_form":
        return "booking"
    if said_in_session(tracker, "utter_meeting_booked"):
        return "booked"
    if tracker.get_slot("qualification_done"):
        return "done"
    if tracker.get_slot(LEAD_CAPTURED):
        return "captured"
    return "start"


# ----------------------------------------------------------------------- integrations

_BUILT_IN = {
    "hubspot": "Yes: Parley keeps HubSpot up to date with new and qualified leads.",
    "whatsapp": "Yes, WhatsApp is built in (through Twilio).",
    "sms": "Yes, SMS is built in (through Twilio).",
    "twilio": "Yes, Parley uses Twilio for SMS, WhatsApp and phone calls.",
    "telegram": "Yes, Telegram is built in.",
    "csv": "Yes, contacts import from and export to CSV.",
    "webhook": "Yes, Parley sends signed webhooks for new leads, consent changes and handoffs.",
    "api": "Yes, Parley has a REST API for contacts, leads and consent.",
}
# Tool name as people write it -> how to name it.
_WEBSITES = {
    "wordpress": "WordPress",
    "wix": "Wix",
    "squarespace": "Squarespace",
    "webflow": "Webflow",
    "shopify": "Shopify",
}
_SPREADSHEETS = {"excel": "Excel", "google sheets": "Google Sheets", "gsheets": "Google Sheets"}
_NOT_CHANNELS = {"facebook messenger": "Facebook Messenger", "messenger": "Facebook Messenger",
                 "instagram": "Instagram", "slack": "Slack", "microsoft teams": "Microsoft Teams",
                 "teams": "Microsoft Teams", "intercom": "Intercom", "drift": "Drift",
                 "zendesk": "Zendesk", "livechat": "LiveChat"}  # fmt: skip
_CALENDARS = {
    "calendly": "Calendly",
    "google calendar": "Google Calendar",
    "outlook calendar": "Outlook Calendar",
}
_OTHER_TOOLS = {"salesforce": "Salesforce", "sfdc": "Salesforce", "pipedrive": "Pipedrive",
                "zoho": "Zoho", "dynamics": "Microsoft Dynamics", "marketo": "Marketo",
                "pardot": "Pardot", "mailchimp": "Mailchimp", "activecampaign": "ActiveCampaign",
                "klaviyo": "Klaviyo", "brevo": "Brevo", "sendinblue": "Brevo",
                "zapier": "Zapier", "make": "Make", "rd station": "RD Station",
                "monday": "monday.com", "notion": "Notion", "airtable": "Airtable",
                "freshsales": "Freshsales", "keap": "Keap", "sugarcrm": "SugarCRM"}  # fmt: skip
_ALIASES = {"whats app": "whatsapp", "text messages": "sms", "texts": "sms", "web hooks": "webhook",
            "webhooks": "webhook", "rest api": "api", "hub spot": "hubspot",
            "sales force": "salesforce", "mail chimp": "mailchimp", "word press": "wordpress",
            "rdstation": "rd station", "fb messenger": "facebook messenger"}  # fmt: skip
_KNOWN = sorted(
    {*_BUILT_IN, *_WEBSITES, *_SPREADSHEETS, *_NOT_CHANNELS, *_CALENDARS, *_OTHER_TOOLS,
     *_ALIASES},
    key=len,
    reverse=True,
)  # fmt: skip
_TOOL = re.compile(r"\b(" + "|".join(re.escape(k) for k in _KNOWN) + r")\b", re.IGNORECASE)


def tools_named(text: str) -> list[str]:
    """The tools a message names, canonical keys, in order, each once."""
    found: list[str] = []
    for match in _TOOL.finditer(text):
        key = match.group(1).lower()
        key = _ALIASES.get(key, key)
        if key == "make" and not re.search(r"\bmake\.com\b|\bmake\s*\(integromat\)", text, re.I):
            continue  # "make" is nearly always the verb
        if key == "teams" and "microsoft" not in text.lower() and "ms teams" not in text.lower():
            continue  # "our teams" is not Microsoft Teams
        if key not in found:
            found.append(key)
    return found


def about_tool(key: str) -> str:
    if key in _BUILT_IN:
        return _BUILT_IN[key]
    if key in _WEBSITES:
        name = _WEBSITES[key]
        return (
            f"There's no {name} plugin, but the web chat is one script tag, "
            f"so it can go on a {name} site."
        )
    if key in _SPREADSHEETS:
        return f"There's no live {_SPREADSHEETS[key]} sync, but contacts export to CSV."
    if key in _NOT_CHANNELS:
        return f"Parley doesn't connect to {_NOT_CHANNELS[key]}."
    if key in _CALENDARS:
        return f"There's no {_CALENDARS[key]} connection: Parley books meetings itself."
    name = _OTHER_TOOLS.get(key, key)
    return f"There's no built-in {name} connector; it can be connected through Parley's webhooks or REST API."


def integrations_answer(text: str) -> str:
    """The opening of the integrations answer: about the tools named, else a lead-in."""
    named = tools_named(text)[:3]
    if not named:
        return "Parley connects to other tools in a few ways."
    return " ".join(about_tool(key) for key in named)


# ------------------------------------------------------------------ why we ask for it

_REASONS = {
    "name": "I ask for your name so our team knows who they're talking to.",
    "email": "Your email is how our team sends you what you asked for and follows up.",
    "phone": "A phone number lets our team call or text you back if that's easier; it's optional.",
    "company": "Knowing your company helps us send you to the right person and the right plan.",
    "role": "Your role helps our team pitch the conversation at the right level.",
    "need": "Knowing what you want to solve lets our team prepare something useful rather than a generic pitch.",
    "qualify": "These questions help us point you to the right person and a plan that fits.",
    "general": "I ask for a few details (name, email and company) so a person from our team can get back to you.",
}  # fmt: skip
_FIELD_WORDS: list[tuple[str, re.Pattern[str]]] = [
    ("email", re.compile(r"\be-?mail|\bmail\b|\baddress\b", re.I)),
    ("phone", re.compile(r"\b(?:phone|number|mobile|cell|whats ?app)\b", re.I)),
    ("company", re.compile(r"\b(?:company|organi[sz]ation|business|employer)\b", re.I)),
    ("role", re.compile(r"\b(?:role|title|job|position)\b", re.I)),
    ("qualify", re.compile(r"\b(?:budget|how many people|team size|timeline|decide)", re.I)),
    ("name", re.compile(r"\bname\b", re.I)),
]


def reason_for(field: str) -> str:
    """Why the bot asks for a detail, in a sentence ("general" for one it does not know)."""
    return _REASONS.get(field, _REASONS["general"])


def field_asked_about(text: str, requested: str | None) -> str:
    """Which detail "why do you need ...?" is about: the one it names first ("what's the
    phone number for? can't we just do email" is the phone), else the one asked."""
    named = [(m.start(), field) for field, words in _FIELD_WORDS if (m := words.search(text))]
    if named:
        return min(named)[1]
    if requested and requested.startswith("qual_"):
        return "qualify"
    if requested and requested.startswith("lead_"):
        return requested.removeprefix("lead_")
    return "general"


# ---------------------------------------------------------------------- what happens next


def _how(tracker: Tracker) -> str:
    if channel_of(tracker) in REPLY_IN_PLACE:
        return " right here"
    values = lead_values(tracker)
    if values.get("email"):
        return f" at {values['email']}"
    return f" on {values['phone']}" if values.get("phone") else ""


def next_steps(tracker: Tracker, stage: Stage) -> str:
    how = _how(tracker)
    due = tracker.get_slot("handoff_reply_due")
    if due and stage in ("start", "done", "captured"):
        # Asked for a person outside office hours (actions/handoff.py).
        return f'our team is away right now and back {due}; a person will answer you{how} then. If you\'d rather not wait, say "book a meeting".'
    if stage == "handoff":
        return f"a person from our team has your conversation and will reply{how} soon. You don't need to do anything else."
    if stage == "booked":
        return "your meeting is booked, the confirmation has the details, and our team will see you then."
    if stage == "done":
        grade = tracker.get_slot("lead_grade")
        if grade == "A":
            return f"our team has your details. You can talk to someone now or book a time; otherwise someone will be in touch{how} soon."
        if grade == "B":
            return f'our team has your details and will follow up{how} with information that fits your plans. If you\'d like to talk it through sooner, say "book a meeting".'
        return f"our team has your details and will be in touch{how} if there's a good fit. You don't need to do anything else."
    if stage == "qualifying":
        return "after these last few questions I'll point you to the right next step: a chat with our team, a meeting, or a follow-up."
    if stage == "booking":
        return "pick one of the times and I'll book it; the confirmation follows."
    if stage == "captured":
        return "once you've checked your details and answered a couple of quick questions, our team gets in touch."
    if stage == "lead_form":
        return "I'll ask a few more quick details and show you a summary to check; then someone from our team gets in touch."
    return "tell me what you're after (a demo, pricing or a chat with sales) and I'll take a few details; then someone from our team gets in touch."


# ------------------------------------------------------------------------- the action

TOPIC_OF: dict[str, str] = {
    "ask_integrations": "integrations",
    "ask_data_use": "data_use",
    "ask_why_needed": "why_needed",
    "ask_next_steps": "next_steps",
    "request_info": "what_it_does",
    # Asking for sales once the lead is complete: say what happens next (a demo asked for
    # then is booked, ActionAnswer.run).
    "request_demo": "next_steps",
    "talk_to_sales": "next_steps",
}


def buttons_after_answer(tracker: Tracker, stage: Stage) -> list[dict[str, str]]:
    """At the start, what the bot can do; after an offer, the offer's buttons again."""
    if stage == "start":
        return START_BUTTONS
    if stage == "done":
        for name, event in bot_responses(session_events(tracker)):
            if name in OFFERS:
                return list((event.get("data") or {}).get("buttons") or [])
            if name:
                return []  # the offer is no longer the latest question
    return []


TOPIC_RESPONSES = {
    "integrations": "utter_answer_integrations",
    "data_use": "utter_answer_data_use",
    "why_needed": "utter_answer_why_needed",
    "what_it_does": "utter_answer_what_it_does",
    "next_steps": "utter_answer_next_steps",
}
# What says each topic say_topic answers, the two with rules of their own included.
_SAID_AS = {**TOPIC_RESPONSES, "pricing": "utter_pricing", "bot": "utter_iamabot"}


# General answers a marketer's entry on the list replaces when it clearly fits ("does it
# work with Salesforce?" has its own entry). How the person's data is used (with the
# privacy notice), why a detail is needed and what happens next are about this person
# and this conversation, which no entry may answer instead.
MARKETERS_FIRST = frozenset({"integrations", "what_it_does"})


def answers_the_open_question(tracker: Tracker, text: str) -> bool:
    """Whether a message the classifier took for a question answers the yes/no question
    the bot is waiting on ("Email's fine, as long as it's not every day" to the consent
    question): it goes to that question's answer, not to a product answer."""
    if not tracker.get_slot(PENDING) or text.startswith("/") or is_question(text):
        return False
    return read_yes_no(text).answer is not None


def say_topic(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    settings: Settings,
    topic: str,
    buttons: list[dict[str, str]] | None = None,
) -> None:
    """The answer to one of the common questions, in this conversation's terms."""
    text = str(tracker.latest_message.get("text") or "")
    if topic == "pricing":
        dispatcher.utter_message(response="utter_pricing", buttons=buttons or [])
    elif topic == "bot":
        dispatcher.utter_message(response="utter_iamabot", buttons=buttons or [])
    elif topic == "integrations":
        dispatcher.utter_message(
            response="utter_answer_integrations",
            named=integrations_answer(text),
            buttons=buttons or [],
        )
    elif topic == "data_use":
        dispatcher.utter_message(
            response="utter_answer_data_use",
            privacy_url=settings.privacy_url,
            contact=settings.privacy_contact,
            buttons=buttons or [],
        )
    elif topic == "what_it_does":
        dispatcher.utter_message(response="utter_answer_what_it_does", buttons=buttons or [])
    elif topic == "next_steps":
        dispatcher.utter_message(
            response="utter_answer_next_steps",
            steps=next_steps(tracker, conversation_stage(tracker)),
            buttons=buttons or [],
        )
    elif topic == "why_needed":
        field = field_asked_about(text, tracker.get_slot(REQUESTED_SLOT))
        dispatcher.utter_message(
            response="utter_answer_why_needed", reason=reason_for(field), buttons=buttons or []
        )


def answer_in_place_of_answer(
    dispatcher: CollectingDispatcher, tracker: Tracker, settings: Settings
) -> bool:
    """A common question the classifier took for an answer to the form's question ("before
    i do that what does your product actually do", "not sure why you'd need my email"): each
    topic it asks answered, so that the form can ask its question again; False when it asks
    none. A topic answered a turn or two ago is left to the form (the same answer again
    so soon would be the same words twice); asked again later, it is answered again."""
    text = str(tracker.latest_message.get("text") or "")
    if not text or text.startswith("/"):
        return False
    topics = [t for t in asked_topics(text) if not said_lately(tracker, _SAID_AS[t])]
    for topic in topics:
        say_topic(dispatcher, tracker, settings, topic)
    return bool(topics)


def answer_other_questions(
    dispatcher: CollectingDispatcher, tracker: Tracker, settings: Settings, answered: str
) -> bool:
    """Answers to the other common questions the latest message asked ("does it plug into
    HubSpot? and do you charge per seat?"), after the one its intent was answered for;
    True when there was any."""
    text = str(tracker.latest_message.get("text") or "")
    if not answered and (has_cue("request_data", text) or has_cue("request_erasure", text)):
        # "Where's my data stored, what do you hold on me?" is about this person's data:
        # the privacy actions' business, not a general answer's.
        return False
    others = [topic for topic in asked_topics(text) if topic != answered]
    for topic in others:
        say_topic(dispatcher, tracker, settings, topic)
    return bool(others)


def _asked_apart(settings: Settings, text: str, topic: str) -> bool:
    """Whether `topic` is asked in a question of its own that no entry of the marketers'
    list answers, beside another question."""
    sentences = question_sentences(text)
    if len(sentences) < 2:
        return False
    own = [sentence for sentence in sentences if topic in asked_topics(sentence)]
    return bool(own) and not any(list_answers(settings, sentence) for sentence in own)


class ActionAnswer(StoreBacked, Action):
    """Answer the question the latest message asked."""

    def name(self) -> str:
        return "action_answer"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        intent = str((tracker.latest_message.get("intent") or {}).get("name") or "")
        text = str(tracker.latest_message.get("text") or "")
        if answers_the_open_question(tracker, text):
            return [FollowupAction("action_yes_no_answer")]
        stage = conversation_stage(tracker)
        if intent == "request_demo" and stage in ("done", "handoff"):
            # A demo asked for once the lead is complete, or after being passed to a person:
            # the times, not "our team will be in touch" (the details are in hand; the
            # booking says if a way back is missing).
            return [FollowupAction("action_start_booking")]
        topic = TOPIC_OF.get(intent, "next_steps")
        if intent == "request_info" and len(asked := asked_topics(text)) == 1:
            # "Can it be used on WhatsApp?" taken for a request for information: the words
            # of the one question asked name its topic more surely than the intent.
            topic = asked[0] if asked[0] in TOPIC_RESPONSES else topic
        buttons = buttons_after_answer(tracker, stage)
        events: list[EventType] = []
        answered = topic
        if (
            topic in MARKETERS_FIRST
            # "do you speak spanish?" taken for what happens next, whose words it does not
            # have: the marketers' answer, if they wrote one.
            or (topic == "next_steps" and topic not in asked_topics(text))
        ) and (common := knowledge_answer(tracker, self.settings, strict=True)):
            dispatcher.utter_message(text=common, buttons=buttons)
            if _asked_apart(self.settings, text, topic):
                # "Can this chat speak Spanish? And does it work with Microsoft Dynamics?":
                # the list's entry answered the first question; the second gets its own.
                answered = ""
        elif (again := answer_once(dispatcher, tracker, TOPIC_RESPONSES[topic])) is not None:
            events = again
        else:
            self._answer(dispatcher, tracker, topic, text, stage, buttons)
        answer_other_questions(dispatcher, tracker, self.settings, answered)
        return events

    def _answer(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        topic: str,
        text: str,
        stage: Stage,
        buttons: list[dict[str, str]],
    ) -> None:
        if topic in ("integrations", "data_use", "what_it_does", "why_needed"):
            say_topic(dispatcher, tracker, self.settings, topic, buttons)
        else:
            dispatcher.utter_message(
                response="utter_answer_next_steps",
                steps=next_steps(tracker, stage),
                buttons=buttons,
            )


class _AnswerOrSay(StoreBacked):
    """The list's answer if it has one, else the usual response. (Not an Action itself:
    rasa-sdk registers every subclass of Action, and this one has no name.)"""

    usual = ""
    # The common question this action answers (others asked alongside get theirs too).
    topic = ""
    # The bot has an answer of its own here: an entry replaces it only when clearly asked.
    strict = False
    # The rules go on into the lead form after it (pricing): the form's question follows.
    with_buttons = True
    # The usual response too gets what the bot can do as buttons, where an answer would.
    usual_with_buttons = False

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        if answers_the_open_question(tracker, str(tracker.latest_message.get("text") or "")):
            return [FollowupAction("action_yes_no_answer")]
        answer = knowledge_answer(tracker, self.settings, strict=self.strict)
        if answer:
            buttons = (
                buttons_after_answer(tracker, conversation_stage(tracker))
                if self.with_buttons
                else []
            )
            dispatcher.utter_message(text=answer, buttons=buttons)
        elif self.topic or not answer_other_questions(dispatcher, tracker, self.settings, ""):
            # Out of scope or small talk as a whole, yet a common question inside it
            # ("we're a dental practice... where does all of this get stored?") is answered.
            if (again := answer_once(dispatcher, tracker, self.usual)) is not None:
                return again  # the same message again: not the same words again
            buttons = (
                buttons_after_answer(tracker, conversation_stage(tracker))
                if self.usual_with_buttons
                else []
            )
            dispatcher.utter_message(response=self.usual, buttons=buttons)
        if self.topic:
            answer_other_questions(dispatcher, tracker, self.settings, self.topic)
        return []


class ActionOutOfScope(_AnswerOrSay, Action):
    usual = "utter_out_of_scope"

    def name(self) -> str:
        return "action_out_of_scope"


class ActionChitchat(_AnswerOrSay, Action):
    usual = "utter_chitchat"

    def name(self) -> str:
        return "action_chitchat"


class ActionBotChallenge(_AnswerOrSay, Action):
    """ "Am I talking to a bot?": yes, plainly. Asked before anything else, with what the
    bot can do as buttons: the answer alone left a first-time visitor nothing to press,
    and the conversation stalled there."""

    usual = "utter_iamabot"
    topic = "bot"
    usual_with_buttons = True

    def name(self) -> str:
        return "action_bot_challenge"


class ActionPricing(_AnswerOrSay, Action):
    """Pricing, unless the marketers' list has an entry that clearly fits the question
    ("is there a discount for charities?", "do you have a free trial?")."""

    usual = "utter_pricing"
    topic = "pricing"
    strict = True
    with_buttons = False

    def name(self) -> str:
        return "action_pricing"
