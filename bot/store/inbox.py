"""The sales inbox (#20), inside a caller-framed transaction.

A handoff puts its conversation in the inbox, waiting. One person at a time holds it:
claiming or replying to a conversation someone else holds raises ConversationHeld, and
the change of holder is a conditional UPDATE, so two people racing for it cannot both
win. While a person holds it, the person's messages are kept here for the inbox
instead of going to the bot. Every step is also a row of `inbox_messages`, whose ids
are the cursor of the inbox's live updates.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, delete, func, insert, or_, select, update
from sqlalchemy.engine import Connection

from bot.errors import (
    ConversationClosed,
    ConversationHeld,
    ConversationNotInInbox,
    InvalidField,
    ReplyNotResendable,
)
from bot.store import outcomes
from bot.store.outcomes import NewOutcome
from bot.store.records import InboxEntry, InboxMessage, InboxNotice, SavedReply, StudioUser
from bot.store.schema import (
    contacts,
    conversation_claims,
    handoffs,
    inbox_messages,
    saved_replies,
    studio_users,
)
from bot.types import SHOWN_TO_PERSON, ContactId, InboxKind

CC, IM = conversation_claims.c, inbox_messages.c
# A reply's delivery: shown (web chat), or queued, sending, then sent, failed or uncertain;
# a failed or uncertain one the salesperson sent again is resent.
QUEUED, SENDING, UNCERTAIN, RESENT = "queued", "sending", "uncertain", "resent"
RESENDABLE = ("failed", UNCERTAIN)
ABANDONED = "the worker stopped while handing it to the provider: it may not have arrived"
# What an email notice is sent for: a new handoff, the person writing while held.
NOTICE_KINDS = ("handoff", "person")
# Older news is not worth an email any more (the worker was down, or notices were only
# just turned on); the inbox shows it all the same.
NOTICE_FRESH_FOR = timedelta(hours=1)
LONGEST_BODY = 4000
LONGEST_TITLE = 100
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def check_text(field: str, text: str, longest: int = LONGEST_BODY) -> str:
    """The text without surrounding blanks; InvalidField if empty, too long or binary."""
    text = text.strip()
    if not text or len(text) > longest or _CONTROL.search(text):
        raise InvalidField(field, f"plain text of 1 to {longest} characters")
    return text


def open_handoff(
    conn: Connection,
    contact_id: ContactId,
    conversation_id: str,
    channel: str,
    handoff_id: str,
    reason: str,
    now: datetime,
) -> None:
    """A handoff came: the conversation waits in the inbox, unless a person holds it."""
    row = conn.execute(select(conversation_claims).where(CC.conversation_id == conversation_id))
    found = row.mappings().first()
    values = {"contact_id": contact_id, "channel": channel, "handoff_id": handoff_id,
              "updated_at": now}  # fmt: skip
    if found is None:
        conn.execute(insert(conversation_claims).values(
            conversation_id=conversation_id, state="waiting", waiting_since=now, **values))  # fmt: skip
    elif found["state"] == "claimed":
        conn.execute(_claim_update(conversation_id).values(**values))
    else:
        conn.execute(_claim_update(conversation_id).values(
            state="waiting", holder_id=None, waiting_since=now, held_since=None, **values))  # fmt: skip
    add(conn, conversation_id, contact_id, "handoff", None, reason, now)


def queue(conn: Connection) -> list[InboxEntry]:
    """Conversations waiting or held, the longest waiting first."""
    query = _entries().where(CC.state.in_(("waiting", "claimed"))).order_by(CC.waiting_since)
    return [_entry(row) for row in conn.execute(query).mappings()]


def entry(conn: Connection, conversation_id: str) -> InboxEntry:
    query = _entries().where(CC.conversation_id == conversation_id)
    row = conn.execute(query).mappings().first()
    if row is None:
        raise ConversationNotInInbox(conversation_id)
    return _entry(row)


def claim(conn: Connection, conversation_id: str, user: StudioUser, now: datetime) -> InboxEntry:
    current = _open(conn, conversation_id, user)
    if current.holder_id == user.id:
        return current
    taken = conn.execute(
        _claim_update(conversation_id)
        .where(CC.state.in_(("waiting", "returned")))
        .values(state="claimed", holder_id=user.id, held_since=now, updated_at=now)
    )
    if taken.rowcount != 1:  # someone was quicker
        _open(conn, conversation_id, user)
        raise ConversationHeld(conversation_id, "someone else")
    add(conn, conversation_id, current.contact_id, "joined", user,
        f"{user.name} joined the conversation", now)  # fmt: skip
    return entry(conn, conversation_id)


def take_over(
    conn: Connection, conversation_id: str, user: StudioUser, now: datetime
) -> tuple[InboxEntry, str | None]:
    """`user` holds the conversation even though someone else did (an admin's call, for a
    holder who is away); (the entry, whom it was taken from, None if nobody held it).
    The person sees the one leave and the other join; the team also sees a note."""
    current = entry(conn, conversation_id)
    if current.state != "claimed" or current.holder_id in (None, user.id):
        return claim(conn, conversation_id, user, now), None
    taken = conn.execute(
        _claim_update(conversation_id)
        .where(CC.state == "claimed", CC.holder_id == current.holder_id)
        .values(holder_id=user.id, held_since=now, updated_at=now)
    )
    if taken.rowcount != 1:  # the holder let go or someone else took it meanwhile
        raise ConversationHeld(conversation_id, "someone else")
    previous = _user(conn, current.holder_id)
    left = current.holder or "someone"
    add(conn, conversation_id, current.contact_id, "left", previous,
        f"{left} left the conversation", now)  # fmt: skip
    add(conn, conversation_id, current.contact_id, "joined", user,
        f"{user.name} joined the conversation", now)  # fmt: skip
    add(conn, conversation_id, current.contact_id, "note", user,
        f"{user.name} took over this conversation from {left}.", now)  # fmt: skip
    return entry(conn, conversation_id), left


def reply(
    conn: Connection, conversation_id: str, user: StudioUser, body: str, delivery: str,
    now: datetime,
) -> InboxMessage:  # fmt: skip
    """A reply from `user`, who holds the conversation afterwards (it claims it if nobody
    did). `delivery` says how it reaches the person ("shown" in the web chat, "queued"
    for a provider)."""
    current = claim(conn, conversation_id, user, now)
    return add(conn, conversation_id, current.contact_id, "agent", user, body, now, delivery)


def note(
    conn: Connection, conversation_id: str, user: StudioUser, body: str, now: datetime
) -> InboxMessage:
    current = entry(conn, conversation_id)
    return add(conn, conversation_id, current.contact_id, "note", user, body, now)


def hand_back(
    conn: Connection, conversation_id: str, user: StudioUser, now: datetime
) -> InboxEntry:
    """The bot answers again; the holder (if any) leaves the conversation."""
    current = _open(conn, conversation_id, user)
    conn.execute(_claim_update(conversation_id).values(
        state="returned", holder_id=None, held_since=None, updated_at=now))  # fmt: skip
    if current.holder_id == user.id:
        add(conn, conversation_id, current.contact_id, "left", user,
            f"{user.name} left the conversation", now)  # fmt: skip
    return entry(conn, conversation_id)


def close(
    conn: Connection, conversation_id: str, user: StudioUser, outcome: NewOutcome | None,
    now: datetime,
) -> InboxEntry:  # fmt: skip
    """Done: the bot answers again, with the outcome recorded if there is one."""
    current = _open(conn, conversation_id, user)
    conn.execute(_claim_update(conversation_id).values(
        state="closed", holder_id=None, held_since=None, updated_at=now))  # fmt: skip
    if current.holder_id == user.id:
        add(conn, conversation_id, current.contact_id, "left", user,
            f"{user.name} left the conversation", now)  # fmt: skip
    summary = "closed" if outcome is None else f"closed as {outcome.outcome}"
    add(conn, conversation_id, current.contact_id, "closed", user, summary, now)
    if outcome is not None:
        outcomes.record(conn, current.contact_id, outcome, now)
    return entry(conn, conversation_id)


def holder(conn: Connection, conversation_id: str) -> str | None:
    """The name of the person holding the conversation, None when the bot answers."""
    query = (
        select(studio_users.c.name)
        .select_from(conversation_claims.join(studio_users, CC.holder_id == studio_users.c.id))
        .where(CC.conversation_id == conversation_id, CC.state == "claimed")
    )
    found = conn.execute(query).scalar()
    return None if found is None else str(found)


def release_held_by(conn: Connection, user_id: int, now: datetime) -> list[str]:
    """Whatever `user_id` holds waits again for someone else (they were disabled, or
    their role no longer works the inbox); the conversations released."""
    user = _user(conn, user_id)
    if user is None:
        return []
    query = select(CC.conversation_id, CC.contact_id).where(
        CC.state == "claimed", CC.holder_id == user_id
    )
    held = conn.execute(query).all()
    for conversation_id, contact_id in held:
        conn.execute(_claim_update(conversation_id).values(
            state="waiting", holder_id=None, held_since=None, waiting_since=now, updated_at=now))  # fmt: skip
        add(conn, conversation_id, ContactId(contact_id), "left", user,
            f"{user.name} left the conversation", now)  # fmt: skip
    return [str(conversation_id) for conversation_id, _ in held]


def take_person_message(conn: Connection, conversation_id: str, body: str, now: datetime) -> bool:
    """Keep the person's message for the inbox if a person holds the conversation."""
    query = select(CC.contact_id).where(
        CC.conversation_id == conversation_id, CC.state == "claimed"
    )
    contact_id = conn.execute(query).scalar()
    if contact_id is None:
        return False
    add(conn, conversation_id, ContactId(contact_id), "person", None, body[:LONGEST_BODY], now)
    return True


