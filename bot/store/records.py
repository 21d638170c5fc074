"""What the store hands out: frozen values, never ORM rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.types import Channel, ContactId, LeadField, LeadStatus


@dataclass(frozen=True)
class Identity:
    """One way to reach a contact: a channel and that channel's id for them."""

    channel: Channel
    external_id: str

    def to_export(self) -> dict[str, str]:
        return {"channel": self.channel, "external_id": self.external_id}


@dataclass(frozen=True)
class Contact:
    id: ContactId
    name: str | None
    email: str | None
    phone: str | None
    company: str | None
    role: str | None
    need: str | None
    lead_status: LeadStatus
    channels: tuple[Identity, ...]
    created_at: datetime
    updated_at: datetime

    def to_export(self) -> dict[str, Any]:
        """The JSON-ready export; its keys are a public contract."""
        return {
            "id": self.id,
            "name": self.name,
            "email": self.email,
            "phone": self.phone,
            "company": self.company,
            "role": self.role,
            "need": self.need,
            "channels": [identity.to_export() for identity in self.channels],
            "lead_status": self.lead_status,
            "created_at": self.created_at.isoformat(),
            "updated_at": self.updated_at.isoformat(),
        }


@dataclass(frozen=True)
class TimelineEvent:
    id: int
    contact_id: ContactId
    kind: str
    data: dict[str, Any]
    occurred_at: datetime


@dataclass(frozen=True)
class LeadAnswer:
    field: LeadField
    value: str
    answered_at: datetime


@dataclass(frozen=True)
class Lead:
    id: str
    contact_id: ContactId
    status: LeadStatus
    channel: Channel
    conversation_id: str
    started_at: datetime
    updated_at: datetime
    answers: tuple[LeadAnswer, ...]
