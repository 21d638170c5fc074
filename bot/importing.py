"""`parley contacts import`: a CSV file of contacts into the profile store.

Rows are cleansed and folded per person (bot.import_rows); then, a batch of people per
store transaction, each is checked against the erasure suppression list, matched with an
existing contact by email or phone (and merged into it, filling its blanks) or created,
enriched, and given the consent the file proves, and only that.
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from tqdm import tqdm

from bot.enrichment import enrich, enrichment_of
from bot.import_rows import ConsentClaim, Folder, Person, RowNote, cleanse, read_rows
from bot.store import ContactImport, ImportedConsent, ImportOutcome, ImportResult, ProfileStore

PROGRESS_ABOVE = 1000  # rows; smaller files finish before a bar would mean anything
# Allocations between two young-generation collections, and young (then middle)
# collections between two of the next generation's; Python's are (700, 10, 10).
GC_THRESHOLDS = (100_000, 50, 100)


@dataclass(frozen=True)
class ImportOptions:
    region: str  # where numbers written without +country are read
    salt: str  # the erasure salt, to recognise suppressed people
    mapping: Mapping[str, str] | None = None  # {field: column name}, beside auto-detection
    delimiter: str = ","
    dry_run: bool = False
    progress: bool | None = None  # None: when stderr is a terminal or the file is large
    # People per write transaction: fewer commits rewrite fewer index pages, and with its
    # rows prepared beforehand a batch holds the write lock for well under a second.
    batch: int = 2000


@dataclass
class ImportReport:
    file: str
    dry_run: bool
    rows: int = 0
    new: int = 0
    merged: int = 0
    duplicates: int = 0
    suppressed: list[int] = field(default_factory=list)
    bad_rows: list[RowNote] = field(default_factory=list)
    warnings: list[RowNote] = field(default_factory=list)
    consent_recorded: int = 0
    consent_known: int = 0  # already in the ledger from an earlier import
    consent_refused: int = 0
    ignored_columns: list[str] = field(default_factory=list)

    def count(self, outcome: ImportOutcome, line: int) -> None:
        if outcome == "suppressed":
            self.suppressed.append(line)
        elif outcome == "new":
            self.new += 1
        else:
            self.merged += 1

    def lines(self) -> list[str]:
        """The report as text; it names line numbers, never a person's details."""
        verb = "would be" if self.dry_run else "were"
        text = [
            f"{self.file}: {self.rows} rows"
            + (" (dry run: nothing written)" if self.dry_run else ""),
            f"  new contacts         {self.new:>7}",
            f"  merged with existing {self.merged:>7}",
            f"  duplicates in file   {self.duplicates:>7}  (folded into an earlier row)",
            f"  suppressed           {len(self.suppressed):>7}  (erased people, never re-imported)",
            f"  bad rows             {len(self.bad_rows):>7}  (not imported)",
            f"  consent recorded     {self.consent_recorded:>7}  ({verb} added to the ledger)",
            f"  consent on record    {self.consent_known:>7}  (from an earlier import)",
            f"  consent refused      {self.consent_refused:>7}  (no evidence in the file)",
        ]
        if self.ignored_columns:
            text.append(f"ignored columns: {', '.join(self.ignored_columns)}")
        if self.suppressed:
            text.append(f"suppressed, lines: {', '.join(map(str, sorted(self.suppressed)))}")
        text += [f"bad row, line {note.line}: {note.reason}" for note in self.bad_rows]
        text += [f"warning, line {note.line}: {note.reason}" for note in self.warnings]
        return text


def import_contacts(
    store: ProfileStore, path: Path, options: ImportOptions, now: datetime | None = None
) -> ImportReport:
    at = now or datetime.now(timezone.utc)
    report = ImportReport(path.name, options.dry_run)
    show = _show_progress(path, options)
    with _rare_collections():
        with _bar(show, "checking", "row", None) as bar:
            people = _people(path, options, at, report, bar)
        writer = _Writer(store, path.name, options, at, report)
        with _bar(show, "importing", "contact", len(people)) as bar:
            writer.apply(people, bar)
    report.warnings.sort(key=lambda note: note.line)
    return report


