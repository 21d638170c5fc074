"""Words a channel says on its own, when a turn cannot reach the dialogue engine."""

from __future__ import annotations

from typing import Any

APOLOGY = (
    "Sorry, I'm having a technical problem and couldn't handle that message. "
    "Please try again in a minute: everything you've told me so far is saved."
)
EMPTY_MESSAGE = "It looks like that message was empty. What can I do for you?"
TOO_LONG = (
    "That message is too long for me (the limit is {limit} characters). Could you shorten it?"
)


def bot_text(recipient_id: str, text: str) -> dict[str, Any]:
    """A message in the shape Rasa's CollectingOutputChannel produces."""
    return {"recipient_id": recipient_id, "text": text}


CONSENT_CONFIRMED = (
    "Thanks, that's confirmed: we may now send you the messages you asked for. "
    "Reply STOP at any time to stop them."
)
MEDIA_UNREADABLE = (
    "Thanks! I can't read pictures or files yet. Could you type what you'd like to say instead?"
)
