"""What the store hands out: frozen values, never ORM rows."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from bot.types import (
    Channel,
    ConsentSource,
    ContactId,
    DncChannel,
    DncReason,
    InboxKind,
    InboxState,
    LeadField,
    LeadStatus,
    Purpose,
)


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
    # Enrichment (#10), derived from email and phone; not part of `to_export`.
    company_domain: str | None = None
    country: str | None = None
    timezone: str | None = None
    # Custom lead fields (#19): field name -> canonical value, sorted by name; values of
    # fields since removed from lead_fields.yml too. Not hashed: a dict cannot be.
    fields: Mapping[str, str] = field(default_factory=dict, hash=False)

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
            "fields": dict(self.fields),
        }


@dataclass(frozen=True)
class TimelineEvent:
    id: int
    contact_id: ContactId
    kind: str
    data: dict[str, Any]
    occurred_at: datetime

    def to_export(self) -> dict[str, Any]:
        return {"kind": self.kind, "data": self.data, "occurred_at": self.occurred_at.isoformat()}


@dataclass(frozen=True)
class LeadAnswer:
    field: LeadField
    value: str
    answered_at: datetime

    def to_export(self) -> dict[str, str]:
        return {
            "field": self.field,
            "value": self.value,
            "answered_at": self.answered_at.isoformat(),
        }


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

    def to_export(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "status": self.status,
            "channel": self.channel,
            "conversation_id": self.conversation_id,
            "started_at": self.started_at.isoformat(),
            "updated_at": self.updated_at.isoformat(),
            "answers": [answer.to_export() for answer in self.answers],
        }


@dataclass(frozen=True)
class ConsentEvent:
    """One grant or withdrawal, with the exact wording the person saw or heard."""

    id: int
    contact_id: ContactId
    purpose: Purpose
    granted: bool
    channel: Channel
    wording: str
    wording_version: str
    source: ConsentSource
    evidence: dict[str, str | None]
    occurred_at: datetime
    # A grant for an address not yet proven: in the ledger, but sends wait for the
    # confirmation that comes from the address itself (double opt-in).
    pending: bool = False

    @property
    def in_force(self) -> bool:
        """A grant that may be acted on: given and, where it had to be, confirmed."""
        return self.granted and not self.pending

    def to_export(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "purpose": self.purpose,
            "granted": self.granted,
            "pending": self.pending,
            "channel": self.channel,
            "wording": self.wording,
            "wording_version": self.wording_version,
            "source": self.source,
            "evidence": dict(self.evidence),
            "occurred_at": self.occurred_at.isoformat(),
        }


@dataclass(frozen=True)
class DoNotContact:
    id: int
    contact_id: ContactId
    channel: DncChannel
    reason: DncReason
    note: str
    added_at: datetime
    lifted_at: datetime | None

    @property
    def active(self) -> bool:
        return self.lifted_at is None

    def to_export(self) -> dict[str, Any]:
        return {
            "channel": self.channel,
            "reason": self.reason,
            "note": self.note,
            "added_at": self.added_at.isoformat(),
            "lifted_at": None if self.lifted_at is None else self.lifted_at.isoformat(),
        }


@dataclass(frozen=True)
class ErasureReceipt:
    """What an erasure removed that lives outside the profile database."""

    contact_id: ContactId
    conversation_ids: tuple[str, ...]
    identities: tuple[Identity, ...]
    suppressed: int


@dataclass(frozen=True)
class AuditEntry:
    id: int
    actor: str
    action: str
    target: str
    details: dict[str, Any]
    occurred_at: datetime


@dataclass(frozen=True)
class MessageStatus:
    """One delivery report from a provider about a message Parley sent."""

    provider: str
    message_id: str
    status: str
    error_code: str | None
    recorded_at: datetime


@dataclass(frozen=True)
class ScoreRecord:
    """One computed score: the number, what it means and why."""

    id: int
    contact_id: ContactId
    score: int
    grade: str
    stage: str
    rubric_version: str
    model_version: str | None
    explanation: tuple[dict[str, Any], ...]
    computed_at: datetime

    def to_export(self) -> dict[str, Any]:
        return {
            "score": self.score,
            "grade": self.grade,
            "stage": self.stage,
            "rubric_version": self.rubric_version,
            "model_version": self.model_version,
            "explanation": list(self.explanation),
            "computed_at": self.computed_at.isoformat(),
        }


@dataclass(frozen=True)
class CrmPull:
    """How far a connector has pulled changes back from its CRM, and its last failure."""

    connector: str
    modified_since: datetime | None  # None: never pulled, so everything is new
    attempts: int  # failures in a row
    retry_at: datetime | None
    last_error: str | None


@dataclass(frozen=True)
class OutcomeRecord:
    """A sale won or lost, as recorded once; `current` while it is the latest."""

    id: int
    contact_id: ContactId
    outcome: str
    value: Decimal | None
    currency: str | None
    reason: str | None
    source: str
    recorded_by: str
    external_ref: str | None
    current: bool
    occurred_at: datetime
    recorded_at: datetime

    @property
    def value_text(self) -> str | None:
        """The value as a decimal string with at least two decimals ("1200.00", "9.125")."""
        if self.value is None:
            return None
        cents = self.value.quantize(Decimal("0.01"))
        return str(cents if cents == self.value else self.value.normalize())

    def to_export(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "contact_id": self.contact_id,
            "outcome": self.outcome,
            "value": self.value_text,
            "currency": self.currency,
            "reason": self.reason,
            "source": self.source,
            "recorded_by": self.recorded_by,
            "external_ref": self.external_ref,
            "current": self.current,
            "occurred_at": self.occurred_at.isoformat(),
            "recorded_at": self.recorded_at.isoformat(),
        }


@dataclass(frozen=True)
class Delivery:
    """One webhook or email waiting to go out, gone out, or given up on."""

    id: int
    event_id: str
    contact_id: ContactId
    kind: str
    payload: dict[str, Any]
    status: str
    attempts: int
    next_attempt_at: datetime
    last_error: str | None
    created_at: datetime
    delivered_at: datetime | None


@dataclass(frozen=True)
class Booking:
    id: str
    contact_id: ContactId
    starts_at: datetime
    ends_at: datetime
    status: str
    created_at: datetime

    def to_export(self) -> dict[str, Any]:
        return {
            "starts_at": self.starts_at.isoformat(),
            "ends_at": self.ends_at.isoformat(),
            "status": self.status,
        }


@dataclass(frozen=True)
class CampaignState:
    campaign: str
    paused: bool
    timeline_cursor: int
    consent_cursor: int


@dataclass(frozen=True)
class Enrollment:
    id: int
    campaign: str
    contact_id: ContactId
    status: str  # active, completed, exited
    step: int  # index of the step that runs next
    next_run_at: datetime
    trigger: str
    enrolled_at: datetime
    last_sent_at: datetime | None
    exit_reason: str | None


@dataclass(frozen=True)
class CampaignSend:
    """One row of the campaign outbox. `claim_token` proves the caller holds its lease."""

    id: int
    send_key: str
    enrollment_id: int
    contact_id: ContactId
    campaign: str
    step: str
    variant: str
    channels: tuple[str, ...]
    channel: str | None
    status: str
    reason: str | None
    attempts: int
    due_at: datetime
    claim_token: str | None
    provider_message_id: str | None
    sent_at: datetime | None


@dataclass(frozen=True)
class SendOutcome:
    """How one claimed send ended (or when it is due again), for `finish_sends`."""

    send: CampaignSend
    status: str
    reason: str | None = None
    channel: str | None = None
    provider_message_id: str | None = None
    retry_at: datetime | None = None


@dataclass(frozen=True)
class QueuedSend:
    """A send step's outbox row to queue, for `save_steps`."""

    enrollment: Enrollment
    step: str
    variant: str
    channels: tuple[str, ...]


