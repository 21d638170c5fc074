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
