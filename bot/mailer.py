"""Sending email over SMTP: one message per connection, errors sorted into retry or not.

Blocking (smtplib): callers in async code run it in a thread.
"""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from email.utils import make_msgid

from bot.errors import DeliveryFailed
from bot.settings import MailSettings

TIMEOUT_S = 15.0


def new_message(settings: MailSettings, to: str, subject: str, body: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = settings.mail_from
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = make_msgid(domain=settings.mail_from.rsplit("@", 1)[-1])
    footer = f"\n\n--\n{settings.postal_address}" if settings.postal_address else ""
    message.set_content(body + footer)
    return message


def send(message: EmailMessage, settings: MailSettings) -> str:
    """Send `message`; return its Message-ID. Raises DeliveryFailed (retryable or not)."""
    if not settings.configured:
        raise DeliveryFailed(
            "email", "SMTP is not configured (PARLEY_SMTP_HOST, PARLEY_MAIL_FROM)", retryable=False
        )
    try:
        with _connect(settings) as smtp:
            if settings.security == "starttls":
                smtp.starttls(context=ssl.create_default_context())
            if settings.username and settings.password is not None:
                smtp.login(settings.username, settings.password.value)
            refused = smtp.send_message(message)
    except smtplib.SMTPRecipientsRefused as error:
        codes = [code for code, _ in error.recipients.values()]
        raise DeliveryFailed(
            "email", f"recipient refused: {codes}", retryable=all(400 <= c < 500 for c in codes)
        ) from error
    except smtplib.SMTPResponseException as error:
        raise DeliveryFailed(
            "email",
            f"SMTP {error.smtp_code}: {error.smtp_error!r}",
            retryable=error.smtp_code < 500,
        ) from error
    except (OSError, smtplib.SMTPException) as error:
        raise DeliveryFailed(
            "email", f"SMTP server unreachable: {error}", retryable=True
        ) from error
    if refused:
        raise DeliveryFailed("email", f"recipients refused: {sorted(refused)}", retryable=False)
    return str(message["Message-ID"])


def _connect(settings: MailSettings) -> smtplib.SMTP:
    if settings.security == "tls":
        return smtplib.SMTP_SSL(
            settings.host, settings.port, timeout=TIMEOUT_S, context=ssl.create_default_context()
        )
    return smtplib.SMTP(settings.host, settings.port, timeout=TIMEOUT_S)
