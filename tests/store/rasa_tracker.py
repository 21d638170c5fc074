"""Rasa 3.6's SQL tracker store table (SQLTrackerStore.SQLEvent), filled by hand."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Column, Float, Integer, MetaData, String, Table, Text, insert, select

from bot.store import make_engine

metadata = MetaData()
rasa_events = Table(
    "events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("sender_id", String(255), nullable=False, index=True),
    Column("type_name", String(255), nullable=False),
    Column("timestamp", Float),
    Column("intent_name", String(255)),
    Column("action_name", String(255)),
    Column("data", Text),
)


def user_event(sender_id: str, timestamp: float, text: str) -> dict[str, Any]:
    data = {"event": "user", "timestamp": timestamp, "text": text}
    return {
        "sender_id": sender_id,
        "type_name": "user",
        "timestamp": timestamp,
        "intent_name": "inform",
        "action_name": None,
        "data": json.dumps(data),
    }


def add_tracker_events(url: str, rows: Iterable[dict[str, Any]]) -> None:
    engine = make_engine(url)
    try:
        metadata.create_all(engine)
        with engine.begin() as conn:
            conn.execute(insert(rasa_events), list(rows))
    finally:
        engine.dispose()


def tracker_rows(url: str) -> list[tuple[str, str]]:
    """(sender_id, data) of every event, in insertion order."""
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            query = select(rasa_events.c.sender_id, rasa_events.c.data).order_by(rasa_events.c.id)
            return [(sender_id, data) for sender_id, data in conn.execute(query)]
    finally:
        engine.dispose()
