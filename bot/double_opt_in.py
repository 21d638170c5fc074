"""Double opt-in (#17): asking an unproven address to confirm a marketing grant.

An email carries a signed link to a page with one button (a POST: mail scanners fetch
every link, and a fetch must confirm nothing); a text asks for a YES reply. Both are
transactional messages about the person's own request. Blocking: async callers use a
thread.
"""

from __future__ import annotations

import hmac
import re

from bot import mailer
from bot.errors import DeliveryFailed
from bot.settings import Secret, Settings
from bot.store import ConsentEvent
from bot.unsubscribe import signed_mac
from bot.verification import can_send, send_sms

PATH_PREFIX = "/webhooks/unsubscribe/c/"
_TOKEN = re.compile(r"([0-9]{1,18})\.([A-Za-z0-9_-]{22})")
PURPOSE_WORDS = {
    "email": "marketing email",
    "sms": "text messages",
    "whatsapp": "WhatsApp messages",
    "phone": "phone calls",
}


def confirmation_token(event_id: int, secret: Secret) -> str:
    return f"{event_id}.{_mac(event_id, secret)}"


def event_for_token(token: str, secret: Secret) -> int | None:
    """The pending grant a link was made for; None for anything forged or malformed."""
    match = _TOKEN.fullmatch(token) if isinstance(token, str) else None
    if match is None:
        return None
    event_id = int(match.group(1))
    if not hmac.compare_digest(match.group(2).encode(), _mac(event_id, secret).encode()):
        return None
    return event_id


def can_confirm(settings: Settings, purpose: str) -> bool:
    """Whether Parley can ask this purpose's address for a confirmation."""
    if purpose == "email":
        return settings.mail.configured and bool(settings.twilio.public_url)
    return purpose in ("sms", "whatsapp") and can_send(settings, "phone")


def ask_to_confirm(settings: Settings, event: ConsentEvent, address: str) -> None:
    """Send the confirmation request for a pending grant. Raises DeliveryFailed."""
    if not can_confirm(settings, event.purpose):
        raise DeliveryFailed(event.purpose, "no way to ask for a confirmation", retryable=False)
    company = settings.company_name
    what = PURPOSE_WORDS.get(event.purpose, event.purpose)
    if event.purpose == "email":
        url = confirmation_url(settings, event.id)
        body = (
            f"You asked {company}'s chat assistant to send you {what}. To confirm that this "
            f"address is yours and that you want it, open this link and press the button:\n\n"
            f"{url}\n\nIf that wasn't you, ignore this email: nothing will be sent."
        )
        message = mailer.new_message(
            settings.mail, address, f"Please confirm: {what} from {company}", body
        )
        mailer.send(message, settings.mail)
        return
    send_sms(
        settings, address,
        f"{company}: reply YES to confirm you'd like {what} from us. "
        "Didn't ask? Ignore this and nothing will be sent.",
    )  # fmt: skip


def confirmation_url(settings: Settings, event_id: int) -> str:
    secret = settings.campaigns.unsubscribe_secret
    return f"{settings.twilio.public_url.rstrip('/')}{PATH_PREFIX}{confirmation_token(event_id, secret)}"


def _mac(event_id: int, secret: Secret) -> str:
    # Keyed like unsubscribe links, with a prefix of its own.
    return signed_mac(b"parley-confirm-consent:", str(event_id), secret)
