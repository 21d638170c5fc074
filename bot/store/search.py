"""Finding contacts by what a person types: part of an email, phone, name or company."""

from __future__ import annotations

import re

from sqlalchemy import or_, select
from sqlalchemy.engine import Connection
from sqlalchemy.sql.elements import ColumnElement

from bot.store import reads
from bot.store.records import Contact
from bot.store.schema import contacts

ESCAPE = "\\"
# Typed phone numbers come with spaces, dashes, dots and brackets; stored ones are E.164.
_PHONE_LIKE = re.compile(r"^\+?[\d\s\-().]+$")
_NOT_DIGITS = re.compile(r"\D")
# Fewer digits than this match far too many numbers to be a phone search.
MIN_PHONE_DIGITS = 3


def like_pattern(text: str) -> str:
    """A LIKE pattern matching `text` anywhere, its own % and _ taken literally."""
    for special in (ESCAPE, "%", "_"):
        text = text.replace(special, ESCAPE + special)
    return f"%{text}%"


def matches(query: str) -> ColumnElement:
    """Case-insensitive substring of email, phone, name or company; the phone also by
    its digits alone, and the contact by its exact id."""
    pattern = like_pattern(query)
    columns = (contacts.c.email, contacts.c.phone, contacts.c.name, contacts.c.company)
    conditions = [column.ilike(pattern, escape=ESCAPE) for column in columns]
    conditions.append(contacts.c.id == query)
    digits = _NOT_DIGITS.sub("", query)
    if _PHONE_LIKE.match(query) and len(digits) >= MIN_PHONE_DIGITS:
        conditions.append(contacts.c.phone.like(like_pattern(digits), escape=ESCAPE))
    return or_(*conditions)


def search(conn: Connection, query: str, limit: int, offset: int) -> list[Contact]:
    """Newest first; a blank query matches every contact."""
    statement = select(contacts.c.id).order_by(contacts.c.created_at.desc(), contacts.c.id.desc())
    query = query.strip()
    if query:
        statement = statement.where(matches(query))
    ids = conn.execute(statement.limit(limit).offset(offset)).scalars().all()
    return [reads.load_contact(conn, contact_id) for contact_id in ids]
