"""Recording that a person wrote to us, for campaigns' "replied" and WhatsApp's window."""

from __future__ import annotations

import asyncio
import logging

from bot.errors import StoreUnavailable
from bot.store import ProfileStore

logger = logging.getLogger(__name__)


async def note_inbound(store: ProfileStore, channel: str, external_id: str) -> None:
    try:
        await asyncio.to_thread(store.campaigns.record_inbound, channel, external_id)
    except StoreUnavailable as error:
        # The conversation matters more than this bookkeeping: answer the person anyway.
        logger.error("could not note inbound activity of %s on %s: %s", external_id, channel, error)