@dataclass(frozen=True)
class Progress:
    """Where an enrollment moves on to, for `save_steps`."""

    enrollment_id: int
    step: int
    next_run_at: datetime
    status: str
    exit_reason: str | None = None


_NO_ADDRESS = {"email": "no email address", "telegram": "telegram never started"}


@dataclass(frozen=True)
class Permission:
    """May a message go out? True, or False with the reason it may not."""

    refusal: str | None

    def __bool__(self) -> bool:
        return self.refusal is None


@dataclass(frozen=True)
class ContactSnapshot:
    """What the campaign guards and branches need to know about one contact, read in
    one transaction at the moment a step runs or a send is claimed."""

    contact: Contact
    consent: dict[str, tuple[bool, datetime]]  # purpose -> (granted, when)
    do_not_contact: frozenset[str]
    last_inbound: dict[str, datetime]  # channel -> last message from them
    sent_last_day: dict[str, int]  # channel -> campaign sends in the last 24 h
    sent_last_week: dict[str, int]
    tags: frozenset[str]
    score: int | None
    grade: str | None
    stage: str | None
    preferred_channel: str | None  # where they last talked to us
    conversions: tuple[tuple[str, datetime], ...]  # (kind, when): meetings, wins, SQL

    def granted(self, purpose: str) -> bool:
        state = self.consent.get(purpose)
        return state is not None and state[0]

    def address(self, channel: str) -> str | None:
        """Where a message on `channel` goes: the email, the Telegram chat they started,
        or the phone (typed, else the number they text from)."""
        contact = self.contact
        if channel == "email":
            return contact.email
        if channel == "telegram":
            ids = [i.external_id for i in contact.channels if i.channel == "telegram"]
            return ids[-1] if ids else None
        if contact.phone:
            return contact.phone
        ids = [i.external_id for i in contact.channels if i.channel in ("sms", "whatsapp")]
        return ids[-1] if ids else None

    def may_send(self, channel: str) -> Permission:
        """Marketing on `channel` (a purpose's own: email, sms, whatsapp, telegram) needs
        an address there, consent in force for it and no do-not-contact entry."""
        if self.address(channel) is None:
            return Permission(_NO_ADDRESS.get(channel, "no phone number"))
        if not self.granted(channel):
            return Permission("no consent")
        if channel in self.do_not_contact:
            return Permission("do not contact")
        return Permission(None)

    @property
    def last_inbound_at(self) -> datetime | None:
        return max(self.last_inbound.values(), default=None)