def messages(
    conn: Connection, conversation_id: str, after: int = 0, shown_to_person: bool = False
) -> list[InboxMessage]:
    query = select(inbox_messages).where(IM.conversation_id == conversation_id, IM.id > after)
    if shown_to_person:
        query = query.where(IM.kind.in_(SHOWN_TO_PERSON))
    return [_message(row) for row in conn.execute(query.order_by(IM.id)).mappings()]


def changes(conn: Connection, after: int, limit: int) -> list[InboxMessage]:
    """What happened in every inbox conversation since the message `after`, oldest first."""
    query = select(inbox_messages).where(IM.id > after).order_by(IM.id).limit(limit)
    return [_message(row) for row in conn.execute(query).mappings()]


def latest_id(conn: Connection) -> int:
    return int(conn.execute(select(func.coalesce(func.max(IM.id), 0))).scalar() or 0)


def claim_queued(conn: Connection, limit: int, now: datetime) -> list[InboxMessage]:
    """Replies waiting for a provider, each marked `sending` (since `now`) for this caller
    alone. From here on a reply is never handed over again by itself: a worker that dies
    mid-send leaves it `sending`, which `reap_abandoned` reports as uncertain."""
    query = select(IM.id).where(IM.delivery == QUEUED).order_by(IM.id).limit(limit)
    mine = []
    for message_id in conn.execute(query).scalars().all():
        taken = conn.execute(update(inbox_messages).where(
            IM.id == message_id, IM.delivery == QUEUED).values(
            delivery=SENDING, sending_since=now))  # fmt: skip
        if taken.rowcount == 1:
            mine.append(message_id)
    query = select(inbox_messages).where(IM.id.in_(mine)).order_by(IM.id)
    return [_message(row) for row in conn.execute(query).mappings()]


