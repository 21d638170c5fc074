"""The profile store: contacts, identities, leads and timelines behind one facade, with
their consent ledger, do-not-contact list, erasure, export and audit log."""

from bot.store.engine import make_engine
from bot.store.imports import ContactImport, ImportedConsent, ImportOutcome, ImportResult
from bot.store.integration import EVENT_TYPES
from bot.store.migrate import current_revision, downgrade, upgrade
from bot.store.records import (
    AuditEntry,
    Booking,
    CampaignSend,
    CampaignState,
    ConsentEvent,
    Contact,
    ContactSnapshot,
    Delivery,
    DoNotContact,
    Enrollment,
    ErasureReceipt,
    Identity,
    Lead,
    LeadAnswer,
    MessageStatus,
    OutcomeRecord,
    ScoreRecord,
    SendStats,
    TimelineEvent,
    WebhookDelivery,
    WebhookSubscription,
)
from bot.store.store import ProfileStore
from bot.store.trackers import conversation_events, conversations_idle_since, erase_conversations

__all__ = [
    "EVENT_TYPES",
    "AuditEntry",
    "Booking",
    "CampaignSend",
    "CampaignState",
    "ConsentEvent",
    "Contact",
    "ContactImport",
    "ContactSnapshot",
    "Delivery",
    "DoNotContact",
    "Enrollment",
    "ErasureReceipt",
    "Identity",
    "ImportOutcome",
    "ImportResult",
    "ImportedConsent",
    "Lead",
    "LeadAnswer",
    "MessageStatus",
    "OutcomeRecord",
    "ProfileStore",
    "ScoreRecord",
    "SendStats",
    "TimelineEvent",
    "WebhookDelivery",
    "WebhookSubscription",
    "conversation_events",
    "conversations_idle_since",
    "current_revision",
    "downgrade",
    "erase_conversations",
    "make_engine",
    "upgrade",
]
