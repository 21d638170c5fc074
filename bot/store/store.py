"""ProfileStore: the only way into the profile database."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from datetime import datetime
from typing import Any, Concatenate, ParamSpec

from sqlalchemy.engine import Connection, Engine

from bot.store import handoffs, operations, reads, scoring
from bot.store.checks import check_json, utc
from bot.store.contact_search import ContactSearch
from bot.store.engine import make_engine
from bot.store.enrichment_store import EnrichmentStore
from bot.store.identity_store import IdentityStore
from bot.store.parts.campaigns import CampaignsPart
from bot.store.parts.consent import ConsentPart
from bot.store.parts.integrations import IntegrationsPart
from bot.store.parts.messages import MessagesPart
from bot.store.parts.outbox import OutboxPart
from bot.store.parts.privacy import PrivacyPart
from bot.store.parts.studio import StudioPart
from bot.store.records import (
    Booking,
    Contact,
    Lead,
    OutcomeRecord,
    ScoreRecord,
    TimelineEvent,
)
from bot.store.transactions import Transactions
from bot.store.writes import check_fields, ensure_contact_id
from bot.types import Channel, ContactId, LeadField, LeadStatus

P = ParamSpec("P")


class ProfileStore(
    EnrichmentStore,
    ContactSearch,
    IdentityStore,
):
    """Contacts, their channel identities, leads and timelines; their consent ledger,
    do-not-contact entries, erasure, export and retention (see ConsentAndPrivacy).

    Every method is one transaction. Database outages raise `StoreUnavailable`, unknown
    contacts `ContactNotFound`. The id of a contact merged away is accepted wherever a
    contact id is, and stands for the contact it was merged into.
    """

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._tx = Transactions(engine)
        self.consent = ConsentPart(self._tx)
        self.privacy = PrivacyPart(self._tx)
        self.campaigns = CampaignsPart(self._tx)
        self.outbox = OutboxPart(self._tx)
        self.messages = MessagesPart(self._tx)
        self.studio = StudioPart(self._tx)
        self.integrations = IntegrationsPart(self._tx)

    @classmethod
    def from_url(cls, url: str) -> ProfileStore:
        """A store on `url`; `bot.store.upgrade(url)` must have run once before."""
        return cls(make_engine(url))

    def dispose(self) -> None:
        self.engine.dispose()

    def check_available(self) -> None:
        """Raise StoreUnavailable unless the database answers now (readiness probes)."""
        self._tx.read(lambda conn: conn.exec_driver_sql("SELECT 1").scalar())

    def contact_for_identity(self, channel: Channel, external_id: str) -> Contact | None:
        return self._read_contact(reads.id_for_identity, channel, external_id)

    def ensure_contact(
        self, channel: Channel, external_id: str, now: datetime | None = None
    ) -> Contact:
        found = self.contact_for_identity(channel, external_id)
        if found is not None:
            return found
        return self._write_contact(ensure_contact_id, channel, external_id, utc(now))

    def update_lead_fields(
        self,
        channel: Channel,
        external_id: str,
        fields: Mapping[LeadField, str],
        conversation_id: str,
        now: datetime | None = None,
    ) -> Contact:
        """Record answers to lead questions; a contact already holding the given email or
        phone is merged with this one. Returns the surviving contact."""
        check_fields(fields)
        return self._write_contact(
            operations.update_lead_fields,
            channel,
            external_id,
            fields,
            conversation_id,
            utc(now),
        )

    def set_lead_status(
        self,
        contact_id: str,
        status: LeadStatus,
        conversation_id: str | None = None,
        now: datetime | None = None,
    ) -> Contact:
        return self._write_contact(
            operations.set_lead_status, contact_id, status, conversation_id, utc(now)
        )

    def link_identity(
        self, contact_id: str, channel: Channel, external_id: str, now: datetime | None = None
    ) -> Contact:
        """Attach an identity; if another contact holds it, the two are merged."""
        return self._write_contact(
            operations.link_identity, contact_id, channel, external_id, utc(now)
        )

    def record_event(
        self,
        contact_id: str,
        kind: str,
        data: Mapping[str, Any],
        now: datetime | None = None,
    ) -> TimelineEvent:
        check_json(data)
        at = utc(now)
        return self._tx.write(
            lambda conn: operations.record_event(conn, contact_id, kind, data, at)
        )

    def find_contact(self, key: str) -> Contact | None:
        """By id (or merged-away id), email in any case, or phone with or without spacing."""
        return self._read_contact(reads.find_id, key)

    def get_contact(self, contact_id: str) -> Contact:
        return self._tx.read(
            lambda conn: reads.load_contact(conn, reads.require_id(conn, contact_id))
        )

    def list_contacts(self, limit: int = 100, offset: int = 0) -> list[Contact]:
        return self._tx.read(lambda conn: reads.page_of_contacts(conn, limit, offset))

    def iter_contacts(self, batch: int = 500) -> Iterator[Contact]:
        """All contacts, oldest first, one short transaction per batch."""
        if batch < 1:
            raise ValueError(f"batch must be positive, not {batch}")
        after: reads.ContactKey | None = None
        while True:
            page = self._contacts_after(after, batch)
            yield from page
            if len(page) < batch:
                return
            after = (page[-1].created_at, page[-1].id)

    def count_contacts(self) -> int:
        return self._tx.read(reads.count_contacts)

    def leads_for(self, contact_id: str) -> list[Lead]:
        return self._tx.read(lambda conn: reads.leads_of(conn, reads.require_id(conn, contact_id)))

    def timeline(self, contact_id: str) -> list[TimelineEvent]:
        return self._tx.read(
            lambda conn: reads.timeline_of(conn, reads.require_id(conn, contact_id))
        )

    # ---------------------------------------------------------------- qualification, scores

    def record_qualification(
        self,
        contact_id: str,
        answers: Mapping[str, str],
        *,
        channel: Channel,
        conversation_id: str,
        now: datetime | None = None,
    ) -> Contact:
        """Save answers to qualifying questions (values from bot.types.QUALIFICATION_VALUES)."""
        scoring.check_answers(answers)
        at = utc(now)
        return self._write_contact(
            scoring.record_answers, contact_id, answers, channel, conversation_id, at
        )

    def qualification_of(self, contact_id: str) -> dict[str, str]:
        return self._tx.read(lambda conn: scoring.answers_of(conn, contact_id))

    def save_score(
        self,
        contact_id: str,
        *,
        score: int,
        grade: str,
        stage: str,
        rubric_version: str,
        model_version: str | None,
        explanation: list[dict[str, Any]],
        now: datetime | None = None,
    ) -> ScoreRecord:
        """Append a score; a new grade or stage is also a `grade_changed` timeline event."""
        check_json({"explanation": explanation})
        at = utc(now)
        return self._tx.write(
            lambda conn: scoring.save_score(
                conn,
                contact_id,
                score=score,
                grade=grade,
                stage=stage,
                rubric_version=rubric_version,
                model_version=model_version,
                explanation=explanation,
                now=at,
            )
        )

    def latest_score(self, contact_id: str) -> ScoreRecord | None:
        return self._tx.read(lambda conn: scoring.latest_score(conn, contact_id))

    def score_history(self, contact_id: str) -> list[ScoreRecord]:
        return self._tx.read(lambda conn: scoring.score_history(conn, contact_id))

    def record_outcome(
        self,
        contact_id: str,
        outcome: str,
        *,
        value: int | None = None,
        now: datetime | None = None,
    ) -> OutcomeRecord:
        """A sale won or lost: what the predictive score learns from."""
        at = utc(now)
        return self._tx.write(
            lambda conn: scoring.record_outcome(conn, contact_id, outcome, value, at)
        )

    def outcomes(self) -> list[OutcomeRecord]:
        """Each contact's latest outcome."""
        return self._tx.read(scoring.outcomes)

    # ---------------------------------------------------------------- handoffs, bookings

    def request_handoff(
        self,
        contact_id: str,
        *,
        conversation_id: str,
        channel: Channel,
        reason: str,
        transcript: list[dict[str, Any]],
        outbox: list[tuple[str, dict[str, Any]]],
        now: datetime | None = None,
    ) -> tuple[str, bool]:
        """Record a handoff and queue its deliveries in one transaction. Returns its id and
        whether it is new (a repeat within minutes for the same conversation is not)."""
        check_json({"transcript": transcript, "outbox": outbox})
        at = utc(now)
        return self._tx.write(
            lambda conn: handoffs.request(
                conn, contact_id, conversation_id, channel, reason, transcript, outbox, at
            )
        )

    def book_meeting(
        self, contact_id: str, starts_at: datetime, ends_at: datetime, now: datetime | None = None
    ) -> Booking:
        """Book a time; raises SlotTaken if another booking holds it (even a racing one)."""
        at = utc(now)
        return self._tx.write(
            lambda conn: handoffs.book(conn, contact_id, utc(starts_at), utc(ends_at), at)
        )

    def cancel_booking(self, booking_id: str, now: datetime | None = None) -> bool:
        at = utc(now)
        return self._tx.write(lambda conn: handoffs.cancel_booking(conn, booking_id, at))

    def bookings_between(self, start: datetime, end: datetime) -> list[Booking]:
        return self._tx.read(lambda conn: handoffs.booked_between(conn, utc(start), utc(end)))

    def bookings(self, contact_id: str | None = None) -> list[Booking]:
        return self._tx.read(lambda conn: handoffs.bookings_of(conn, contact_id))

    def _contacts_after(self, after: reads.ContactKey | None, batch: int) -> list[Contact]:
        return self._tx.read(lambda conn: reads.contacts_after(conn, after, batch))

    def _read_contact(
        self,
        lookup: Callable[Concatenate[Connection, P], ContactId | None],
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> Contact | None:
        def work(conn: Connection) -> Contact | None:
            contact_id = lookup(conn, *args, **kwargs)
            return None if contact_id is None else reads.load_contact(conn, contact_id)

        return self._tx.read(work)

    def _write_contact(
        self,
        operation: Callable[Concatenate[Connection, P], ContactId],
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> Contact:
        return self._tx.write(
            lambda conn: reads.load_contact(conn, operation(conn, *args, **kwargs))
        )
