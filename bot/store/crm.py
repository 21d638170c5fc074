"""CRM sync cursors and the events a connector reads, inside a caller-framed transaction.

A cursor is the id of the last integration event a connector has dealt with. Failures
go to the audit log (ids and redacted text only: it outlives erasures), so every worker
and `parley crm status` see the latest one and when the CRM may be asked again.

An erasure queues the deletion of the person's CRM copy for every connector that has
synced (`crm_erasures`): the row carries the email the CRM knows them by, since the
contact is gone, and is deleted as soon as the CRM confirms.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.engine import Connection

from bot.store import audit
from bot.store.records import CrmPull, CrmSyncFailure, IntegrationEvent
from bot.store.schema import (
    audit_log,
    contact_aliases,
    contacts,
    crm_erasures,
    crm_pulls,
    crm_sync_cursors,
    integration_events,
)
from bot.types import ContactId

FAILED = "crm_sync_failed"
CUR, EV, LOG, ERA = crm_sync_cursors.c, integration_events.c, audit_log.c, crm_erasures.c


@dataclass(frozen=True)
class CrmErasure:
    """A CRM copy of an erased contact still to delete; `email` is how the CRM knows them."""

    id: int
    connector: str
    contact_id: ContactId
    email: str
    attempts: int
    last_error: str | None


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
    conn: Connection,
    connector: str,
    error: str,
    attempts: int,
    retry_at: datetime | None,
    now: datetime,
) -> CrmSyncFailure:
    text = redact(error)[:500]
    details = {
        "error": text,
        "attempts": attempts,
        "retry_at": retry_at.isoformat() if retry_at else None,
    }
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


def queue_erasure(
    conn: Connection, connector: str | None, contact_id: str, email: str, now: datetime
) -> int:
    """Queue the deletion for `connector`, or (None) for every connector that has synced."""
    names = [connector] if connector else list(conn.execute(select(CUR.connector)).scalars())
    queued = 0
    for name in names:
        known = select(ERA.id).where(ERA.connector == name, ERA.email == email)
        if conn.execute(known).first() is None:
            conn.execute(
                insert(crm_erasures).values(
                    connector=name,
                    contact_id=contact_id,
                    email=email,
                    attempts=0,
                    next_attempt_at=now,
                    last_error=None,
                    queued_at=now,
                )
            )
            queued += 1
    return queued


def due_erasures(conn: Connection, connector: str, now: datetime, limit: int) -> list[CrmErasure]:
    query = (
        select(crm_erasures)
        .where(ERA.connector == connector, ERA.next_attempt_at <= now)
        .order_by(ERA.next_attempt_at, ERA.id)
        .limit(limit)
    )
    return [_erasure(row) for row in conn.execute(query).mappings()]


def erasure_done(conn: Connection, erasure_id: int, connector: str, now: datetime) -> None:
    """The CRM confirmed: the email goes, and the connector's last failure is over."""
    conn.execute(delete(crm_erasures).where(ERA.id == erasure_id))
    if cursor(conn, connector)[1] is None:
        move(conn, connector, 0, now)
    else:
        conn.execute(
            update(crm_sync_cursors).where(CUR.connector == connector).values(updated_at=now)
        )


def postpone_erasure(conn: Connection, erasure_id: int, error: str, retry_at: datetime) -> None:
    values = {
        "attempts": ERA.attempts + 1,
        "last_error": redact(error)[:500],
        "next_attempt_at": retry_at,
    }
    conn.execute(update(crm_erasures).where(ERA.id == erasure_id).values(**values))


def pending_erasures(conn: Connection, connector: str) -> list[CrmErasure]:
    query = select(crm_erasures).where(ERA.connector == connector).order_by(ERA.id)
    return [_erasure(row) for row in conn.execute(query).mappings()]


def gone(conn: Connection, contact_ids: Sequence[ContactId]) -> set[ContactId]:
    """Those of `contact_ids` that are neither a contact nor merged into one."""
    wanted = set(contact_ids)
    if not wanted:
        return set()
    live = set(conn.execute(select(contacts.c.id).where(contacts.c.id.in_(wanted))).scalars())
    aliased = select(contact_aliases.c.old_id).where(contact_aliases.c.old_id.in_(wanted))
    return wanted - live - set(conn.execute(aliased).scalars())


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
        id=int(row["id"]),
        event_id=row["event_id"],
        type=row["type"],
        contact_id=row["contact_id"],
        data=dict(row["data"]),
        occurred_at=row["occurred_at"],
    )


def _erasure(row: Mapping[str, Any]) -> CrmErasure:
    return CrmErasure(
        id=int(row["id"]),
        connector=row["connector"],
        contact_id=row["contact_id"],
        email=row["email"],
        attempts=int(row["attempts"]),
        last_error=row["last_error"],
    )


PULL = crm_pulls.c


def pull_state(conn: Connection, connector: str) -> CrmPull:
    row = conn.execute(select(crm_pulls).where(PULL.connector == connector)).mappings().first()
    if row is None:
        return CrmPull(connector, None, 0, None, None)
    return CrmPull(
        connector, row["modified_since"], int(row["attempts"]), row["retry_at"], row["last_error"]
    )


def finish_pull(
    conn: Connection, connector: str, modified_since: datetime | None, now: datetime
) -> None:
    """A pull went through up to `modified_since` (forward only); its failures are over."""
    known = pull_state(conn, connector).modified_since
    if known is not None and (modified_since is None or modified_since < known):
        modified_since = known
    _save_pull(conn, connector, now, modified_since=modified_since, attempts=0, retry_at=None,
               last_error=None)  # fmt: skip


def fail_pull(
    conn: Connection, connector: str, error: str, retry_at: datetime, now: datetime
) -> CrmPull:
    state = pull_state(conn, connector)
    text = redact(error)[:500]
    _save_pull(conn, connector, now, modified_since=state.modified_since,
               attempts=state.attempts + 1, retry_at=retry_at, last_error=text)  # fmt: skip
    return CrmPull(connector, state.modified_since, state.attempts + 1, retry_at, text)


def _save_pull(conn: Connection, connector: str, now: datetime, **values: Any) -> None:
    query = update(crm_pulls).where(PULL.connector == connector)
    if conn.execute(query.values(updated_at=now, **values)).rowcount == 0:
        conn.execute(insert(crm_pulls).values(connector=connector, updated_at=now, **values))
