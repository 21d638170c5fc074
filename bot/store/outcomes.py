"""Sales outcomes (#20), inside a caller-framed transaction.

Recording one locks the contact, keeps every earlier outcome as history and makes the
new one current; in the same transaction it goes on the timeline (`outcome_recorded`,
what campaign goals and triggers read), into the audit log, and out as a `lead.outcome`
integration event through the webhook outbox. Recording what is already the current
outcome again (a retried API call, a CRM deal read twice) changes nothing.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import and_, insert, select, update
from sqlalchemy.engine import Connection

from bot.errors import InvalidField
from bot.store import audit, integration, reads, writes
from bot.store.records import OutcomeRecord
from bot.store.schema import contacts, lead_outcomes
from bot.types import OUTCOME_SOURCES, OUTCOMES, ContactId

OC = lead_outcomes.c
LARGEST_VALUE = Decimal("999999999999.999")  # 15 digits: exact everywhere
LONGEST_REASON = 500
_CURRENCY = re.compile(r"[A-Z]{3}")
_PLAIN_NUMBER = re.compile(r"-?[0-9]{1,30}(\.[0-9]{1,30})?", re.ASCII)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class NewOutcome:
    """An outcome to record, checked by `check` before any transaction starts."""

    outcome: str
    value: Decimal | None
    currency: str | None
    reason: str | None
    source: str
    recorded_by: str
    external_ref: str | None
    occurred_at: datetime

    def same_as(self, record: OutcomeRecord) -> bool:
        return (self.outcome, self.value, self.currency, self.reason) == (
            record.outcome,
            record.value,
            record.currency,
            record.reason,
        )


def parse_value(raw: object) -> Decimal:
    """A value as given (a decimal string, an integer or a decimal); InvalidField if not
    a plain non-negative amount with at most 3 decimals. Floats are refused: 0.1 is not
    what a person typed."""
    if isinstance(raw, bool) or not isinstance(raw, (str, int, Decimal)):
        raise InvalidField("value", 'give the amount as a decimal string, e.g. "12500.00"')
    if isinstance(raw, str) and not _PLAIN_NUMBER.fullmatch(raw.strip()):
        raise InvalidField("value", f"{raw[:40]!r} is not a number such as 12500.00")
    try:
        value = Decimal(raw.strip() if isinstance(raw, str) else raw)
    except InvalidOperation:
        raise InvalidField("value", f"{raw!r} is not a number") from None
    if not value.is_finite():
        raise InvalidField("value", f"{raw!r} is not a number")
    if value < 0:
        raise InvalidField("value", "must not be negative")
    if value.as_tuple().exponent < -3:  # type: ignore[operator]
        raise InvalidField("value", "at most 3 decimals")
    if value > LARGEST_VALUE:
        raise InvalidField("value", f"at most {LARGEST_VALUE}")
    return value.quantize(Decimal("0.001"))


def check(
    outcome: str,
    *,
    value: object,
    currency: str | None,
    reason: str | None,
    source: str,
    recorded_by: str,
    external_ref: str | None,
    occurred_at: datetime,
) -> NewOutcome:
    if outcome not in OUTCOMES:
        raise InvalidField("outcome", f"{outcome!r} is not one of {', '.join(OUTCOMES)}")
    if source not in OUTCOME_SOURCES:
        raise InvalidField("source", f"{source!r} is not one of {', '.join(OUTCOME_SOURCES)}")
    amount = None if value is None else parse_value(value)
    code = None if currency is None else currency.strip().upper()
    if code is not None and not _CURRENCY.fullmatch(code):
        raise InvalidField("currency", f"{currency!r} is not an ISO 4217 code such as EUR")
    if amount is not None and code is None:
        raise InvalidField("currency", "a value needs its currency (ISO 4217, e.g. EUR)")
    if code is not None and amount is None:
        raise InvalidField("currency", "a currency goes with a value")
    text = None if reason is None else reason.strip() or None
    if text is not None and (len(text) > LONGEST_REASON or _CONTROL.search(text)):
        raise InvalidField("reason", f"plain text of at most {LONGEST_REASON} characters")
    if not recorded_by.strip() or len(recorded_by) > 255:
        raise InvalidField("recorded_by", "who recorded it, 1 to 255 characters")
    if external_ref is not None and not 1 <= len(external_ref) <= 64:
        raise InvalidField("external_ref", "1 to 64 characters")
    return NewOutcome(outcome, amount, code, text, source, recorded_by, external_ref, occurred_at)


def record(
    conn: Connection, contact_id: str, new: NewOutcome, now: datetime
) -> tuple[OutcomeRecord, bool]:
    """The contact's current outcome afterwards, and whether this recorded a new one."""
    live = reads.lock_contact(conn, reads.require_id(conn, contact_id))
    current = _current(conn, live)
    if current is not None and new.same_as(current):
        return current, False
    conn.execute(update(lead_outcomes).where(OC.contact_id == live, OC.is_current).values(
        is_current=False))  # fmt: skip
    row = {
        "contact_id": live,
        "outcome": new.outcome,
        "value_thousandths": new.value,
        "currency": new.currency,
        "reason": new.reason,
        "source": new.source,
        "recorded_by": new.recorded_by,
        "external_ref": new.external_ref,
        "is_current": True,
        "occurred_at": new.occurred_at,
        "recorded_at": now,
    }
    new_id = conn.execute(insert(lead_outcomes).values(**row)).inserted_primary_key[0]
    saved = _record({**row, "id": new_id})
    summary = {
        "outcome": saved.outcome,
        "value": saved.value_text,
        "currency": saved.currency,
        "source": saved.source,
    }
    writes.add_event(conn, live, "outcome_recorded", summary, new.occurred_at)
    conn.execute(update(contacts).where(contacts.c.id == live).values(updated_at=now))
    # The audit log outlives erasures: no reason (free text may name people) in it.
    audit.append(conn, new.recorded_by, "record_outcome", live, {**summary, "id": saved.id}, now)
    integration.emit(conn, "lead.outcome", live, _event(saved, previous=current), now)
    return saved, True


