"""Segments (bot.segments) as SQL: one boolean clause over `contacts`, the same on SQLite
and PostgreSQL.

Every clause built here is two-valued (never NULL), so `Not` is plain negation: a
missing value is dealt with where the column is read, not left to SQL's NULL logic.
Times are compared with cutoffs computed in Python, so no SQL date arithmetic is needed.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Numeric, and_, exists, false, func, not_, or_, true
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.functions import FunctionElement

from bot.segments import (
    SCORE_FIELDS,
    And,
    Compare,
    Consent,
    DoNotContact,
    Everyone,
    Has,
    InList,
    Not,
    OnChannel,
    Op,
    Or,
    Segment,
    Tag,
    custom_name,
    field_kind,
)
from bot.store import consent
from bot.store.schema import (
    channel_identities,
    consent_events,
    contact_tags,
    contacts,
    custom_field_values,
    do_not_contact,
    lead_scores,
    qualification_answers,
    timeline_events,
)
from bot.types import QUALIFICATION_VALUES

# Whole days beyond this are clamped: no stored time is centuries away from `now`, and
# datetime arithmetic would overflow long before a number typed into a segment does.
_MAX_DAYS = 200_000


def compile_segment(segment: Segment, now: datetime) -> ColumnElement[bool]:
    """A WHERE clause over `contacts` selecting the segment's contacts as of `now`."""
    match segment:
        case And(parts):
            return and_(true(), *(compile_segment(part, now) for part in parts))
        case Or(parts):
            return or_(false(), *(compile_segment(part, now) for part in parts))
        case Not(part):
            return not_(compile_segment(part, now))
        case Everyone():
            return true()
        case Compare() | InList():
            return _condition(segment, now)
    return _membership(segment)


def _membership(segment: Segment) -> ColumnElement[bool]:
    match segment:
        case Consent(purpose):
            return _current_grant(purpose)
        case Tag(name):
            return _exists(contact_tags, contact_tags.c.tag == name)
        case OnChannel(channel):
            return _exists(channel_identities, channel_identities.c.channel == channel)
        case DoNotContact(channel):
            return _exists(
                do_not_contact,
                do_not_contact.c.channel == channel,
                do_not_contact.c.lifted_at.is_(None),
            )
        case Has(field):
            return _has(field)
    raise TypeError(f"not a segment: {segment!r}")


def _condition(segment: Compare | InList, now: datetime) -> ColumnElement[bool]:
    field = segment.field
    if custom_name(field) is not None:
        return _on_custom(segment)
    if field in SCORE_FIELDS:
        return _on_latest_score(segment)
    if field in ("days_since_activity", "days_since_created"):
        return _days(segment, now)
    if field in QUALIFICATION_VALUES:
        return _on_answer(segment)
    if field_kind(field) == "choice":
        return _on_column(contacts.c[field], segment, _exact)
    if field_kind(field) == "text":
        return _on_column(contacts.c[field], segment, _ignoring_case)
    raise ValueError(f"unknown segment field {field!r}")


# --- membership in related tables ---------------------------------------------------


def _exists(table: Any, *conditions: ColumnElement[bool]) -> ColumnElement[bool]:
    return exists().where(table.c.contact_id == contacts.c.id, *conditions)


def _current_grant(purpose: str) -> ColumnElement[bool]:
    """The latest event for the purpose is a grant; ties on time go to the later id,
    as in bot.store.consent."""
    event, later = consent_events.alias(), consent_events.alias()
    superseded = exists().where(
        later.c.contact_id == event.c.contact_id,
        later.c.purpose == event.c.purpose,
        _after(later.c.occurred_at, later.c.id, event.c.occurred_at, event.c.id),
    )
    return exists().where(
        event.c.contact_id == contacts.c.id,
        event.c.purpose == purpose,
        event.c.granted,
        consent.not_pending(event.c.pending),
        ~superseded,
    )


