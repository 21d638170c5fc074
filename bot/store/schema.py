"""The profile store's tables. Change them only together with a new migration."""

from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.sql import false
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# A lead in one of these states is still being filled; at most one per conversation.
OPEN_LEAD_STATUSES = ("new", "partial", "captured")


class UtcDateTime(TypeDecorator):  # type: ignore[misc]
    """Aware UTC datetimes in, aware UTC datetimes out, on SQLite and PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}; pass an aware UTC datetime")
        value = value.astimezone(timezone.utc)
        # SQLite keeps no offset: store UTC wall time, read it back as UTC.
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)


class Money(TypeDecorator):  # type: ignore[misc]
    """A decimal amount with at most 3 decimals (KWD, BHD have 3), kept exactly as a whole
    number of thousandths: SQLite has no decimal type (it would keep a float), and an
    integer sums exactly on both backends."""

    impl = BigInteger
    cache_ok = True
    SCALE = Decimal(1000)

    def process_bind_param(self, value: Decimal | None, dialect: Any) -> int | None:
        if value is None:
            return None
        thousandths = value * self.SCALE
        if thousandths != thousandths.to_integral_value():
            raise ValueError(f"{value} has more than 3 decimals")
        return int(thousandths)

    def process_result_value(self, value: int | None, dialect: Any) -> Decimal | None:
        if value is None:
            return None
        return (Decimal(value) / self.SCALE).quantize(Decimal("0.001"))


metadata = MetaData(naming_convention=NAMING_CONVENTION)


def _contact_fk(**kwargs: Any) -> Column:
    return Column(
        "contact_id",
        String(32),
        ForeignKey("contacts.id", ondelete="CASCADE"),
        nullable=False,
        **kwargs,
    )


contacts = Table(
    "contacts",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("name", Text),
    Column("email", String(320), unique=True),
    Column("phone", String(32), unique=True),
    Column("company", Text),
    Column("role", Text),
    Column("need", Text),
    Column("lead_status", String(16), nullable=False, default="new", server_default="new"),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    # Enrichment (#10): derived from the email's domain and the phone number.
    Column("company_domain", String(255)),
    Column("country", String(2)),
    Column("timezone", String(64)),
    # When the person proved the address (a code, a site's signed identity, the channel).
    Column("email_verified_at", UtcDateTime),
    Column("phone_verified_at", UtcDateTime),
    Index(None, "created_at", "id"),
)

channel_identities = Table(
    "channel_identities",
    metadata,
    Column("id", Integer, primary_key=True),
    _contact_fk(index=True),
    Column("channel", String(16), nullable=False),
    Column("external_id", String(255), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    UniqueConstraint("channel", "external_id"),
)

# Identity (#17): an email or phone a person typed that another contact already holds is
# a claim, kept beside the claimant rather than merged; staff see it as a possible duplicate.
identity_claims = Table(
    "identity_claims",
    metadata,
    Column("id", Integer, primary_key=True),
    _contact_fk(index=True),
    Column("field", String(8), nullable=False),
    Column("value", String(320), nullable=False),
    Column("holder_id", String(32), ForeignKey("contacts.id", ondelete="CASCADE"), index=True),
    Column("conversation_id", String(255), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("verified_at", UtcDateTime),
    Column("dismissed_at", UtcDateTime),
    UniqueConstraint("contact_id", "field", "value"),
)

# One-time codes sent to a claimed address; only a salted hash of the code is kept.
verification_codes = Table(
    "verification_codes",
    metadata,
    Column("id", Integer, primary_key=True),
    _contact_fk(index=True),
    Column("conversation_id", String(255), nullable=False, index=True),
    Column("field", String(8), nullable=False),
    Column("value", String(320), nullable=False, index=True),
    Column("purpose", String(16), nullable=False),
    Column("salt", String(32), nullable=False),
    Column("code_hash", String(64), nullable=False),
    Column("attempts", Integer, nullable=False, default=0, server_default="0"),
    Column("created_at", UtcDateTime, nullable=False),
    Column("expires_at", UtcDateTime, nullable=False),
    Column("consumed_at", UtcDateTime),
)

contact_aliases = Table(
    "contact_aliases",
    metadata,
    Column("old_id", String(32), primary_key=True),
    _contact_fk(index=True),
)

leads = Table(
    "leads",
    metadata,
    Column("id", String(32), primary_key=True),
    _contact_fk(index=True),
    Column("status", String(16), nullable=False),
    Column("channel", String(16), nullable=False),
    Column("conversation_id", String(255), nullable=False),
    Column("started_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
)

Index(
    "uq_leads_open_conversation",
    leads.c.contact_id,
    leads.c.conversation_id,
    unique=True,
    sqlite_where=leads.c.status.in_(OPEN_LEAD_STATUSES),
    postgresql_where=leads.c.status.in_(OPEN_LEAD_STATUSES),
)

lead_answers = Table(
    "lead_answers",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "lead_id",
        String(32),
        ForeignKey("leads.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("field", String(16), nullable=False),
    Column("value", Text, nullable=False),
    Column("answered_at", UtcDateTime, nullable=False),
)

timeline_events = Table(
    "timeline_events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    _contact_fk(),
    Column("kind", String(64), nullable=False),
    Column("data", JSON, nullable=False),
    Column("occurred_at", UtcDateTime, nullable=False),
    Index(None, "contact_id", "occurred_at"),
)

# Append-only: migration 0002 adds triggers that reject UPDATE. Current consent is
# derived from the latest event per purpose, never stored.
consent_events = Table(
    "consent_events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    _contact_fk(),
    Column("purpose", String(16), nullable=False),
    Column("granted", Boolean, nullable=False),
    Column("channel", String(16), nullable=False),
    Column("wording", Text, nullable=False),
    Column("wording_version", String(64), nullable=False),
    Column("source", String(16), nullable=False),
    Column("evidence", JSON, nullable=False),
    Column("occurred_at", UtcDateTime, nullable=False),
    # Double opt-in (#17): a grant for an address the person has not proven waits for a
    # confirmation from that address, itself a later event; NULL in older rows is false.
    Column("pending", Boolean),
    Index(None, "contact_id", "purpose", "occurred_at", "id"),
)

do_not_contact = Table(
    "do_not_contact",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    _contact_fk(index=True),
    Column("channel", String(16), nullable=False),
    Column("reason", String(16), nullable=False),
    Column("note", Text, nullable=False),
    Column("added_at", UtcDateTime, nullable=False),
    Column("lifted_at", UtcDateTime),
)

Index(
    "uq_do_not_contact_active",
    do_not_contact.c.contact_id,
    do_not_contact.c.channel,
    unique=True,
    sqlite_where=do_not_contact.c.lifted_at.is_(None),
    postgresql_where=do_not_contact.c.lifted_at.is_(None),
)

# Keyed digests of erased people's email addresses and phone numbers, so that an import
# or a form cannot bring them back without anyone keeping the values themselves.
suppressed_identifiers = Table(
    "suppressed_identifiers",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(16), nullable=False),
    Column("digest", String(64), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    UniqueConstraint("kind", "digest"),
)

# Proof that an erasure happened, holding no personal data.
erasure_log = Table(
    "erasure_log",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("contact_id", String(32), nullable=False),
    Column("identity_count", Integer, nullable=False),
    Column("erased_at", UtcDateTime, nullable=False),
)

# Rasa's tracker database may be down while a contact is erased; the sender ids wait here.
pending_tracker_erasures = Table(
    "pending_tracker_erasures",
    metadata,
    Column("sender_id", String(255), primary_key=True),
    Column("queued_at", UtcDateTime, nullable=False),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("actor", String(255), nullable=False),
    Column("action", String(64), nullable=False),
    Column("target", String(255), nullable=False),
    Column("details", JSON, nullable=False),
    Column("occurred_at", UtcDateTime, nullable=False),
    Index(None, "occurred_at", "id"),
)

# Provider message ids already handled, so a webhook delivered twice is one turn.
inbound_messages = Table(
    "inbound_messages",
    metadata,
    Column("provider", String(32), primary_key=True),
    Column("message_id", String(64), primary_key=True),
    Column("received_at", UtcDateTime, nullable=False),
)

# Delivery reports from providers (queued, sent, delivered, failed, ...), one row each.
message_statuses = Table(
    "message_statuses",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("provider", String(32), nullable=False),
    Column("message_id", String(64), nullable=False),
    Column("status", String(32), nullable=False),
    Column("error_code", String(16)),
    Column("recorded_at", UtcDateTime, nullable=False),
    Index(None, "provider", "message_id"),
)


# Answers to the qualifying questions (#4): one current value per contact and field.
qualification_answers = Table(
    "qualification_answers",
    metadata,
    _contact_fk(),
    Column("field", String(16), nullable=False),
    Column("value", String(32), nullable=False),
    Column("channel", String(16), nullable=False),
    Column("conversation_id", String(255), nullable=False),
    Column("answered_at", UtcDateTime, nullable=False),
    PrimaryKeyConstraint("contact_id", "field"),
)

# Custom lead fields (#19): one current value per contact and field named in
# lead_fields.yml, in the field type's canonical text form (bot.custom_fields). A field
# removed from the file keeps its values here.
custom_field_values = Table(
    "custom_field_values",
    metadata,
    _contact_fk(),
    Column("field", String(64), nullable=False),
    Column("value", Text, nullable=False),
    Column("channel", String(16), nullable=False),
    Column("conversation_id", String(255)),
    Column("updated_at", UtcDateTime, nullable=False),
    PrimaryKeyConstraint("contact_id", "field"),
)

# Every score computed, with the rubric version and the per-rule explanation.
lead_scores = Table(
    "lead_scores",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    _contact_fk(index=True),
    Column("score", Integer, nullable=False),
    Column("grade", String(1), nullable=False),
    Column("stage", String(8), nullable=False),
    Column("rubric_version", String(64), nullable=False),
    Column("model_version", String(64)),
    Column("explanation", JSON, nullable=False),
    Column("computed_at", UtcDateTime, nullable=False),
)

# Sales outcomes (#4, #20): won or lost, what it was worth and why, where it was recorded
# and by whom. Every recording is kept; the latest recorded one is the contact's current
# outcome, the only row with is_current (a unique index holds that). occurred_at is when
# the sale closed, recorded_at when Parley heard of it.
lead_outcomes = Table(
    "lead_outcomes",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    _contact_fk(index=True),
    Column("outcome", String(8), nullable=False),
    Column("value_thousandths", Money),  # the value, in thousandths of its currency
    Column("currency", String(3)),
    Column("reason", Text),
    Column("source", String(16), nullable=False),
    Column("recorded_by", String(255), nullable=False),
    # What the source calls it (a HubSpot deal id), so a deal read twice is one outcome.
    Column("external_ref", String(64)),
    Column("is_current", Boolean, nullable=False),
    Column("occurred_at", UtcDateTime, nullable=False),
    Column("recorded_at", UtcDateTime, nullable=False),
)

Index(
    "uq_lead_outcomes_current",
    lead_outcomes.c.contact_id,
    unique=True,
    sqlite_where=lead_outcomes.c.is_current,
    postgresql_where=lead_outcomes.c.is_current,
)


# Handoffs to a person (#4): one row per request, its transcript as it stood.
handoffs = Table(
    "handoffs",
    metadata,
    Column("id", String(32), primary_key=True),
    _contact_fk(index=True),
    Column("conversation_id", String(255), nullable=False, index=True),
    Column("channel", String(16), nullable=False),
    Column("reason", Text, nullable=False),
    Column("transcript", JSON, nullable=False),
    Column("requested_at", UtcDateTime, nullable=False),
    # Outside the answering team's office hours (#20): the reply is due when it opens.
    Column("out_of_hours", Boolean, nullable=False, default=False, server_default=false()),
    Column("reply_due_at", UtcDateTime),
)

# The sales inbox (#20): who holds a conversation handed to a person, one row per
# conversation. waiting: a handoff came and nobody holds it; claimed: holder_id answers
# it, and the person's messages go to the inbox instead of the bot; returned: handed
# back to the bot; closed: done (a new handoff opens it again).
conversation_claims = Table(
    "conversation_claims",
    metadata,
    Column("conversation_id", String(255), primary_key=True),
    _contact_fk(index=True),
    Column("channel", String(16), nullable=False),
    Column("handoff_id", String(32)),
    Column("state", String(12), nullable=False, index=True),
    Column("holder_id", Integer, ForeignKey("studio_users.id", ondelete="SET NULL")),
    Column("waiting_since", UtcDateTime, nullable=False),
    Column("held_since", UtcDateTime),
    Column("updated_at", UtcDateTime, nullable=False),
    # Email notices (#20): the last inbox message one was sent for, and when it went.
    Column("noticed_through", Integer),
    Column("emailed_at", UtcDateTime),
)

# What happened in an inbox conversation, in order: the person's messages while a person
# held it, agents' replies (with how their delivery went), private notes, and events
# (a handoff, joined, left, closed). Its ids are the cursor of the inbox's live updates.
inbox_messages = Table(
    "inbox_messages",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("conversation_id", String(255), nullable=False, index=True),
    _contact_fk(index=True),
    Column("kind", String(8), nullable=False),
    Column("author_id", Integer, ForeignKey("studio_users.id", ondelete="SET NULL")),
    Column("author", String(100)),
    Column("body", Text, nullable=False),
    Column("delivery", String(12)),
    Column("delivery_error", Text),
    Column("created_at", UtcDateTime, nullable=False),
    # When a worker handed the reply to its provider: a `sending` one that stays so
    # long after it was abandoned mid-send, and is reported uncertain.
    Column("sending_since", UtcDateTime),
)

# Answers the sales team reuses, by title.
saved_replies = Table(
    "saved_replies",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("title", String(100), nullable=False, unique=True),
    Column("body", Text, nullable=False),
    Column("created_by", String(255), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
)

# The outbox of handoff webhooks and emails and booking confirmations: claimed with a
# lease, retried with backoff, never dropped (failed rows stay visible).
deliveries = Table(
    "deliveries",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("event_id", String(36), nullable=False, unique=True),
    _contact_fk(index=True),
    Column("kind", String(32), nullable=False),
    Column("payload", JSON, nullable=False),
    Column("status", String(12), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("next_attempt_at", UtcDateTime, nullable=False),
    Column("lease_until", UtcDateTime),
    Column("last_error", Text),
    Column("created_at", UtcDateTime, nullable=False),
    Column("delivered_at", UtcDateTime),
    Index(None, "status", "next_attempt_at"),
)

BOOKED = "booked"
bookings = Table(
    "bookings",
    metadata,
    Column("id", String(32), primary_key=True),
    _contact_fk(index=True),
    Column("starts_at", UtcDateTime, nullable=False),
    Column("ends_at", UtcDateTime, nullable=False),
    Column("status", String(12), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
)

# One booking per start time while it stands; a cancelled one frees the time.
Index(
    "uq_bookings_booked_start",
    bookings.c.starts_at,
    unique=True,
    sqlite_where=bookings.c.status == BOOKED,
    postgresql_where=bookings.c.status == BOOKED,
)


# Campaigns (#7). Tags marketers and campaigns put on contacts; segments filter on them.
contact_tags = Table(
    "contact_tags",
    metadata,
    _contact_fk(),
    Column("tag", String(64), nullable=False),
    Column("added_at", UtcDateTime, nullable=False),
    PrimaryKeyConstraint("contact_id", "tag"),
)

# When each channel identity last wrote to us: "replied" for campaigns and WhatsApp's
# 24-hour window. Keyed like channel_identities, so it needs no contact to exist yet.
inbound_activity = Table(
    "inbound_activity",
    metadata,
    Column("channel", String(16), nullable=False),
    Column("external_id", String(255), nullable=False),
    Column("last_at", UtcDateTime, nullable=False),
    PrimaryKeyConstraint("channel", "external_id"),
)

# Per campaign: paused or not, and how far its triggers have read the timeline and the
# consent ledger (events before a campaign first ran never enroll anyone).
campaign_states = Table(
    "campaign_states",
    metadata,
    Column("campaign", String(64), primary_key=True),
    Column("paused", Boolean, nullable=False),
    Column("timeline_cursor", Integer, nullable=False),
    Column("consent_cursor", Integer, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
)

# One enrollment per contact and campaign: the step it is at and when it runs next.
campaign_enrollments = Table(
    "campaign_enrollments",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("campaign", String(64), nullable=False),
    _contact_fk(index=True),
    Column("status", String(12), nullable=False),
    Column("step", Integer, nullable=False),
    Column("next_run_at", UtcDateTime, nullable=False),
    Column("lease_until", UtcDateTime),
    Column("trigger", String(64), nullable=False),
    Column("enrolled_at", UtcDateTime, nullable=False),
    Column("last_sent_at", UtcDateTime),
    Column("exit_reason", String(32)),
    Column("finished_at", UtcDateTime),
    UniqueConstraint("campaign", "contact_id"),
    Index(None, "status", "next_run_at"),
)

# The campaign outbox: one row per (enrollment, step, variant), so a crash, a retry or
# a second worker can never make a second send of the same step.
campaign_sends = Table(
    "campaign_sends",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("send_key", String(160), nullable=False, unique=True),
    Column(
        "enrollment_id",
        Integer,
        ForeignKey("campaign_enrollments.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    _contact_fk(index=True),
    Column("campaign", String(64), nullable=False),
    Column("step", String(64), nullable=False),
    Column("variant", String(32), nullable=False),
    Column("channels", JSON, nullable=False),
    Column("channel", String(16)),
    Column("status", String(12), nullable=False),
    Column("reason", Text),
    Column("attempts", Integer, nullable=False),
    Column("due_at", UtcDateTime, nullable=False),
    Column("lease_until", UtcDateTime),
    Column("claim_token", String(32)),
    Column("provider_message_id", String(128)),
    Column("created_at", UtcDateTime, nullable=False),
    Column("sent_at", UtcDateTime),
    # id too: many sends can share a due time (quiet hours wake them on the quarter hour).
    Index(None, "status", "due_at", "id"),
    Index(None, "provider_message_id"),
)


# Integration events (#10): written with the change they report; contact ids are kept
# without a foreign key so that `contact.erased` outlives the contact.
integration_events = Table(
    "integration_events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("event_id", String(36), nullable=False, unique=True),
    Column("type", String(32), nullable=False),
    Column("contact_id", String(32), nullable=False, index=True),
    Column("data", JSON, nullable=False),
    Column("occurred_at", UtcDateTime, nullable=False),
)

webhook_subscriptions = Table(
    "webhook_subscriptions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("url", Text, nullable=False),
    Column("events", JSON, nullable=False),
    Column("secret", String(128), nullable=False),
    Column("active", Boolean, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
)

# One row per (subscription, event): retried with backoff, `failed` is the dead letters.
webhook_deliveries = Table(
    "webhook_deliveries",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column(
        "subscription_id",
        Integer,
        ForeignKey("webhook_subscriptions.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("event_id", String(36), nullable=False),
    Column("status", String(12), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("next_attempt_at", UtcDateTime, nullable=False),
    Column("lease_until", UtcDateTime),
    Column("last_error", Text),
    Column("created_at", UtcDateTime, nullable=False),
    Column("delivered_at", UtcDateTime),
    UniqueConstraint("subscription_id", "event_id"),
    Index(None, "status", "next_attempt_at"),
    Index(None, "event_id"),
)


# API tokens (#10): only a SHA-256 of the secret is kept; the token is shown once.
api_tokens = Table(
    "api_tokens",
    metadata,
    Column("id", String(16), primary_key=True),
    Column("name", String(100), nullable=False),
    Column("scopes", JSON, nullable=False),
    Column("secret_hash", String(64), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("revoked_at", UtcDateTime),
    Column("last_used_at", UtcDateTime),
)

# How far each CRM connector has read the integration events.
crm_sync_cursors = Table(
    "crm_sync_cursors",
    metadata,
    Column("connector", String(32), primary_key=True),
    Column("position", Integer, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
)

# What a CRM connector pulls back (#20: closed deals as outcomes): the last-modified time
# it has read up to, and its latest failure while it waits to try again.
crm_pulls = Table(
    "crm_pulls",
    metadata,
    Column("connector", String(32), primary_key=True),
    Column("modified_since", UtcDateTime),
    Column("attempts", Integer, nullable=False),
    Column("retry_at", UtcDateTime),
    Column("last_error", Text),
    Column("updated_at", UtcDateTime, nullable=False),
)

# Erased people's CRM copies still to delete (#17): the email is kept only until the
# CRM has confirmed the deletion, as the tracker queue keeps sender ids.
crm_erasures = Table(
    "crm_erasures",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("connector", String(32), nullable=False),
    Column("contact_id", String(32), nullable=False),
    Column("email", String(320), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("next_attempt_at", UtcDateTime, nullable=False),
    Column("last_error", Text),
    Column("queued_at", UtcDateTime, nullable=False),
    UniqueConstraint("connector", "email"),
    Index(None, "connector", "next_attempt_at"),
)

# The marketers' studio (#8): its users, their sessions, and every published version of
# the bot's content (the files themselves, so a version can be diffed and rolled back).
studio_users = Table(
    "studio_users",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("email", String(255), nullable=False, unique=True),
    Column("name", String(100), nullable=False),
    Column("role", String(16), nullable=False),
    Column("password_hash", String(255), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("disabled_at", UtcDateTime),
)

# Only a SHA-256 of the session cookie is kept, as for API tokens.
studio_sessions = Table(
    "studio_sessions",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("user_id", Integer, ForeignKey("studio_users.id", ondelete="CASCADE"), nullable=False),
    Column("csrf_token", String(64), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("expires_at", UtcDateTime, nullable=False),
    Index(None, "expires_at"),
)

studio_versions = Table(
    "studio_versions",
    metadata,
    Column("number", Integer, primary_key=True, autoincrement=False),
    Column("author", String(255), nullable=False),
    Column("note", Text, nullable=False),
    Column("files", JSON, nullable=False),
    Column("fingerprint", String(16), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("rolled_back_from", Integer),
)
