"""Email notices of the sales inbox (#20), queued by the worker when PARLEY_INBOX_EMAIL
is on: a new handoff, or the person writing in a conversation a salesperson holds, is
emailed to the holder, or to every sales user when nobody holds it yet.

At most one email per conversation every PARLEY_INBOX_EMAIL_EVERY_MINUTES, so a chatty
person floods nobody's mailbox: what comes meanwhile is told in the next one, unless a
reply answered it first. An email says who and on which channel, with a link into the
studio, and never what was said: mailboxes are forwarded, searched and kept for years,
and the conversation is for the studio's audited pages. The emails go through the
handoff deliveries' outbox, so they are retried and listed like handoff emails.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from bot.settings import Settings
from bot.store import InboxNotice, ProfileStore

CHANNEL_NAMES = {
    "web": "web chat", "rest": "the REST channel", "shell": "the shell", "sms": "SMS",
    "whatsapp": "WhatsApp", "telegram": "Telegram", "voice": "a phone call",
}  # fmt: skip


def queue_notices(store: ProfileStore, settings: Settings, now: datetime) -> int:
    """Queue the emails due now; how many."""
    studio = settings.studio
    if not studio.inbox_email:
        return 0
    every = timedelta(minutes=studio.inbox_email_every_minutes)
    return store.inbox.queue_email_notices(
        lambda notice, to: notice_email(notice, to, settings), every, now
    )


def notice_email(notice: InboxNotice, to: str, settings: Settings) -> dict[str, Any]:
    """The email's payload for the handoff deliveries' email sender."""
    who = " ".join((notice.contact_name or "").split()) or "Someone"
    channel = CHANNEL_NAMES.get(notice.channel, notice.channel)
    subject, said = _what_happened(notice, who, channel)
    every = settings.studio.inbox_email_every_minutes
    body = "\n".join([
        said, "",
        f"Open it in the studio: {settings.studio.url}/inbox/m/{notice.first_message_id}",
        "", "What was said is only in the studio, not in email.",
        f"(At most one such email per conversation every {every} minutes; "
        "PARLEY_INBOX_EMAIL turns them off.)",
    ])  # fmt: skip
    return {"to": to, "subject": subject, "body": body}


def _what_happened(notice: InboxNotice, who: str, channel: str) -> tuple[str, str]:
    """The subject, and the one sentence of news."""
    where = (
        "in a conversation you hold"
        if notice.held
        else "and nobody holds the conversation: claim it in the inbox"
    )
    if notice.kind == "person":
        messages = "a message" if notice.count == 1 else f"{notice.count} messages"
        return f"{who} wrote on {channel}", f"{who} sent {messages} on {channel}, {where}."
    return f"New handoff: {who} on {channel}", f"{who} asked for a person on {channel}, {where}."
