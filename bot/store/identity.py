"""Claims and proofs (#17): a typed email or phone is a claim until it is proven.

A channel identity proves only itself. An email or phone number that a person types and
that another contact already holds never merges the two: it is recorded as a claim
beside the claimant (a possible duplicate for staff). A one-time code sent to the
address, a site's signed identity or the channel itself proves it; only then are the
contacts merged.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal, cast

from sqlalchemy import and_, func, insert, select, update
from sqlalchemy.engine import Connection

from bot.store import leads, reads, writes
from bot.store.merging import merge
from bot.store.records import Claim, CodeCheck, CodeIssue
from bot.store.schema import contacts, identity_claims, verification_codes
from bot.types import Channel, ContactId, LeadField

DetailField = Literal["email", "phone"]
DETAIL_FIELDS: tuple[DetailField, ...] = ("email", "phone")


def record_stated_details(
    conn: Connection,
    channel: Channel,
    external_id: str,
    fields: Mapping[LeadField, str],
    conversation_id: str,
    now: datetime,
) -> ContactId:
    """What a person said about themselves, on their own contact only."""
    contact_id = writes.ensure_contact_id(conn, channel, external_id, now)
    if not fields:
        return contact_id
    own: dict[LeadField, str | None] = dict(fields)
    for field in DETAIL_FIELDS:
        value = fields.get(field)
        holder = reads.id_by_unique(conn, field, value) if value else None
        if value and holder is not None and holder != contact_id:
            # Someone else's address, as far as anyone can tell: keep it as a claim.
            _record_claim(conn, contact_id, field, value, holder, conversation_id, now)
            own[field] = None
    _forget_unproven_changes(conn, contact_id, own)
    writes.apply_fields(conn, contact_id, own, now)
    leads.record_answers(conn, contact_id, channel, conversation_id, fields, now)
    writes.change_lead_status(conn, contact_id, "partial", now, only_from="new")
    return contact_id


def claim_for_lookup(
    conn: Connection,
    channel: Channel,
    external_id: str,
    field: DetailField,
    value: str,
    conversation_id: str,
    now: datetime,
) -> Claim | None:
    """An address named to look up what is held: a claim on the contact that holds it, or
    None, with nothing written, when no other contact does. The address is no lead
    detail: it is not stored on the conversation's contact."""
    holder = reads.id_by_unique(conn, field, value)
    own = reads.id_for_identity(conn, channel, external_id)
    if holder is None or holder == own:
        return None
    contact_id = own or writes.ensure_contact_id(conn, channel, external_id, now)
    _record_claim(conn, contact_id, field, value, holder, conversation_id, now)
    return next(claim for claim in open_claims(conn, contact_id) if claim.value == value)


def withdraw_stated_detail(
    conn: Connection, channel: Channel, external_id: str, field: LeadField, now: datetime
) -> ContactId | None:
    """ "I never gave you a phone": the conversation's own contact forgets that detail
    (a wrong detail is worse than a missing one). None if the identity has no contact."""
    found = reads.id_for_identity(conn, channel, external_id)
    if found is None:
        return None
    contact_id = reads.lock_contact(conn, found)
    cleared: dict[LeadField, str | None] = {field: None}
    _forget_unproven_changes(conn, contact_id, cleared)
    writes.apply_fields(conn, contact_id, cleared, now)
    return contact_id


def open_claims(conn: Connection, contact_id: str) -> list[Claim]:
    """Claims of this contact to details another live contact holds, newest first."""
    c = identity_claims.c
    rows = conn.execute(
        select(identity_claims)
        .where(c.contact_id == contact_id, c.verified_at.is_(None), c.dismissed_at.is_(None))
        .where(c.holder_id.is_not(None))
        .order_by(c.created_at.desc(), c.id.desc())
    ).mappings()
    return [_claim(row) for row in rows]


def possible_duplicates(conn: Connection, contact_id: str) -> list[Claim]:
    """Open claims made by this contact or made on its details by others."""
    c = identity_claims.c
    rows = conn.execute(
        select(identity_claims)
        .where(c.verified_at.is_(None), c.dismissed_at.is_(None), c.holder_id.is_not(None))
        .where((c.contact_id == contact_id) | (c.holder_id == contact_id))
        .order_by(c.created_at, c.id)
    ).mappings()
    return [_claim(row) for row in rows]


