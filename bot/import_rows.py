"""Contact files as people: the CSV read with a column mapping, each row cleansed and
checked with the lead form's own rules, and rows about the same person folded together.

Pure apart from reading the file: nothing here touches the store.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path
from typing import Literal, cast, get_args

from bot.errors import ParleyError
from bot.leads import clean_free_text, normalize_email, phone_regions
from bot.phone_places import Place, read_number
from bot.types import PURPOSES, LeadField, Purpose

ImportField = Literal[
    "name", "first_name", "last_name", "email", "phone", "company", "role", "need",
    "purpose", "consent_source", "consent_time", "consent_wording", "consent_wording_version",
]  # fmt: skip
IMPORT_FIELDS: tuple[ImportField, ...] = get_args(ImportField)
EVIDENCE_FIELDS: tuple[ImportField, ...] = ("consent_source", "consent_time", "consent_wording")

# Header names seen in CRM and spreadsheet exports, compared without case or punctuation.
_ALIASES: dict[ImportField, tuple[str, ...]] = {
    "name": ("name", "full name", "contact name", "contact"),
    "first_name": ("first name", "firstname", "given name", "forename"),
    "last_name": ("last name", "lastname", "surname", "family name"),
    "email": ("email", "e-mail", "email address", "e-mail address", "mail"),
    "phone": ("phone", "phone number", "mobile", "mobile phone", "cell", "telephone", "tel"),
    "company": ("company", "company name", "organization", "organisation", "account"),
    "role": ("role", "title", "job title", "position"),
    "need": ("need", "needs", "interest"),
    "purpose": ("purpose", "consent", "consent purpose", "opt in", "opted in for"),
    "consent_source": ("consent source", "source of consent", "opt in source"),
    "consent_time": ("consent time", "consent date", "consented at", "opt in time"),
    "consent_wording": ("consent wording", "consent text", "opt in wording"),
    "consent_wording_version": ("consent wording version", "wording version"),
}
_FREE_TEXT: tuple[LeadField, ...] = ("company", "role", "need")
# Files repeat companies, roles and needs row after row; the check is pure.
_clean_text = lru_cache(maxsize=4096)(clean_free_text)
_KEYS: tuple[LeadField, ...] = ("email", "phone")


@dataclass(frozen=True)
class ImportProblem(ParleyError):
    """The file cannot be imported at all (rows with problems are reported instead)."""

    reason: str

    def __str__(self) -> str:
        return f"import: {self.reason}"


@dataclass(frozen=True)
class RowNote:
    """A bad row (not imported) or a warning about a row (imported), by line number."""

    line: int
    reason: str


@dataclass(frozen=True)
class ConsentClaim:
    """A grant the file claims, with the evidence it gives for it."""

    purpose: Purpose
    source: str
    at: datetime
    wording: str
    wording_version: str
    line: int


@dataclass
class Person:
    """One contact to import: a row, or several rows found to be the same person."""

    lines: list[int]
    fields: dict[LeadField, str]
    claims: list[ConsentClaim] = field(default_factory=list)
    refused: int = 0  # consent claims without the evidence to record them
    place: Place | None = None  # where its phone is, read with the number (for enrichment)

    @property
    def keys(self) -> list[str]:
        return [f"{key}:{self.fields[key]}" for key in _KEYS if key in self.fields]


@dataclass(frozen=True)
class Row:
    line: int
    values: dict[ImportField, str]


def canonical(header: str) -> str:
    return re.sub(r"[^a-z0-9]", "", header.lower())


def resolve_mapping(
    header: Sequence[str], overrides: Mapping[str, str] | None = None
) -> dict[int, ImportField]:
    """Column index -> field: `overrides` ({field: column name}) first, then headers
    recognised by name. Raises ImportProblem naming what is wrong."""
    columns = {name.strip(): index for index, name in enumerate(header)}
    mapping = {columns[col]: f for f, col in _checked(overrides or {}, columns).items()}
    known = {canonical(alias): f for f, aliases in _ALIASES.items() for alias in aliases}
    known.update({canonical(f): f for f in IMPORT_FIELDS})
    for index, name in enumerate(header):
        found = known.get(canonical(name))
        if index not in mapping and found is not None and found not in mapping.values():
            mapping[index] = found
    if not {"email", "phone"} & set(mapping.values()):
        raise ImportProblem("no column for email or phone; use --map email=COLUMN")
    return mapping


def _checked(overrides: Mapping[str, str], columns: Mapping[str, int]) -> dict[ImportField, str]:
    for wanted, column in overrides.items():
        if wanted not in IMPORT_FIELDS:
            raise ImportProblem(f"unknown field {wanted!r}; fields: {', '.join(IMPORT_FIELDS)}")
        if column.strip() not in columns:
            raise ImportProblem(f"the file has no column {column!r}")
    return {cast(ImportField, f): column.strip() for f, column in overrides.items()}


def read_rows(
    path: Path, delimiter: str, overrides: Mapping[str, str] | None = None
) -> tuple[dict[int, ImportField], list[str], Iterator[Row]]:
    """The mapping, the unmapped column names and the rows, numbered by the file line
    each starts on (the header is line 1)."""
    if len(delimiter) != 1:
        raise ImportProblem(f"the delimiter must be one character, not {delimiter!r}")
    if not path.is_file():
        raise ImportProblem(f"no file at {path}")
    handle = path.open(encoding="utf-8-sig", newline="")
    reader = csv.reader(handle, delimiter=delimiter)
    header = next(reader, None)
    if header is None:
        handle.close()
        raise ImportProblem(f"{path.name} is empty")
    mapping = resolve_mapping(header, overrides)
    ignored = [name for index, name in enumerate(header) if index not in mapping]

    def rows() -> Iterator[Row]:
        with handle:
            line = reader.line_num + 1
            for cells in reader:
                values = {f: cells[i].strip() for i, f in mapping.items() if i < len(cells)}
                yield Row(line, values)
                line = reader.line_num + 1

    return mapping, ignored, rows()


def cleanse(row: Row, region: str, now: datetime, warnings: list[RowNote]) -> Person | RowNote:
    """The row as a person with clean fields, or why it cannot be imported."""
    values = row.values
    if not any(values.values()):
        return RowNote(row.line, "empty row")
    keys = _identifiers(values, region)
    if isinstance(keys, str):
        return RowNote(row.line, keys)
    found, place = keys
    person = Person([row.line], found, place=place)
    _take_texts(person, values, warnings)
    _take_consent(person, values, now, warnings)
    return person


def _identifiers(
    values: Mapping[ImportField, str], region: str
) -> tuple[dict[LeadField, str], Place | None] | str:
    found: dict[LeadField, str] = {}
    if values.get("email"):
        try:
            found["email"] = normalize_email(values["email"])
        except ValueError:
            return "invalid email"
    place = None
    if values.get("phone"):
        read = _phone(values["phone"], phone_regions(region, found.get("email")))
        if read is None:
            return "invalid phone"
        found["phone"], place = read
    return (found, place) if found else "no email or phone"


def _phone(raw: str, regions: tuple[str, ...]) -> tuple[str, Place] | None:
    for region in regions:
        read = read_number(raw, region)
        if read is not None:
            return read
    return None


def _take_texts(person: Person, values: Mapping[ImportField, str], warnings: list[RowNote]) -> None:
    line = person.lines[0]
    full = values.get("name") or " ".join(
        part for part in (values.get("first_name"), values.get("last_name")) if part
    )
    texts: list[tuple[LeadField, str]] = [("name", name_case(full))]
    texts += [(key, " ".join(values.get(key, "").split())) for key in _FREE_TEXT]
    for key, text in texts:
        if not text:
            continue
        try:
            person.fields[key] = _clean_text(key, text)
        except ValueError as error:
            warnings.append(RowNote(line, f"{key} left out ({error})"))


def name_case(text: str) -> str:
    """Spaces collapsed; "DANA REYES" and "dana reyes" become "Dana Reyes", while names
    typed with care ("Ada de la Cruz", "McAllister") stay as they are."""
    name = " ".join(text.split())
    if name.isupper() or name.islower():
        return re.sub(r"(^|[\s\-'’])(\w)", lambda m: m.group(1) + m.group(2).upper(), name.lower())
    return name


def _take_consent(
    person: Person, values: Mapping[ImportField, str], now: datetime, warnings: list[RowNote]
) -> None:
    purposes = _purposes(values.get("purpose", ""), person.lines[0], warnings)
    if not purposes:
        return
    missing = [name for name in EVIDENCE_FIELDS if not values.get(name)]
    at = None if missing else consent_time(values["consent_time"])
    problem = _evidence_problem(missing, at, now)
    if problem is not None or at is None:
        person.refused += len(purposes)
        warnings.append(RowNote(person.lines[0], f"consent not recorded: {problem}"))
        return
    version = values.get("consent_wording_version") or "import"
    for purpose in purposes:
        claim = ConsentClaim(
            purpose,
            values["consent_source"],
            at,
            values["consent_wording"],
            version,
            person.lines[0],
        )
        person.claims.append(claim)


def _purposes(raw: str, line: int, warnings: list[RowNote]) -> list[Purpose]:
    found: list[Purpose] = []
    for word in re.split(r"[\s,;|/+]+", raw.strip().lower()):
        if word in PURPOSES:
            found.append(cast(Purpose, word))
        elif word:
            warnings.append(RowNote(line, f"unknown consent purpose {word!r} left out"))
    return list(dict.fromkeys(found))


def _evidence_problem(missing: list[ImportField], at: datetime | None, now: datetime) -> str | None:
    if missing:
        return f"no evidence ({', '.join(missing)} empty)"
    if at is None:
        return "consent_time is not an ISO 8601 time"
    if at > now:
        return "consent_time is in the future"
    return None


def consent_time(raw: str) -> datetime | None:
    """ISO 8601 (a trailing Z allowed); a time without an offset is taken as UTC."""
    text = raw.strip()
    text = text[:-1] + "+00:00" if text.endswith(("Z", "z")) else text
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    return parsed.replace(tzinfo=timezone.utc) if parsed.tzinfo is None else parsed


class Folder:
    """Rows about the same person (same email or same phone) folded into the first:
    later rows only fill what earlier ones left blank."""

    def __init__(self) -> None:
        self._people: list[Person | None] = []
        self._holder: dict[str, int] = {}
        self.folded = 0

    def add(self, person: Person, warnings: list[RowNote]) -> None:
        holders = sorted({self._holder[key] for key in person.keys if key in self._holder})
        if not holders:
            self._index(len(self._people), person)
            self._people.append(person)
            return
        target = holders[0]
        for other in holders[1:]:
            self._absorb(target, cast(Person, self._people[other]), warnings)
            self._people[other] = None
        self._absorb(target, person, warnings)

    @property
    def people(self) -> list[Person]:
        return [person for person in self._people if person is not None]

    def _absorb(self, target: int, other: Person, warnings: list[RowNote]) -> None:
        person = cast(Person, self._people[target])
        for key, value in other.fields.items():
            kept = person.fields.setdefault(key, value)
            if kept != value and key in _KEYS:
                note = f"{key} differs from line {person.lines[0]}'s; kept that one"
                warnings.append(RowNote(other.lines[0], note))
        if person.place is None:  # the phone, if any, is now the other's
            person.place = other.place
        person.lines.extend(other.lines)
        person.claims.extend(other.claims)
        person.refused += other.refused
        self.folded += len(other.lines)
        self._index(target, other)
        self._index(target, person)

    def _index(self, position: int, person: Person) -> None:
        for key in person.keys:
            self._holder[key] = position
