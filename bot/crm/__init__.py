"""CRM sync (#10): captured and qualified leads pushed to a CRM by the campaign worker;
closed deals pulled back as outcomes (#20, `pull_outcomes`).

`sync_due(store, connector, now)` does one round; `HubSpotConnector` is the first
connector, and any class with a `name` and a `push` (see `CrmConnector`) can follow.
"""

from bot.crm.connector import (
    SYNC_KINDS,
    BatchRejected,
    CrmConnector,
    CrmContact,
    CrmUnavailable,
    PushResult,
    Rejection,
    SyncReport,
    sync_due,
)
from bot.crm.hubspot import HubSpotConnector
from bot.crm.outcomes import ClosedDeal, DealPage, OutcomeConnector, PullReport, pull_outcomes

__all__ = [
    "SYNC_KINDS",
    "BatchRejected",
    "ClosedDeal",
    "CrmConnector",
    "CrmContact",
    "CrmUnavailable",
    "DealPage",
    "HubSpotConnector",
    "OutcomeConnector",
    "PullReport",
    "PushResult",
    "Rejection",
    "SyncReport",
    "pull_outcomes",
    "sync_due",
]
