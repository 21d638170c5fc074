"""The audit log: who did what to which contact. Erasure keeps it, so it holds ids only.

Actors are written as ids too (`self-service:<contact id>`, `api-token:<id>`); an entry
written before that, or by a caller that named a person by a sender id (an SMS sender id
is a phone number), is rewritten to the contact id when that person is erased.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import func, insert, or_, select, update
from sqlalchemy.engine import Connection

from bot.store.records import AuditEntry
from bot.store.schema import audit_log


def append(
    conn: Connection,
    actor: str,
    action: str,
    target: str,
    details: Mapping[str, Any],
    now: datetime,
) -> AuditEntry:
    values = {
        "actor": actor,
        "action": action,
        "target": target,
        "details": dict(details),
        "occurred_at": now,
    }
    entry_id = conn.execute(insert(audit_log).values(**values)).inserted_primary_key[0]
    return _entry({"id": entry_id, **values})


def newest(conn: Connection, limit: int) -> list[AuditEntry]:
    query = (
        select(audit_log)
        .order_by(audit_log.c.occurred_at.desc(), audit_log.c.id.desc())
        .limit(limit)
    )
    return [_entry(row) for row in conn.execute(query).mappings()]


def _entry(row: Mapping[str, Any]) -> AuditEntry:
    return AuditEntry(
        id=row["id"],
        actor=row["actor"],
        action=row["action"],
        target=row["target"],
        details=dict(row["details"]),
        occurred_at=row["occurred_at"],
    )


def forget_identifiers(conn: Connection, contact_id: str, identifiers: Iterable[str]) -> int:
    """Actors ending in ":<identifier>" and targets equal to one name `contact_id` instead
    (emails in any case); the entries themselves stay as evidence. How many changed."""
    wanted = sorted({v.strip().lower() for v in identifiers if v.strip()}, key=len, reverse=True)
    if not wanted:
        return 0
    actor, target = func.lower(audit_log.c.actor), func.lower(audit_log.c.target)
    naming = [
        or_(actor == v, actor.endswith(f":{v}", autoescape=True), target == v) for v in wanted
    ]
    query = select(audit_log.c.id, audit_log.c.actor, audit_log.c.target).where(or_(*naming))
    rows = conn.execute(query).all()
    for entry_id, old_actor, old_target in rows:
        values = {
            "actor": _renamed(old_actor, wanted, contact_id),
            "target": contact_id if old_target.lower() in wanted else old_target,
        }
        conn.execute(update(audit_log).where(audit_log.c.id == entry_id).values(**values))
    return len(rows)


def _renamed(actor: str, wanted: list[str], contact_id: str) -> str:
    lowered = actor.lower()
    if lowered in wanted:
        return contact_id
    for value in wanted:  # longest first: "rest:ab" before "ab"
        if lowered.endswith(f":{value}"):
            return actor[: len(actor) - len(value)] + contact_id
    return actor