def set_delivery(conn: Connection, message_id: int, delivery: str, error: str | None) -> bool:
    """How the provider answered; False when the reply was no longer being sent (a
    salesperson already sent it again after it was reported uncertain)."""
    query = update(inbox_messages).where(IM.id == message_id, IM.delivery.in_((SENDING, UNCERTAIN)))
    return bool(conn.execute(query.values(delivery=delivery, delivery_error=error)).rowcount == 1)


def reap_abandoned(conn: Connection, now: datetime, after: timedelta) -> int:
    """Replies still `sending` long after a worker took them: it died between marking
    them and the provider's answer. They may or may not have arrived, and sending again
    could send twice, so they become `uncertain` for the salesperson to decide."""
    stale = and_(IM.delivery == SENDING,
                 or_(IM.sending_since.is_(None), IM.sending_since < now - after))  # fmt: skip
    query = update(inbox_messages).where(stale).values(delivery=UNCERTAIN, delivery_error=ABANDONED)
    return int(conn.execute(query).rowcount)


def resend(
    conn: Connection, conversation_id: str, message_id: int, user: StudioUser, delivery: str,
    now: datetime,
) -> InboxMessage:  # fmt: skip
    """A reply that failed or may not have arrived, sent again as a new reply by `user`
    (who holds the conversation afterwards); the old one is marked `resent`, once."""
    query = select(inbox_messages).where(
        IM.id == message_id, IM.conversation_id == conversation_id, IM.kind == "agent"
    )
    found = conn.execute(query).mappings().first()
    if found is None:
        raise InvalidField("message", "no reply of this conversation has this id")
    _open(conn, conversation_id, user)
    again = update(inbox_messages).where(IM.id == message_id, IM.delivery.in_(RESENDABLE))
    if conn.execute(again.values(delivery=RESENT)).rowcount != 1:
        raise ReplyNotResendable(message_id, str(found["delivery"]))
    return reply(conn, conversation_id, user, str(found["body"]), delivery, now)


