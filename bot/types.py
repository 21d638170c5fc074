"""Domain types shared by every part of Parley."""

from __future__ import annotations

from typing import Literal, NewType, get_args

ContactId = NewType("ContactId", str)

Channel = Literal["web", "rest", "shell", "telegram", "sms", "whatsapp", "voice", "import", "staff"]
CHANNELS: tuple[str, ...] = get_args(Channel)

LeadField = Literal["name", "email", "phone", "company", "role", "need"]
LEAD_FIELDS: tuple[LeadField, ...] = get_args(LeadField)

LeadStatus = Literal["new", "partial", "captured", "confirmed", "cancelled"]
LEAD_STATUSES: tuple[str, ...] = get_args(LeadStatus)

Purpose = Literal["email", "sms", "whatsapp", "telegram", "phone", "profiling"]
PURPOSES: tuple[Purpose, ...] = get_args(Purpose)

ConsentSource = Literal["conversation", "keyword", "voice", "import", "staff"]
CONSENT_SOURCES: tuple[ConsentSource, ...] = get_args(ConsentSource)

DncReason = Literal["withdrawn", "undeliverable", "blocked", "carrier_block", "staff"]
DNC_REASONS: tuple[DncReason, ...] = get_args(DncReason)

# Do-not-contact is per way of reaching someone, which includes email and phone calls.
DncChannel = Channel | Literal["email", "phone"]
DNC_CHANNELS: tuple[str, ...] = (*CHANNELS, "email", "phone")
