"""Play one persona against Parley: answer what the bot asks, as that person would.

The simulated person reads the bot the way a person does: by what it asks (recognised by
response name), the summary it shows, and the buttons it offers. They correct a summary
that shows a wrong detail, put their questions where the persona says, and leave once
their goal is reached and their closing lines are said.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field

from bench.evaluation.lines import Line
from bench.evaluation.personas import Ask, Persona
from bench.evaluation.responses import BotMessage
from bench.evaluation.values import LABELS, same_value

MAX_TURNS = 40
ASK_KINDS: dict[str, str] = {
    **{f"utter_ask_lead_{f}": f for f in ("name", "email", "phone", "company", "role", "need")},
    **{f"utter_ask_qual_{f}": f for f in ("company_size", "authority", "budget", "timeline")},
    "utter_lead_summary": "summary",
    "consent_email": "consent_email",
    "consent_sms": "consent_sms",
    "utter_route_hot": "offer",
    "utter_route_warm": "offer",
    "utter_route_booking": "offer",
    "utter_meeting_times": "meeting",
    "utter_confirm_erasure": "erasure",
    "utter_ask_correction": "correction",
    # "Which email address or phone number did you use?": a person who wants to see their
    # data answers it (as an email when they have one).
    "utter_ask_lookup_address": "email",
}
# The bot checking its best reading of an email or a phone (actions/lead_form.py).
_CHECKED = re.compile(r"\bis your (?:email|phone number) (?P<value>\S+?)\?", re.I)
YES_NO_KINDS = frozenset({"summary", "consent_email", "consent_sms", "erasure", "offer"})
# The bot saying it did not get a qualifying answer: the question comes again with its
# options as buttons. (Asked again in other words, "which of two was it?", counts too: see
# _option_after_not_understood.)
NOT_UNDERSTOOD = frozenset({"utter_qualify_not_understood"})
# Which option a person picks for what they meant, by the option's words (marketers edit
# the titles in the studio, so they are matched loosely).
OPTION_WORDS: dict[str, dict[str, str]] = {
    # Typed titles ("11-50", "$1k-10k") and the same spoken ("11 to 50", "1 to 10 thousand
    # dollars")
    "company_size": {
        "1-10": r"^1\s*(?:-|to)\s*10\b",
        "11-50": r"^11\s*(?:-|to)\s*50\b",
        "51-200": r"^51\s*(?:-|to)\s*200\b",
        "201-1000": r"^201\s*(?:-|to)\s*1,?000\b",
        "1000+": r"^1,?000\s*(?:\+|or more)|more than 1,?000|over 1,?000",
    },
    "authority": {
        "decides": r"\bi decide\b|final say",
        "influences": r"influence|have a say",
        "researching": r"research|looking into",
    },
    "budget": {
        "under_1k": r"under \$?1\s*(?:k|thousand)|less than \$?1",
        "1k_10k": r"^\$?1\s*k?\s*(?:-|to)\s*\$?10\s*(?:k|thousand)",
        "10k_50k": r"^\$?10\s*k?\s*(?:-|to)\s*\$?50\s*(?:k|thousand)",
        "over_50k": r"over \$?50\s*(?:k|thousand)|more than \$?50",
    },
    "timeline": {
        "now": r"within a month|this month",
        "quarter": r"1\s*(?:-|to)\s*3 months|within 3 months|this quarter",
        "year": r"this year|within a year|12 months",
        "later": r"no set|later|no timeline|more than a year",
    },
}
TOPIC_ANSWERS: dict[str, frozenset[str]] = {
    "what_it_does": frozenset({"utter_answer_what_it_does", "utter_help"}),
    "pricing": frozenset({"utter_pricing"}),
    # A common question's own entry answers it too (knowledge.yml): which channels, the
    # calendar; where the data is kept and GDPR.
    "integrations": frozenset(
        {"utter_answer_integrations", "knowledge_channels", "knowledge_calendar"}
    ),
    "data_use": frozenset({"utter_answer_data_use", "knowledge_gdpr", "knowledge_self_hosting"}),
    "bot": frozenset({"utter_iamabot"}),
    "why_needed": frozenset({"utter_answer_why_needed"}),
    "next_steps": frozenset({"utter_answer_next_steps"}),
}
GOAL_REACHED: dict[str, frozenset[str]] = {
    "lead": frozenset({"utter_lead_confirmed"}),
    "handoff": frozenset(
        {
            "utter_handoff_sent",
            "utter_handoff_callback",
            "utter_handoff_pending",
            "utter_handoff_after_hours",
        }
    ),
    "book": frozenset({"utter_meeting_booked"}),
    "show_data": frozenset(
        {"utter_my_data", "utter_no_data", "utter_cannot_verify", "utter_lookup_code_sent"}
    ),
    "erase": frozenset({"utter_erased", "utter_no_data", "utter_code_verified_erased"}),
}
GOAL_BUTTONS: dict[str, tuple[str, ...]] = {
    "lead": ("/request_demo", "/talk_to_sales"),
    "handoff": ("/human_handoff", "/talk_to_sales"),
    "book": ("/book_meeting", "/request_demo"),
}
# The same options said on the phone ("press 1 or say Book a demo").
GOAL_TITLES: dict[str, tuple[str, ...]] = {
    "lead": ("book a demo", "talk to sales"),
    "handoff": ("talk to a person", "talk to sales"),
    "book": ("book a meeting", "book a demo"),
}
_FALLBACK = re.compile(r"^utter_(?:default|fallback)")
_CORRECTIONS = (
    "no, my {label} is {value}",
    "that's not right, the {label} should be {value}",
    "the {label} is wrong, it's {value}",
)


def is_fallback(name: str) -> bool:
    return bool(_FALLBACK.match(name))


@dataclass
class Turn:
    said: str
    heard: list[str]  # response names
    texts: list[str]
    ms: float


@dataclass
class Transcript:
    persona: Persona
    conversation_id: str
    channel: str
    turns: list[Turn] = field(default_factory=list)
    summaries_shown: int = 0
    summaries_corrected: int = 0
    questions_asked: int = 0
    questions_answered: int = 0
    # Qualifying answers given by pressing an option after the bot did not get the words
    options_pressed: int = 0
    reached_at: int | None = None  # the turn the goal was reached in
    loop: bool = False
    error: str | None = None

    @property
    def fallbacks(self) -> int:
        return sum(1 for t in self.turns for n in t.heard if is_fallback(n))


class Player:
    """The persona's side of one conversation."""

    def __init__(self, persona: Persona, line: Line) -> None:
        self.persona = persona
        self.line = line
        self.transcript = Transcript(persona, line.conversation_id, line.channel)
        self._times: dict[str, int] = {}
        self._asks = [a for a in persona.asks if not a.at_start]
        self._opening_asks = [a for a in persona.asks if a.at_start]
        self._pending_ask: Ask | None = None
        self._mistakes_left = {m.field for m in persona.mistakes}
        self._closing = list(persona.closing)
        self._last_kind: str | None = None
        self._repeated_opener = False

    def play(self) -> Transcript:
        try:
            heard = self._exchange(self.persona.opener, opening=True)
            while not self.line.ended and len(self.transcript.turns) < MAX_TURNS:
                reply = self._reply(heard)
                if reply is None:
                    break
                heard = self._exchange(reply)
                if self._looping():
                    self.transcript.loop = True
                    break
            else:
                if len(self.transcript.turns) >= MAX_TURNS:
                    self.transcript.loop = True
        except Exception as error:  # a crash is a failed conversation, not a failed run
            self.transcript.error = f"{type(error).__name__}: {error}"
        return self.transcript

    # ----------------------------------------------------------------- one exchange

    def _exchange(self, text: str, opening: bool = False) -> list[BotMessage]:
        started = time.perf_counter()
        messages = self.line.start(text) if opening else self.line.send(text)
        ms = (time.perf_counter() - started) * 1000
        names = [n for m in messages for n in m.names]
        self.transcript.turns.append(Turn(text, names, [m.text for m in messages], ms))
        if self._pending_ask is not None:
            self.transcript.questions_asked += 1
            if TOPIC_ANSWERS[self._pending_ask.topic] & set(names):
                self.transcript.questions_answered += 1
            self._pending_ask = None
        goal_names = GOAL_REACHED.get(self.persona.goal, frozenset())
        if self.transcript.reached_at is None and goal_names & set(names):
            self.transcript.reached_at = len(self.transcript.turns)
        if getattr(self.line, "transferred", False) and self.persona.goal == "handoff":
            self.transcript.reached_at = self.transcript.reached_at or len(self.transcript.turns)
        return messages

    def _looping(self) -> bool:
        texts = [" ".join(t.texts) for t in self.transcript.turns[-3:]]
        return len(texts) == 3 and bool(texts[0]) and texts[0] == texts[1] == texts[2]

    # ----------------------------------------------------------------- what to say

    def _reply(self, heard: list[BotMessage]) -> str | None:
        if self._opening_asks:
            return self._ask(self._opening_asks.pop(0))
        kind, message = self._asked(heard)
        if kind in ("email", "phone") and (checked := _CHECKED.search(message)) is not None:
            return self._check_reading(kind, checked["value"], heard)
        if kind is not None:
            after = next((a for a in self._asks if a.after == self._last_kind), None)
            if after is not None and self._last_kind is not None:
                self._asks.remove(after)
                return self._ask(after)
            self._last_kind = kind
            option = self._option_after_not_understood(kind, heard)
            return option if option is not None else self._answer(kind, message)
        buttons = heard[-1].buttons if heard else ()
        if buttons and self._last_kind in YES_NO_KINDS:
            return self._click_meaning(buttons, self._last_kind)
        if self.transcript.reached_at is None and self.persona.goal == "questions":
            if self._asks:
                return self._ask(self._asks.pop(0))
            self.transcript.reached_at = len(self.transcript.turns)
        if self.transcript.reached_at is None and self.persona.goal == "leave":
            self.transcript.reached_at = len(self.transcript.turns)
        if self.transcript.reached_at is not None:
            return self._closing.pop(0) if self._closing else None
        if buttons:
            wanted = GOAL_BUTTONS.get(self.persona.goal, ())
            titles = GOAL_TITLES.get(self.persona.goal, ())
            payload = next(
                (p for t, p in buttons if p in wanted or t.lower().rstrip(".") in titles), None
            )
            if payload is not None:
                return str(payload)
        if not self._repeated_opener:
            self._repeated_opener = True
            return self.persona.answer("other", 0) or self.persona.opener
        return None

    def _ask(self, ask: Ask) -> str:
        self._pending_ask = ask
        return ask.say

    def _asked(self, heard: list[BotMessage]) -> tuple[str | None, str]:
        for message in reversed(heard):
            for name in reversed(message.names):
                if name in ASK_KINDS:
                    return ASK_KINDS[name], message.text
        return None, ""

    def _said(self, key: str, *fallbacks: str) -> str:
        times = self._times.get(key, 0)
        self._times[key] = times + 1
        for candidate in (key, *fallbacks):
            answer = self.persona.answer(candidate, times)
            if answer is not None:
                return answer
        return self.persona.answer("other", 0) or "sorry?"

    def _answer(self, kind: str, message: str) -> str:
        if kind in LABELS and kind in self._mistakes_left:
            mistake = self.persona.mistake(kind)
            if mistake is not None and self._times.get(kind, 0) == 0:
                self._times[kind] = 1
                return mistake.first
        if kind == "summary":
            return self._check_summary(message)
        if kind == "correction":
            return self._correction(message) or self._said("other")
        if kind.startswith("consent_"):
            return self._said(kind, "consent")
        return self._said(kind)

    def _check_summary(self, message: str) -> str:
        self.transcript.summaries_shown += 1
        if self._mistakes_left:
            mistake = self.persona.mistake(sorted(self._mistakes_left)[0])
            assert mistake is not None
            self._mistakes_left.discard(mistake.field)
            self._last_kind = "correction"
            return mistake.fix
        fix = self._correction(message)
        if fix is not None:
            self.transcript.summaries_corrected += 1
            self._last_kind = "correction"
            return fix
        return self._said("summary")

    def _correction(self, message: str) -> str | None:
        """The first detail the summary shows wrong, corrected in plain words."""
        shown = read_summary(message)
        for field_name, label in LABELS.items():
            value = shown.get(field_name)
            expected = self.persona.expect.get(field_name)
            if value is None or same_value(field_name, value, expected):
                continue
            template = _CORRECTIONS[len(self.transcript.turns) % len(_CORRECTIONS)]
            if expected is None:
                return f"no, I didn't give you a {label.lower()}, please remove it"
            return template.format(label=label.lower(), value=expected)
        return None

    def _option_after_not_understood(self, kind: str, heard: list[BotMessage]) -> str | None:
        """Not understood and shown the options: a person presses the one they meant,
        unless the persona's author wrote other words for a second try."""
        asked_again = self._times.get(kind, 0) > 0
        if kind not in OPTION_WORDS or not (
            asked_again or any(n in NOT_UNDERSTOOD for m in heard for n in m.names)
        ):
            return None
        meant = self.persona.expect.get(kind)
        if not isinstance(meant, str) or len(self.persona.says.get(kind, ())) > self._times.get(
            kind, 0
        ):
            return None
        pattern = OPTION_WORDS[kind].get(meant)
        buttons = next((m.buttons for m in reversed(heard) if m.buttons), ())
        for title, payload in buttons:
            if pattern and re.search(pattern, title.lower()):
                self._times[kind] = self._times.get(kind, 0) + 1
                self.transcript.options_pressed += 1
                return self._press(title, payload)
        return None

    def _check_reading(self, kind: str, value: str, heard: list[BotMessage]) -> str:
        """ "Just to check: is your email dohertyplumbing@eircom.net?": yes when it is what
        they would have typed, no otherwise, pressed as the button that says so."""
        right = same_value(kind, value, self.persona.expect.get(kind))
        buttons = next((m.buttons for m in reversed(heard) if m.buttons), ())
        for title, payload in buttons:
            words = title.lower()
            if (right and words.startswith("yes")) or (not right and words.startswith("no")):
                return self._press(title, payload)
        return "yes" if right else "no"

    def _click_meaning(self, buttons: tuple[tuple[str, str], ...], kind: str) -> str:
        """A clarifying question with buttons: press the one that means what they meant."""
        meaning = self._meaning(kind)
        for title, payload in buttons:
            words = title.lower()
            if meaning == "yes" and re.match(r"(yes|yeah|sure|ok)\b", words):
                return self._press(title, payload)
            if meaning == "no" and re.match(r"(no|not)\b", words):
                return self._press(title, payload)
            if meaning not in ("yes", "no") and meaning in words:
                return self._press(title, payload)
        return self._said("other")

    def _meaning(self, kind: str) -> str:
        if kind.startswith("consent_"):
            return self.persona.consent.get(kind.removeprefix("consent_"), "none")
        if kind in ("summary", "erasure"):
            return "yes"
        said = " ".join(self.persona.says.get("offer", ())).lower()
        if self.persona.goal == "book":
            return "book"
        if self.persona.goal == "handoff":
            return "talk"
        if _TURNED_DOWN.match(said):  # "not now, thanks", "no time for a call this week"
            return "no"
        if re.search(r"\b(book|meeting|time|slot)", said):
            return "book"
        if re.search(r"\b(talk|call|someone|now)\b", said):
            return "talk"
        return "no"

    def _press(self, title: str, payload: str) -> str:
        return title if self.line.channel == "voice" else payload


# An offer answered by turning it down first, whatever words follow.
_TURNED_DOWN = re.compile(
    r"\W*(no|nah|nope|not (now|yet|today|right now|at the moment)|no time|maybe later|"
    r"i'?ll pass|no thanks?|not for now)\b"
)

_SUMMARY_LINE = re.compile(
    r"(Name|Email|Phone|Company|Role|Looking to solve):\s*(.*?)"
    r"(?=\s*-?\s*(?:Name|Email|Phone|Company|Role|Looking to solve):|\s*Is that right|$)",
    re.DOTALL,
)


def read_summary(message: str) -> dict[str, str | None]:
    """The details a summary shows, by field; "(not given)" and "(skipped)" are None."""
    by_label = {label: field_name for field_name, label in LABELS.items()}
    shown: dict[str, str | None] = {}
    for label, value in _SUMMARY_LINE.findall(message):
        cleaned = value.strip().lstrip("-").strip()
        shown[by_label[label]] = None if cleaned.startswith("(") else cleaned
    return shown
