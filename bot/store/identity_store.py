"""ProfileStore's identity methods (#17): stated details, claims, codes and proofs."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from sqlalchemy.engine import Connection

from bot.store import identity, reads, writes
from bot.store.checks import check_text, utc
from bot.store.identity import CodeLimits, DetailField
from bot.store.records import Claim, CodeCheck, CodeIssue, Contact
from bot.store.transactions import Transactions
from bot.types import Channel, LeadField

_DETAIL_FIELDS = frozenset(identity.DETAIL_FIELDS)


def _detail_field(field: str) -> DetailField:
    if field not in _DETAIL_FIELDS:
        raise ValueError(f"only an email or phone can be proven, not {field!r}")
    return field


def _check_detail(field: str, value: str) -> DetailField:
    check_text(field, value)
    return _detail_field(field)


class IdentityStore:
    """Mixed into ProfileStore; every method is one transaction, like the store's own."""

    _tx: Transactions

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

    def open_claims(self, contact_id: str) -> list[Claim]:
        """This contact's unproven claims to details another contact holds, newest first."""
        return self._tx.read(
            lambda conn: identity.open_claims(conn, reads.require_id(conn, contact_id))
        )

    def possible_duplicates(self, contact_id: str) -> list[Claim]:
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
        contact_id: str,
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

    def is_detail_verified(self, contact_id: str, field: str) -> bool:
        detail = _detail_field(field)
        return self._tx.read(
            lambda conn: identity.is_verified(conn, reads.require_id(conn, contact_id), detail)
        )
