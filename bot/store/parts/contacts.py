"""`store.contacts`: contacts and their channel identities, what people state about
themselves and the claims and one-time codes that prove it, merging, timelines, search,
enrichment and imports."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import datetime
from functools import partial
from typing import Any, Concatenate, ParamSpec

from sqlalchemy.engine import Connection

from bot.store import identity, imports, operations, reads, search, writes
from bot.store.checks import check_json, check_text, utc
from bot.store.identity import CodeLimits, DetailField
from bot.store.imports import (
    ContactImport,
    Enricher,
    EnrichmentValues,
    ImportOutcome,
    ImportResult,
)
from bot.store.records import Claim, CodeCheck, CodeIssue, Contact, TimelineEvent
from bot.store.transactions import Transactions
from bot.types import Channel, ContactId, LeadField

P = ParamSpec("P")

MAX_QUERY = 200
MAX_SEARCH_LIMIT = 500


_DETAIL_FIELDS = frozenset(identity.DETAIL_FIELDS)


def _detail_field(field: str) -> DetailField:
    if field not in _DETAIL_FIELDS:
        raise ValueError(f"only an email or phone can be proven, not {field!r}")
    return field


def _check_detail(field: str, value: str) -> DetailField:
    check_text(field, value)
    return _detail_field(field)


class ContactsPart:
    """Enrichment is derived data: writing it leaves `updated_at` and the timeline alone,
    so re-enriching everyone does not look like activity to the retention purge."""

    def __init__(self, tx: Transactions) -> None:
        self._tx = tx

    def for_identity(self, channel: Channel, external_id: str) -> Contact | None:
        return read_contact(self._tx, reads.id_for_identity, channel, external_id)

    def ensure(self, channel: Channel, external_id: str, now: datetime | None = None) -> Contact:
        found = self.for_identity(channel, external_id)
        if found is not None:
            return found
        return write_contact(self._tx, writes.ensure_contact_id, channel, external_id, utc(now))

    def link_identity(
        self,
        contact_id: ContactId,
        channel: Channel,
        external_id: str,
        now: datetime | None = None,
    ) -> Contact:
        """Attach an identity; if another contact holds it, the two are merged."""
        return write_contact(
            self._tx, operations.link_identity, contact_id, channel, external_id, utc(now)
        )

    def find(self, key: str) -> Contact | None:
        """By id (or merged-away id), email in any case, or phone with or without spacing."""
        return read_contact(self._tx, reads.find_id, key)

    def get(self, contact_id: ContactId) -> Contact:
        return self._tx.read(
            lambda conn: reads.load_contact(conn, reads.require_id(conn, contact_id))
        )

    def page(self, limit: int = 100, offset: int = 0) -> list[Contact]:
        return self._tx.read(lambda conn: reads.page_of_contacts(conn, limit, offset))

    def iterate(self, batch: int = 500) -> Iterator[Contact]:
        """All contacts, oldest first, one short transaction per batch."""
        if batch < 1:
            raise ValueError(f"batch must be positive, not {batch}")
        after: reads.ContactKey | None = None
        while True:
            page = self._after(after, batch)
            yield from page
            if len(page) < batch:
                return
            after = (page[-1].created_at, page[-1].id)

    def count(self) -> int:
        return self._tx.read(reads.count_contacts)

    def search(self, query: str, limit: int = 50, offset: int = 0) -> list[Contact]:
        """Contacts whose email, phone, name or company contains `query` (any case; a
        phone also by its digits: "+1 415 555" finds "+14155550134"), newest first.
        A blank query lists every contact, newest first."""
        if len(query) > MAX_QUERY:
            raise ValueError(f"a search is at most {MAX_QUERY} characters, not {len(query)}")
        if not 1 <= limit <= MAX_SEARCH_LIMIT:
            raise ValueError(f"limit must be between 1 and {MAX_SEARCH_LIMIT}, not {limit}")
        if offset < 0:
            raise ValueError(f"offset must not be negative, not {offset}")
        return self._tx.read(lambda conn: search.search(conn, query, limit, offset))

    # ------------------------------------------------------------------ timeline

    def record_event(
        self,
        contact_id: ContactId,
        kind: str,
        data: Mapping[str, Any],
        now: datetime | None = None,
    ) -> TimelineEvent:
        check_json(data)
        at = utc(now)
        return self._tx.write(
            lambda conn: operations.record_event(conn, contact_id, kind, data, at)
        )

    def timeline(self, contact_id: ContactId) -> list[TimelineEvent]:
        return self._tx.read(
            lambda conn: reads.timeline_of(conn, reads.require_id(conn, contact_id))
        )

    # ------------------------------------------------------------------ imports, enrichment

    def import_batch(
        self,
        items: Sequence[ContactImport],
        *,
        conversation_id: str,
        salt: str,
        enrich: Enricher,
        now: datetime | None = None,
    ) -> list[ImportResult]:
        """Import a batch (a few hundred) in one transaction, one result per item.

        Items must be distinct people (no two with the same email or phone); an item the
        store cannot take (`ContactImport.check`) raises ValueError before the
        transaction begins. Erased people (keyed digests under `salt`) are skipped. An
        item matching a contact by email, phone or an earlier import is merged into it
        and only fills its blanks, as `store.leads.update_fields` would; a consent grant
        already in its ledger (same purpose, time and wording) is not added twice. New
        people are inserted in bulk with the rows and timeline `store.leads.update_fields`
        would leave, enriched with their item's own enrichment or else by `enrich`.
        """
        [results] = self.import_batches(
            [items], conversation_id=conversation_id, salt=salt, enrich=enrich, now=now
        )
        return results

    def import_batches(
        self,
        batches: Iterable[Sequence[ContactImport]],
        *,
        conversation_id: str,
        salt: str,
        enrich: Enricher,
        now: datetime | None = None,
    ) -> Iterator[list[ImportResult]]:
        """`import_batch` for each batch in turn, as it is taken: each checked and then
        written in its own transaction, all on one connection."""
        check_text("conversation_id", conversation_id)
        check_text("salt", salt)
        at = utc(now)

        def work(items: Sequence[ContactImport]) -> Callable[[Connection], list[ImportResult]]:
            # Checked and prepared before the transaction: a bad item takes no lock.
            batch = imports.prepare(
                items,
                dialect=self._tx.engine.dialect,
                conversation_id=conversation_id,
                salt=salt,
                enrich=enrich,
                now=at,
            )
            return partial(imports.write, batch=batch)

        return self._tx.write_each(work(items) for items in batches)

    def match_imports(self, items: Sequence[ContactImport], salt: str) -> list[ImportOutcome]:
        """What `import_batch` would do with each item, writing nothing."""
        check_text("salt", salt)
        return self._tx.read(lambda conn: imports.match(conn, items, salt))

    def set_enrichment(self, contact_id: ContactId, values: EnrichmentValues) -> Contact:
        def work(conn: Connection) -> Contact:
            live = reads.lock_live(conn, contact_id)
            imports.set_enrichment(conn, live, values)
            return reads.load_contact(conn, live)

        return self._tx.write(work)

    def set_enrichments(self, values: Mapping[ContactId, EnrichmentValues]) -> int:
        """Many contacts in one transaction; ids no longer known are skipped. Returns
        how many contacts there were to update."""

        def work(conn: Connection) -> int:
            done = 0
            for key, found in values.items():
                live = reads.resolve_id(conn, key)
                if live is not None:
                    imports.set_enrichment(conn, live, found)
                    done += 1
            return done

        return self._tx.write(work)

    # ------------------------------------------------------------------ stated details, claims, codes

    def record_stated_details(
        self,
        channel: Channel,
        external_id: str,
        fields: Mapping[LeadField, str],
        conversation_id: str,
        now: datetime | None = None,
    ) -> Contact:
        """What a person said about themselves in a conversation, on that conversation's
        own contact. An email or phone another contact holds is kept as a claim (a
        possible duplicate) and merges nothing. Returns the conversation's contact."""
        writes.check_fields(fields)
        at = utc(now)
        return self._tx.write(
            lambda conn: reads.load_contact(
                conn,
                identity.record_stated_details(
                    conn, channel, external_id, fields, conversation_id, at
                ),
            )
        )

    def claim_for_lookup(
        self,
        channel: Channel,
        external_id: str,
        field: DetailField,
        value: str,
        conversation_id: str,
        now: datetime | None = None,
    ) -> Claim | None:
        """An email or phone named to see what is held: a claim on the contact holding
        it (to be proven with a code), or None with nothing stored when no other contact
        holds it."""
        at = utc(now)
        return self._tx.write(
            lambda conn: identity.claim_for_lookup(
                conn, channel, external_id, field, value, conversation_id, at
            )
        )

    def withdraw_stated_detail(
        self, channel: Channel, external_id: str, field: LeadField, now: datetime | None = None
    ) -> Contact | None:
        """The person says a detail on their own contact is not theirs: it is cleared.
        Returns the contact, or None when the identity has none yet."""
        writes.check_fields({field: ""})
        at = utc(now)

        def work(conn: Connection) -> Contact | None:
            contact_id = identity.withdraw_stated_detail(conn, channel, external_id, field, at)
            return None if contact_id is None else reads.load_contact(conn, contact_id)

        return self._tx.write(work)

    def open_claims(self, contact_id: ContactId) -> list[Claim]:
        """This contact's unproven claims to details another contact holds, newest first."""
        return self._tx.read(
            lambda conn: identity.open_claims(conn, reads.require_id(conn, contact_id))
        )

    def possible_duplicates(self, contact_id: ContactId) -> list[Claim]:
        """Claims this contact made on another's details, or others made on its own."""
        return self._tx.read(
            lambda conn: identity.possible_duplicates(conn, reads.require_id(conn, contact_id))
        )

    def merge_claim(self, claim_id: int, now: datetime | None = None) -> Contact | None:
        """Staff judged a possible duplicate to be one person: the two contacts become one
        (the older survives). None if the claim was settled already."""
        at = utc(now)

        def work(conn: Connection) -> Contact | None:
            survivor = identity.merge_claim(conn, claim_id, at)
            return None if survivor is None else reads.load_contact(conn, survivor)

        return self._tx.write(work)

    def dismiss_claim(self, claim_id: int, now: datetime | None = None) -> bool:
        """Staff decided the two are different people; False if already settled."""
        at = utc(now)
        return self._tx.write(lambda conn: identity.dismiss_claim(conn, claim_id, at))

    def issue_verification_code(
        self,
        contact_id: ContactId,
        conversation_id: str,
        field: str,
        value: str,
        purpose: str,
        limits: CodeLimits | None = None,
        now: datetime | None = None,
    ) -> CodeIssue:
        """A 6-digit code to send to `value`; only its salted hash is stored."""
        detail = _check_detail(field, value)
        check_text("conversation_id", conversation_id)
        at, rules = utc(now), limits or CodeLimits()
        return self._tx.write(
            lambda conn: identity.issue_code(
                conn, reads.require_id(conn, contact_id), conversation_id, detail, value,
                purpose, at, rules,
            )
        )  # fmt: skip

    def has_live_code(self, conversation_id: str, now: datetime | None = None) -> bool:
        """Whether a code sent from this conversation is waiting to be typed back."""
        at = utc(now)
        return self._tx.read(lambda conn: identity.has_live_code(conn, conversation_id, at))

    def check_verification_code(
        self,
        conversation_id: str,
        code: str,
        max_attempts: int = CodeLimits.max_attempts,
        now: datetime | None = None,
    ) -> CodeCheck:
        """Check a code typed in `conversation_id` against the newest one sent from it.
        A match proves the address (and merges its holder into the claimant, except
        for an erasure, where the holder is returned to be erased)."""
        at = utc(now)
        return self._tx.write(
            lambda conn: identity.check_code(conn, conversation_id, code.strip(), at, max_attempts)
        )

    def verify_detail(
        self,
        channel: Channel,
        external_id: str,
        field: str,
        value: str,
        method: str,
        now: datetime | None = None,
    ) -> Contact:
        """The conversation on (channel, external_id) has proven `value` by `method`
        (a site's signed identity, the channel itself...): a contact holding it is
        merged in and the value is marked verified."""
        detail = _check_detail(field, value)
        check_text("method", method)
        at = utc(now)

        def work(conn: Connection) -> Contact:
            own = writes.ensure_contact_id(conn, channel, external_id, at)
            return reads.load_contact(
                conn, identity.prove_detail(conn, own, detail, value, method, at)
            )

        return self._tx.write(work)

    def is_detail_verified(self, contact_id: ContactId, field: str) -> bool:
        detail = _detail_field(field)
        return self._tx.read(
            lambda conn: identity.is_verified(conn, reads.require_id(conn, contact_id), detail)
        )

    def _after(self, after: reads.ContactKey | None, batch: int) -> list[Contact]:
        return self._tx.read(lambda conn: reads.contacts_after(conn, after, batch))


def read_contact(
    tx: Transactions,
    lookup: Callable[Concatenate[Connection, P], ContactId | None],
    *args: P.args,
    **kwargs: P.kwargs,
) -> Contact | None:
    """The contact `lookup` finds, in one read transaction."""

    def work(conn: Connection) -> Contact | None:
        contact_id = lookup(conn, *args, **kwargs)
        return None if contact_id is None else reads.load_contact(conn, contact_id)

    return tx.read(work)


def write_contact(
    tx: Transactions,
    operation: Callable[Concatenate[Connection, P], ContactId],
    *args: P.args,
    **kwargs: P.kwargs,
) -> Contact:
    """The contact `operation` leaves, in one write transaction."""
    return tx.write(lambda conn: reads.load_contact(conn, operation(conn, *args, **kwargs)))
