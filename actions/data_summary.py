"""What a person is shown when they ask what we hold about them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from actions.consent import PURPOSE_WORDS
from actions.lead import FIELD_LABELS
from bot import privacy
from bot.store import Contact, ProfileStore
from bot.types import LEAD_FIELDS, ContactId


def data_summary(contact: Contact, consent: Mapping[str, bool], blocked: Sequence[str]) -> str:
    lines = [
        f"- {FIELD_LABELS[field]}: {getattr(contact, field)}"
        for field in LEAD_FIELDS
        if getattr(contact, field)
    ]
    lines.append(
        "- Channels you've talked to us on: " + ", ".join(i.channel for i in contact.channels)
    )
    granted = [PURPOSE_WORDS[p] for p, yes in consent.items() if yes]
    lines.append("- You've agreed to: " + (", ".join(granted) if granted else "no marketing"))
    if blocked:
        lines.append(
            "- We must not contact you by: " + ", ".join(PURPOSE_WORDS.get(b, b) for b in blocked)
        )
    return "\n".join(lines)


def read_summary(store: ProfileStore, contact_id: ContactId) -> str:
    """The summary of one contact, its reading kept in the audit log by contact id."""
    contact = store.contacts.get(contact_id)
    consent = {str(p): e.granted for p, e in store.consent.state(contact.id).items()}
    blocked = [entry.channel for entry in store.consent.do_not_contact(contact.id)]
    # The actor names the contact, never a sender id (on SMS that is a phone number).
    store.privacy.record_audit(privacy.self_service_actor(contact.id), "view_profile", contact.id)
    return data_summary(contact, consent, blocked)
