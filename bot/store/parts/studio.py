"""`store.studio`: the studio's users, their sessions, published content versions and
the dashboard's funnel report."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from sqlalchemy.engine import Connection

from bot.store import inbox, reports, studio
from bot.store.checks import utc
from bot.store.records import FunnelReport, StudioSession, StudioUser, StudioVersion
from bot.store.transactions import Transactions


class StudioPart:
    def __init__(self, tx: Transactions) -> None:
        self._tx = tx

    def create_user(
        self, email: str, name: str, role: str, password_hash: str, now: datetime | None = None
    ) -> StudioUser:
        at = utc(now)
        return self._tx.write(
            lambda conn: studio.create_user(conn, email, name, role, password_hash, at)
        )

    def user_with_hash(self, email: str) -> tuple[StudioUser, str] | None:
        """The user and their password hash, for checking a login; None if unknown."""
        return self._tx.read(lambda conn: studio.user_with_hash(conn, email))

    def users(self) -> list[StudioUser]:
        return self._tx.read(studio.users)

    def set_password(self, user_id: int, password_hash: str) -> bool:
        return self._tx.write(lambda conn: studio.set_password(conn, user_id, password_hash))

    def set_role(self, user_id: int, role: str) -> bool:
        return self._tx.write(lambda conn: studio.set_role(conn, user_id, role))

    def disable_user(self, user_id: int, now: datetime | None = None) -> bool:
        """Sign them out everywhere; what they held in the inbox waits for someone else."""
        at = utc(now)

        def disable(conn: Connection) -> bool:
            changed = studio.disable(conn, user_id, at)
            inbox.release_held_by(conn, user_id, at)
            return changed

        return self._tx.write(disable)

    def open_session(
        self,
        token_hash: str,
        user_id: int,
        csrf_token: str,
        expires_at: datetime,
        now: datetime | None = None,
    ) -> None:
        at = utc(now)
        self._tx.write(
            lambda conn: studio.open_session(conn, token_hash, user_id, csrf_token, at, expires_at)
        )

    def session(self, token_hash: str, now: datetime | None = None) -> StudioSession | None:
        at = utc(now)
        return self._tx.read(lambda conn: studio.session(conn, token_hash, at))

    def close_session(self, token_hash: str) -> None:
        self._tx.write(lambda conn: studio.close_session(conn, token_hash))

    def add_version(
        self,
        author: str,
        note: str,
        files: Mapping[str, str],
        fingerprint: str,
        rolled_back_from: int | None = None,
        now: datetime | None = None,
    ) -> StudioVersion:
        at = utc(now)
        return self._tx.write(
            lambda conn: studio.add_version(
                conn, author, note, files, fingerprint, at, rolled_back_from
            )
        )

    def version(self, number: int) -> StudioVersion | None:
        return self._tx.read(lambda conn: studio.version(conn, number))

    def versions(self, limit: int = 50) -> list[StudioVersion]:
        """Newest first."""
        return self._tx.read(lambda conn: studio.versions(conn, limit))

    def funnel_report(
        self, since: datetime | None = None, channel: str | None = None
    ) -> FunnelReport:
        """The funnel of contacts created since `since` (None: ever), per first channel;
        `channel` keeps only the contacts first seen there. See bot.store.reports."""
        if since is not None and since.tzinfo is None:
            raise ValueError(f"naive datetime {since!r}; pass an aware datetime")
        return self._tx.read(lambda conn: reports.funnel(conn, since, channel))
