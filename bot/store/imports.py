"""Contact imports (#10), a batch per transaction: people new to the store are inserted
in bulk with the same rows and timeline a lead form would leave; anyone matching an
existing contact goes through `operations.update_lead_fields`, which merges."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal, Protocol

from sqlalchemy import Table, and_, or_, select, tuple_, update
from sqlalchemy.engine import Connection, Dialect

from bot.store import consent, erasure, operations, reads
from bot.store.bulk import Encoded, encode, insert
from bot.store.records import Contact
from bot.store.schema import (
    channel_identities,
    consent_events,
    contacts,
    lead_answers,
    leads,
    suppressed_identifiers,
    timeline_events,
)
from bot.store.writes import new_id
from bot.types import Channel, ContactId, LeadField, Purpose

ImportOutcome = Literal["new", "merged", "suppressed"]
CHANNEL: Channel = "import"


class EnrichmentValues(Protocol):
    """What `bot.enrichment.enrich` returns; the store may not import it."""

    @property
    def company_domain(self) -> str | None: ...

    @property
    def country(self) -> str | None: ...

    @property
    def timezone(self) -> str | None: ...


Enricher = Callable[[str | None, str | None], EnrichmentValues]


@dataclass(frozen=True)
class ImportedConsent:
    """A grant the file proves: its wording, when it was given, and where it is written."""

    purpose: Purpose
    wording: str
    wording_version: str
    evidence: Mapping[str, str | None]
    at: datetime


@dataclass(frozen=True)
class ContactImport:
    key: str  # the person's id on the "import" channel: their email, else their phone
    fields: Mapping[LeadField, str]
    consents: tuple[ImportedConsent, ...] = ()
    # Worked out before the write transaction when the caller can; None: `enrich` is called.
    enrichment: EnrichmentValues | None = None

    def check(self) -> None:
        """Raise ValueError if the store cannot take this item; nothing is written then."""
        for grant in self.consents:
            _record(grant)

    def identifiers(self) -> list[tuple[erasure.IdentifierKind, str]]:
        found: list[tuple[erasure.IdentifierKind, str | None]] = [
            ("email", self.fields.get("email")),
            ("phone", self.fields.get("phone")),
        ]
        return [(kind, value) for kind, value in found if value]


@dataclass(frozen=True)
class ImportResult:
    outcome: ImportOutcome
    contact_id: ContactId | None = None
    consents_recorded: int = 0
    consents_known: int = 0  # the same grant was already in the ledger


def match(conn: Connection, items: Sequence[ContactImport], salt: str) -> list[ImportOutcome]:
    """What `write` would do with each item, without writing."""
    suppressed = _suppressed(conn, _digests(items, salt))
    existing = _existing(conn, items)
    return [
        "suppressed" if i in suppressed else "merged" if i in existing else "new"
        for i in range(len(items))
    ]


@dataclass(frozen=True)
class PreparedImport:
    """A batch with all its transaction needs that the store cannot change worked out
    beforehand, so the transaction holds the write lock only to read and write."""

    items: Sequence[ContactImport]
    digests: Mapping[tuple[str, str], int]  # (kind, keyed digest) -> item, for erasures
    contact_ids: Sequence[ContactId]  # each item's id if it turns out new
    # The rows new items add, encoded, with the item each row belongs to.
    tables: Sequence[tuple[Encoded, Sequence[int]]]
    conversation_id: str
    enrich: Enricher
    now: datetime


def prepare(
    items: Sequence[ContactImport],
    *,
    dialect: Dialect,
    conversation_id: str,
    salt: str,
    enrich: Enricher,
    now: datetime,
) -> PreparedImport:
    """Check the items (ValueError names the first problem) and prepare their batch."""
    for item in items:
        item.check()
    people = [_NewRows(item, conversation_id, enrich, now) for item in items]
    tables: list[tuple[Encoded, list[int]]] = []
    for name, table in _NewRows.TABLES:
        owned = [(i, row) for i, person in enumerate(people) for row in person.tables[name]]
        encoded = encode(dialect, table, [row for _i, row in owned])
        tables.append((encoded, [i for i, _row in owned]))
    ids = [person.contact_id for person in people]
    return PreparedImport(items, _digests(items, salt), ids, tables, conversation_id, enrich, now)


def write(conn: Connection, batch: PreparedImport) -> list[ImportResult]:
    items = batch.items
    suppressed = _suppressed(conn, batch.digests)
    existing = _existing(conn, items)
    results: dict[int, ImportResult] = {i: ImportResult("suppressed") for i in suppressed}
    for i, holder in existing.items():
        if i not in suppressed:
            results[i] = _merge_in(conn, items[i], holder, batch)
    fresh = {i for i in range(len(items)) if i not in results}
    for encoded, owners in batch.tables:
        insert(conn, encoded.only(j for j, owner in enumerate(owners) if owner in fresh))
    for i in fresh:
        results[i] = ImportResult("new", batch.contact_ids[i], len(items[i].consents))
    return [results[i] for i in range(len(items))]


def _digests(items: Sequence[ContactImport], salt: str) -> dict[tuple[str, str], int]:
    return {
        (kind, erasure.digest(kind, value, salt)): i
        for i, item in enumerate(items)
        for kind, value in item.identifiers()
    }


def _suppressed(conn: Connection, digests: Mapping[tuple[str, str], int]) -> set[int]:
    if not digests:
        return set()
    wanted = tuple_(suppressed_identifiers.c.kind, suppressed_identifiers.c.digest)
    query = select(suppressed_identifiers.c.kind, suppressed_identifiers.c.digest)
    found = conn.execute(query.where(wanted.in_(list(digests)))).all()
    return {digests[(kind, digest)] for kind, digest in found}


def _existing(conn: Connection, items: Sequence[ContactImport]) -> dict[int, ContactId]:
    """Item index -> the contact it matches: by email, else phone, else an earlier
    import of the same key."""
    emails = [item.fields["email"] for item in items if "email" in item.fields]
    phones = [item.fields["phone"] for item in items if "phone" in item.fields]
    by_email: dict[str, ContactId] = {}
    by_phone: dict[str, ContactId] = {}
    query = select(contacts.c.id, contacts.c.email, contacts.c.phone).where(
        or_(contacts.c.email.in_(emails), contacts.c.phone.in_(phones))
    )
    for contact_id, email, phone in conn.execute(query):
        if email is not None:
            by_email[email] = ContactId(contact_id)
        if phone is not None:
            by_phone[phone] = ContactId(contact_id)
    by_key = _imported_before(conn, [item.key for item in items])
    found: dict[int, ContactId] = {}
    for i, item in enumerate(items):
        holder = (
            by_email.get(item.fields.get("email", ""))
            or by_phone.get(item.fields.get("phone", ""))
            or by_key.get(item.key)
        )
        if holder is not None:
            found[i] = holder
    return found


def _imported_before(conn: Connection, keys: list[str]) -> dict[str, ContactId]:
    query = select(channel_identities.c.external_id, channel_identities.c.contact_id).where(
        and_(channel_identities.c.channel == CHANNEL, channel_identities.c.external_id.in_(keys))
    )
    return {key: ContactId(contact_id) for key, contact_id in conn.execute(query)}


def _merge_in(
    conn: Connection, item: ContactImport, holder: ContactId, batch: PreparedImport
) -> ImportResult:
    fields = blanks_only(item.fields, reads.load_contact(conn, holder))
    contact_id = operations.update_lead_fields(
        conn, CHANNEL, item.key, fields, batch.conversation_id, batch.now
    )
    contact = reads.load_contact(conn, contact_id)
    set_enrichment(conn, contact_id, batch.enrich(contact.email, contact.phone))
    known = {(e.purpose, e.occurred_at, e.wording) for e in consent.history(conn, contact_id)}
    recorded = 0
    for grant in item.consents:
        if (grant.purpose, grant.at, grant.wording) not in known:
            consent.append(conn, contact_id, _record(grant), grant.at)
            recorded += 1
    return ImportResult("merged", contact_id, recorded, len(item.consents) - recorded)


def blanks_only(fields: Mapping[LeadField, str], existing: Contact) -> dict[LeadField, str]:
    """An existing contact keeps what it holds (what a person told the bot beats an old
    spreadsheet); the file fills its blanks and confirms the email or phone matched."""
    held: dict[LeadField, str | None] = {
        "name": existing.name,
        "email": existing.email,
        "phone": existing.phone,
        "company": existing.company,
        "role": existing.role,
        "need": existing.need,
    }
    return {key: value for key, value in fields.items() if held[key] in (None, value)}


def _record(grant: ImportedConsent) -> consent.ConsentRecord:
    record = consent.ConsentRecord(
        grant.purpose,
        True,
        CHANNEL,
        grant.wording,
        grant.wording_version,
        "import",
        dict(grant.evidence),
    )
    record.check()
    return record


def set_enrichment(conn: Connection, contact_id: str, values: EnrichmentValues) -> None:
    conn.execute(
        update(contacts)
        .where(contacts.c.id == contact_id)
        .values(
            company_domain=values.company_domain,
            country=values.country,
            timezone=values.timezone,
        )
    )


class _NewRows:
    """The rows `update_lead_fields` would write for an item as a new contact; those
    of a batch's new people go in together, a statement a table."""

    TABLES: tuple[tuple[str, Table], ...] = (
        ("contacts", contacts),
        ("identities", channel_identities),
        ("events", timeline_events),
        ("leads", leads),
        ("answers", lead_answers),
        ("consent", consent_events),
    )

    def __init__(
        self, item: ContactImport, conversation_id: str, enrich: Enricher, now: datetime
    ) -> None:
        self.contact_id, lead_id = ContactId(new_id()), new_id()
        contact_id = self.contact_id
        fields: dict[str, str] = {str(key): value for key, value in item.fields.items()}
        found = item.enrichment
        if found is None:
            found = enrich(fields.get("email"), fields.get("phone"))
        identity = {"channel": CHANNEL, "external_id": item.key}
        self.tables: dict[str, list[dict[str, Any]]] = {
            "contacts": [
                {
                    "id": contact_id, "name": None, "email": None, "phone": None,
                    "company": None, "role": None, "need": None, **fields,
                    "lead_status": "partial", "created_at": now, "updated_at": now,
                    "company_domain": found.company_domain, "country": found.country,
                    "timezone": found.timezone,
                }
            ],
            "identities": [{"contact_id": contact_id, **identity, "created_at": now}],
            "events": _events(contact_id, fields, identity, now),
            "leads": [
                {
                    "id": lead_id, "contact_id": contact_id, "status": "partial",
                    "channel": CHANNEL, "conversation_id": conversation_id,
                    "started_at": now, "updated_at": now,
                }
            ],
            "answers": [
                {"lead_id": lead_id, "field": key, "value": value, "answered_at": now}
                for key, value in fields.items()
            ],
            "consent": [_consent_row(contact_id, grant) for grant in item.consents],
        }  # fmt: skip


def _events(
    contact_id: str, fields: Mapping[str, str], identity: Mapping[str, str], now: datetime
) -> list[dict[str, Any]]:
    kinds: list[tuple[str, Mapping[str, Any]]] = [
        ("contact_created", {}),
        ("identity_linked", identity),
        *(("field_changed", {"field": k, "old": None, "new": v}) for k, v in fields.items()),
        ("lead_status_changed", {"old": "new", "new": "partial"}),
    ]
    return [
        {"contact_id": contact_id, "kind": kind, "data": dict(data), "occurred_at": now}
        for kind, data in kinds
    ]


def _consent_row(contact_id: str, grant: ImportedConsent) -> dict[str, Any]:
    record = _record(grant)
    return {
        "contact_id": contact_id,
        "purpose": record.purpose,
        "granted": True,
        "channel": record.channel,
        "wording": record.wording,
        "wording_version": record.wording_version,
        "source": record.source,
        "evidence": dict(record.evidence),
        "occurred_at": grant.at,
    }