def merge_claim(conn: Connection, claim_id: int, now: datetime) -> ContactId | None:
    """Staff judged a possible duplicate to be one person: merge the two contacts."""
    c = identity_claims.c
    row = (
        conn.execute(
            select(identity_claims).where(
                c.id == claim_id, c.verified_at.is_(None), c.dismissed_at.is_(None)
            )
        )
        .mappings()
        .first()
    )
    if row is None or row["holder_id"] is None:
        return None
    conn.execute(update(identity_claims).where(c.id == claim_id).values(verified_at=now))
    survivor = merge(conn, str(row["contact_id"]), str(row["holder_id"]), now)
    writes.add_event(conn, survivor, "duplicate_merged", {"claim_id": claim_id}, now)
    return survivor


def dismiss_claim(conn: Connection, claim_id: int, now: datetime) -> bool:
    c = identity_claims.c
    done = conn.execute(
        update(identity_claims)
        .where(c.id == claim_id, c.dismissed_at.is_(None), c.verified_at.is_(None))
        .values(dismissed_at=now)
    )
    return bool(done.rowcount)


def issue_code(
    conn: Connection,
    contact_id: ContactId,
    conversation_id: str,
    field: DetailField,
    value: str,
    purpose: str,
    now: datetime,
    limits: CodeLimits,
) -> CodeIssue:
    """A new code for `value`, unless this address or conversation had too many lately.

    Earlier unused codes of the conversation stop working: only the newest one counts.
    """
    v = verification_codes.c
    since = now - limits.window
    per_address = _count(conn, and_(v.value == value, v.created_at >= since))
    per_conversation = _count(
        conn, and_(v.conversation_id == conversation_id, v.created_at >= since)
    )
    if per_address >= limits.per_address or per_conversation >= limits.per_conversation:
        return CodeIssue(code=None, expires_at=None, refused="rate_limited")
    conn.execute(
        update(verification_codes)
        .where(v.conversation_id == conversation_id, v.consumed_at.is_(None))
        .values(consumed_at=now)
    )
    code = f"{secrets.randbelow(10**6):06d}"
    salt = secrets.token_hex(16)
    expires_at = now + limits.lifetime
    conn.execute(
        insert(verification_codes).values(
            contact_id=contact_id, conversation_id=conversation_id, field=field, value=value,
            purpose=purpose, salt=salt, code_hash=_digest(salt, code), attempts=0,
            created_at=now, expires_at=expires_at,
        )
    )  # fmt: skip
    writes.add_event(conn, contact_id, "verification_sent", {"field": field}, now)
    return CodeIssue(code=code, expires_at=expires_at, refused=None)


def has_live_code(conn: Connection, conversation_id: str, now: datetime) -> bool:
    v = verification_codes.c
    live = and_(v.conversation_id == conversation_id, v.consumed_at.is_(None), v.expires_at > now)
    return _count(conn, live) > 0


def check_code(
    conn: Connection, conversation_id: str, code: str, now: datetime, max_attempts: int
) -> CodeCheck:
    """Compare `code` with the conversation's newest live code.

    A match proves the address: for an erasure the code belongs to the holder, who is
    returned to be erased; otherwise whoever holds the address is merged into the
    claimant the code belongs to."""
    v = verification_codes.c
    row = (
        conn.execute(
            select(verification_codes)
            .where(v.conversation_id == conversation_id, v.consumed_at.is_(None))
            .order_by(v.created_at.desc(), v.id.desc())
            .limit(1)
            .with_for_update()
        )
        .mappings()
        .first()
    )
    if row is None:
        return CodeCheck("no_code", None, None, None, None)
    contact_id = ContactId(str(row["contact_id"]))
    field = cast(DetailField, row["field"])
    value, purpose = str(row["value"]), str(row["purpose"])
    if row["expires_at"] <= now:
        _consume(conn, row["id"], now)
        return CodeCheck("expired", field, value, purpose, contact_id)
    attempts = int(row["attempts"]) + 1
    matches = hmac.compare_digest(_digest(str(row["salt"]), code), str(row["code_hash"]))
    if not matches:
        locked = attempts >= max_attempts
        changes = {"attempts": attempts, **({"consumed_at": now} if locked else {})}
        conn.execute(update(verification_codes).where(v.id == row["id"]).values(**changes))
        return CodeCheck("locked" if locked else "wrong", field, value, purpose, contact_id)
    _consume(conn, row["id"], now)
    if purpose == "erase":
        return CodeCheck("verified", field, value, purpose, contact_id)
    survivor = prove_detail(conn, contact_id, field, value, "code", now)
    return CodeCheck("verified", field, value, purpose, survivor)


