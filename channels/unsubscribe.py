"""One-click unsubscribe for marketing email (the links `bot.unsubscribe` signs).

Routes (under /webhooks/unsubscribe/):
  * `GET /u/<token>`: a page with one button that POSTs to the same URL. It changes
    nothing: mail scanners and link previews fetch every link in an email.
  * `POST /u/<token>`: the unsubscribe, from that button or straight from the mail
    client (RFC 8058: body `List-Unsubscribe=One-Click`). It records an email consent
    withdrawal and an email do-not-contact entry; doing it again changes nothing more.
  * `GET /c/<token>` and `POST /c/<token>`: the same pair for confirming a marketing
    grant given in a chat for an email address not yet proven (double opt-in, signed
    by `bot.double_opt_in`): only the button's POST confirms.
A token that was not signed with PARLEY_UNSUBSCRIBE_SECRET gets a 404 and no store
access. While the profile store is down the answer is 503 ("try again"): the consent
journal (bot/journal.py) finds people by a channel identity, and a link carries only a
contact id, so there is nowhere to keep the withdrawal until the store is back.
"""

from __future__ import annotations

import asyncio
import html
import logging
from collections.abc import Awaitable, Callable
from typing import Any, Literal

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.double_opt_in import event_for_token
from bot.errors import ContactNotFound, StoreUnavailable
from bot.settings import Secret, load_settings
from bot.store import ConsentWords, ProfileStore
from bot.types import ContactId
from bot.unsubscribe import ONE_CLICK_BODY, contact_for_token

logger = logging.getLogger(__name__)

Method = Literal["one-click", "page"]
Outcome = Literal["withdrawn", "already withdrawn", "contact gone"]
BUTTON = "Unsubscribe from marketing email"
WORDING: dict[Method, str] = {
    "one-click": f"{BUTTON} (one-click link)",
    "page": f"{BUTTON} (button on the unsubscribe page)",
}
WORDING_VERSION = "unsubscribe-1"
MAX_USER_AGENT = 300
HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",  # the token is in the URL
    "X-Robots-Tag": "noindex",
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'",
}


