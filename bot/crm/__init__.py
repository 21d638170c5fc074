"""CRM sync (#10): captured and qualified leads pushed to a CRM by the campaign worker.

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

__all__ = [
    "SYNC_KINDS",
    "BatchRejected",
    "CrmConnector",
    "CrmContact",
    "CrmUnavailable",
    "HubSpotConnector",
    "PushResult",
    "Rejection",
    "SyncReport",
    "sync_due",
]
