"""The profile store: contacts, identities, leads and timelines behind one facade."""

from bot.store.engine import make_engine
from bot.store.migrate import current_revision, downgrade, upgrade
from bot.store.records import Contact, Identity, Lead, LeadAnswer, TimelineEvent
from bot.store.store import ProfileStore

__all__ = [
    "Contact",
    "Identity",
    "Lead",
    "LeadAnswer",
    "ProfileStore",
    "TimelineEvent",
    "current_revision",
    "downgrade",
    "make_engine",
    "upgrade",
]
