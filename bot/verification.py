"""Sending one-time codes that prove an email address or a phone number (#17).

Transactional messages: they answer the person's own request, carry no marketing and
need no consent. Blocking (smtplib, httpx): async callers run them in a thread. The code
is never stored in clear; it exists only in the message sent.
"""

from __future__ import annotations

import httpx

from bot import mailer
from bot.errors import DeliveryFailed
from bot.settings import Settings

TIMEOUT_S = 15.0
CODE_MINUTES = 10


def can_send(settings: Settings, field: str) -> bool:
    """Whether Parley has a way to send a code to this kind of address."""
    if field == "email":
        return settings.mail.configured
    if field == "phone":
        return settings.twilio.auth_token is not None and bool(settings.twilio.sms_from)
    return False


def send_code(settings: Settings, field: str, address: str, code: str) -> None:
    """Send `code` to `address`. Raises DeliveryFailed."""
    if not can_send(settings, field):
        raise DeliveryFailed(field, f"no way to send a code by {field}", retryable=False)
    if field == "email":
        message = mailer.new_message(
            settings.mail, address, f"Your {settings.company_name} code", email_body(settings, code)
        )
        mailer.send(message, settings.mail)
    else:
        send_sms(settings, address, sms_body(settings, code))


def email_body(settings: Settings, code: str) -> str:
    return (
        f"Your {settings.company_name} verification code is {code}.\n\n"
        f"Someone asked our chat assistant about the details {settings.company_name} holds "
        f"for this address. Type the code in that conversation to confirm it was you. "
        f"It works for {CODE_MINUTES} minutes.\n\n"
        f"If that wasn't you, ignore this email: nothing is shown, changed or deleted "
        f"without the code. Questions: {settings.privacy_contact}"
    )


def sms_body(settings: Settings, code: str) -> str:
    return (
        f"Your {settings.company_name} verification code is {code}. It works for "
        f"{CODE_MINUTES} minutes. Didn't ask for it? Ignore this message."
    )


def send_sms(settings: Settings, to: str, body: str) -> None:
    twilio = settings.twilio
    assert twilio.auth_token is not None
    url = f"{twilio.api_base_url}/2010-04-01/Accounts/{twilio.account_sid}/Messages.json"
    try:
        reply = httpx.post(
            url,
            data={"To": to, "From": twilio.sms_from, "Body": body},
            auth=(twilio.account_sid, twilio.auth_token.value),
            timeout=TIMEOUT_S,
        )
    except httpx.HTTPError as error:
        raise DeliveryFailed("sms", f"Twilio unreachable: {error}", retryable=True) from error
    if reply.status_code >= 300:
        raise DeliveryFailed(
            "sms",
            f"Twilio HTTP {reply.status_code}: {reply.text[:200]}",
            retryable=reply.status_code >= 500 or reply.status_code == 429,
        )
