"""Replies written in the sales inbox (#20) to people on SMS, WhatsApp and Telegram, sent
by the worker through the same senders as campaigns and chat replies.

Each reply is claimed once (marked `sending`) and then marked `sent` or `failed` with
the provider's reason, which the inbox shows next to it, or `uncertain` when the provider
may have taken it (a timeout after sending). A worker that dies mid-send leaves the reply
`sending`; once that is long past, the next worker reports it uncertain. None of these is
tried again by itself, since that could send it twice: the salesperson sees it and may
send it again. The WhatsApp window was checked when the reply was written; do-not-contact
(a STOP) is checked again as it goes out.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping

from bot.store import InboxMessage, ProfileStore
from senders.interface import OutboundMessage, Sender, SendFailed
from senders.retry import send_with_retries

logger = logging.getLogger(__name__)

CHANNELS = ("sms", "whatsapp", "telegram")


def outbound(reply: InboxMessage, channel: str) -> OutboundMessage:
    """The reply as sent: signed with the writer's name, so the person knows that a
    named person, not the bot, is writing (the conversation id is their number or chat)."""
    text = f"{reply.author}: {reply.body}" if reply.author else reply.body
    return OutboundMessage(channel, reply.conversation_id, text, reference=f"inbox-{reply.id}")  # type: ignore[arg-type]


async def deliver_replies(store: ProfileStore, senders: Mapping[str, Sender]) -> int:
    """Send the replies waiting for a provider; how many were tried (or found abandoned)."""
    abandoned = await asyncio.to_thread(store.inbox.reap_abandoned_replies)
    if abandoned:
        logger.error("%d inbox replies were abandoned mid-send: reported uncertain", abandoned)
    claimed = await asyncio.to_thread(store.inbox.claim_queued_replies)
    for reply in claimed:
        channel = (await asyncio.to_thread(store.inbox.entry, reply.conversation_id)).channel
        # A STOP that came after the reply was written still holds: checked at sending.
        state, error = "failed", _opted_out(channel)
        if not await asyncio.to_thread(store.consent.is_do_not_contact, reply.contact_id, channel):
            state, error = await _send(senders.get(channel), reply, channel)
        await asyncio.to_thread(store.inbox.set_delivery, reply.id, state, error)
    return abandoned + len(claimed)


def _opted_out(channel: str) -> str | None:
    return f"the person asked not to be contacted on {channel}"


async def _send(sender: Sender | None, reply: InboxMessage, channel: str) -> tuple[str, str | None]:
    if sender is None or channel not in CHANNELS:
        return "failed", f"{channel} is not configured on this Parley"
    try:
        await send_with_retries(sender, outbound(reply, channel))
    except SendFailed as failure:
        logger.error("inbox reply %d on %s failed: %s", reply.id, channel, failure)
        if failure.maybe_sent:
            return "uncertain", f"it may have arrived: {failure}"
        return "failed", str(failure)
    return "sent", None
