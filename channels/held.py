"""While a person from the sales team holds a conversation (#20), what the person writes
goes to the inbox, not to the bot. STOP, START and HELP still reach the bot (their effect
must not wait for a salesperson), and so do a request to erase their data and their
answer to the erasure question."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.events import ActionExecuted

from bot.errors import StoreUnavailable
from bot.keywords import match_keyword
from bot.store import ProfileStore
from bot.types import Channel

logger = logging.getLogger(__name__)

ERASURE_INTENT = "request_erasure"
ERASURE_QUESTION = "action_ask_erasure"


async def kept_for_person(
    store: ProfileStore, agent: Any, sender_id: str, text: str, channel: Channel, shown: str = ""
) -> bool:
    """True when a person holds the conversation and the message was kept for them (the
    bot must not answer it); `shown` is what the person saw as their message (a button's
    title), if not `text`."""
    if not text.strip() or match_keyword(text, channel) is not None:
        return False
    try:
        if await asyncio.to_thread(store.inbox.holder, sender_id) is None:
            return False
        if await for_the_bot(agent, sender_id, text):
            return False
        return await asyncio.to_thread(store.inbox.take_person_message, sender_id, shown or text)
    except StoreUnavailable as error:
        # Better the bot answers than nobody: the conversation goes on without the inbox.
        logger.error("could not tell whether a person holds a conversation: %s", error)
        return False


async def for_the_bot(agent: Any, sender_id: str, text: str) -> bool:
    """An erasure request, or the answer to the erasure question."""
    if agent is None or not agent.is_ready():
        return False
    parsed = await agent.parse_message(text)
    if (parsed.get("intent") or {}).get("name") == ERASURE_INTENT:
        return True
    tracker = await agent.tracker_store.retrieve(sender_id)
    if tracker is None:
        return False
    last = tracker.get_last_event_for(ActionExecuted, action_names_to_exclude=[ACTION_LISTEN_NAME])
    return last is not None and last.action_name == ERASURE_QUESTION


def agent_of(app: Any) -> Any:
    """The Rasa agent serving now (a publish swaps it), None before one is loaded."""
    return getattr(app.ctx, "agent", None)
