"""Data-subject requests and retention: export, erasure, purge, tracker clean-up.

Used alike by the chat actions and the CLI, so both erase exactly the same things.

Audit actors name people by contact id (`self_service_actor`), never by a sender id,
email or phone: the audit log outlives erasures.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

from bot.journal import ConsentJournal
from bot.settings import Settings
from bot.store import ErasureReceipt, ProfileStore
from bot.store.trackers import conversation_events, erase_conversations
from bot.types import Channel, ContactId

# Rasa writes a turn's events after the action that erased the person has returned, so
# queued conversations are cleaned again on every sweep for this long.
TRACKER_GRACE = timedelta(minutes=2)


def _now(now: datetime | None) -> datetime:
    return now or datetime.now(timezone.utc)


def self_service_actor(contact_id: ContactId) -> str:
    """The audit actor for a person acting on their own data in conversation."""
    return f"self-service:{contact_id}"


def conversation_ids(store: ProfileStore, contact_id: ContactId) -> list[str]:
    contact = store.contacts.get(contact_id)
    ids = {
        lead.conversation_id for lead in store.leads.for_contact(contact_id) if lead.conversation_id
    }
    ids |= {identity.external_id for identity in contact.channels}
    return sorted(ids)


def export(
    store: ProfileStore, settings: Settings, contact_id: ContactId, actor: str
) -> dict[str, Any]:
    """Everything held about one person, conversations included."""
    document = store.privacy.export(contact_id)
    ids = conversation_ids(store, contact_id)
    document["conversations"] = conversation_events(settings.tracker_store_url, ids)
    store.privacy.record_audit(actor, "export_contact", contact_id, {"conversations": len(ids)})
    return document


def erase(
    store: ProfileStore,
    settings: Settings,
    contact_id: ContactId,
    actor: str,
    now: datetime | None = None,
) -> ErasureReceipt:
    """Erase the person from the profile store and their conversations from Rasa's; the
    deletion of their CRM copy is queued for the worker (`bot.crm.sync_due`)."""
    receipt = store.privacy.erase(contact_id, settings.erasure_salt.value, now=now)
    store.privacy.record_audit(
        _actor_without(actor, receipt),
        "erase_contact",
        receipt.contact_id,
        {"identities": len(receipt.identities)},
    )
    sweep_trackers(store, settings, now)
    return receipt


def erase_conversation(
    store: ProfileStore,
    settings: Settings,
    channel: Channel,
    sender_id: str,
    now: datetime | None = None,
) -> ErasureReceipt | None:
    """Say "delete my data" in a conversation: consent changes an outage held back are
    recorded first (so none of them recreates the person afterwards), then the contact
    behind this conversation's own identity is erased, and the conversation with it even
    when there is no contact. None when there was none."""
    ConsentJournal.for_settings(settings).replay(store)
    contact = store.contacts.for_identity(channel, sender_id)
    receipt = None
    if contact is not None:
        receipt = erase(store, settings, contact.id, self_service_actor(contact.id), now)
    else:
        # Nothing to erase, yet "we won't contact you again" was promised: what they say
        # next in this conversation (an opt-out, a detail) must not start a profile.
        store.privacy.suppress_identity(
            str(channel), sender_id, salt=settings.erasure_salt.value, now=now
        )
    store.privacy.queue_tracker_erasure([sender_id], now=now)
    return receipt


def _actor_without(actor: str, receipt: ErasureReceipt) -> str:
    """An actor naming the erased person by a sender id names them by contact id."""
    for sender in sorted(_senders(receipt), key=len, reverse=True):
        if actor == sender or actor.endswith(f":{sender}"):
            return actor[: len(actor) - len(sender)] + receipt.contact_id
    return actor


def _senders(receipt: ErasureReceipt) -> set[str]:
    return {*receipt.conversation_ids, *(i.external_id for i in receipt.identities)}


def sweep_trackers(store: ProfileStore, settings: Settings, now: datetime | None = None) -> int:
    """Delete queued conversations from the tracker store; forget them after the grace."""
    pending = store.privacy.pending_tracker_erasures()
    if not pending:
        return 0
    deleted = erase_conversations(settings.tracker_store_url, pending)
    store.privacy.clear_tracker_erasure(
        store.privacy.pending_tracker_erasures(queued_before=_now(now) - TRACKER_GRACE)
    )
    return deleted


def purge(
    store: ProfileStore,
    settings: Settings,
    actor: str,
    *,
    dry_run: bool,
    now: datetime | None = None,
) -> list[ContactId]:
    """Remove contacts with no consent and no activity within the retention period."""
    cutoff = _now(now) - timedelta(days=settings.retention_days)
    stale = store.privacy.contacts_for_purge(cutoff)
    if dry_run:
        return stale
    for contact_id in stale:
        store.privacy.delete(contact_id, now=now)  # also queues their conversations
        store.privacy.record_audit(
            actor, "purge_contact", contact_id, {"retention_days": settings.retention_days}
        )
    sweep_trackers(store, settings, now)
    return stale
