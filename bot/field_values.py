"""Stored custom field values (bot.custom_fields) as the contact page, exports and
templates show them: by the current lead_fields.yml where it still defines the field, by
their raw name where it was removed (the values stay, #19).

Exports name a custom field's CSV column `field:<name>` and hold its canonical value
(a choice's id, ISO dates, E.164 phones), so a file exported today reads the same next
year whatever labels the marketers change.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from bot.custom_fields import EMPTY, FieldsError, LeadFields, LeadFieldsFile, load

CSV_PREFIX = "field:"


@dataclass(frozen=True)
class FieldValue:
    name: str
    label: str
    value: str  # canonical, as stored
    shown: str  # as people read it: a choice's label, Yes/No
    removed: bool  # no longer in lead_fields.yml


def read_fields(path: Path) -> LeadFields:
    """The fields for showing stored values. A file a publish never let through (edited
    by hand, half written) shows values by their names rather than failing the page."""
    try:
        return load(path)
    except FieldsError:
        return EMPTY


@cache
def _watched(path: Path) -> LeadFieldsFile:
    return LeadFieldsFile(path)


def current_fields(path: Path) -> LeadFields:
    """`read_fields` for a long-running process: the file is parsed again only when a
    publish has changed it."""
    try:
        return _watched(path).current()
    except FieldsError:
        return EMPTY


def field_values(fields: LeadFields, values: Mapping[str, str]) -> list[FieldValue]:
    """The file's fields in its order, then removed fields' values by name."""
    shown: list[FieldValue] = []
    for name in column_names(fields, values):
        if name not in values:
            continue
        value, found = values[name], fields.get(name)
        if found is None:
            shown.append(FieldValue(name, name, value, value, removed=True))
        else:
            shown.append(FieldValue(name, found.label, value, found.shown(value), removed=False))
    return shown


def shown_values(fields: LeadFields, values: Mapping[str, str]) -> dict[str, str]:
    """field name -> the value as people read it, for personalizing messages."""
    return {item.name: item.shown for item in field_values(fields, values)}


def column_names(fields: LeadFields, stored: Iterable[str]) -> list[str]:
    """Every field name the file defines, in its order, then the stored ones it does
    not (removed fields), sorted."""
    defined = list(fields.names)
    return defined + sorted(set(stored) - set(defined))


def csv_column(name: str) -> str:
    return CSV_PREFIX + name
