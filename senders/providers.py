"""One sender per channel, for whichever providers the settings configure."""

from __future__ import annotations

from collections.abc import Mapping

from bot.settings import Settings
from senders.interface import Sender
from senders.mail import EmailSender
from senders.telegram_texts import TelegramSender
from senders.twilio_texts import TwilioTextSender


def build_senders(settings: Settings) -> Mapping[str, Sender]:
    """A sender for every channel whose provider is configured (SMS and WhatsApp share
    one Twilio sender)."""
    senders: dict[str, Sender] = {}
    if settings.twilio.configured and settings.twilio.auth_token is not None:
        twilio = TwilioTextSender(settings.twilio)
        senders["sms"] = senders["whatsapp"] = twilio
    if settings.telegram.configured:
        senders["telegram"] = TelegramSender(settings.telegram)
    if settings.mail.configured:
        senders["email"] = EmailSender(settings.mail)
    return senders