@dataclass(frozen=True)
class SendStats:
    """Counts of outbox rows by campaign, step, variant, channel, status and reason."""

    campaign: str
    step: str
    variant: str
    channel: str | None
    status: str
    reason: str | None
    count: int
    delivered: int


@dataclass(frozen=True)
class WebhookSubscription:
    id: int
    url: str
    events: tuple[str, ...]
    active: bool
    created_at: datetime


@dataclass(frozen=True)
class WebhookDelivery:
    """One event on its way to one subscriber; `secret` signs it."""

    id: int
    subscription_id: int
    url: str
    secret: str = field(repr=False)
    event_id: str
    type: str
    data: dict[str, Any]
    occurred_at: datetime
    status: str
    attempts: int
    last_error: str | None
    next_attempt_at: datetime


@dataclass(frozen=True)
class ApiToken:
    id: str
    name: str
    scopes: tuple[str, ...]
    secret_hash: str = field(repr=False)
    created_at: datetime
    revoked_at: datetime | None
    last_used_at: datetime | None


@dataclass(frozen=True)
class IntegrationEvent:
    """A change reported to integrations (webhooks, CRM sync); `id` orders them."""

    id: int
    event_id: str
    type: str
    contact_id: ContactId
    data: dict[str, Any]
    occurred_at: datetime


@dataclass(frozen=True)
class CrmSyncFailure:
    """Why a CRM sync last stopped short of the newest events, and when it may go on."""

    connector: str
    error: str
    attempts: int  # failures in a row
    retry_at: datetime | None
    occurred_at: datetime


@dataclass(frozen=True)
class StudioUser:
    id: int
    email: str
    name: str
    role: str
    created_at: datetime
    disabled: bool


@dataclass(frozen=True)
class StudioSession:
    user: StudioUser
    csrf_token: str
    expires_at: datetime


@dataclass(frozen=True)
class StudioVersion:
    """One published state of the bot's content: every editable file, by relative path."""

    number: int
    author: str
    note: str
    files: dict[str, str]
    fingerprint: str
    created_at: datetime
    rolled_back_from: int | None


