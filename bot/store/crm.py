"""CRM sync cursors and the events a connector reads, inside a caller-framed transaction.

A cursor is the id of the last integration event a connector has dealt with. Failures
go to the audit log (ids and redacted text only: it outlives erasures), so every worker
and `parley crm status` see the latest one and when the CRM may be asked again.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.engine import Connection

from bot.store import audit
from bot.store.records import CrmSyncFailure, IntegrationEvent
from bot.store.schema import audit_log, crm_sync_cursors, integration_events

FAILED = "crm_sync_failed"
CUR, EV, LOG = crm_sync_cursors.c, integration_events.c, audit_log.c
_EMAIL = re.compile(r"[^\s@\"'<>,;:]+@[^\s@\"'<>,;:]+")


def actor(connector: str) -> str:
    return f"crm:{connector}"


def cursor(conn: Connection, connector: str) -> tuple[int, datetime | None]:
    row = conn.execute(select(CUR.position, CUR.updated_at).where(CUR.connector == connector))
    found = row.first()
    return (0, None) if found is None else (int(found.position), found.updated_at)


def move(conn: Connection, connector: str, position: int, now: datetime) -> None:
    """Forward only: a slower worker never takes the cursor back."""
    if cursor(conn, connector)[1] is None:
        values = {"connector": connector, "position": position, "updated_at": now}
        conn.execute(insert(crm_sync_cursors).values(**values))  # a racing insert: retried
        return
    query = update(crm_sync_cursors).where(CUR.connector == connector, CUR.position < position)
    conn.execute(query.values(position=position, updated_at=now))


def events_after(
    conn: Connection, position: int, kinds: Sequence[str], limit: int
) -> list[IntegrationEvent]:
    query = (
        select(integration_events)
        .where(EV.id > position, EV.type.in_(list(kinds)))
        .order_by(EV.id)
        .limit(limit)
    )
    return [_event(row) for row in conn.execute(query).mappings()]


def count_after(conn: Connection, position: int, kinds: Sequence[str]) -> int:
    query = select(func.count()).where(EV.id > position, EV.type.in_(list(kinds)))
    return int(conn.execute(query).scalar_one())


def record_failure(
    conn: Connection, connector: str, error: str, attempts: int, retry_at: datetime | None,
    now: datetime,
) -> CrmSyncFailure:  # fmt: skip
    text = redact(error)[:500]
    details = {"error": text, "attempts": attempts,
               "retry_at": retry_at.isoformat() if retry_at else None}  # fmt: skip
    audit.append(conn, actor(connector), FAILED, connector, details, now)
    return CrmSyncFailure(connector, text, attempts, retry_at, now)


def current_failure(conn: Connection, connector: str) -> CrmSyncFailure | None:
    """The newest failure not followed by the cursor moving on."""
    query = (
        select(audit_log)
        .where(LOG.actor == actor(connector), LOG.action == FAILED, LOG.target == connector)
        .order_by(LOG.occurred_at.desc(), LOG.id.desc())
        .limit(1)
    )
    since = cursor(conn, connector)[1]
    if since is not None:  # also keeps the scan on the (occurred_at, id) index
        query = query.where(LOG.occurred_at >= since)
    row = conn.execute(query).mappings().first()
    return None if row is None else _failure(connector, row)


def redact(text: str) -> str:
    """CRMs quote the offending email address; the audit log must not keep it."""
    return _EMAIL.sub("<email>", text)


def _failure(connector: str, row: Mapping[str, Any]) -> CrmSyncFailure:
    details = row["details"]
    retry_at = details.get("retry_at")
    return CrmSyncFailure(
        connector=connector, error=str(details.get("error", "")),
        attempts=int(details.get("attempts", 1)),
        retry_at=datetime.fromisoformat(retry_at) if retry_at else None,
        occurred_at=row["occurred_at"],
    )  # fmt: skip


def _event(row: Mapping[str, Any]) -> IntegrationEvent:
    return IntegrationEvent(
        id=int(row["id"]), event_id=row["event_id"], type=row["type"],
        contact_id=row["contact_id"], data=dict(row["data"]), occurred_at=row["occurred_at"],
    )  # fmt: skip
