"""The phone channel: a Twilio Voice IVR with speech and keypad input.

Routes (under /webhooks/twilio_voice/), each checking `X-Twilio-Signature` against
PARLEY_PUBLIC_URL exactly like the SMS channel:
  * `POST /incoming`: a call starts. The conversation id is the CallSid (every call its
    own history); the caller's number finds their profile.
  * `POST /gather?seq=N`: what the caller said (SpeechResult) or keyed (Digits). Bot
    buttons are read out as a menu ("press 1 or say ..."); a digit, the spoken choice or
    a bare yes/no (to a yes/no menu) picks one. Wording written for the eye has a
    `channel: twilio_voice` variation in domain.yml (tests/channels/test_voice_wording.py).
    Silence or nothing understood reprompts, then a polite goodbye and hangup.
  * `POST /pickup?seq=N`: the answer of a turn that took longer than the answer budget
    (Twilio gives up after 15 s): meanwhile the caller heard a short holding line.
  * `POST /dial`: how a transfer to the sales line went; if nobody answered, the caller
    can leave a callback request (`POST /callback`).
  * `POST /status`: call status callbacks; the call's state is released.
A repeated delivery (same CallSid and step) gets the same TwiML and has no second effect.
"""

from __future__ import annotations

import asyncio
import logging
import re
import unicodedata
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from twilio.request_validator import RequestValidator
from twilio.twiml.voice_response import Dial, Gather, VoiceResponse

from bot.errors import StoreUnavailable
from bot.settings import Settings, load_settings
from bot.store import ProfileStore
from bot.yes_no import turns_down
from channels.collecting import collector_for
from channels.keywords import apply_keywords
from channels.twilio_messaging import field_of, form_of, refusal

logger = logging.getLogger(__name__)

PROVIDER = "twilio_voice"
PREFIX = "/webhooks/twilio_voice"
HOLDING_LINE = "One moment, please."
NOT_HEARD = "Sorry, I didn't catch that."
GOODBYE = "Sorry we couldn't connect properly. Thanks for calling, goodbye."
# channels.messages.APOLOGY speaks of a "message" to try again: a caller just says it again.
SPOKEN_APOLOGY = (
    "Sorry, I'm having a technical problem and couldn't handle that. "
    "Please say it again in a minute: everything you've told me so far is saved."
)
MAX_PICKUPS = 3
# Twilio's StirVerstat for a call whose carrier fully attested the calling number.
FULL_ATTESTATION = "TN-Validation-Passed-A"
E164 = re.compile(r"\+[1-9]\d{6,14}")
SAY_LIMIT = 600  # characters per <Say>, so long answers are split at sentence ends
OnNewMessage = Callable[[UserMessage], Awaitable[Any]]

_URL = re.compile(r"https?://\S+|www\.\S+", re.I)
_MARKDOWN = re.compile(r"[*_`#>|~]+")
_EMAIL = re.compile(r"[\w.%+'-]+@[\w-]+(?:\.[\w-]+)+")
_EMAIL_SPLIT = re.compile(r"([\w.%+'-]+@[\w-]+(?:\.[\w-]+)+)")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")


def speakable(text: str) -> str:
    """Text safe and sensible for <Say>: no URLs, markdown or emoji read aloud."""
    text = _URL.sub("our website", text)
    # Markdown marks out, but not the underscores of an address read back to its owner.
    text = "".join(
        part if _EMAIL.fullmatch(part) else _MARKDOWN.sub(" ", part)
        for part in _EMAIL_SPLIT.split(text)
    )
    text = "".join(c for c in text if unicodedata.category(c) not in ("So", "Sk", "Cs", "Co", "Cn"))
    text = re.sub(r"^\s*-\s+", "", text, flags=re.M)
    return re.sub(r"\s+", " ", text).strip()