def prove_detail(
    conn: Connection,
    contact_id: ContactId,
    field: DetailField,
    value: str,
    method: str,
    now: datetime,
) -> ContactId:
    """`contact_id` has proven `value`: a contact holding it becomes one with this one."""
    holder = reads.id_by_unique(conn, field, value)
    if holder is not None and holder != contact_id:
        contact_id = merge(conn, contact_id, holder, now)
    row = reads.contact_row(conn, contact_id)
    assert row is not None, contact_id
    if row[field] != value:
        writes.apply_fields(conn, contact_id, {field: value}, now)
    conn.execute(
        update(contacts)
        .where(contacts.c.id == contact_id)
        .values({f"{field}_verified_at": now, "updated_at": now})
    )
    c = identity_claims.c
    conn.execute(
        update(identity_claims)
        .where(c.field == field, c.value == value, c.verified_at.is_(None))
        .where((c.contact_id == contact_id) | (c.holder_id == contact_id))
        .values(verified_at=now)
    )
    writes.add_event(conn, contact_id, "detail_verified", {"field": field, "method": method}, now)
    return contact_id


def is_verified(conn: Connection, contact_id: str, field: DetailField) -> bool:
    row = reads.contact_row(conn, contact_id)
    return bool(row and row[field] and row[f"{field}_verified_at"] is not None)


@dataclass(frozen=True)
class CodeLimits:
    """How long a code lives, how many tries it gets and how many may be sent."""

    lifetime: timedelta = timedelta(minutes=10)
    max_attempts: int = 5
    window: timedelta = timedelta(hours=1)
    per_address: int = 3
    per_conversation: int = 5


def _record_claim(
    conn: Connection,
    contact_id: str,
    field: DetailField,
    value: str,
    holder: str,
    conversation_id: str,
    now: datetime,
) -> None:
    c = identity_claims.c
    known = conn.execute(
        select(c.id).where(c.contact_id == contact_id, c.field == field, c.value == value)
    ).scalar()
    if known is not None:
        conn.execute(
            update(identity_claims).where(c.id == known).values(holder_id=holder, dismissed_at=None)
        )
        return
    conn.execute(
        insert(identity_claims).values(
            contact_id=contact_id, field=field, value=value, holder_id=holder,
            conversation_id=conversation_id, created_at=now,
        )
    )  # fmt: skip
    writes.add_event(conn, contact_id, "possible_duplicate", {"field": field}, now)


def _forget_unproven_changes(
    conn: Connection, contact_id: str, fields: Mapping[LeadField, str | None]
) -> None:
    """A changed email or phone is no longer the one that was proven."""
    row = reads.contact_row(conn, contact_id)
    assert row is not None, contact_id
    stale = {
        f"{field}_verified_at": None
        for field in DETAIL_FIELDS
        if field in fields
        and row[f"{field}_verified_at"] is not None
        and row[field] != fields[field]
    }
    if stale:
        conn.execute(update(contacts).where(contacts.c.id == contact_id).values(stale))


def _claim(row: Mapping[str, object]) -> Claim:
    return Claim(
        id=int(cast(int, row["id"])),
        contact_id=ContactId(str(row["contact_id"])),
        field=cast(DetailField, row["field"]),
        value=str(row["value"]),
        holder_id=ContactId(str(row["holder_id"])) if row["holder_id"] else None,
        conversation_id=str(row["conversation_id"]),
        created_at=cast(datetime, row["created_at"]),
    )


def _count(conn: Connection, condition: object) -> int:
    query = select(func.count()).select_from(verification_codes).where(condition)
    return int(conn.execute(query).scalar() or 0)


def _consume(conn: Connection, code_id: int, now: datetime) -> None:
    v = verification_codes.c
    conn.execute(update(verification_codes).where(v.id == code_id).values(consumed_at=now))


def _digest(salt: str, code: str) -> str:
    return hashlib.sha256(f"{salt}:{code}".encode()).hexdigest()