def _event(saved: OutcomeRecord, previous: OutcomeRecord | None) -> dict[str, Any]:
    data = {k: v for k, v in saved.to_export().items() if k not in ("id", "current")}
    return {**data, "previous_outcome": None if previous is None else previous.outcome}


def current_of(conn: Connection, contact_id: str) -> OutcomeRecord | None:
    return _current(conn, reads.require_id(conn, contact_id))


def history_of(conn: Connection, contact_id: str) -> list[OutcomeRecord]:
    """Oldest first."""
    live = reads.require_id(conn, contact_id)
    query = select(lead_outcomes).where(OC.contact_id == live).order_by(OC.id)
    return [_record(row) for row in conn.execute(query).mappings()]


def current_outcomes(conn: Connection) -> list[OutcomeRecord]:
    """Every contact's current outcome, by contact id."""
    query = select(lead_outcomes).where(OC.is_current).order_by(OC.contact_id)
    return [_record(row) for row in conn.execute(query).mappings()]


def known_refs(conn: Connection, source: str, refs: list[str]) -> set[tuple[str, str]]:
    """(external ref, outcome) pairs already recorded from `source` among `refs`."""
    if not refs:
        return set()
    query = select(OC.external_ref, OC.outcome).where(
        and_(OC.source == source, OC.external_ref.in_(refs))
    )
    return {(str(ref), str(outcome)) for ref, outcome in conn.execute(query).all()}


def move(conn: Connection, loser: str, survivor: str) -> None:
    """A merge keeps both histories; the more recently recorded current outcome stays
    current (the index allows one)."""
    mine, theirs = _current(conn, ContactId(survivor)), _current(conn, ContactId(loser))
    if mine is not None and theirs is not None:
        older = theirs if (theirs.recorded_at, theirs.id) < (mine.recorded_at, mine.id) else mine
        conn.execute(update(lead_outcomes).where(OC.id == older.id).values(is_current=False))
    conn.execute(update(lead_outcomes).where(OC.contact_id == loser).values(contact_id=survivor))


def _current(conn: Connection, live: ContactId) -> OutcomeRecord | None:
    query = select(lead_outcomes).where(OC.contact_id == live, OC.is_current)
    row = conn.execute(query).mappings().first()
    return None if row is None else _record(row)


def _record(row: Mapping[str, Any]) -> OutcomeRecord:
    return OutcomeRecord(
        id=int(row["id"]),
        contact_id=ContactId(row["contact_id"]),
        outcome=row["outcome"],
        value=row["value_thousandths"],
        currency=row["currency"],
        reason=row["reason"],
        source=row["source"],
        recorded_by=row["recorded_by"],
        external_ref=row["external_ref"],
        current=bool(row["is_current"]),
        occurred_at=row["occurred_at"],
        recorded_at=row["recorded_at"],
    )
