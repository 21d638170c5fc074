"""`store.inbox`: the sales inbox (#20): conversations handed to a person, who holds
each, what was said and noted there, and saved replies."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.engine import Connection

from bot.store import handoffs, inbox, outcomes
from bot.store.checks import utc
from bot.store.records import InboxEntry, InboxMessage, InboxNotice, SavedReply, StudioUser
from bot.store.transactions import Transactions

# Builds an email notice's payload (to, subject, body) for one of its recipients.
ComposeNotice = Callable[[InboxNotice, str], Mapping[str, Any]]
# The inbox's live updates read at most this many changes at a time.
CHANGES_AT_ONCE = 200
# Far longer than a send with its retries takes (senders/retry.py: three tries, waits of
# at most 30 s): a reply still `sending` after this was abandoned by a dead worker.
ABANDONED_AFTER = timedelta(minutes=5)


class InboxPart:
    def __init__(self, tx: Transactions) -> None:
        self._tx = tx

    def queue(self) -> list[InboxEntry]:
        """Conversations waiting for a person or held by one, the longest waiting first."""
        return self._tx.read(inbox.queue)

    def entry(self, conversation_id: str) -> InboxEntry:
        """Raises ConversationNotInInbox."""
        return self._tx.read(lambda conn: inbox.entry(conn, conversation_id))

    def messages(
        self, conversation_id: str, after: int = 0, shown_to_person: bool = False
    ) -> list[InboxMessage]:
        """The conversation's inbox messages after the id `after`, oldest first;
        `shown_to_person`: only what the person sees (replies, joined, left)."""
        return self._tx.read(
            lambda conn: inbox.messages(conn, conversation_id, after, shown_to_person)
        )

    def claim(
        self, conversation_id: str, user: StudioUser, now: datetime | None = None
    ) -> InboxEntry:
        """`user` holds the conversation; ConversationHeld if someone else does,
        ConversationClosed if it is closed."""
        at = utc(now)
        return self._tx.write(lambda conn: inbox.claim(conn, conversation_id, user, at))

    def take_over(
        self, conversation_id: str, user: StudioUser, now: datetime | None = None
    ) -> tuple[InboxEntry, str | None]:
        """`user` holds the conversation even if someone else did (admins only: the
        studio checks the role); returns the entry and whom it was taken from.
        ConversationClosed if it is closed."""
        at = utc(now)
        return self._tx.write(lambda conn: inbox.take_over(conn, conversation_id, user, at))

    def reply(
        self,
        conversation_id: str,
        user: StudioUser,
        body: str,
        *,
        delivery: str,
        now: datetime | None = None,
    ) -> InboxMessage:
        """A reply to the person, claiming the conversation if nobody holds it."""
        text, at = inbox.check_text("body", body), utc(now)
        return self._tx.write(
            lambda conn: inbox.reply(conn, conversation_id, user, text, delivery, at)
        )

    def note(
        self, conversation_id: str, user: StudioUser, body: str, now: datetime | None = None
    ) -> InboxMessage:
        """A private note: the team sees it, the person never does."""
        text, at = inbox.check_text("body", body), utc(now)
        return self._tx.write(lambda conn: inbox.note(conn, conversation_id, user, text, at))

    def hand_back(
        self, conversation_id: str, user: StudioUser, now: datetime | None = None
    ) -> InboxEntry:
        at = utc(now)
        return self._tx.write(lambda conn: inbox.hand_back(conn, conversation_id, user, at))

    def close(
        self,
        conversation_id: str,
        user: StudioUser,
        *,
        outcome: str | None = None,
        value: object = None,
        currency: str | None = None,
        reason: str | None = None,
        now: datetime | None = None,
    ) -> InboxEntry:
        """Close the conversation, recording its sales outcome (as `store.leads.
        record_outcome` does, from the studio by `user`) in the same transaction."""
        at = utc(now)
        new = None if outcome is None else outcomes.check(
            outcome, value=value, currency=currency, reason=reason, source="studio",
            recorded_by=f"studio:{user.email}", external_ref=None, occurred_at=at,
        )  # fmt: skip
        return self._tx.write(lambda conn: inbox.close(conn, conversation_id, user, new, at))

    def release_held_by(self, user_id: int, now: datetime | None = None) -> list[str]:
        """What `user_id` holds waits for someone else again ("<name> left the
        conversation"): their role no longer works the inbox. Returns the conversations."""
        at = utc(now)
        return self._tx.write(lambda conn: inbox.release_held_by(conn, user_id, at))

    def holder(self, conversation_id: str) -> str | None:
        """Who holds the conversation (their name), None when the bot answers it."""
        return self._tx.read(lambda conn: inbox.holder(conn, conversation_id))

    def take_person_message(
        self, conversation_id: str, body: str, now: datetime | None = None
    ) -> bool:
        """True if a person holds the conversation: the message is kept for them, and
        the bot must not answer it."""
        at = utc(now)
        return self._tx.write(
            lambda conn: inbox.take_person_message(conn, conversation_id, body, at)
        )

    def changes(self, after: int) -> list[InboxMessage]:
        """Everything that happened in any inbox conversation after the message `after`."""
        return self._tx.read(lambda conn: inbox.changes(conn, after, CHANGES_AT_ONCE))

    def latest_change(self) -> int:
        return self._tx.read(inbox.latest_id)

    def claim_queued_replies(
        self, limit: int = CHANGES_AT_ONCE, now: datetime | None = None
    ) -> list[InboxMessage]:
        """Replies for a provider to deliver, each marked `sending` for this caller alone;
        the caller reports each with `set_delivery` ("sent", "failed" or "uncertain")."""
        at = utc(now)
        return self._tx.write(lambda conn: inbox.claim_queued(conn, limit, at))

    def set_delivery(self, message_id: int, delivery: str, error: str | None = None) -> bool:
        """False when the reply was no longer being sent (it was sent again meanwhile)."""
        return self._tx.write(lambda conn: inbox.set_delivery(conn, message_id, delivery, error))

    def reap_abandoned_replies(
        self, now: datetime | None = None, after: timedelta = ABANDONED_AFTER
    ) -> int:
        """Replies left `sending` for longer than `after` (a worker died mid-send) become
        `uncertain`, never sent again by themselves; how many."""
        at = utc(now)
        return self._tx.write(lambda conn: inbox.reap_abandoned(conn, at, after))

    def resend(
        self,
        conversation_id: str,
        message_id: int,
        user: StudioUser,
        *,
        delivery: str,
        now: datetime | None = None,
    ) -> InboxMessage:
        """Send a failed or uncertain reply again, as a new reply by `user`. Raises
        ReplyNotResendable (it was resent already, or is neither), InvalidField (no such
        reply in this conversation), ConversationHeld, ConversationClosed."""
        at = utc(now)
        return self._tx.write(
            lambda conn: inbox.resend(conn, conversation_id, message_id, user, delivery, at)
        )

    def queue_email_notices(
        self,
        compose: ComposeNotice,
        every: timedelta,
        now: datetime | None = None,
        limit: int = 50,
    ) -> int:
        """Queue an email notice (through the handoff deliveries' outbox, so it is
        retried like them) to the holder, or to the sales team when nobody holds the
        conversation, for each conversation with a new handoff or new messages from the
        person; at most one per conversation every `every`. How many emails."""
        at = utc(now)

        def queue(conn: Connection) -> int:
            notices = inbox.take_notices(conn, at, every, limit)
            emails = [(n.contact_id, compose(n, to)) for n in notices for to in n.recipients]
            for contact_id, payload in emails:
                handoffs.enqueue(conn, contact_id, "email", payload, at)
            return len(emails)

        return self._tx.write(queue)

    def message(self, message_id: int) -> InboxMessage | None:
        return self._tx.read(lambda conn: inbox.message(conn, message_id))

    def saved_replies(self) -> list[SavedReply]:
        return self._tx.read(inbox.list_saved_replies)

    def save_reply(
        self, title: str, body: str, created_by: str, now: datetime | None = None
    ) -> SavedReply:
        """Add a saved reply, or replace the one with the same title."""
        name = inbox.check_text("title", title, inbox.LONGEST_TITLE)
        text, at = inbox.check_text("body", body), utc(now)
        return self._tx.write(lambda conn: inbox.add_saved_reply(conn, name, text, created_by, at))

    def delete_saved_reply(self, reply_id: int) -> bool:
        return self._tx.write(lambda conn: inbox.delete_saved_reply(conn, reply_id))
