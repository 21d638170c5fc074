"""Studio users, sessions and published versions inside a caller-framed transaction."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from bot.errors import InvalidField
from bot.store.records import StudioSession, StudioUser, StudioVersion
from bot.store.schema import studio_sessions, studio_users, studio_versions

U, S, V = studio_users.c, studio_sessions.c, studio_versions.c


def create_user(
    conn: Connection, email: str, name: str, role: str, password_hash: str, now: datetime
) -> StudioUser:
    values = {
        "email": email,
        "name": name,
        "role": role,
        "password_hash": password_hash,
        "created_at": now,
        "disabled_at": None,
    }
    try:
        with conn.begin_nested():
            user_id = conn.execute(insert(studio_users).values(**values)).inserted_primary_key[0]
    except IntegrityError as error:
        raise InvalidField("email", f"a studio user with the email {email} exists") from error
    return _user({"id": user_id, **values})


def user_with_hash(conn: Connection, email: str) -> tuple[StudioUser, str] | None:
    row = conn.execute(select(studio_users).where(U.email == email)).mappings().first()
    return None if row is None else (_user(row), row["password_hash"])


def users(conn: Connection) -> list[StudioUser]:
    return [_user(r) for r in conn.execute(select(studio_users).order_by(U.id)).mappings()]


def set_password(conn: Connection, user_id: int, password_hash: str) -> bool:
    query = update(studio_users).where(U.id == user_id).values(password_hash=password_hash)
    changed = bool(conn.execute(query).rowcount)
    # A new password ends every session the old one opened.
    conn.execute(delete(studio_sessions).where(S.user_id == user_id))
    return changed


def set_role(conn: Connection, user_id: int, role: str) -> bool:
    query = update(studio_users).where(U.id == user_id).values(role=role)
    return bool(conn.execute(query).rowcount)


def disable(conn: Connection, user_id: int, now: datetime) -> bool:
    query = update(studio_users).where(U.id == user_id, U.disabled_at.is_(None))
    changed = bool(conn.execute(query.values(disabled_at=now)).rowcount)
    conn.execute(delete(studio_sessions).where(S.user_id == user_id))
    return changed


def open_session(
    conn: Connection,
    token_hash: str,
    user_id: int,
    csrf_token: str,
    now: datetime,
    expires_at: datetime,
) -> None:
    conn.execute(delete(studio_sessions).where(S.expires_at <= now))
    conn.execute(
        insert(studio_sessions).values(
            token_hash=token_hash,
            user_id=user_id,
            csrf_token=csrf_token,
            created_at=now,
            expires_at=expires_at,
        )
    )


def session(conn: Connection, token_hash: str, now: datetime) -> StudioSession | None:
    query = (
        select(studio_sessions, studio_users)
        .join(studio_users, U.id == S.user_id)
        .where(S.token_hash == token_hash, S.expires_at > now, U.disabled_at.is_(None))
    )
    row = conn.execute(query).mappings().first()
    if row is None:
        return None
    user = _user({**row, "id": row["user_id"]})
    return StudioSession(user=user, csrf_token=row["csrf_token"], expires_at=row["expires_at"])


def close_session(conn: Connection, token_hash: str) -> None:
    conn.execute(delete(studio_sessions).where(S.token_hash == token_hash))


def add_version(
    conn: Connection,
    author: str,
    note: str,
    files: Mapping[str, str],
    fingerprint: str,
    now: datetime,
    rolled_back_from: int | None,
) -> StudioVersion:
    number = (conn.execute(select(func.max(V.number))).scalar() or 0) + 1
    values = {
        "number": number,
        "author": author,
        "note": note,
        "files": dict(files),
        "fingerprint": fingerprint,
        "created_at": now,
        "rolled_back_from": rolled_back_from,
    }
    conn.execute(insert(studio_versions).values(**values))
    return _version(values)


def version(conn: Connection, number: int) -> StudioVersion | None:
    row = conn.execute(select(studio_versions).where(V.number == number)).mappings().first()
    return None if row is None else _version(row)


def versions(conn: Connection, limit: int) -> list[StudioVersion]:
    query = select(studio_versions).order_by(V.number.desc()).limit(limit)
    return [_version(r) for r in conn.execute(query).mappings()]


def _user(row: Mapping[str, Any]) -> StudioUser:
    return StudioUser(
        id=row["id"],
        email=row["email"],
        name=row["name"],
        role=row["role"],
        created_at=row["created_at"],
        disabled=row["disabled_at"] is not None,
    )


def _version(row: Mapping[str, Any]) -> StudioVersion:
    return StudioVersion(
        number=row["number"], author=row["author"], note=row["note"], files=dict(row["files"]),
        fingerprint=row["fingerprint"], created_at=row["created_at"],
        rolled_back_from=row["rolled_back_from"],
    )  # fmt: skip