def take_notices(
    conn: Connection, now: datetime, every: timedelta, limit: int
) -> list[InboxNotice]:
    """The news worth an email in each conversation with news since its last notice, at
    most once per conversation every `every` (news that came meanwhile waits for the
    next); the caller queues the emails in this same transaction."""
    news = (
        select(CC.conversation_id, CC.noticed_through, func.max(IM.id))
        .select_from(conversation_claims.join(
            inbox_messages, IM.conversation_id == CC.conversation_id))
        # Only open conversations (an indexed state): the worker asks every second.
        .where(CC.state.in_(("waiting", "claimed")),
               IM.id > func.coalesce(CC.noticed_through, 0), IM.kind.in_(NOTICE_KINDS),
               or_(CC.emailed_at.is_(None), CC.emailed_at <= now - every))
        .group_by(CC.conversation_id, CC.noticed_through)
        .limit(limit)
    )  # fmt: skip
    taken = []
    for conversation_id, after, through in conn.execute(news).all():
        notice = _notice(conn, conversation_id, after or 0, int(through), now)
        moved = _noticed(conn, conversation_id, int(through), now if notice else None)
        if notice is not None and moved:  # else nothing to tell, or another worker was quicker
            taken.append(notice)
    return taken


def _notice(
    conn: Connection, conversation_id: str, after: int, through: int, now: datetime
) -> InboxNotice | None:
    """The news worth an email, or None: it is stale or already answered, or nobody is
    there to tell."""
    current = entry(conn, conversation_id)
    query = select(IM.id, IM.kind).where(
        IM.conversation_id == conversation_id, IM.id > after, IM.id <= through,
        IM.kind.in_(NOTICE_KINDS), IM.created_at >= now - NOTICE_FRESH_FOR).order_by(IM.id)  # fmt: skip
    news = conn.execute(query).all()
    answered = select(IM.id).where(
        IM.conversation_id == conversation_id, IM.id > through, IM.kind == "agent")  # fmt: skip
    if not news or conn.execute(answered.limit(1)).first() is not None:
        return None
    wrote = [n for n in news if n.kind == "person"]
    held = current.state == "claimed" and current.holder_id is not None
    recipients = _recipients(conn, current.holder_id if held else None)
    if not recipients:
        return None
    return InboxNotice(
        conversation_id=conversation_id, contact_id=current.contact_id,
        contact_name=current.contact_name, channel=current.channel,
        kind="person" if wrote else "handoff", count=len(wrote),
        first_message_id=int((wrote or news)[0].id), held=held, recipients=recipients,
    )  # fmt: skip


def _recipients(conn: Connection, holder_id: int | None) -> tuple[str, ...]:
    """The holder; when nobody holds the conversation, the sales team (every active
    sales user)."""
    U = studio_users.c
    query = select(U.email).where(U.disabled_at.is_(None)).order_by(U.id)
    if holder_id is not None:
        query = query.where(U.id == holder_id)
    else:
        query = query.where(U.role == "sales")
    return tuple(str(email) for email in conn.execute(query).scalars())


def _noticed(
    conn: Connection, conversation_id: str, through: int, emailed: datetime | None
) -> bool:
    """Move the conversation's notice cursor to `through` (and note when it was emailed);
    False when another worker moved it first."""
    values: dict[str, Any] = {"noticed_through": through}
    if emailed is not None:
        values["emailed_at"] = emailed
    moved = conn.execute(_claim_update(conversation_id).where(
        func.coalesce(CC.noticed_through, 0) < through).values(**values))  # fmt: skip
    return bool(moved.rowcount == 1)


def message(conn: Connection, message_id: int) -> InboxMessage | None:
    row = conn.execute(select(inbox_messages).where(IM.id == message_id)).mappings().first()
    return None if row is None else _message(row)