def chunks(text: str, limit: int = SAY_LIMIT) -> list[str]:
    parts: list[str] = []
    current = ""
    for sentence in _SENTENCE_END.split(text):
        if current and len(current) + len(sentence) + 1 > limit:
            parts.append(current)
            current = ""
        current = f"{current} {sentence}".strip()
        while len(current) > limit:
            parts.append(current[:limit])
            current = current[limit:]
    if current:
        parts.append(current)
    return parts


@dataclass(frozen=True)
class Choice:
    title: str
    payload: str


# Button titles are written for the eye ("11-50", "1000+", "$1k-10k"); a caller hears and
# says them as words.
_SPOKEN_TITLE: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\$(\d+)k\s*-\s*\$?(\d+)k\b", re.I), r"\1 to \2 thousand dollars"),
    (re.compile(r"\$(\d+)k\b", re.I), r"\1 thousand dollars"),
    (re.compile(r"(\d)\s*-\s*(\d)"), r"\1 to \2"),
    (re.compile(r"(\d)\+"), r"\1 or more"),
)
# Payloads that step around a question rather than answer it: a menu of only these still
# lets the caller key a whole answer (a phone number), so the keypad is not cut at 1 digit.
_STEP_AROUND = frozenset({"/skip", "/cancel"})
_POSITIONS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
              "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6}  # fmt: skip
_POSITION = re.compile(
    r"(?:(?P<menu>press(?:ed)?|option|choice) |the )?"
    r"(?P<at>[1-6]|one|two|three|four|five|six|first|second|third|fourth|fifth|sixth)"
    r"(?: one| option| please)?"
)
# A whole answer that is only a yes (or only a no), the way callers say it. Anything more
# ("no, my email is ...", "yes for the email") is left to the dialogue to understand.
_FILLER = r"(?:uh|um|er|erm|oh|well|so|and|please|thanks|thank you|then)"
_YES = re.compile(
    rf"(?:(?:{_FILLER}|yes|yeah|yea|yep|yup|yes please|sure|of course|ok|okay|alright|all right|"
    r"go ahead|go on|do it|please do|fine|that s fine|thats fine|that is fine|it s fine|its fine|"
    r"that s ok|thats ok|that s okay|thats okay|it is okay|it s okay|its okay|right|"
    r"that s right|thats right|that is right|correct|that s correct|thats correct|"
    r"it s correct|its correct|it is correct|absolutely|definitely|certainly|"
    r"no problem|sounds good|perfect|great|lovely|grand|good)\s*)+"
)
_NO = re.compile(
    rf"(?:(?:{_FILLER}|no|nope|nah|no thanks|no thank you|not really|not now|not right now|"
    r"no way|rather not|i d rather not|id rather not|don t|dont|please don t|please dont|"
    r"not for me|i m good|im good|i m ok|im ok)\s*)+"
)
_FILLER_ONLY = re.compile(rf"(?:{_FILLER}\s*)+")


def spoken_title(title: str) -> str:
    """A button title as a caller hears it in the menu."""
    spoken = title
    for pattern, words in _SPOKEN_TITLE:
        spoken = pattern.sub(words, spoken)
    return speakable(spoken)


def _plain(text: str) -> str:
    """Lower case words for comparing speech with titles ("Yes, that's fine." ~ "yes that s fine")."""
    text = re.sub(r"[\u2018\u2019']", " ", text.lower())
    return re.sub(r"\s+", " ", re.sub(r"[^\w\s]", " ", text)).strip()


def picks_whole_answer(choices: list[Choice]) -> bool:
    """Whether the menu's choices are the answer (so one keypress is the whole answer)."""
    return any(c.payload not in _STEP_AROUND for c in choices)


