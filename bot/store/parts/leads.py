"""`store.leads`: what a contact told us as a lead (fields and status), qualification
answers, scores and outcomes, handoffs to a person and booked meetings."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import datetime
from typing import Any

from bot.store import custom_values, handoffs, operations, outcomes, reads, scoring
from bot.store.checks import check_choice, check_json, utc
from bot.store.parts.contacts import write_contact
from bot.store.records import Booking, Contact, Lead, OutcomeRecord, ScoreRecord
from bot.store.transactions import Transactions
from bot.store.writes import check_fields
from bot.types import CHANNELS, Channel, ContactId, LeadField, LeadStatus


class LeadsPart:
    def __init__(self, tx: Transactions) -> None:
        self._tx = tx

    def update_fields(
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
        return write_contact(
            self._tx,
            operations.update_lead_fields,
            channel,
            external_id,
            fields,
            conversation_id,
            utc(now),
        )

    def set_status(
        self,
        contact_id: ContactId,
        status: LeadStatus,
        conversation_id: str | None = None,
        now: datetime | None = None,
    ) -> Contact:
        return write_contact(
            self._tx, operations.set_lead_status, contact_id, status, conversation_id, utc(now)
        )

    def for_contact(self, contact_id: ContactId) -> list[Lead]:
        return self._tx.read(lambda conn: reads.leads_of(conn, reads.require_id(conn, contact_id)))

    # ---------------------------------------------------------------- custom lead fields

    def set_custom_fields(
        self,
        contact_id: ContactId,
        values: Mapping[str, str],
        *,
        channel: Channel,
        conversation_id: str | None = None,
        now: datetime | None = None,
    ) -> None:
        """Save values of custom lead fields (bot.custom_fields), already canonical:
        callers normalize them against the current lead_fields.yml. Raises InvalidField,
        writing nothing, for a malformed name or a value the store cannot hold. Each value
        that changes is a `custom_field_changed` timeline event."""
        custom_values.check(values, channel)
        given, at = dict(values), utc(now)
        self._tx.write(
            lambda conn: custom_values.set_values(
                conn, contact_id, given, channel, conversation_id, at
            )
        )

    def custom_fields(self, contact_id: ContactId) -> dict[str, str]:
        """field -> value, sorted by field name; removed fields' values included."""
        return self._tx.read(lambda conn: custom_values.values_of(conn, contact_id))

    def clear_custom_field(
        self,
        contact_id: ContactId,
        field: str,
        *,
        channel: Channel = "staff",
        now: datetime | None = None,
    ) -> bool:
        """Forget one value; False when there was none (nothing changes then)."""
        check_choice("channel", channel, CHANNELS)
        at = utc(now)
        return self._tx.write(
            lambda conn: custom_values.clear_value(conn, contact_id, field, channel, at)
        )

    def custom_field_names(self) -> list[str]:
        """Every field name some contact holds a value for, sorted."""
        return self._tx.read(custom_values.field_names)

    # ---------------------------------------------------------------- qualification, scores

    def record_qualification(
        self,
        contact_id: ContactId,
        answers: Mapping[str, str],
        *,
        channel: Channel,
        conversation_id: str,
        now: datetime | None = None,
        custom: Mapping[str, Collection[str]] | None = None,
    ) -> Contact:
        """Save answers to qualifying questions: built-in ones take the values of
        bot.types.QUALIFICATION_VALUES; questions a marketer added take the option ids in
        `custom` (field to option ids, from qualification.yml) when the caller has it,
        else any well-formed option id (scoring.check_answers says why)."""
        scoring.check_answers(answers, custom)
        at = utc(now)
        return write_contact(
            self._tx, scoring.record_answers, contact_id, answers, channel, conversation_id, at
        )

    def qualification(self, contact_id: ContactId) -> dict[str, str]:
        return self._tx.read(lambda conn: scoring.answers_of(conn, contact_id))

    def save_score(
        self,
        contact_id: ContactId,
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

    def latest_score(self, contact_id: ContactId) -> ScoreRecord | None:
        return self._tx.read(lambda conn: scoring.latest_score(conn, contact_id))

    def score_history(self, contact_id: ContactId) -> list[ScoreRecord]:
        return self._tx.read(lambda conn: scoring.score_history(conn, contact_id))

    def record_outcome(
        self,
        contact_id: ContactId,
        outcome: str,
        *,
        source: str,
        recorded_by: str,
        value: object = None,
        currency: str | None = None,
        reason: str | None = None,
        external_ref: str | None = None,
        occurred_at: datetime | None = None,
        now: datetime | None = None,
    ) -> tuple[OutcomeRecord, bool]:
        """A sale won or lost (`value` a decimal string, int or Decimal, with its ISO 4217
        `currency`), recorded from `source` by `recorded_by` (an actor id, as in the
        audit log), closed at `occurred_at` (default: now). It becomes the contact's
        current outcome, with its timeline event, audit entry and `lead.outcome` event
        in the same transaction. Returns the current outcome and whether it is new: the
        same outcome, value, currency and reason as the current one records nothing."""
        at = utc(now)
        new = outcomes.check(
            outcome,
            value=value,
            currency=currency,
            reason=reason,
            source=source,
            recorded_by=recorded_by,
            external_ref=external_ref,
            occurred_at=at if occurred_at is None else utc(occurred_at),
        )
        return self._tx.write(lambda conn: outcomes.record(conn, contact_id, new, at))

    def outcome(self, contact_id: ContactId) -> OutcomeRecord | None:
        """The contact's current outcome."""
        return self._tx.read(lambda conn: outcomes.current_of(conn, contact_id))

    def outcome_history(self, contact_id: ContactId) -> list[OutcomeRecord]:
        """Every outcome recorded for the contact, oldest first (the last is current)."""
        return self._tx.read(lambda conn: outcomes.history_of(conn, contact_id))

    def outcomes(self) -> list[OutcomeRecord]:
        """Each contact's current outcome."""
        return self._tx.read(outcomes.current_outcomes)

    def recorded_refs(self, source: str, refs: Sequence[str]) -> set[tuple[str, str]]:
        """(external ref, outcome) pairs already recorded from `source` among `refs`."""
        wanted = list(refs)
        return self._tx.read(lambda conn: outcomes.known_refs(conn, source, wanted))

    # ---------------------------------------------------------------- handoffs, bookings

    def request_handoff(
        self,
        contact_id: ContactId,
        *,
        conversation_id: str,
        channel: Channel,
        reason: str,
        transcript: list[dict[str, Any]],
        outbox: list[tuple[str, dict[str, Any]]],
        now: datetime | None = None,
        reply_due_at: datetime | None = None,
    ) -> tuple[str, bool]:
        """Record a handoff and queue its deliveries in one transaction. Returns its id and
        whether it is new (a repeat within minutes for the same conversation is not).
        `reply_due_at`: it came outside office hours, and a person answers from then."""
        check_json({"transcript": transcript, "outbox": outbox})
        at = utc(now)
        due = utc(reply_due_at) if reply_due_at is not None else None
        return self._tx.write(
            lambda conn: handoffs.request(
                conn, contact_id, conversation_id, channel, reason, transcript, outbox, at, due
            )
        )

    def book_meeting(
        self,
        contact_id: ContactId,
        starts_at: datetime,
        ends_at: datetime,
        now: datetime | None = None,
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

    def bookings(self, contact_id: ContactId | None = None) -> list[Booking]:
        return self._tx.read(lambda conn: handoffs.bookings_of(conn, contact_id))
