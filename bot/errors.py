"""Typed errors. They carry data; the edges (HTTP, CLI, chat) turn them into words."""

from __future__ import annotations

from dataclasses import dataclass


class ParleyError(Exception):
    """Base of every error Parley raises on purpose."""


@dataclass
class MissingSetting(ParleyError):
    key: str
    hint: str = ""

    def __str__(self) -> str:
        return f"setting {self.key} is required{': ' + self.hint if self.hint else ''}"


@dataclass
class InvalidSetting(ParleyError):
    key: str
    reason: str

    def __str__(self) -> str:
        return f"setting {self.key} is invalid: {self.reason}"


@dataclass
class StoreUnavailable(ParleyError):
    """The profile database could not be reached; the caller should retry later."""

    reason: str

    def __str__(self) -> str:
        return f"profile store unavailable: {self.reason}"


@dataclass
class ContactNotFound(ParleyError):
    key: str

    def __str__(self) -> str:
        return f"no contact matches {self.key!r}"


@dataclass
class InvalidField(ParleyError):
    """A value a person gave for a lead field failed validation."""

    field: str
    reason: str

    def __str__(self) -> str:
        return f"{self.field}: {self.reason}"


@dataclass
class DeliveryFailed(ParleyError):
    """A webhook or an email could not be delivered; `retryable` says whether to try again."""

    target: str
    reason: str
    retryable: bool

    def __str__(self) -> str:
        kind = "will retry" if self.retryable else "permanent"
        return f"{self.target}: {self.reason} ({kind})"


@dataclass
class SlotTaken(ParleyError):
    """Someone else booked this meeting time first."""

    start: object

    def __str__(self) -> str:
        return f"the meeting time {self.start} is no longer free"


@dataclass
class ConversationNotInInbox(ParleyError):
    """No handoff ever put this conversation in the sales inbox."""

    conversation_id: str

    def __str__(self) -> str:
        return f"conversation {self.conversation_id!r} is not in the inbox"


@dataclass
class ConversationHeld(ParleyError):
    """Another person holds this conversation: one person answers at a time."""

    conversation_id: str
    holder: str

    def __str__(self) -> str:
        return f"{self.holder} holds this conversation"


@dataclass
class ConversationClosed(ParleyError):
    """The conversation was closed; a new handoff opens it again."""

    conversation_id: str

    def __str__(self) -> str:
        return "this conversation is closed"


@dataclass
class ReplyNotResendable(ParleyError):
    """Only a reply that failed or may not have arrived is sent again, and only once."""

    message_id: int
    delivery: str

    def __str__(self) -> str:
        if self.delivery == "resent":
            return "this reply was sent again already"
        return f"this reply is {self.delivery}: only a failed or uncertain one is sent again"


@dataclass
class OutsideReplyWindow(ParleyError):
    """WhatsApp takes free-form replies only within 24 hours of the person's last message."""

    channel: str
    last_message_at: object

    def __str__(self) -> str:
        since = (
            f"the person last wrote at {self.last_message_at}"
            if self.last_message_at
            else ("the person has not written on it")
        )
        return f"{self.channel} takes a free-form reply only within 24 hours: {since}"


@dataclass
class OptedOut(ParleyError):
    """The person asked not to be contacted on this channel (STOP, a carrier block)."""

    channel: str

    def __str__(self) -> str:
        return f"the person asked not to be contacted on {self.channel}"