def _after(at: Any, row_id: Any, other_at: Any, other_id: Any) -> ColumnElement[bool]:
    return or_(at > other_at, and_(at == other_at, row_id > other_id))


def _has(field: str) -> ColumnElement[bool]:
    if field == "score":
        return _exists(lead_scores)
    name = custom_name(field)
    if name is not None:
        return _exists(custom_field_values, custom_field_values.c.field == name)
    column = contacts.c[field]
    return and_(column.is_not(None), column != "")


# --- comparisons --------------------------------------------------------------------


def _on_latest_score(segment: Compare | InList) -> ColumnElement[bool]:
    """Compared on the latest score (by computed_at, then id); a contact never scored has
    no latest row and so matches nothing, `!=` and `not in` included."""
    score, later = lead_scores.alias(), lead_scores.alias()
    superseded = exists().where(
        later.c.contact_id == score.c.contact_id,
        _after(later.c.computed_at, later.c.id, score.c.computed_at, score.c.id),
    )
    test = _match(score.c[segment.field], segment)
    return exists().where(score.c.contact_id == contacts.c.id, ~superseded, test)


def _on_answer(segment: Compare | InList) -> ColumnElement[bool]:
    """A qualification answer; not having answered counts as "not equal"."""
    answer = qualification_answers.alias()
    values = [segment.value] if isinstance(segment, Compare) else list(segment.values)
    given = exists().where(
        answer.c.contact_id == contacts.c.id,
        answer.c.field == segment.field,
        answer.c.value.in_(values),
    )
    return ~given if _negative(segment) else given


def _on_custom(segment: Compare | InList) -> ColumnElement[bool]:
    """A custom lead field's stored value; not having one counts as "not equal"."""
    value = custom_field_values.alias()
    if isinstance(segment, InList):
        found = or_(false(), *(_custom_test(value.c.value, "=", v) for v in segment.values))
    else:
        op = "=" if segment.op == "!=" else segment.op
        found = _custom_test(value.c.value, op, segment.value)
    given = exists().where(
        value.c.contact_id == contacts.c.id, value.c.field == custom_name(segment.field), found
    )
    return ~given if _negative(segment) else given


def _custom_test(column: Any, op: str, wanted: Any) -> ColumnElement[bool]:
    if op == "contains":
        return func.lower(column).contains(str(wanted).lower(), autoescape=True)
    if isinstance(wanted, float):
        return _OPERATORS[op](_AsNumber(column), wanted)
    if op == "=":
        return func.lower(column) == wanted.lower()
    # YYYY-MM-DD dates order as text: canonical dates need no date type in SQL.
    return _OPERATORS[op](column, wanted)


class _AsNumber(FunctionElement):  # type: ignore[misc]
    """A stored text value as a number, NULL where it is not a plain decimal: a field's
    type may have changed since (PostgreSQL would fail the query casting "abc")."""

    type = Numeric()
    name = "as_number"
    inherit_cache = True


@compiles(_AsNumber, "postgresql")  # type: ignore[untyped-decorator]
def _as_number_pg(element: _AsNumber, compiler: SQLCompiler, **kw: Any) -> str:
    text = compiler.process(element.clauses, **kw)
    return f"CASE WHEN {text} ~ '^-?[0-9]+([.][0-9]+)?$' THEN CAST({text} AS NUMERIC) END"


@compiles(_AsNumber)  # type: ignore[untyped-decorator]
def _as_number(element: _AsNumber, compiler: SQLCompiler, **kw: Any) -> str:
    # SQLite has no regular expressions; it also never fails a cast.
    text = compiler.process(element.clauses, **kw)
    plain = f"{text} NOT GLOB '*[^0-9.-]*' AND {text} GLOB '*[0-9]*'"
    return f"CASE WHEN {plain} THEN CAST({text} AS NUMERIC) END"