def add(
    conn: Connection,
    conversation_id: str,
    contact_id: ContactId,
    kind: InboxKind,
    user: StudioUser | None,
    body: str,
    now: datetime,
    delivery: str | None = None,
) -> InboxMessage:
    row: dict[str, Any] = {
        "conversation_id": conversation_id, "contact_id": contact_id, "kind": kind,
        "author_id": None if user is None else user.id, "author": None if user is None else user.name,
        "body": body, "delivery": delivery, "delivery_error": None, "created_at": now,
    }  # fmt: skip
    new_id = conn.execute(insert(inbox_messages).values(**row)).inserted_primary_key[0]
    return _message({**row, "id": new_id})


def move(conn: Connection, loser: str, survivor: str) -> None:
    for table in (conversation_claims, inbox_messages):
        conn.execute(update(table).where(table.c.contact_id == loser).values(contact_id=survivor))


# ---------------------------------------------------------------- saved replies


def add_saved_reply(
    conn: Connection, title: str, body: str, created_by: str, now: datetime
) -> SavedReply:
    row: dict[str, Any] = {
        "title": title,
        "body": body,
        "created_by": created_by,
        "created_at": now,
    }
    found = conn.execute(select(saved_replies.c.id).where(saved_replies.c.title == title)).first()
    if found is not None:
        conn.execute(update(saved_replies).where(saved_replies.c.id == found.id).values(**row))
        return SavedReply(id=int(found.id), **row)
    new_id = conn.execute(insert(saved_replies).values(**row)).inserted_primary_key[0]
    return SavedReply(id=int(new_id), **row)


def list_saved_replies(conn: Connection) -> list[SavedReply]:
    query = select(saved_replies).order_by(saved_replies.c.title)
    return [SavedReply(**dict(row)) for row in conn.execute(query).mappings()]


def delete_saved_reply(conn: Connection, reply_id: int) -> bool:
    gone = conn.execute(delete(saved_replies).where(saved_replies.c.id == reply_id))
    return bool(gone.rowcount)


# ---------------------------------------------------------------- helpers


def _open(conn: Connection, conversation_id: str, user: StudioUser) -> InboxEntry:
    """The entry, if `user` may act on it: not closed, not held by someone else."""
    current = entry(conn, conversation_id)
    if current.state == "closed":
        raise ConversationClosed(conversation_id)
    if current.state == "claimed" and current.holder_id != user.id:
        raise ConversationHeld(conversation_id, current.holder or "someone else")
    return current


def _user(conn: Connection, user_id: int) -> StudioUser | None:
    row = conn.execute(select(studio_users).where(studio_users.c.id == user_id)).mappings().first()
    if row is None:
        return None
    return StudioUser(row["id"], row["email"], row["name"], row["role"], row["created_at"],
                      row["disabled_at"] is not None)  # fmt: skip


def _claim_update(conversation_id: str) -> Any:
    return update(conversation_claims).where(CC.conversation_id == conversation_id)


def _entries() -> Any:
    latest_handoff = handoffs.alias("h")
    return select(
        conversation_claims,
        contacts.c.name.label("contact_name"),
        studio_users.c.name.label("holder"),
        latest_handoff.c.reason,
        latest_handoff.c.reply_due_at,
    ).select_from(
        conversation_claims.join(contacts, CC.contact_id == contacts.c.id)
        .outerjoin(studio_users, CC.holder_id == studio_users.c.id)
        .outerjoin(latest_handoff, CC.handoff_id == latest_handoff.c.id)
    )


def _entry(row: Mapping[str, Any]) -> InboxEntry:
    return InboxEntry(
        conversation_id=row["conversation_id"], contact_id=ContactId(row["contact_id"]),
        contact_name=row["contact_name"], channel=row["channel"], state=row["state"],
        reason=row["reason"], holder_id=row["holder_id"], holder=row["holder"],
        waiting_since=row["waiting_since"], held_since=row["held_since"],
        reply_due_at=row["reply_due_at"], updated_at=row["updated_at"],
    )  # fmt: skip


def _message(row: Mapping[str, Any]) -> InboxMessage:
    return InboxMessage(
        id=int(row["id"]), conversation_id=row["conversation_id"],
        contact_id=ContactId(row["contact_id"]), kind=row["kind"], author_id=row["author_id"],
        author=row["author"], body=row["body"], delivery=row["delivery"],
        delivery_error=row["delivery_error"], created_at=row["created_at"],
    )  # fmt: skip