@dataclass(frozen=True)
class FunnelCounts:
    """Contacts first seen on `channel` ("all": every channel) that reached each stage."""

    channel: str
    conversations: int
    leads: int
    consented: int
    qualified: int
    converted: int


@dataclass(frozen=True)
class FunnelDay:
    """New contacts of one UTC day (`day` is its midnight), and how many became leads."""

    day: datetime
    conversations: int
    leads: int


@dataclass(frozen=True)
class FunnelReport:
    """The dashboard's funnel for contacts created since `since` (None: ever)."""

    since: datetime | None
    channels: tuple[FunnelCounts, ...]
    total: FunnelCounts
    days: tuple[FunnelDay, ...]


@dataclass(frozen=True)
class UnderstandingDay:
    """User messages of one UTC day (`day` is its midnight) and how many fell back."""

    day: datetime
    messages: int
    fallbacks: int


@dataclass(frozen=True)
class MisunderstoodMessage:
    """A message (normalised) the bot fell back on: how often, and its best guess."""

    text: str
    count: int
    intent: str | None
    confidence: float


@dataclass(frozen=True)
class UnderstandingReport:
    """How well the NLU understood user messages since `since` (None: ever)."""

    since: datetime | None
    threshold: float
    messages: int
    fallbacks: int
    days: tuple[UnderstandingDay, ...]
    least_understood: tuple[MisunderstoodMessage, ...]

    @property
    def fallback_rate(self) -> float | None:
        return self.fallbacks / self.messages if self.messages else None


@dataclass(frozen=True)
class Claim:
    """An email or phone a contact typed that another contact (`holder_id`) holds."""

    id: int
    contact_id: ContactId
    field: str
    value: str
    holder_id: ContactId | None
    conversation_id: str
    created_at: datetime

    def to_export(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "contact_id": self.contact_id,
            "field": self.field,
            "value": self.value,
            "holder_id": self.holder_id,
            "created_at": self.created_at.isoformat(),
        }


@dataclass(frozen=True)
class CodeIssue:
    """A one-time code to send (only here in clear), or why none was issued."""

    code: str | None
    expires_at: datetime | None
    refused: str | None


@dataclass(frozen=True)
class CodeCheck:
    """What a typed code did: `verified`, `wrong`, `locked` (too many tries), `expired`
    or `no_code`. Verified, `contact_id` is the merged contact (the holder, for an
    erasure); otherwise the contact the code was sent for."""

    status: str
    field: str | None
    value: str | None
    purpose: str | None
    contact_id: ContactId | None


@dataclass(frozen=True)
class InboxEntry:
    """A conversation handed to a person, as the sales inbox lists it."""

    conversation_id: str
    contact_id: ContactId
    contact_name: str | None
    channel: Channel
    state: InboxState
    reason: str | None
    holder_id: int | None
    holder: str | None
    waiting_since: datetime
    held_since: datetime | None
    reply_due_at: datetime | None
    updated_at: datetime

    def waited_minutes(self, now: datetime) -> int:
        return max(0, int((now - self.waiting_since).total_seconds() // 60))


@dataclass(frozen=True)
class InboxMessage:
    id: int
    conversation_id: str
    contact_id: ContactId
    kind: InboxKind
    author_id: int | None
    author: str | None
    body: str
    delivery: str | None
    delivery_error: str | None
    created_at: datetime


@dataclass(frozen=True)
class InboxNotice:
    """News in an inbox conversation worth an email (#20): a handoff, or the person
    writing while it is held. It says who and where, never what was said."""

    conversation_id: str
    contact_id: ContactId
    contact_name: str | None
    channel: Channel
    kind: InboxKind  # "person" when the person wrote, else "handoff"
    count: int  # how many of the person's messages, when they wrote
    first_message_id: int  # the studio's link opens the conversation at it
    held: bool  # a person holds the conversation
    # The holder's address; when nobody holds it, every active sales user's.
    recipients: tuple[str, ...]


@dataclass(frozen=True)
class SavedReply:
    id: int
    title: str
    body: str
    created_by: str
    created_at: datetime