def pick(choices: list[Choice], speech: str, digits: str) -> str | None:
    """The payload of the option the caller keyed or said, if they picked one."""
    if digits.isdigit() and len(digits) == 1 and 1 <= int(digits) <= len(choices):
        return choices[int(digits) - 1].payload
    spoken = _plain(speech)
    if not spoken:
        return None
    said = [c for c in choices if spoken in _titles(c)]
    if said:
        return said[0].payload
    within = [c for c in choices if _said_within(_titles(c), spoken)]
    if len(within) == 1:
        return within[0].payload
    yes_no = _yes_or_no(choices, spoken)
    if yes_no is not None:
        return yes_no
    position = _POSITION.fullmatch(spoken)
    # "Five" answers "how many people work there?" with a head count, not the fifth option:
    # a bare number picks by position only from a menu of words ("press five" always does).
    numbers = any(re.search(r"\d", c.title) for c in choices)
    if position and (position["menu"] or not numbers):
        at = position["at"]
        number = int(at) if at.isdigit() else _POSITIONS[at]
        if number <= len(choices):
            return choices[number - 1].payload
    return None


def _titles(choice: Choice) -> set[str]:
    return {t for t in (_plain(choice.title), _plain(spoken_title(choice.title))) if t}


# Words that turn an option named in a longer answer into something else ("yes, that's
# fine, but not texts"; "the email is wrong, it's ...").
_TURNS = re.compile(r"\b(?:not|no|don t|dont|but|except|wrong|instead|change)\b")
MAX_EXTRA_WORDS = 5


def _said_within(titles: set[str], spoken: str) -> bool:
    """An option named inside a short answer ("I'd like to book a demo please"). A longer
    answer carries more than the option, and the dialogue reads all of it."""
    for title in titles:
        found = re.search(rf"\b{re.escape(title)}\b", spoken) if len(title) > 3 else None
        if found:
            extra = f"{spoken[: found.start()]} {spoken[found.end() :]}"
            return len(extra.split()) <= MAX_EXTRA_WORDS and not _TURNS.search(extra)
    return False


def _yes_or_no(choices: list[Choice], spoken: str) -> str | None:
    """A bare yes or no picks the menu's yes or no option, if it has exactly one.

    Only options that mean yes or no count: a bare "no" to "when would you start?" is not
    "No set timeline".
    """
    if _FILLER_ONLY.fullmatch(spoken):
        return None
    if _YES.fullmatch(spoken):
        wanted = [
            c for c in choices if c.payload == "/affirm" or re.match(r"yes\b", _plain(c.title))
        ]
    elif _NO.fullmatch(spoken):
        wanted = [c for c in choices if c.payload == "/deny"]
    else:
        return None
    return wanted[0].payload if len(wanted) == 1 else None


@dataclass
class Call:
    sid: str
    caller: str
    # Caller ID proves the number only with STIR/SHAKEN full attestation; otherwise it
    # is a claim anyone can spoof.
    caller_verified: bool = False
    choices: list[Choice] = field(default_factory=list)
    misses: int = 0
    answers: dict[str, str] = field(default_factory=dict)  # step -> TwiML already sent
    pending: asyncio.Task[list[dict[str, Any]]] | None = None
    pickups: int = 0
    hints: set[str] = field(default_factory=set)


