"""Campaign sends marked `sending` and finished a batch at a time, inside a caller-framed
transaction.

The dispatcher marks and finishes sends by the hundred a second; one UPDATE a send made
the database's share of a send cost more than the provider call. Here the rows whose
claim still holds are read (and on PostgreSQL locked) with one statement, and changed
with one statement per kind of change (for results, per status, reason, channel and
retry time: the provider's message ids go in a CASE). On SQLite the transaction holds
the write lock from its start, so nothing can change a row between the read and the
write.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import case, select, update
from sqlalchemy.engine import Connection

from bot.store.schema import campaign_enrollments, campaign_sends

CLAIMED, SENDING, SENT = "claimed", "sending", "sent"
S, E = campaign_sends.c, campaign_enrollments.c


@dataclass(frozen=True)
class Finish:
    """How one claimed send ended, for `finish`: its row, the claim token it was
    claimed with, and what to record (`retry_at`: pending again from then)."""

    send_id: int
    token: str
    status: str
    reason: str | None = None
    channel: str | None = None
    provider_message_id: str | None = None
    retry_at: datetime | None = None


def start(conn: Connection, claims: Sequence[tuple[int, str, str]], now: datetime) -> set[int]:
    """Mark each (send id, claim token, channel) as handed to the provider: the ids whose
    claim still held. After the commit none of them is ever handed over again."""
    rows = _locked(conn, {send_id for send_id, _, _ in claims})
    by_channel: dict[str, set[int]] = {}
    for send_id, token, channel in claims:
        row = rows.get(send_id)
        if row is not None and row.holds(token) and row.status == CLAIMED:
            by_channel.setdefault(channel, set()).add(send_id)
            rows[send_id] = replace(row, status=SENDING)
    for channel, ids in by_channel.items():
        conn.execute(
            update(campaign_sends)
            .where(S.id.in_(sorted(ids)))
            .values(status=SENDING, channel=channel, attempts=S.attempts + 1)
        )
    return set().union(*by_channel.values())


def finish(conn: Connection, finishes: Sequence[Finish], now: datetime) -> set[int]:
    """Record each result and release its claim: the ids whose claim still held. Of two
    results for one claim, the first counts."""
    rows = _locked(conn, {f.send_id for f in finishes})
    held: dict[int, Finish] = {}
    for done in finishes:
        row = rows.get(done.send_id)
        if row is not None and done.send_id not in held and row.holds(done.token):
            held[done.send_id] = done
    alike: dict[tuple[str, str | None, str | None, datetime | None], list[Finish]] = {}
    for done in held.values():
        alike.setdefault((done.status, done.reason, done.channel, done.retry_at), []).append(done)
    for group in alike.values():
        ids = sorted(done.send_id for done in group)
        conn.execute(
            update(campaign_sends).where(S.id.in_(ids)).values(_finished_values(group, now))
        )
    sent = [rows[i].enrollment_id for i, done in held.items() if done.status == SENT]
    _note_last_sent(conn, sent, now)
    return set(held)


@dataclass(frozen=True)
class _Row:
    claim_token: str | None
    status: str
    enrollment_id: int

    def holds(self, token: str) -> bool:
        return self.claim_token is not None and self.claim_token == token


def _locked(conn: Connection, ids: set[int]) -> dict[int, _Row]:
    """These sends as they are now, locked on PostgreSQL until the transaction ends."""
    if not ids:
        return {}
    query = (
        select(S.id, S.claim_token, S.status, S.enrollment_id)
        .where(S.id.in_(sorted(ids)))
        .order_by(S.id)
    )
    if conn.dialect.name == "postgresql":
        query = query.with_for_update()
    return {
        int(r.id): _Row(r.claim_token, r.status, int(r.enrollment_id)) for r in conn.execute(query)
    }


def _finished_values(group: list[Finish], now: datetime) -> dict[str, Any]:
    """What a group of results alike but for their provider message ids sets: those
    ids in one CASE, so the group is one statement (and one round trip)."""
    done = group[0]
    values: dict[str, Any] = {
        "status": done.status,
        "lease_until": None,
        "reason": done.reason,
        "claim_token": None,
    }
    if done.status == SENT:
        values["sent_at"] = now
    if done.retry_at is not None:
        values["due_at"] = done.retry_at
    if done.channel is not None:
        values["channel"] = done.channel
    given = {d.send_id: d.provider_message_id for d in group if d.provider_message_id is not None}
    if given:
        values["provider_message_id"] = case(given, value=S.id, else_=S.provider_message_id)
    return values


def _note_last_sent(conn: Connection, enrollment_ids: list[int], now: datetime) -> None:
    if enrollment_ids:
        conn.execute(
            update(campaign_enrollments)
            .where(E.id.in_(sorted(set(enrollment_ids))))
            .values(last_sent_at=now)
        )
