"""`parley contacts list|show|export|import|enrich|outcome`."""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections.abc import Iterable, Sequence
from contextlib import nullcontext
from datetime import datetime, timezone
from pathlib import Path
from typing import IO, Any

from bot.enrichment import Enrichment, enrich
from bot.errors import ContactNotFound
from bot.field_values import column_names, csv_column, read_fields
from bot.import_rows import ImportProblem
from bot.importing import ImportOptions, import_contacts
from bot.settings import Settings
from bot.store import Contact, OutcomeRecord, ProfileStore
from bot.types import ContactId
from cli.commands.privacy import actor

CSV_COLUMNS = (
    "id", "name", "email", "phone", "company", "role", "need",
    "channels", "lead_status", "created_at", "updated_at",
)  # fmt: skip


def dispatch(args: argparse.Namespace, settings: Settings) -> int:
    store = ProfileStore.from_url(settings.database_url)
    try:
        if args.contacts_command == "list":
            return list_contacts(store, args.limit, args.offset)
        if args.contacts_command == "show":
            return show_contact(store, args.key)
        if args.contacts_command == "import":
            return import_file(store, args, settings)
        if args.contacts_command == "enrich":
            return enrich_all(store)
        if args.contacts_command == "outcome":
            return outcome(store, args)
        custom = column_names(
            read_fields(settings.lead_fields_file), store.leads.custom_field_names()
        )
        return export_contacts(store, args.format, args.output, custom)
    finally:
        store.dispose()


def list_contacts(store: ProfileStore, limit: int, offset: int) -> int:
    contacts = store.contacts.page(limit=limit, offset=offset)
    store.privacy.record_audit(actor(), "list_contacts", "*", {"count": len(contacts)})
    print(f"{'id':32}  {'name':24}  {'email':30}  {'phone':16}  status")
    for c in contacts:
        print(
            f"{c.id:32}  {_cell(c.name, 24)}  {_cell(c.email, 30)}  {_cell(c.phone, 16)}  {c.lead_status}"
        )
    print(f"({len(contacts)} of {store.contacts.count()} contacts)")
    return 0


def _cell(value: str | None, width: int) -> str:
    text = (value or "-").replace("\n", " ")
    return (text[: width - 1] + "…" if len(text) > width else text).ljust(width)


def show_contact(store: ProfileStore, key: str) -> int:
    contact = store.contacts.find(key)
    if contact is None:
        raise ContactNotFound(key)
    store.privacy.record_audit(actor(), "view_contact", contact.id)
    print(json.dumps(contact.to_export(), indent=2, ensure_ascii=False))
    print("\nTimeline:")
    for event in store.contacts.timeline(contact.id):
        print(
            f"  {event.occurred_at.isoformat()}  {event.kind:22}  {json.dumps(event.data, ensure_ascii=False)}"
        )
    return 0


def export_contacts(store: ProfileStore, fmt: str, output: str, custom: Sequence[str] = ()) -> int:
    """Every contact; JSON carries custom field values in `fields`, CSV in one
    `field:<name>` column per name in `custom` (see bot.field_values)."""
    store.privacy.record_audit(actor(), "export_contacts", "*", {"format": fmt, "output": output})
    with (
        nullcontext(sys.stdout)
        if output == "-"
        else open(output, "w", encoding="utf-8", newline="") as out
    ):
        if fmt == "json":
            write_json(store.contacts.iterate(), out)
        else:
            write_csv(store.contacts.iterate(), out, custom)
    return 0


def write_json(contacts: Iterable[Contact], out: IO[str]) -> None:
    """A JSON array, written as it streams so large stores need little memory."""
    out.write("[")
    for index, contact in enumerate(contacts):
        out.write(
            ("," if index else "") + "\n  " + json.dumps(contact.to_export(), ensure_ascii=False)
        )
    out.write("\n]\n")


def write_csv(contacts: Iterable[Contact], out: IO[str], custom: Sequence[str] = ()) -> None:
    """`custom`: the custom fields' names, one column each; a value stored under a name
    not given (written after the names were read) is left out rather than misplaced."""
    writer = csv.DictWriter(out, fieldnames=[*CSV_COLUMNS, *map(csv_column, custom)])
    writer.writeheader()
    for contact in contacts:
        row: dict[str, Any] = contact.to_export()
        row["channels"] = ";".join(f"{c['channel']}:{c['external_id']}" for c in row["channels"])
        values = {csv_column(name): contact.fields.get(name) for name in custom}
        writer.writerow({**{k: row.get(k) for k in CSV_COLUMNS}, **values})