def _on_column(column: Any, segment: Compare | InList, normal: Any) -> ColumnElement[bool]:
    """A column of contacts; NULL is "not equal" to anything and contains nothing."""
    values = [segment.value] if isinstance(segment, Compare) else list(segment.values)
    if isinstance(segment, Compare) and segment.op == "contains":
        pattern = str(segment.value).lower()
        found: ColumnElement[bool] = func.lower(column).contains(pattern, autoescape=True)
    else:
        found = normal(column).in_([normal(str(value)) for value in values])
    if _negative(segment):
        return or_(column.is_(None), ~found)
    return and_(column.is_not(None), found)


def _negative(segment: Compare | InList) -> bool:
    return segment.op == "!=" if isinstance(segment, Compare) else segment.negated


def _exact(value: Any) -> Any:
    return value


def _ignoring_case(value: Any) -> Any:
    # SQLite's lower() folds ASCII letters only; Python's folds more, so non-ASCII
    # letters must match in case. Good enough for names and companies typed by people.
    return value.lower() if isinstance(value, str) else func.lower(value)


_OPERATORS: dict[str, Callable[[Any, Any], ColumnElement[bool]]] = {
    "=": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}


def _match(column: Any, segment: Compare | InList) -> ColumnElement[bool]:
    if isinstance(segment, InList):
        found: ColumnElement[bool] = column.in_(list(segment.values))
        return ~found if segment.negated else found
    if segment.op not in _OPERATORS:
        raise ValueError(f"{segment.op!r} does not apply to {segment.field}")
    return _OPERATORS[segment.op](column, segment.value)


# --- days since ---------------------------------------------------------------------


def _days(segment: Compare | InList, now: datetime) -> ColumnElement[bool]:
    """Whole days elapsed: `days >= 3` is "3 days or more ago", `days = 3` is "at least
    3 and under 4 days ago"."""
    if isinstance(segment, Compare):
        bounds = [_elapsed_bounds(segment.op, float(segment.value))]
    else:
        bounds = [_elapsed_bounds("=", float(value)) for value in segment.values]
    if segment.field == "days_since_created":
        at_most, after = _created_at_most, _created_after
    else:
        at_most, after = _active_at_most, _active_after
    found = or_(false(), *(_within(low, high, now, at_most, after) for low, high in bounds))
    return not_(found) if _negative(segment) else found


Bounds = tuple[int | None, int | None]


def _elapsed_bounds(op: Op, days: float) -> Bounds:
    """low <= elapsed < high (None: unbounded) for floor(elapsed) `op` days; `!=` gives
    the bounds of `=`, negated by the caller."""
    days = max(-_MAX_DAYS, min(_MAX_DAYS, days))
    if op == ">=":
        return math.ceil(days), None
    if op == ">":
        return math.floor(days) + 1, None
    if op == "<=":
        return None, math.floor(days) + 1
    if op == "<":
        return None, math.ceil(days)
    if days.is_integer():
        return int(days), int(days) + 1
    return 0, 0  # a whole number of days never equals 2.5


def _within(
    low: int | None, high: int | None, now: datetime, at_most: Any, after: Any
) -> ColumnElement[bool]:
    # elapsed >= low  <=>  the time is at or before now - low days.
    parts = []
    if low is not None:
        parts.append(at_most(now - timedelta(days=low)))
    if high is not None:
        parts.append(after(now - timedelta(days=high)))
    return and_(true(), *parts)


def _created_at_most(cutoff: datetime) -> ColumnElement[bool]:
    return contacts.c.created_at <= cutoff


def _created_after(cutoff: datetime) -> ColumnElement[bool]:
    return contacts.c.created_at > cutoff


def _active_at_most(cutoff: datetime) -> ColumnElement[bool]:
    """The latest of updated_at and every timeline event is at or before the cutoff."""
    later_event = _exists(timeline_events, timeline_events.c.occurred_at > cutoff)
    return and_(contacts.c.updated_at <= cutoff, ~later_event)


def _active_after(cutoff: datetime) -> ColumnElement[bool]:
    later_event = _exists(timeline_events, timeline_events.c.occurred_at > cutoff)
    return or_(contacts.c.updated_at > cutoff, later_event)
