"""`store.consent`: the consent ledger and do-not-contact entries; the consent intents
(grant, withdraw, confirm, block, lift), each doing its whole effect in one transaction
(the rules are in `bot.store.consent_effects`); and whether a channel may carry
marketing to a contact now."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime

from bot.store import campaign_reads, consent, consent_effects, dnc, double_opt_in, reads
from bot.store.checks import check_choice, check_text, utc
from bot.store.consent_effects import ConsentChange
from bot.store.records import ConsentEvent, DoNotContact, Permission
from bot.store.transactions import Transactions
from bot.types import (
    DNC_CHANNELS,
    DNC_REASONS,
    Channel,
    ConsentSource,
    ContactId,
    DncChannel,
    DncReason,
    Purpose,
)


@dataclass(frozen=True)
class ConsentWords:
    """How a grant or withdrawal was given: `wording` is the exact text the person saw
    or heard, `evidence` ids that tie it to its conversation, message or request."""

    channel: Channel
    wording: str
    wording_version: str
    source: ConsentSource
    evidence: Mapping[str, str | None]

    def records(self, purposes: Collection[Purpose], granted: bool) -> list[consent.ConsentRecord]:
        if not purposes:
            raise ValueError("a consent change needs at least one purpose")
        records = [
            consent.ConsentRecord(
                purpose,
                granted,
                self.channel,
                self.wording,
                self.wording_version,
                self.source,
                dict(self.evidence),
            )
            for purpose in purposes
        ]
        for record in records:
            record.check()
        return records


class ConsentPart:
    def __init__(self, tx: Transactions) -> None:
        self._tx = tx

    def grant(
        self,
        contact_id: ContactId,
        purposes: Collection[Purpose],
        words: ConsentWords,
        now: datetime | None = None,
    ) -> ConsentChange:
        """A ledger grant per purpose, each lifting its purpose's do-not-contact entry;
        a grant in conversation for an unproven address waits for its confirmation."""
        records, at = words.records(purposes, True), utc(now)
        return self._tx.write(
            lambda conn: consent_effects.grant(conn, reads.lock_live(conn, contact_id), records, at)
        )

    def withdraw(
        self,
        contact_id: ContactId,
        purposes: Collection[Purpose],
        words: ConsentWords,
        note: str = "",
        now: datetime | None = None,
        *,
        skip_repeat: bool = False,
    ) -> ConsentChange:
        """A ledger withdrawal per purpose and a do-not-contact entry for each marketing
        one; with `skip_repeat`, no new ledger row where the latest is a withdrawal
        already (a link pressed twice), the entry still made sure of."""
        records, at = words.records(purposes, False), utc(now)
        return self._tx.write(
            lambda conn: consent_effects.withdraw(
                conn, reads.lock_live(conn, contact_id), records, note, at, skip_repeat=skip_repeat
            )
        )

    def confirm(
        self,
        event_id: int,
        method: str,
        evidence: Mapping[str, str | None],
        now: datetime | None = None,
    ) -> ConsentEvent | None:
        """Confirm a pending grant from its address (a signed link, a YES by text): a new
        ledger event; also lifts the purpose's do-not-contact entry and marks the address
        proven. None if the grant was withdrawn or confirmed meanwhile."""
        check_text("method", method)
        at = utc(now)
        return self._tx.write(
            lambda conn: consent_effects.confirm(conn, event_id, method, dict(evidence), at)
        )

    def block_contact(
        self,
        contact_id: ContactId,
        channel: DncChannel,
        reason: DncReason,
        note: str = "",
        now: datetime | None = None,
    ) -> DoNotContact:
        """Do not contact on `channel` (consent unchanged): the active entry for (contact,
        channel), the one there is or a new one. Only a grant or `lift_block` ends it."""
        check_choice("channel", channel, DNC_CHANNELS)
        check_choice("reason", reason, DNC_REASONS)
        at = utc(now)
        return self._tx.write(
            lambda conn: dnc.add(conn, reads.lock_live(conn, contact_id), channel, reason, note, at)
        )

    def lift_block(
        self, contact_id: ContactId, channel: DncChannel, now: datetime | None = None
    ) -> bool:
        """False when there was no active entry to lift."""
        at = utc(now)
        return self._tx.write(
            lambda conn: dnc.lift(conn, reads.lock_live(conn, contact_id), channel, at)
        )

    def may_send(self, contact_id: ContactId, channel: str, now: datetime) -> Permission:
        """Whether marketing may go to the contact on `channel` now: an address there,
        consent in force for it and no do-not-contact (`Permission.refusal` says why
        not). Campaign policy (quiet hours, caps) is the campaign guards' own."""
        at = utc(now)
        return self._tx.read(
            lambda conn: campaign_reads.snapshot(conn, contact_id, at).may_send(channel)
        )

    # ------------------------------------------------------------------ the ledger

    def record(
        self,
        contact_id: ContactId,
        purpose: Purpose,
        granted: bool,
        *,
        channel: Channel,
        wording: str,
        wording_version: str,
        source: ConsentSource,
        evidence: Mapping[str, str | None],
        now: datetime | None = None,
        pending: bool = False,
    ) -> ConsentEvent:
        """Append a grant or withdrawal to the ledger, and nothing else: history kept as
        given (tests, corrections). A person's choice is `grant` or `withdraw`, which
        also do its do-not-contact effect. `wording` is the
        exact text the person saw or heard, `evidence` ids that tie the event to its
        conversation. A `pending` grant is kept but not acted on until `confirm`."""
        record = consent.ConsentRecord(
            purpose, granted, channel, wording, wording_version, source, dict(evidence), pending
        )
        record.check()
        at = utc(now)
        return self._tx.write(
            lambda conn: consent.append(conn, reads.lock_live(conn, contact_id), record, at)
        )

    def needs_confirmation(self, contact_id: ContactId, purpose: Purpose) -> bool:
        """Whether a grant given in conversation for `purpose` must be confirmed from the
        address first (double opt-in): the email or phone is not proven yet."""
        return self._tx.read(
            lambda conn: double_opt_in.needs_confirmation(
                conn, reads.require_id(conn, contact_id), purpose
            )
        )

    def pending_grants(self, contact_id: ContactId) -> list[ConsentEvent]:
        """Grants still waiting for their confirmation, one per purpose."""
        return self._tx.read(
            lambda conn: double_opt_in.pending_grants(conn, reads.require_id(conn, contact_id))
        )

    def history(self, contact_id: ContactId) -> list[ConsentEvent]:
        return self._tx.read(lambda conn: consent.history(conn, reads.require_id(conn, contact_id)))

    def state(self, contact_id: ContactId) -> dict[Purpose, ConsentEvent]:
        """The latest event per purpose (by time, then by order of recording)."""
        return self._tx.read(lambda conn: consent.state(conn, reads.require_id(conn, contact_id)))

    def is_granted(self, contact_id: ContactId, purpose: Purpose) -> bool:
        return self._tx.read(
            lambda conn: consent.granted(conn, reads.require_id(conn, contact_id), purpose)
        )

    def do_not_contact(self, contact_id: ContactId) -> list[DoNotContact]:
        """The active entries."""
        return self._tx.read(
            lambda conn: dnc.entries(conn, reads.require_id(conn, contact_id), active_only=True)
        )

    def is_do_not_contact(self, contact_id: ContactId, channel: DncChannel) -> bool:
        return self._tx.read(
            lambda conn: dnc.active(conn, reads.require_id(conn, contact_id), channel) is not None
        )