def import_file(store: ProfileStore, args: argparse.Namespace, settings: Settings) -> int:
    options = ImportOptions(
        region=settings.default_region,
        salt=settings.erasure_salt.value,
        mapping=parse_mapping(args.map or []),
        delimiter=_DELIMITER_NAMES.get(args.delimiter, args.delimiter),
        dry_run=args.dry_run,
    )
    report = import_contacts(store, Path(args.file), options)
    if not args.dry_run:
        counts = {"new": report.new, "merged": report.merged, "rows": report.rows}
        store.privacy.record_audit(actor(), "import_contacts", Path(args.file).name, counts)
    print("\n".join(report.lines()))
    return 0


_DELIMITER_NAMES = {"\\t": "\t", "tab": "\t", "semicolon": ";", "comma": ","}


def parse_mapping(pairs: Iterable[str]) -> dict[str, str]:
    """`--map email=E-mail --map "name=Full name"` as {field: column}."""
    mapping: dict[str, str] = {}
    for pair in pairs:
        wanted, sep, column = pair.partition("=")
        if not sep or not wanted.strip() or not column.strip():
            raise ImportProblem(f"{pair!r}: expected FIELD=COLUMN")
        mapping[wanted.strip()] = column.strip()
    return mapping


def enrich_all(store: ProfileStore, batch: int = 500) -> int:
    """Company domain, country and time zone for every contact, one transaction a batch."""
    done, pending = 0, dict[ContactId, Enrichment]()
    for contact in store.contacts.iterate(batch=batch):
        pending[contact.id] = enrich(contact.email, contact.phone)
        if len(pending) >= batch:
            done += store.contacts.set_enrichments(pending)
            pending = {}
    done += store.contacts.set_enrichments(pending) if pending else 0
    store.privacy.record_audit(actor(), "enrich_contacts", "*", {"count": done})
    print(f"enriched {done} contacts")
    return 0


def outcome(store: ProfileStore, args: argparse.Namespace) -> int:
    """Record a sale won or lost (`--won`/`--lost`), or show the contact's outcomes."""
    contact = store.contacts.find(args.key)
    if contact is None:
        raise ContactNotFound(args.key)
    details = (args.value, args.currency, args.reason, args.at)
    if args.result is None and any(given is not None for given in details):
        print("parley: say --won or --lost to record an outcome", file=sys.stderr)
        return 2
    if args.result is None:
        history = store.leads.outcome_history(contact.id)
        store.privacy.record_audit(actor(), "view_outcome", contact.id)
        if not history:
            print(f"{contact.id}: no outcome recorded")
        for record in reversed(history):
            print(("current   " if record.current else "earlier   ") + describe_outcome(record))
        return 0
    saved, new = store.leads.record_outcome(
        contact.id,
        args.result,
        source="cli",
        recorded_by=actor(),
        value=args.value,
        currency=args.currency,
        reason=args.reason,
        occurred_at=args.at,
    )
    verb = "recorded" if new else "already the current outcome, nothing recorded:"
    print(f"{verb} {describe_outcome(saved)}")
    return 0


def describe_outcome(record: OutcomeRecord) -> str:
    worth = f" {record.value_text} {record.currency}" if record.value is not None else ""
    why = f" ({record.reason})" if record.reason else ""
    return (
        f"{record.outcome}{worth}{why} for {record.contact_id}, closed "
        f"{record.occurred_at.isoformat()}, recorded by {record.recorded_by} via {record.source}"
    )


def closing_time(raw: str) -> datetime:
    """`--at`: an ISO 8601 date or date and time; without an offset it is UTC."""
    try:
        when = datetime.fromisoformat(raw.strip().removesuffix("Z").removesuffix("z"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{raw!r}: an ISO 8601 date such as 2026-03-01") from None
    return when if when.tzinfo is not None else when.replace(tzinfo=timezone.utc)
