"""Handing a conversation to a person, and delivering what goes out with it.

A handoff is written to the store with one delivery row per target (a signed webhook,
an email to sales) in one transaction; `deliver_due` (run by the campaign worker) sends
due deliveries, retrying transient failures with backoff (`bot.delivery`), and leaves
permanent failures visible as `failed` (`parley handoffs list --status failed`,
`parley handoffs retry`). Booking confirmations go through the same outbox.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from email.message import EmailMessage
from typing import Any

import httpx

from bot import mailer
from bot.delivery import Attempt, DeliveryReport, settle
from bot.errors import DeliveryFailed
from bot.office_hours import describe_opening, zone_label
from bot.settings import HandoffSettings, MailSettings, Settings
from bot.store import Contact, Delivery, ProfileStore

logger = logging.getLogger(__name__)

WEBHOOK = "handoff_webhook"
EMAIL = "email"
SIGNATURE_HEADER = "X-Parley-Signature"
EVENT_ID_HEADER = "X-Parley-Event-Id"
WEBHOOK_TIMEOUT_S = 10.0


def transcript_from_events(
    events: Iterable[Mapping[str, Any]], limit: int = 60
) -> list[dict[str, Any]]:
    """The person's and the bot's words from Rasa tracker events, oldest first."""
    turns = []
    for event in events:
        kind = event.get("event")
        text = event.get("text")
        if kind not in ("user", "bot") or not text:
            continue
        stamp = event.get("timestamp")
        at = datetime.fromtimestamp(float(stamp), timezone.utc).isoformat() if stamp else None
        metadata = event.get("metadata") or {}
        shown = metadata.get("original_text") if kind == "user" else None
        turns.append(
            {"who": "person" if kind == "user" else "bot", "text": shown or text, "at": at}
        )
    return turns[-limit:]


@dataclass(frozen=True)
class ReplyDue:
    """A handoff outside office hours: the team that answers it, and when it opens."""

    team: str
    at: datetime  # aware, in the team's zone
    timezone: str

    def said(self, now: datetime, zone: str | None = None) -> str:
        """ "Monday at 9:00 (London time)", in `zone` (the person's) or else the team's."""
        return describe_opening(self.at, now, zone or self.timezone)


def reply_due(settings: Settings, channel: str, now: datetime) -> ReplyDue | None:
    """When a person can answer a handoff from `channel`: None while the team answering
    it is open (someone answers now), else its next opening (PARLEY_OFFICE_HOURS)."""
    team, hours = settings.office_hours.team_for(channel)
    opening = hours.next_opening(now)
    if opening is None:
        logger.warning("office hours of team %s: closed every day for a year; ignored", team)
        return None
    if hours.is_open(now):
        return None
    return ReplyDue(team, opening, hours.timezone)


def request_handoff(
    store: ProfileStore,
    settings: Settings,
    *,
    contact: Contact,
    conversation_id: str,
    channel: str,
    reason: str,
    transcript: list[dict[str, Any]],
    now: datetime,
) -> tuple[str, bool]:
    """Record the handoff and queue its webhook and email; (id, is_new). Outside the
    answering team's office hours both say so, and when the reply is due."""
    due = reply_due(settings, channel, now)
    event = {
        "type": "handoff.requested",
        "requested_at": now.isoformat(),
        "reason": reason,
        "channel": channel,
        "conversation_id": conversation_id,
        "team": settings.office_hours.team_for(channel)[0],
        "out_of_hours": due is not None,
        # When a person answers: at once within office hours, else when the team opens.
        "reply_due_at": (due.at if due else now).astimezone(timezone.utc).isoformat(),
        "contact": _contact_summary(store, contact),
        "transcript": transcript,
    }
    outbox: list[tuple[str, dict[str, Any]]] = []
    if settings.handoff.url:
        outbox.append((WEBHOOK, {"url": settings.handoff.url, "event": event}))
    if settings.mail.sales_email:
        outbox.append((EMAIL, _sales_email(settings, event, due)))
    if not outbox:
        logger.warning(
            "handoff %s recorded but not delivered: set PARLEY_HANDOFF_URL or PARLEY_SALES_EMAIL",
            conversation_id,
        )
    return store.leads.request_handoff(
        contact.id,
        conversation_id=conversation_id,
        channel=channel,  # type: ignore[arg-type]
        reason=reason,
        transcript=transcript,
        outbox=outbox,
        now=now,
        reply_due_at=due.at if due else None,
    )


def _contact_summary(store: ProfileStore, contact: Contact) -> dict[str, Any]:
    latest = store.leads.latest_score(contact.id)
    return {
        "id": contact.id, "name": contact.name, "email": contact.email, "phone": contact.phone,
        "company": contact.company, "role": contact.role, "need": contact.need,
        "qualification": store.leads.qualification(contact.id),
        "score": latest.to_export() if latest else None,
        # Typed details another contact holds: how to reach this person, not yet proven.
        "unverified": [
            {"field": c.field, "value": c.value, "possible_duplicate_of": c.holder_id}
            for c in store.contacts.open_claims(contact.id)
        ],
    }  # fmt: skip


def _sales_email(
    settings: Settings, event: Mapping[str, Any], due: ReplyDue | None
) -> dict[str, Any]:
    person = event["contact"]
    who = person["name"] or person["email"] or person["phone"] or person["id"]
    lines = [f"{who} asked to talk to a person ({event['reason']}) on {event['channel']}."]
    if due is not None:
        lines.append(
            f"It came outside office hours (team {due.team}). They were told a person answers "
            f"when you open: {due.at:%A %d %B %Y at %H:%M} ({zone_label(due.timezone)})."
        )
    lines += [
        "",
        *(
            f"{k}: {v}"
            for k in ("name", "email", "phone", "company", "role", "need")
            if (v := person.get(k))
        ),
    ]
    for key, value in person["qualification"].items():
        lines.append(f"{key.replace('_', ' ')}: {value}")
    if person["score"]:
        lines.append(f"score: {person['score']['score']} (grade {person['score']['grade']})")
    lines += ["", "Conversation:"]
    lines += [f"[{t['at'] or ''}] {t['who']}: {t['text']}" for t in event["transcript"]]
    return {
        "to": settings.mail.sales_email,
        "subject": f"Handoff: {who} wants to talk to a person"
        + (" (out of hours, reply due when you open)" if due else ""),
        "body": "\n".join(lines),
    }


# ------------------------------------------------------------------ delivering


def sign(secret: str, timestamp: int, body: bytes) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def verify(secret: str, header: str, body: bytes, now: datetime, tolerance_s: int = 300) -> bool:
    """What a receiver does: a valid signature made within the last five minutes."""
    try:
        parts = dict(item.split("=", 1) for item in header.split(","))
        timestamp = int(parts["t"])
    except (KeyError, ValueError):
        return False
    if abs(now.timestamp() - timestamp) > tolerance_s:
        return False
    return hmac.compare_digest(
        sign(secret, timestamp, body), f"t={timestamp},v1={parts.get('v1', '')}"
    )


# Carries one delivery of a kind (webhook, email); raises DeliveryFailed.
Deliverer = Callable[[Delivery, Settings, datetime], None]


def post_webhook(delivery: Delivery, settings: Settings, now: datetime) -> None:
    handoff: HandoffSettings = settings.handoff
    if handoff.secret is None:
        raise DeliveryFailed("webhook", "PARLEY_HANDOFF_SECRET is not set", retryable=False)
    body = json.dumps({"event_id": delivery.event_id, **delivery.payload["event"]}).encode()
    post_signed(delivery.payload["url"], handoff.secret.value, delivery.event_id, body)


def post_signed(
    url: str, secret: str, event_id: str, body: bytes, client: httpx.Client | None = None
) -> None:
    """POST a signed event; raise DeliveryFailed saying whether a retry could help.
    Handoff webhooks and integration event webhooks share this scheme."""
    headers = {
        "Content-Type": "application/json",
        # The wall clock, not the scheduler's `now`: receivers judge freshness by it.
        SIGNATURE_HEADER: sign(secret, int(time.time()), body),
        EVENT_ID_HEADER: event_id,
    }
    try:
        if client is None:
            reply = httpx.post(url, content=body, headers=headers, timeout=WEBHOOK_TIMEOUT_S)
        else:
            reply = client.post(url, content=body, headers=headers, timeout=WEBHOOK_TIMEOUT_S)
    except httpx.HTTPError as error:
        raise DeliveryFailed(
            "webhook", f"{type(error).__name__}: {error}", retryable=True
        ) from error
    if reply.is_success:
        return
    retryable = reply.status_code in (408, 429) or reply.status_code >= 500
    raise DeliveryFailed(
        "webhook", f"HTTP {reply.status_code}: {reply.text[:200]}", retryable=retryable
    )


def send_email(delivery: Delivery, settings: Settings, now: datetime) -> None:
    mail: MailSettings = settings.mail
    payload = delivery.payload
    message: EmailMessage = mailer.new_message(
        mail, payload["to"], payload["subject"], payload["body"]
    )
    if payload.get("ics"):
        message.add_attachment(
            payload["ics"].encode(),
            maintype="text",
            subtype="calendar",
            filename="invitation.ics",
            params={"method": "REQUEST"},
        )
    mailer.send(message, mail)


DELIVERERS: dict[str, Deliverer] = {WEBHOOK: post_webhook, EMAIL: send_email}


def deliver_due(
    store: ProfileStore,
    settings: Settings,
    now: datetime,
    deliverers: Mapping[str, Deliverer] = DELIVERERS,
) -> DeliveryReport:
    """Send every due delivery once; retries are scheduled, last failures kept."""
    tries = (_try(d, settings, now, deliverers) for d in store.outbox.claim_due_deliveries(now))
    return settle(store.outbox.finish_delivery, tries, settings.handoff.max_attempts, now)


def _try(
    delivery: Delivery, settings: Settings, now: datetime, deliverers: Mapping[str, Deliverer]
) -> Attempt:
    send = deliverers.get(delivery.kind)
    try:
        if send is None:
            raise DeliveryFailed(delivery.kind, "no sender for this kind", retryable=False)
        send(delivery, settings, now)
    except DeliveryFailed as error:
        logger.warning(
            "delivery %s (%s) attempt %d: %s", delivery.id, delivery.kind, delivery.attempts, error
        )
        return Attempt(delivery.id, delivery.attempts, str(error), error.retryable)
    return Attempt(delivery.id, delivery.attempts)
