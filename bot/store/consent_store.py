"""ProfileStore's consent intents: grant, withdraw, confirm, block, lift, and whether a
channel may carry marketing to a contact now. Each does its whole effect in one
transaction (the rules are in `bot.store.consent_effects`)."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.engine import Connection

from bot.store import campaign_reads, consent, consent_effects, dnc, reads
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


class ConsentEffects:
    """Mixed into ProfileStore; every method is one transaction, like the store's own."""

    _tx: Transactions

    def grant_consent(
        self,
        contact_id: str,
        purposes: Collection[Purpose],
        words: ConsentWords,
        now: datetime | None = None,
    ) -> ConsentChange:
        """A ledger grant per purpose, each lifting its purpose's do-not-contact entry;
        a grant in conversation for an unproven address waits for its confirmation."""
        records, at = words.records(purposes, True), utc(now)
        return self._tx.write(
            lambda conn: consent_effects.grant(conn, _locked(conn, contact_id), records, at)
        )

    def withdraw_consent(
        self,
        contact_id: str,
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
                conn, _locked(conn, contact_id), records, note, at, skip_repeat=skip_repeat
            )
        )

    def confirm_consent(
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
        contact_id: str,
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
            lambda conn: dnc.add(conn, _locked(conn, contact_id), channel, reason, note, at)
        )

    def lift_block(self, contact_id: str, channel: DncChannel, now: datetime | None = None) -> bool:
        """False when there was no active entry to lift."""
        at = utc(now)
        return self._tx.write(lambda conn: dnc.lift(conn, _locked(conn, contact_id), channel, at))

    def may_send(self, contact_id: str, channel: str, now: datetime) -> Permission:
        """Whether marketing may go to the contact on `channel` now: an address there,
        consent in force for it and no do-not-contact (`Permission.refusal` says why
        not). Campaign policy (quiet hours, caps) is the campaign guards' own."""
        at = utc(now)
        return self._tx.read(
            lambda conn: campaign_reads.snapshot(conn, contact_id, at).may_send(channel)
        )


def _locked(conn: Connection, key: str) -> ContactId:
    return reads.lock_contact(conn, reads.require_id(conn, key))
