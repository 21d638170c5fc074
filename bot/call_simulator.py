"""A simulated phone call: Twilio's side of the voice webhooks, signed as Twilio signs them.

`parley call` plays it in a terminal; the studio's try panel and the evaluation play it
from a script. It prints what the caller would hear and takes typed speech or keypresses:
  text      what you say
  #123      keys you press (ended with # as on a phone)
  /hangup   hang up
Transfers ask whether the sales line answered.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import uuid
import xml.etree.ElementTree as ElementTree
from collections.abc import Callable, Mapping
from urllib.parse import urlsplit

import httpx

from bot.errors import MissingSetting, ParleyError
from bot.settings import Settings

PREFIX = "/webhooks/twilio_voice"


def twilio_signature(token: str, url: str, params: Mapping[str, str]) -> str:
    """Twilio's X-Twilio-Signature: HMAC-SHA1 over the URL and the sorted form fields."""
    payload = url + "".join(f"{key}{params[key]}" for key in sorted(params))
    digest = hmac.new(token.encode(), payload.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


class CallSimulator:
    def __init__(self, settings: Settings, caller: str, say: Callable[[str], None] = print) -> None:
        token = settings.twilio.auth_token
        if token is None or not settings.twilio.public_url:
            raise MissingSetting(
                "TWILIO_AUTH_TOKEN", "and PARLEY_PUBLIC_URL: the voice channel needs both"
            )
        self._token = token.value
        self._public = settings.twilio.public_url
        self._local = settings.rasa_url
        self.sid = "CA" + uuid.uuid4().hex
        self.caller = caller
        self.say = say
        self.ended = False

    def post(self, url: str, extra: Mapping[str, str] | None = None) -> ElementTree.Element:
        """POST to a TwiML URL (public form, as Twilio would call it) and parse the answer."""
        params = {
            "CallSid": self.sid,
            "From": self.caller,
            "To": "+15005550006",
            "AccountSid": "AC" + "0" * 32,
            "CallStatus": "in-progress",
            **(extra or {}),
        }
        if not url.startswith("http"):
            url = self._public + url
        parts = urlsplit(url)
        local = f"{self._local}{parts.path}" + (f"?{parts.query}" if parts.query else "")
        headers = {"X-Twilio-Signature": twilio_signature(self._token, url, params)}
        reply = httpx.post(local, data=params, headers=headers, timeout=30)
        if not reply.is_success:
            raise ParleyError(f"Parley answered {reply.status_code}: {reply.text[:200]}")
        # A status callback is answered with no content; every other step with TwiML.
        return ElementTree.fromstring(reply.text or "<Response/>")

    def play(
        self, twiml: ElementTree.Element, ask: Callable[[str], str]
    ) -> ElementTree.Element | None:
        """Say what the TwiML says; return the next TwiML, or None when the call is over."""
        for verb in twiml:
            if verb.tag == "Say":
                self.say(f"  Parley: {verb.text or ''}")
            elif verb.tag == "Gather":
                for inner in verb:
                    if inner.tag == "Say":
                        self.say(f"  Parley: {inner.text or ''}")
                heard = ask("you> ").strip()
                if heard == "/hangup":
                    self.hang_up()
                    return None
                extra = (
                    {"Digits": heard[1:].rstrip("#")}
                    if heard.startswith("#")
                    else {"SpeechResult": heard, "Confidence": "0.9"}
                )
                return self.post(verb.attrib["action"], extra if heard else {})
            elif verb.tag == "Redirect":
                return self.post(verb.text or "")
            elif verb.tag == "Dial":
                number = "".join(n.text or "" for n in verb)
                answered = (
                    ask(f"  (transferring to {number}; did they answer? y/N) ").strip().lower()
                )
                status = "completed" if answered.startswith("y") else "no-answer"
                return self.post(verb.attrib["action"], {"DialCallStatus": status})
            elif verb.tag == "Hangup":
                self.say("  (Parley hung up)")
                self.ended = True
                return None
        return None

    def hang_up(self) -> None:
        self.post(f"{PREFIX}/status", {"CallStatus": "completed", "CallDuration": "42"})
        self.say("  (you hung up)")
        self.ended = True
