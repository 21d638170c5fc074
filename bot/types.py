"""Domain types shared by every part of Parley."""

from __future__ import annotations

import re
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

ConsentSource = Literal[
    "conversation", "keyword", "voice", "import", "staff", "unsubscribe", "confirmation"
]
CONSENT_SOURCES: tuple[ConsentSource, ...] = get_args(ConsentSource)

DncReason = Literal["withdrawn", "undeliverable", "blocked", "carrier_block", "staff"]
DNC_REASONS: tuple[DncReason, ...] = get_args(DncReason)

# Do-not-contact is per way of reaching someone, which includes email and phone calls.
DncChannel = Channel | Literal["email", "phone"]
DNC_CHANNELS: tuple[str, ...] = (*CHANNELS, "email", "phone")

# Qualification (#4): the answers scoring, segments and routing understand.
QualificationField = Literal["budget", "authority", "timeline", "company_size"]
QUALIFICATION_FIELDS: tuple[QualificationField, ...] = get_args(QualificationField)
QUALIFICATION_VALUES: dict[str, tuple[str, ...]] = {
    "budget": ("under_1k", "1k_10k", "10k_50k", "over_50k"),
    "authority": ("decides", "influences", "researching"),
    "timeline": ("now", "quarter", "year", "later"),
    "company_size": ("1-10", "11-50", "51-200", "201-1000", "1000+"),
}
# Questions a marketer adds (qualification.yml): their ids fit qualification_answers.field
# (VARCHAR(16)), their answers' option ids a value of at most 32 characters.
CUSTOM_QUESTION_ID = re.compile(r"^[a-z][a-z0-9_]{0,15}$")
CUSTOM_OPTION_ID = re.compile(r"^[a-z0-9][a-z0-9_]{0,31}$")
Grade = Literal["A", "B", "C", "D"]
GRADES: tuple[Grade, ...] = get_args(Grade)
Stage = Literal["new", "mql", "sql"]
STAGES: tuple[Stage, ...] = get_args(Stage)
Outcome = Literal["won", "lost"]
OUTCOMES: tuple[Outcome, ...] = get_args(Outcome)
# Where a sales outcome was recorded (#20); "synthetic" is generated history, never real.
OutcomeSource = Literal["studio", "api", "cli", "hubspot", "synthetic"]
OUTCOME_SOURCES: tuple[OutcomeSource, ...] = get_args(OutcomeSource)

# A conversation handed to a person (#20): nobody holds it yet, a person holds it, it
# went back to the bot, or it is done.
InboxState = Literal["waiting", "claimed", "returned", "closed"]
# What an inbox conversation shows: the person's messages while a person held it, the
# agents' replies, private notes, and events (a handoff, joined, left, closed).
InboxKind = Literal["person", "agent", "note", "handoff", "joined", "left", "closed"]
# What the person sees of it: their own messages, the replies, who joined and left.
SHOWN_TO_PERSON: tuple[InboxKind, ...] = ("person", "agent", "joined", "left")
