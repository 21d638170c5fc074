"""Segments (#7): which contacts a campaign is for, as a small tree of conditions.

The tree is plain data: `bot.segments.language` parses and prints it, `bot.store` turns it
into SQL. Semantics the store keeps:

- text comparisons ignore case; `!=` and `not in` also match a contact without a value
  (no company is "not Acme"), and so do qualification answers never given;
- score, grade and stage come from the contact's latest score; a contact never scored
  matches no comparison on them, `!=` and `not in` included;
- days_since_* are whole days elapsed before the `now` the query is given;
- `field.<name>` is a custom lead field (lead_fields.yml, #19), compared on its stored
  canonical value: text ignoring case, a number value numerically (values that are not
  numbers match no comparison but `!=`), a YYYY-MM-DD value as a date; `has(field.<name>)`
  is "known". A contact without a value matches only `!=` and `not in`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from bot.types import (
    GRADES,
    LEAD_STATUSES,
    QUALIFICATION_VALUES,
    STAGES,
    Channel,
    DncChannel,
    Purpose,
)

Op = Literal["=", "!=", "<", "<=", ">", ">=", "contains"]
OPS: tuple[Op, ...] = ("=", "!=", "<", "<=", ">", ">=", "contains")
FieldKind = Literal["text", "number", "choice"]
Value = str | float

TEXT_FIELDS: tuple[str, ...] = ("name", "email", "phone", "company", "role", "need", "lead_status")
NUMBER_FIELDS: tuple[str, ...] = ("score", "days_since_activity", "days_since_created")
CHOICE_FIELDS: dict[str, tuple[str, ...]] = {
    "grade": GRADES,
    "stage": STAGES,
    "lead_status": LEAD_STATUSES,
    **QUALIFICATION_VALUES,
}
FIELDS: tuple[str, ...] = tuple(dict.fromkeys((*TEXT_FIELDS, *NUMBER_FIELDS, *CHOICE_FIELDS)))
SCORE_FIELDS: tuple[str, ...] = ("score", "grade", "stage")
HAS_FIELDS: tuple[str, ...] = (*TEXT_FIELDS, "score")

OPS_BY_KIND: dict[FieldKind, tuple[Op, ...]] = {
    "text": ("=", "!=", "contains"),
    "number": ("=", "!=", "<", "<=", ">", ">="),
    "choice": ("=", "!="),
}


CUSTOM_PREFIX = "field."


def custom_name(field: str) -> str | None:
    """The custom lead field a segment field names (`field.heard_from`), else None."""
    return field[len(CUSTOM_PREFIX) :] if field.startswith(CUSTOM_PREFIX) else None


def field_kind(field: str) -> FieldKind | None:
    """A field with a closed set of values is a choice even where it is also text
    (lead_status), so that a typo in a value is an error rather than an empty segment."""
    if field in CHOICE_FIELDS:
        return "choice"
    if field in NUMBER_FIELDS:
        return "number"
    if field in TEXT_FIELDS:
        return "text"
    return None


@dataclass(frozen=True)
class Compare:
    field: str
    op: Op
    value: Value


@dataclass(frozen=True)
class InList:
    field: str
    values: tuple[Value, ...]
    negated: bool = False


@dataclass(frozen=True)
class Consent:
    """The latest consent event for the purpose is a grant."""

    purpose: Purpose


@dataclass(frozen=True)
class Tag:
    name: str


@dataclass(frozen=True)
class OnChannel:
    """The contact has an identity on the channel."""

    channel: Channel


@dataclass(frozen=True)
class DoNotContact:
    """An active (not lifted) do-not-contact entry for the channel."""

    channel: DncChannel


@dataclass(frozen=True)
class Has:
    """The field has a (non-empty) value; for score, the contact was scored."""

    field: str


@dataclass(frozen=True)
class And:
    parts: tuple[Segment, ...]


@dataclass(frozen=True)
class Or:
    parts: tuple[Segment, ...]


@dataclass(frozen=True)
class Not:
    part: Segment


@dataclass(frozen=True)
class Everyone:
    pass


Segment = (
    Compare | InList | Consent | Tag | OnChannel | DoNotContact | Has | And | Or | Not | Everyone
)
