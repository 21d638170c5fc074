"""bot.store.bulk against real SQLite and PostgreSQL: rows come back as SQLAlchemy's own
INSERT would have left them, awkward text included, and failures are SQLAlchemy's."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from sqlalchemy import insert, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from bot.store.bulk import insert_rows
from bot.store.schema import consent_events, contacts

AWKWARD = ["tab\there", "line\nbreak\r\n", "back\\slash \\N \\.", "", "Zoë 李 😀", "%(x)s ? '"]
LOCAL = timezone(timedelta(hours=2))


def _contact(number: int, name: str | None) -> dict[str, Any]:
    at = datetime(2024, 3, 1, 12, 30, 15, 250, tzinfo=LOCAL) + timedelta(minutes=number % 100)
    return {
        "id": f"c{number:031d}", "name": name, "email": f"p{number}@acme.io", "phone": None,
        "company": "Acme", "role": None, "need": None, "lead_status": "partial",
        "created_at": at, "updated_at": at, "company_domain": None, "country": None,
        "timezone": None,
    }  # fmt: skip


def _grant(contact_id: str, note: str | None, granted: bool) -> dict[str, Any]:
    return {
        "contact_id": contact_id, "purpose": "email", "granted": granted, "channel": "import",
        "wording": f"Email me {note}", "wording_version": "v1", "source": "import",
        "evidence": {"line": "2", "note": note, "nested": [1, {"a": note}]},
        "occurred_at": datetime(2024, 3, 1, 10, tzinfo=timezone.utc),
    }  # fmt: skip


def _stored(engine: Engine) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    with engine.connect() as conn:
        people = conn.execute(select(contacts).order_by(contacts.c.id)).all()
        grants = conn.execute(select(consent_events).order_by(consent_events.c.id)).all()
    return [tuple(p)[1:] for p in people], [tuple(g)[2:] for g in grants]


def test_rows_are_stored_as_sqlalchemy_would_store_them(engine: Engine) -> None:
    names: list[str | None] = [*AWKWARD, None]
    ours = [_contact(n, name) for n, name in enumerate(names)]
    theirs = [_contact(n + 100, name) for n, name in enumerate(names)]
    for n, row in enumerate(theirs):
        row["email"] = f"p{n}+sqlalchemy@acme.io"
    with engine.begin() as conn:
        insert_rows(conn, contacts, ours)
        insert_rows(conn, consent_events, [_grant(r["id"], r["name"], i % 2 == 0) for i, r in enumerate(ours)])  # fmt: skip
        conn.execute(insert(contacts), theirs)
        conn.execute(insert(consent_events), [_grant(r["id"], r["name"], i % 2 == 0) for i, r in enumerate(theirs)])  # fmt: skip
    people, grants = _stored(engine)
    half = len(names)
    assert [p[0] for p in people[:half]] == names
    assert people[:half] == [(p[0], p[1].replace("+sqlalchemy", ""), *p[2:]) for p in people[half:]]
    assert people[0][7] == datetime(2024, 3, 1, 10, 30, 15, 250, tzinfo=timezone.utc)
    assert grants[:half] == grants[half:]
    assert grants[0][-3]["nested"] == [1, {"a": AWKWARD[0]}]


def test_a_unique_violation_is_sqlalchemys_integrity_error(engine: Engine) -> None:
    with engine.begin() as conn:
        insert_rows(conn, contacts, [_contact(1, "Ann")])
    with pytest.raises(IntegrityError), engine.begin() as conn:
        insert_rows(conn, contacts, [_contact(2, "Bo"), _contact(1, "Ann again")])
    people, _grants = _stored(engine)
    assert [p[0] for p in people] == ["Ann"]


def test_no_rows_is_no_statement(engine: Engine) -> None:
    with engine.begin() as conn:
        insert_rows(conn, contacts, [])
    assert _stored(engine) == ([], [])
