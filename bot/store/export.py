"""A data-subject access request: everything the store holds about one person."""

from __future__ import annotations

from typing import Any

from sqlalchemy.engine import Connection

from bot.store import (
    campaign_reads,
    campaigns,
    consent,
    custom_values,
    dnc,
    handoffs,
    outcomes,
    reads,
    scoring,
)
from bot.store.records import CampaignSend


def export_contact(conn: Connection, key: str) -> dict[str, Any]:
    """JSON-ready; its keys are a public contract."""
    contact_id = reads.require_id(conn, key)
    return {
        "profile": reads.load_contact(conn, contact_id).to_export(),
        "leads": [lead.to_export() for lead in reads.leads_of(conn, contact_id)],
        "consent_history": [e.to_export() for e in consent.history(conn, contact_id)],
        "do_not_contact": [
            entry.to_export() for entry in dnc.entries(conn, contact_id, active_only=False)
        ],
        "timeline": [event.to_export() for event in reads.timeline_of(conn, contact_id)],
        "qualification": scoring.answers_of(conn, contact_id),
        "custom_fields": custom_values.records_of(conn, contact_id),
        "scores": [score.to_export() for score in scoring.score_history(conn, contact_id)],
        "outcomes": [outcome.to_export() for outcome in outcomes.history_of(conn, contact_id)],
        "handoffs": handoffs.handoffs_of(conn, contact_id),
        "bookings": [booking.to_export() for booking in handoffs.bookings_of(conn, contact_id)],
        "tags": campaign_reads.tags_of(conn, contact_id),
        "campaign_messages": [
            _campaign_send(s) for s in campaigns.sends_of(conn, None, contact_id)
        ],
    }


def _campaign_send(send: CampaignSend) -> dict[str, Any]:
    """What a campaign sent them (or meant to, and why not); not the wording itself,
    which the campaign definition holds."""
    return {
        "campaign": send.campaign,
        "step": send.step,
        "variant": send.variant,
        "channel": send.channel,
        "status": send.status,
        "reason": send.reason,
        "sent_at": send.sent_at.isoformat() if send.sent_at else None,
    }