class UnsubscribeInput(InputChannel):
    def __init__(self, secret: Secret, company: str, store: ProfileStore) -> None:
        self.secret = secret
        self.company = company
        self.store = store

    @classmethod
    def name(cls) -> str:
        return "unsubscribe"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> UnsubscribeInput:
        settings = load_settings()
        return cls(
            settings.campaigns.unsubscribe_secret,
            settings.company_name,
            ProfileStore.from_url(settings.database_url),
        )

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        hooks = Blueprint("parley_unsubscribe", __name__)

        @hooks.route("/u/<token:str>", methods=["GET"])
        async def confirm(request: Request, token: str) -> HTTPResponse:
            if contact_for_token(token, self.secret) is None:
                return self._page(NOT_FOUND, status=404)
            return self._page(self._confirm_page())

        @hooks.route("/u/<token:str>", methods=["POST"])
        async def unsubscribe(request: Request, token: str) -> HTTPResponse:
            contact_id = contact_for_token(token, self.secret)
            if contact_id is None:
                return self._page(NOT_FOUND, status=404)
            method: Method = "one-click" if _is_one_click(request) else "page"
            agent = request.headers.get("User-Agent", "")[:MAX_USER_AGENT] or None
            try:
                outcome = await asyncio.to_thread(self._withdraw, contact_id, method, agent)
            except StoreUnavailable as error:
                logger.error("unsubscribe of contact %s not recorded: %s", contact_id, error)
                return self._page(TRY_AGAIN, status=503, headers={"Retry-After": "60"})
            logger.info("unsubscribe (%s) of contact %s: %s", method, contact_id, outcome)
            if method == "one-click":
                return response.text("unsubscribed", headers=HEADERS)
            return self._page(self._done_page())

        @hooks.route("/c/<token:str>", methods=["GET"])
        async def confirm_page(request: Request, token: str) -> HTTPResponse:
            if event_for_token(token, self.secret) is None:
                return self._page(NOT_FOUND, status=404)
            company = html.escape(self.company)
            return self._page(_html(
                f"Confirm email from {company}",
                f"<h1>Confirm email from {company}</h1><p>You asked us in a chat to send you "
                f"marketing email. Press the button to confirm this address is yours.</p>"
                f'<form method="post"><button type="submit">{CONFIRM_BUTTON}</button></form>',
            ))  # fmt: skip

        @hooks.route("/c/<token:str>", methods=["POST"])
        async def confirm_consent(request: Request, token: str) -> HTTPResponse:
            event_id = event_for_token(token, self.secret)
            if event_id is None:
                return self._page(NOT_FOUND, status=404)
            agent = request.headers.get("User-Agent", "")[:MAX_USER_AGENT] or None
            evidence = {"user_agent": agent}
            try:
                done = await asyncio.to_thread(
                    self.store.consent.confirm, event_id, "email_link", evidence
                )
            except StoreUnavailable as error:
                logger.error("consent confirmation %s not recorded: %s", event_id, error)
                return self._page(TRY_AGAIN, status=503, headers={"Retry-After": "60"})
            logger.info("consent grant %s confirmed: %s", event_id, done is not None)
            return self._page(CONFIRMED if done is not None else NOTHING_TO_CONFIRM)

        return hooks

    def _withdraw(self, contact_id: ContactId, method: Method, user_agent: str | None) -> Outcome:
        """Runs on a worker thread: the store's calls block."""
        evidence = {"method": method, "user_agent": user_agent}
        words = ConsentWords("web", WORDING[method], WORDING_VERSION, "unsubscribe", evidence)
        note = f"unsubscribe link in an email ({method})"
        try:
            # Pressed again, it appends nothing but makes sure of the do-not-contact entry.
            change = self.store.consent.withdraw(
                contact_id, ["email"], words, note, skip_repeat=True
            )
        except ContactNotFound:
            return "contact gone"  # erased meanwhile: there is no one left to email
        return "withdrawn" if change.events else "already withdrawn"

    def _confirm_page(self) -> str:
        company = html.escape(self.company)
        return _html(
            f"Unsubscribe from {company}",
            f"<h1>Unsubscribe from {company} marketing email</h1>"
            f"<p>Press the button and {company} will send you no more marketing email.</p>"
            f'<form method="post"><button type="submit">{BUTTON}</button></form>',
        )

    def _done_page(self) -> str:
        company = html.escape(self.company)
        return _html(
            "You are unsubscribed",
            f"<h1>You are unsubscribed</h1><p>{company} will send you no more marketing email.</p>",
        )

    def _page(
        self, body: str, status: int = 200, headers: dict[str, str] | None = None
    ) -> HTTPResponse:
        return response.html(body, status=status, headers={**HEADERS, **(headers or {})})


def _is_one_click(request: Request) -> bool:
    key, _, value = ONE_CLICK_BODY.partition("=")
    return request.form.get(key) == value


def _html(title: str, body: str) -> str:
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{title}</title><style>{STYLE}</style></head><body><main>{body}</main>"
        "</body></html>"
    )


STYLE = (
    "body{font-family:system-ui,sans-serif;background:#f6f6f6;color:#222;margin:0}"
    "main{max-width:32rem;margin:4rem auto;padding:2rem;background:#fff;border-radius:8px}"
    "button{font-size:1rem;padding:.7rem 1.2rem;border:0;border-radius:6px;"
    "background:#1f5fbf;color:#fff;cursor:pointer}"
)
NOT_FOUND = _html(
    "Link not recognised",
    "<h1>This link is not recognised</h1>"
    "<p>Please use the unsubscribe link from the email exactly as it arrived.</p>",
)
CONFIRM_BUTTON = "Yes, send me email"
CONFIRMED = _html(
    "Confirmed",
    "<h1>Thanks, that's confirmed</h1><p>Every email has a link to unsubscribe.</p>",
)
NOTHING_TO_CONFIRM = _html(
    "Nothing to confirm",
    "<h1>There is nothing to confirm</h1>"
    "<p>This was confirmed already, or withdrawn since. Nothing has changed.</p>",
)
TRY_AGAIN = _html(
    "Please try again",
    "<h1>We could not unsubscribe you just now</h1>"
    "<p>Nothing went through. Please try again in a few minutes.</p>",
)
