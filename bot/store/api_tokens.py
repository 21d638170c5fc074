"""API tokens inside a caller-framed transaction: only hashes of their secrets."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.engine import Connection

from bot.store.records import ApiToken
from bot.store.schema import api_tokens

T = api_tokens.c


def create(
    conn: Connection,
    token_id: str,
    name: str,
    scopes: Sequence[str],
    secret_hash: str,
    now: datetime,
) -> ApiToken:
    values = {
        "id": token_id,
        "name": name,
        "scopes": list(scopes),
        "secret_hash": secret_hash,
        "created_at": now,
    }
    conn.execute(insert(api_tokens).values(**values))
    return _token({**values, "revoked_at": None, "last_used_at": None})


def find(conn: Connection, token_id: str) -> ApiToken | None:
    row = conn.execute(select(api_tokens).where(T.id == token_id)).mappings().first()
    return None if row is None else _token(row)


def listed(conn: Connection) -> list[ApiToken]:
    return [_token(r) for r in conn.execute(select(api_tokens).order_by(T.created_at)).mappings()]


def revoke(conn: Connection, token_id: str, now: datetime) -> bool:
    query = update(api_tokens).where(T.id == token_id, T.revoked_at.is_(None))
    return bool(conn.execute(query.values(revoked_at=now)).rowcount)


def touch(conn: Connection, token_id: str, now: datetime) -> None:
    conn.execute(update(api_tokens).where(T.id == token_id).values(last_used_at=now))


def _token(row: Any) -> ApiToken:
    return ApiToken(
        id=row["id"], name=row["name"], scopes=tuple(row["scopes"]),
        secret_hash=row["secret_hash"], created_at=row["created_at"],
        revoked_at=row["revoked_at"], last_used_at=row["last_used_at"],
    )  # fmt: skip
