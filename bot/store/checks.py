"""Arguments checked the same way on every backend, before any transaction starts."""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping
from datetime import datetime, timezone
from typing import Any


def utc(now: datetime | None) -> datetime:
    if now is None:
        return datetime.now(timezone.utc)
    if now.tzinfo is None:
        raise ValueError(f"naive datetime {now!r}; pass an aware datetime")
    return now.astimezone(timezone.utc)


def check_json(data: Mapping[str, Any]) -> None:
    # Fail here, the same way on every backend (SQLite would store NaN, PostgreSQL not).
    json.dumps(data, allow_nan=False)


def check_choice(name: str, value: object, choices: Collection[object]) -> None:
    if value not in choices:
        raise ValueError(f"{name} must be one of {', '.join(map(str, choices))}, not {value!r}")


def check_text(name: str, value: str) -> None:
    if not value.strip():
        raise ValueError(f"{name} must not be empty")
