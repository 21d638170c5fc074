"""The audit log: who did what to which contact. Erasure keeps it, so it holds ids only."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select
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
