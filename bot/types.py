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
