"""One conversation with a running Parley: the web chat's REST channel, or a phone call.

A call is driven as Twilio drives it: signed webhooks (`parley call`'s CallSimulator),
speech as a recognizer writes it, and what the caller hears read back out of the TwiML.
"""

from __future__ import annotations

import re
import time
import uuid
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass
from typing import Protocol

import httpx

from bench.evaluation.responses import BotMessage, ResponseBook
from bot.call_simulator import PREFIX, CallSimulator
from bot.settings import Settings
from channels.rest import rest_conversation_id

TIMEOUT_S = 60
# "press 1 or say Book a demo, press 2 or say Pricing."
_SPOKEN_OPTION = re.compile(r"\bpress \d+ or say (.+?)(?=, press \d|[.]\s|[.]?$)")


class Line(Protocol):
    channel: str  # Parley's channel name, as the profile store keys identities
    conversation_id: str
    ended: bool

    def start(self, opener: str) -> list[BotMessage]: ...

    def send(self, text: str) -> list[BotMessage]: ...


@dataclass(frozen=True)
class Target:
    """Where Parley listens, and how to reach it."""

    settings: Settings

    @property
    def rest_headers(self) -> dict[str, str]:
        token = self.settings.chat.rest_token
        return {"Authorization": f"Bearer {token.value}"} if token is not None else {}


_RETRIES_AFTER_429 = 3


class ChatLine:
    channel = "rest"

    def __init__(self, target: Target, book: ResponseBook) -> None:
        self._url = f"{target.settings.rasa_url}/webhooks/rest/webhook"
        self._headers = target.rest_headers
        self._book = book
        self._sender = f"eval-{uuid.uuid4().hex[:12]}"
        self.conversation_id = rest_conversation_id(self._sender)
        self.ended = False

    def start(self, opener: str) -> list[BotMessage]:
        return self.send(opener)

    def send(self, text: str) -> list[BotMessage]:
        body = {"sender": self._sender, "message": text}
        reply = httpx.post(self._url, json=body, headers=self._headers, timeout=TIMEOUT_S)
        for _ in range(_RETRIES_AFTER_429):
            if reply.status_code != 429:
                break
            # A person types slower than the simulator: a long conversation can use up its
            # burst, and the channel says when to go on, as a real widget would wait.
            time.sleep(float(reply.headers.get("Retry-After", "1")))
            reply = httpx.post(self._url, json=body, headers=self._headers, timeout=TIMEOUT_S)
        reply.raise_for_status()
        return [BotMessage.from_rest(m, self._book) for m in reply.json() if m.get("text")]


class CallLine:
    """A caller whose number is not attested (no profile is linked from caller ID)."""

    channel = "voice"

    def __init__(self, target: Target, book: ResponseBook, caller: str) -> None:
        self._call = CallSimulator(target.settings, caller, say=lambda _: None)
        self._book = book
        self._gather: str | None = None
        self.conversation_id = self._call.sid
        self.ended = False
        self.transferred = False

    def start(self, opener: str) -> list[BotMessage]:
        heard = self._walk(self._call.post(f"{PREFIX}/incoming"))
        return heard + self.send(opener)

    def send(self, text: str) -> list[BotMessage]:
        if self.ended or self._gather is None:
            self.ended = True
            return []
        extra = {"SpeechResult": text, "Confidence": "0.87"}
        return self._walk(self._call.post(self._gather, extra))

    def hang_up(self) -> None:
        if not self.ended:
            self._call.hang_up()
            self.ended = True

    def _walk(self, twiml: ElementTree.Element) -> list[BotMessage]:
        """Everything said until the caller is asked to speak (or the call ends)."""
        said: list[str] = []
        self._gather = None
        step: ElementTree.Element | None = twiml
        while step is not None:
            step = self._verbs(step, said)
        text = " ".join(said)
        if not text:
            return []
        # A spoken menu is the caller's buttons: they say an option's words, as on the phone.
        options = tuple((title, title) for title in _SPOKEN_OPTION.findall(text))
        return [BotMessage(text, options, tuple(self._book.names_in(text)))]

    def _verbs(self, twiml: ElementTree.Element, said: list[str]) -> ElementTree.Element | None:
        for verb in twiml:
            if verb.tag == "Say":
                said.append(verb.text or "")
            elif verb.tag == "Gather":
                said.extend(inner.text or "" for inner in verb if inner.tag == "Say")
                self._gather = verb.attrib["action"]
                return None
            elif verb.tag == "Redirect":
                return self._call.post(verb.text or "")
            elif verb.tag == "Dial":
                # The sales line picks up: the caller has reached a person.
                self.ended = self.transferred = True
                self._call.post(verb.attrib["action"], {"DialCallStatus": "completed"})
                return None
            elif verb.tag == "Hangup":
                self.ended = True
                return None
        return None
