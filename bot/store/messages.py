"""Provider messages: which inbound ids were handled, and what became of outbound ones."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

from bot.store.records import MessageStatus
from bot.store.schema import inbound_messages, message_statuses


def claim(conn: Connection, provider: str, message_id: str, now: datetime) -> bool:
    """True if this call recorded the id; False if anyone (even concurrently) had."""
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    query = (
        dialect.insert(inbound_messages)
        .values(provider=provider, message_id=message_id, received_at=now)
        .on_conflict_do_nothing(index_elements=["provider", "message_id"])
    )
    return bool(conn.execute(query).rowcount == 1)


def record_status(conn: Connection, status: MessageStatus) -> MessageStatus:
    values = {
        "provider": status.provider,
        "message_id": status.message_id,
        "status": status.status,
        "error_code": status.error_code,
        "recorded_at": status.recorded_at,
    }
    conn.execute(insert(message_statuses).values(**values))
    return status


def statuses(conn: Connection, provider: str, message_id: str) -> list[MessageStatus]:
    query = (
        select(message_statuses)
        .where(message_statuses.c.provider == provider, message_statuses.c.message_id == message_id)
        .order_by(message_statuses.c.recorded_at, message_statuses.c.id)
    )
    return [
        MessageStatus(
            row["provider"], row["message_id"], row["status"], row["error_code"], row["recorded_at"]
        )
        for row in conn.execute(query).mappings()
    ]
