"""ProfileStore's segment queries: which contacts a segment (bot.segments) selects."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import exists, func, select
from sqlalchemy.engine import Connection

from bot.segments import Segment
from bot.store import reads
from bot.store.checks import utc
from bot.store.records import Contact
from bot.store.schema import campaign_enrollments, contacts
from bot.store.segments import compile_segment
from bot.store.transactions import Transactions
from bot.types import ContactId


class SegmentQueries:
    """Mixed into ProfileStore; every method is one transaction, like the store's own."""

    _tx: Transactions

    def count_in_segment(self, segment: Segment, now: datetime) -> int:
        where = compile_segment(segment, utc(now))
        query = select(func.count()).select_from(contacts).where(where)
        return self._tx.read(lambda conn: int(conn.execute(query).scalar_one()))

    def segment_sample(self, segment: Segment, now: datetime, limit: int = 10) -> list[Contact]:
        """Up to `limit` of the segment's contacts, oldest first."""
        _check_limit(limit)
        where = compile_segment(segment, utc(now))
        query = (
            select(contacts.c.id)
            .where(where)
            .order_by(contacts.c.created_at, contacts.c.id)
            .limit(limit)
        )
        return self._tx.read(lambda conn: _load_all(conn, conn.execute(query).scalars().all()))

    def contact_ids_in_segment(
        self,
        segment: Segment,
        now: datetime,
        *,
        after: str | None = None,
        limit: int = 1000,
        not_enrolled_in: str | None = None,
    ) -> list[ContactId]:
        """One page of the segment's contact ids in ascending order; pass the last id of
        a page as `after` for the next. Each page is its own transaction, so a contact
        that joins or leaves the segment between pages may be seen once or not at all.
        `not_enrolled_in` leaves out whoever a campaign ever enrolled."""
        _check_limit(limit)
        query = select(contacts.c.id).where(compile_segment(segment, utc(now)))
        if not_enrolled_in is not None:
            enrolled = campaign_enrollments.c
            query = query.where(
                ~exists().where(
                    enrolled.contact_id == contacts.c.id, enrolled.campaign == not_enrolled_in
                )
            )
        if after is not None:
            query = query.where(contacts.c.id > after)
        query = query.order_by(contacts.c.id).limit(limit)
        return self._tx.read(
            lambda conn: [ContactId(found) for found in conn.execute(query).scalars()]
        )

    def in_segment(self, contact_id: str, segment: Segment, now: datetime) -> bool:
        where = compile_segment(segment, utc(now))

        def check(conn: Connection) -> bool:
            live = reads.require_id(conn, contact_id)
            query = select(exists().where(contacts.c.id == live, where))
            return bool(conn.execute(query).scalar())

        return self._tx.read(check)


def _check_limit(limit: int) -> None:
    if limit < 1:
        raise ValueError(f"limit must be positive, not {limit}")


def _load_all(conn: Connection, ids: list[str]) -> list[Contact]:
    return [reads.load_contact(conn, contact_id) for contact_id in ids]