@contextmanager
def _rare_collections() -> Iterator[None]:
    """An import makes millions of small dicts and strings that form no cycles, and keeps
    the whole file's people alive until the end: at Python's default thresholds the
    cycle collector ran every 700 of them and kept walking that growing heap, about a
    quarter of the import's time."""
    thresholds = gc.get_threshold()
    gc.set_threshold(*GC_THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)


def _people(
    path: Path, options: ImportOptions, now: datetime, report: ImportReport, bar: tqdm
) -> list[Person]:
    _mapping, report.ignored_columns, rows = read_rows(path, options.delimiter, options.mapping)
    folder = Folder()
    for row in rows:
        report.rows += 1
        bar.update(1)
        cleaned = cleanse(row, options.region, now, report.warnings)
        if isinstance(cleaned, RowNote):
            report.bad_rows.append(cleaned)
        else:
            folder.add(cleaned, report.warnings)
    report.duplicates = folder.folded
    return folder.people


def _show_progress(path: Path, options: ImportOptions) -> bool:
    if options.progress is not None:
        return options.progress
    if sys.stderr.isatty() or not path.is_file():
        return sys.stderr.isatty()
    with path.open("rb") as handle:
        return sum(1 for _ in handle) > PROGRESS_ABOVE + 1  # the header is no row


def _bar(show: bool, what: str, unit: str, total: int | None) -> tqdm:
    return tqdm(total=total, disable=not show, unit=unit, desc=what, file=sys.stderr)


class _Writer:
    """People a batch at a time: one store transaction each (or one read, dry)."""

    def __init__(
        self,
        store: ProfileStore,
        file: str,
        options: ImportOptions,
        now: datetime,
        report: ImportReport,
    ) -> None:
        self.store, self.file, self.options = store, file, options
        self.now, self.report = now, report

    def apply(self, people: Sequence[Person], bar: tqdm) -> None:
        items = [self._item(person) for person in people]
        for item in items:
            item.check()  # every one before the first write: a bad item leaves nothing written
        size = self.options.batch
        starts = range(0, len(items), size)
        batches = (items[start : start + size] for start in starts)
        if self.options.dry_run:
            found: Iterable[list[ImportResult]] = map(self._dry, batches)
        else:
            found = self.store.contacts.import_batches(
                batches,
                conversation_id=f"import:{self.file}",
                salt=self.options.salt,
                enrich=enrich,
                now=self.now,
            )
        for start, results in zip(starts, found, strict=True):
            for person, result in zip(people[start : start + size], results, strict=True):
                self._count(person, result)
            bar.update(len(results))

    def _dry(self, items: Sequence[ContactImport]) -> list[ImportResult]:
        outcomes = self.store.contacts.match_imports(items, self.options.salt)
        return [
            ImportResult(o, None, len(i.consents)) for o, i in zip(outcomes, items, strict=True)
        ]

    def _item(self, person: Person) -> ContactImport:
        grants = tuple(self._grant(claim) for claim in person.claims)
        key = person.fields.get("email") or person.fields["phone"]
        found = enrichment_of(person.fields.get("email"), person.place)
        return ContactImport(key, dict(person.fields), grants, found)

    def _grant(self, claim: ConsentClaim) -> ImportedConsent:
        evidence = {"file": self.file, "line": str(claim.line), "source": claim.source}
        return ImportedConsent(
            claim.purpose, claim.wording, claim.wording_version, evidence, claim.at
        )

    def _count(self, person: Person, result: ImportResult) -> None:
        self.report.count(result.outcome, person.lines[0])
        if result.outcome != "suppressed":
            self.report.consent_refused += person.refused
            self.report.consent_recorded += result.consents_recorded
            self.report.consent_known += result.consents_known