class TwilioVoiceInput(InputChannel):
    def __init__(self, settings: Settings, store: ProfileStore) -> None:
        self.settings = settings
        self.voice = settings.voice
        self.store = store
        token = settings.twilio.auth_token
        self._validator = (
            RequestValidator(token.value) if token and settings.twilio.configured else None
        )
        self._calls: dict[str, Call] = {}

    @classmethod
    def name(cls) -> str:
        return "twilio_voice"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> TwilioVoiceInput:
        settings = load_settings()
        return cls(settings, ProfileStore.from_url(settings.database_url))

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        hooks = Blueprint("parley_twilio_voice", __name__)

        @hooks.route("/incoming", methods=["POST"])
        async def incoming(request: Request) -> HTTPResponse:
            return await self._step(request, on_new_message, "incoming")

        @hooks.route("/gather", methods=["POST"])
        async def gather(request: Request) -> HTTPResponse:
            return await self._step(request, on_new_message, "gather")

        @hooks.route("/pickup", methods=["POST"])
        async def pickup(request: Request) -> HTTPResponse:
            return await self._step(request, on_new_message, "pickup")

        @hooks.route("/dial", methods=["POST"])
        async def dial(request: Request) -> HTTPResponse:
            return await self._step(request, on_new_message, "dial")

        @hooks.route("/callback", methods=["POST"])
        async def callback(request: Request) -> HTTPResponse:
            return await self._step(request, on_new_message, "callback")

        @hooks.route("/status", methods=["POST"])
        async def status(request: Request) -> HTTPResponse:
            refusal = self._refusal(request)
            if refusal is not None:
                return refusal
            form = form_of(request)
            sid, state = field_of(form, "CallSid"), field_of(form, "CallStatus")
            if not sid or not state:
                return response.text("CallSid and CallStatus are required", status=400)
            call = self._calls.pop(sid, None)
            if call is not None and call.pending is not None:
                call.pending.cancel()
            await self._note(
                sid, "call_ended", {"status": state, "duration": field_of(form, "CallDuration")}
            )
            return response.empty()

        return hooks

    # ------------------------------------------------------------------ the steps

    async def _step(
        self, request: Request, on_new_message: OnNewMessage, kind: str
    ) -> HTTPResponse:
        refusal = self._refusal(request)
        if refusal is not None:
            return refusal
        form = form_of(request)
        sid = field_of(form, "CallSid")
        if not sid:
            return response.text("CallSid is required", status=400)
        step = f"{kind}:{request.args.get('seq', '0')}"
        call = self._calls.get(sid)
        if call is not None and step in call.answers:
            return _twiml(call.answers[step])  # a redelivery: same answer, no second effect
        if call is None:
            if kind != "incoming":
                return _twiml(str(_goodbye(self.voice, "Sorry, this call has ended. Goodbye.")))
            attested = field_of(form, "StirVerstat") == FULL_ATTESTATION
            call = self._calls[sid] = Call(sid, field_of(form, "From") or "", attested)
            await asyncio.to_thread(self._recognise, call)
        twiml = await self._answer(call, on_new_message, kind, form)
        call.answers[step] = twiml
        return _twiml(twiml)

    async def _answer(
        self, call: Call, on_new_message: OnNewMessage, kind: str, form: Mapping[str, Any]
    ) -> str:
        if kind == "incoming":
            return await self._run_turn(call, on_new_message, "/greet", {"caller": call.caller})
        if kind == "pickup":
            return await self._pick_up(call)
        if kind == "dial":
            return self._after_dial(call, field_of(form, "DialCallStatus") or "failed")
        if kind == "callback":
            digits = field_of(form, "Digits") or ""
            heard = field_of(form, "SpeechResult") or digits
            if not digits and turns_down(heard):
                # Silence, "no thanks" or "ok bye" asks for no call: their number stays unsaved.
                await self._note(call.sid, "callback_declined", {"said": heard})
                return str(_goodbye(self.voice, "All right. Thanks for calling. Goodbye."))
            await self._note(call.sid, "callback_requested", {"caller": call.caller, "said": heard})
            return str(
                _goodbye(
                    self.voice, "Thank you. Someone from our team will call you back soon. Goodbye."
                )
            )
        speech = (field_of(form, "SpeechResult") or "").strip()
        digits = (field_of(form, "Digits") or "").strip().rstrip("#")
        if not speech and not digits:
            return self._reprompt(call)
        call.misses = 0
        text = pick(call.choices, speech, digits) or speech or digits
        metadata = (
            {"voice_digits": digits}
            if digits
            else {"voice_speech": speech, "voice_confidence": field_of(form, "Confidence")}
        )
        return await self._run_turn(call, on_new_message, text, metadata)

    async def _run_turn(
        self, call: Call, on_new_message: OnNewMessage, text: str, metadata: dict[str, Any]
    ) -> str:
        text, stamped = apply_keywords(text, {**metadata, "caller": call.caller}, "voice")
        if metadata.get("voice_speech") or metadata.get("voice_digits"):
            # What the caller said or keyed is the evidence kept with a consent answer.
            stamped["original_text"] = (
                metadata.get("voice_speech") or f"pressed {metadata['voice_digits']}"
            )
        call.pending = asyncio.create_task(self._turn(on_new_message, call.sid, text, stamped))
        call.pickups = 0
        return await self._await_pending(call)

    async def _turn(
        self, on_new_message: OnNewMessage, sid: str, text: str, metadata: dict[str, Any]
    ) -> list[dict[str, Any]]:
        collector = collector_for(self.name())
        message = UserMessage(text, collector, sid, input_channel=self.name(), metadata=metadata)
        try:
            await on_new_message(message)
        except Exception:
            logger.exception("voice turn failed for call %s", sid)
            return [*collector.messages, {"text": SPOKEN_APOLOGY}]
        return collector.messages or [{"text": SPOKEN_APOLOGY}]

    async def _await_pending(self, call: Call) -> str:
        assert call.pending is not None
        try:
            messages = await asyncio.wait_for(
                asyncio.shield(call.pending), self.voice.answer_budget_s
            )
        except asyncio.TimeoutError:
            call.pickups += 1
            if call.pickups > MAX_PICKUPS:
                call.pending.cancel()
                return str(
                    _goodbye(
                        self.voice,
                        "Sorry, I'm having a technical problem. Please call again later. Goodbye.",
                    )
                )
            # Twilio hangs up on a slow webhook: hold the line and come back for the answer.
            twiml = VoiceResponse()
            twiml.say(HOLDING_LINE, voice=self.voice.voice, language=self.voice.language)
            twiml.redirect(
                self._url(f"/pickup?seq={call.pickups}-{len(call.answers)}"), method="POST"
            )
            return str(twiml)
        call.pending = None
        return self._render(call, messages)

    async def _pick_up(self, call: Call) -> str:
        if call.pending is None:
            return self._reprompt(call)
        return await self._await_pending(call)

    def _render(self, call: Call, messages: list[dict[str, Any]]) -> str:
        twiml = VoiceResponse()
        texts: list[str] = []
        choices: list[Choice] = []
        transfer = False
        for message in messages:
            custom = message.get("custom") or {}
            if isinstance(custom, dict) and custom.get("parley") == "transfer":
                transfer = True
            if message.get("text"):
                texts.append(speakable(str(message["text"])))
            buttons = message.get("buttons") or []
            if buttons:
                choices = [
                    Choice(str(b.get("title", "")), str(b.get("payload", ""))) for b in buttons
                ]
        call.choices = choices
        call.hints |= {c.title for c in choices}
        if transfer:
            for text in texts:
                for part in chunks(text):
                    twiml.say(part, voice=self.voice.voice, language=self.voice.language)
            return str(self._transfer(twiml))
        gather = self._gather(call, one_digit=picks_whole_answer(choices))
        for text in texts:
            for part in chunks(text):
                gather.say(part, voice=self.voice.voice, language=self.voice.language)
        if choices:
            menu = ", ".join(
                f"press {i} or say {spoken_title(c.title)}" for i, c in enumerate(choices, 1)
            )
            gather.say(menu + ".", voice=self.voice.voice, language=self.voice.language)
        twiml.append(gather)
        return str(twiml)

    def _gather(self, call: Call, one_digit: bool) -> Gather:
        options: dict[str, Any] = {
            "input": "speech dtmf",
            "action": self._url(f"/gather?seq={len(call.answers) + 1}"),
            "method": "POST",
            "language": self.voice.language,
            "speech_model": self.voice.speech_model,
            "speech_timeout": "auto",
            "timeout": self.voice.gather_timeout_s,
            "action_on_empty_result": True,
            "barge_in": True,
            "finish_on_key": "#",
        }
        if one_digit:
            options["num_digits"] = 1
        if call.hints:
            options["hints"] = ", ".join(sorted(call.hints))[:1000]
        return Gather(**options)

    def _reprompt(self, call: Call) -> str:
        call.misses += 1
        if call.misses > self.voice.reprompts:
            self._calls.pop(call.sid, None)
            return str(_goodbye(self.voice, GOODBYE))
        twiml = VoiceResponse()
        gather = self._gather(call, one_digit=picks_whole_answer(call.choices))
        gather.say(NOT_HEARD, voice=self.voice.voice, language=self.voice.language)
        if call.choices:
            menu = ", ".join(
                f"press {i} for {spoken_title(c.title)}" for i, c in enumerate(call.choices, 1)
            )
            gather.say(menu + ".", voice=self.voice.voice, language=self.voice.language)
        else:
            gather.say(
                "Please say that again, or key it in followed by the hash key.",
                voice=self.voice.voice,
                language=self.voice.language,
            )
        twiml.append(gather)
        return str(twiml)

    def _transfer(self, twiml: VoiceResponse) -> VoiceResponse:
        if not self.voice.sales_number:
            return self._offer_callback(twiml, "Everyone on our team is busy right now.")
        dial = Dial(action=self._url("/dial"), method="POST", timeout=25, answer_on_bridge=True)
        dial.number(self.voice.sales_number)
        twiml.append(dial)
        return twiml

    def _after_dial(self, call: Call, status: str) -> str:
        if status == "completed":
            done = VoiceResponse()
            done.hangup()
            return str(done)
        return str(
            self._offer_callback(VoiceResponse(), "Sorry, nobody from our team could answer.")
        )

    def _offer_callback(self, twiml: VoiceResponse, reason: str) -> VoiceResponse:
        gather = Gather(
            input="speech dtmf",
            action=self._url("/callback"),
            method="POST",
            language=self.voice.language,
            speech_timeout="auto",
            timeout=self.voice.gather_timeout_s,
            action_on_empty_result=True,
        )
        gather.say(
            f"{reason} Please say your name and a good time to call you back, or press any key "
            "to confirm we can call you back on this number.",
            voice=self.voice.voice,
            language=self.voice.language,
        )
        twiml.append(gather)
        return twiml

    # ------------------------------------------------------------------ helpers

    def _url(self, path: str) -> str:
        return f"{self.settings.twilio.public_url}{PREFIX}{path}"

    def _refusal(self, request: Request) -> HTTPResponse | None:
        return refusal(self._validator, self.settings.twilio.public_url, request)

    def _recognise(self, call: Call) -> None:
        """A caller whose number the carrier vouches for joins that number's profile;
        any other caller ID is only a claim and links nothing."""
        if not (call.caller_verified and E164.fullmatch(call.caller)):
            return
        try:
            self.store.contacts.verify_detail(
                "voice", call.sid, "phone", call.caller, "stir_shaken"
            )
        except StoreUnavailable as error:
            logger.error("could not look up caller for %s: %s", call.sid, error)

    async def _note(self, sid: str, kind: str, data: dict[str, Any]) -> None:
        def work() -> None:
            contact = self.store.contacts.for_identity("voice", sid)
            caller = str(data.get("caller") or "")
            if kind == "callback_requested" and (contact is None or not contact.phone):
                contact = self.store.contacts.ensure("voice", sid)
                if E164.fullmatch(caller):
                    # The number they called from is the one they asked to be called on;
                    # someone else's number stays a claim beside this call's contact.
                    contact = self.store.contacts.record_stated_details(
                        "voice", sid, {"phone": caller}, sid
                    )
            if contact is not None:
                self.store.contacts.record_event(contact.id, kind, {"call_sid": sid, **data})

        try:
            await asyncio.to_thread(work)
        except StoreUnavailable as error:
            logger.error("could not record %s for call %s: %s", kind, sid, error)


def _goodbye(voice: Any, text: str) -> VoiceResponse:
    twiml = VoiceResponse()
    twiml.say(text, voice=voice.voice, language=voice.language)
    twiml.hangup()
    return twiml


def _twiml(body: str) -> HTTPResponse:
    return response.text(body, content_type="text/xml")
