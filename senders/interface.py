"""Outbound messages and the Sender interface that chat replies and campaigns send through.

A caller builds an `OutboundMessage`; a provider sender in `senders/` delivers it and
answers with a `SendReceipt`, or raises `SendFailed` saying whether trying again could
help and whether the failure means the person must not be contacted there again. What
to do about a failure is the caller's choice: the campaign outbox retries later, a chat
reply retries at once (`senders.retry`) and then gives up with a log line.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal, Protocol

from bot.errors import ParleyError
from bot.types import DncReason

SendChannel = Literal["sms", "whatsapp", "telegram", "email"]


@dataclass(frozen=True)
class Button:
    title: str
    payload: str  # what comes back when it is pressed (Telegram: callback_data, 64 bytes)


@dataclass(frozen=True)
class OutboundMessage:
    channel: SendChannel
    to: str  # E.164 phone, Telegram chat id or email address
    text: str
    subject: str | None = None  # email
    unsubscribe_url: str | None = None  # email: List-Unsubscribe, one click
    content_sid: str | None = None  # WhatsApp: a pre-approved template
    content_variables: Mapping[str, str] = field(default_factory=dict)
    # SMS/WhatsApp: a chat reply goes out from the number the person wrote to when no
    # sending number is configured (`whatsapp:` prefix included, as Twilio gave it).
    reply_from: str | None = None
    # Telegram: a photo (by URL) with `text` as its caption, and inline buttons, one a row.
    image_url: str | None = None
    buttons: tuple[Button, ...] = ()
    reference: str = ""  # the outbox key, for logs and provider metadata


@dataclass(frozen=True)
class SendReceipt:
    provider_message_id: str


@dataclass
class SendFailed(ParleyError):
    channel: str
    reason: str
    retryable: bool
    code: str | None = None
    # Set when the provider says this address must not be contacted again.
    do_not_contact: DncReason | None = None
    # The request may have reached the provider (a timeout after sending): trying again
    # could deliver it twice, so campaigns neither retry it nor count it failed.
    maybe_sent: bool = False
    # How long the provider asked us to wait before trying again (Telegram's flood control).
    retry_after_s: float | None = None

    def __str__(self) -> str:
        kind = "will retry" if self.retryable else "permanent"
        code = f" [{self.code}]" if self.code else ""
        return f"{self.channel}{code}: {self.reason} ({kind})"


class Sender(Protocol):
    async def send(self, message: OutboundMessage) -> SendReceipt: ...

    async def close(self) -> None: ...
