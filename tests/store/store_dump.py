"""Every row of every table of a profile store as plain JSON, comparable across runs and
backends: contact and lead ids become labels in order of appearance, row ids are left
out (rows stay in id order), and times after `now` (the clock while a test prepared the
store) become one placeholder."""

from __future__ import annotations

import json
import re
from datetime import datetime
from typing import Any

from sqlalchemy import Integer, select
from sqlalchemy.engine import Engine

from bot.store.schema import contacts, leads, metadata

_UUID = re.compile(r"\b[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}\b")


def dump(engine: Engine, now: datetime) -> dict[str, list[dict[str, Any]]]:
    with engine.connect() as conn:
        people = conn.execute(select(contacts.c.id, contacts.c.created_at, contacts.c.email, contacts.c.phone)).all()  # fmt: skip
        labels = {
            row[0]: f"contact-{n}"
            for n, row in enumerate(sorted(people, key=lambda r: (r[1], r[2] or r[3] or "")))
        }
        ordered = sorted(
            conn.execute(select(leads.c.id, leads.c.contact_id, leads.c.started_at)).all(),
            key=lambda r: (labels[r[1]], r[2]),
        )
        labels.update({row[0]: f"lead-{n}" for n, row in enumerate(ordered)})
        found: dict[str, list[dict[str, Any]]] = {}
        for table in metadata.sorted_tables:
            integer_ids = [c for c in table.primary_key.columns if isinstance(c.type, Integer)]
            rows = conn.execute(select(table).order_by(*table.primary_key.columns)).mappings()
            kept = [
                {k: _plain(v, labels, now) for k, v in row.items() if table.c[k] not in integer_ids}
                for row in rows
            ]
            if kept:
                found[table.name] = kept if integer_ids else sorted(kept, key=json.dumps)
    return found


def _plain(value: Any, labels: dict[str, str], now: datetime) -> Any:
    if isinstance(value, datetime):
        return "<while preparing>" if value > now else value.isoformat()
    if isinstance(value, (dict, list)):
        return json.loads(_plain(json.dumps(value, sort_keys=True), labels, now))
    if isinstance(value, str):
        for row_id, label in labels.items():
            value = value.replace(row_id, label)
        return _UUID.sub("<uuid>", value)
    return value
