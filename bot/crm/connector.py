"""CRM sync: integration events in, each changed lead's current profile out to a CRM.

`sync_due` reads the events after a connector's cursor, collapses them to the contacts
they are about, loads each one's profile, score and consent through the store and
pushes them in batches. The cursor moves past an event only once its contact's batch
has gone through: a CRM that is down or rate-limiting leaves it where it was, and a
later tick (not before the CRM said it may) tries again. A contact the CRM refuses for
itself goes on that contact's timeline and is skipped, so one bad record never holds
back everyone else.

Erasures go first: each erased person's CRM copy is deleted through the CRM's own GDPR
deletion, from a queue the erasure filled (`crm_erasures`, holding the email because the
contact is gone). A CRM that is down stops the round as it does for pushes; one that
refuses a deletion has it retried later, and the email stays queued until it is done.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol

from bot.errors import ContactNotFound, ParleyError
from bot.store import Contact, IntegrationEvent, ProfileStore, ScoreRecord
from bot.store.crm import CrmErasure, redact
from bot.types import ContactId

logger = logging.getLogger(__name__)

SYNC_KINDS = ("lead.captured", "lead.qualified", "consent.changed", "contact.merged")
MAX_BATCH = 100
WINDOW = 1000  # events read per query
QUALIFIED_GRADES = frozenset({"A", "B"})  # the grades the store reports as lead.qualified
CAPTURED_STATUSES = frozenset({"captured", "confirmed", "cancelled"})
REJECTED_EVENT = "crm_rejected"
_LONGEST_WAIT = timedelta(minutes=5)
_LONGEST_REFUSAL_WAIT = timedelta(days=1)


@dataclass(frozen=True)
class CrmContact:
    """What a CRM gets about one lead; `consent` is purpose -> currently granted."""

    contact_id: ContactId
    email: str
    first_name: str | None
    last_name: str | None
    phone: str | None
    company: str | None
    job_title: str | None
    lead_status: str
    score: int | None
    grade: str | None
    stage: str | None
    consent: Mapping[str, bool] = field(default_factory=dict)
    # Custom lead fields (#19): name -> canonical value; each CRM maps what it knows.
    custom: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Rejection:
    contact_id: ContactId
    reason: str


@dataclass(frozen=True)
class PushResult:
    pushed: int
    rejected: tuple[Rejection, ...] = ()


@dataclass
class CrmUnavailable(ParleyError):
    """Nothing was refused for itself (rate limit, outage, bad token): retry the batch,
    not before `retry_after` when the CRM said so."""

    reason: str
    retry_after: timedelta | None = None

    def __str__(self) -> str:
        return self.reason


@dataclass
class BatchRejected(ParleyError):
    """The CRM refused the batch as a whole for something in it (a 4xx)."""

    reason: str

    def __str__(self) -> str:
        return self.reason


class CrmConnector(Protocol):
    """Upserts contacts into one CRM. `push` returns per-contact refusals, raises
    CrmUnavailable to be retried later, or BatchRejected to have the batch split.
    `erase` deletes the CRM's copy of a person for good (nothing there is success),
    raising CrmUnavailable to be retried or BatchRejected when refused."""

    name: str

    def push(self, batch: list[CrmContact]) -> PushResult: ...

    def erase(self, email: str) -> None: ...


@dataclass(frozen=True)
class SyncReport:
    connector: str
    position: int  # the cursor afterwards
    pushed: int = 0
    rejected: tuple[Rejection, ...] = ()
    without_email: tuple[str, ...] = ()  # contact ids: CRMs upsert by email
    erased: int = 0
    not_leads: int = 0
    error: str | None = None
    retry_at: datetime | None = None
    deleted: int = 0  # erased people's copies the CRM deleted
    delete_refused: int = 0  # deletions the CRM refused this time: retried later

    def describe(self) -> str:
        text = (f"{self.connector}: pushed {self.pushed}, rejected {len(self.rejected)}, "
                f"without email {len(self.without_email)}, erased {self.erased}, "
                f"not leads {self.not_leads}, deleted {self.deleted}"
                f"{f' ({self.delete_refused} refused)' if self.delete_refused else ''}; "
                f"cursor at event {self.position}")  # fmt: skip
        if self.error:
            text += f"\nlast error: {self.error}"
        if self.retry_at:
            text += f"\nnext try not before {self.retry_at.isoformat()}"
        return text


@dataclass
class _Tally:
    position: int
    attempts: int = 0  # failures in a row before this run
    pushed: int = 0
    rejected: list[Rejection] = field(default_factory=list)
    without_email: list[str] = field(default_factory=list)
    erased: int = 0
    not_leads: int = 0
    error: str | None = None
    retry_at: datetime | None = None
    deleted: int = 0
    delete_refused: int = 0

    def report(self, connector: str) -> SyncReport:
        return SyncReport(
            connector, self.position, self.pushed, tuple(self.rejected),
            tuple(self.without_email), self.erased, self.not_leads, self.error, self.retry_at,
            self.deleted, self.delete_refused,
        )  # fmt: skip


def sync_due(
    store: ProfileStore, connector: CrmConnector, now: datetime, batch_size: int = MAX_BATCH
) -> SyncReport:
    """Push every lead changed since the connector's cursor, unless the CRM asked to wait."""
    if not 1 <= batch_size <= MAX_BATCH:
        raise ValueError(f"batch_size must be 1 to {MAX_BATCH}, not {batch_size}")
    position = store.integrations.crm_cursor(connector.name)
    events = store.integrations.events_after(position, SYNC_KINDS, WINDOW)
    erasures = store.integrations.due_crm_erasures(connector.name, now)
    if not events and not erasures:
        return SyncReport(connector.name, position)
    failure = store.integrations.crm_failure(connector.name)
    if failure is not None and failure.retry_at is not None and now < failure.retry_at:
        return SyncReport(connector.name, position, error=failure.error, retry_at=failure.retry_at)
    tally = _Tally(position, failure.attempts if failure else 0)
    if not _erase(store, connector, erasures, now, tally):
        return tally.report(connector.name)
    while (
        events
        and _sync_window(store, connector, events, now, batch_size, tally)
        and len(events) == WINDOW
    ):
        events = store.integrations.events_after(tally.position, SYNC_KINDS, WINDOW)
    return tally.report(connector.name)


def _erase(
    store: ProfileStore,
    connector: CrmConnector,
    erasures: list[CrmErasure],
    now: datetime,
    tally: _Tally,
) -> bool:
    """Delete erased people's copies; False when the CRM could not be reached."""
    for job in erasures:
        try:
            connector.erase(job.email)
        except CrmUnavailable as error:
            _failed(store, connector.name, error, now, tally)
            return False
        except BatchRejected as error:
            retry_at = now + refusal_backoff(job.attempts + 1)
            store.integrations.postpone_crm_erasure(job.id, error.reason, retry_at)
            logger.warning(
                "%s refused to delete erased contact %s (try %d), again after %s: %s",
                connector.name,
                job.contact_id,
                job.attempts + 1,
                retry_at.isoformat(),
                redact(error.reason),
            )
            tally.delete_refused += 1
            continue
        store.integrations.finish_crm_erasure(job.id, connector.name, now)
        tally.deleted += 1
    return True


def crm_contact(
    contact: Contact, score: ScoreRecord | None, consent: Mapping[str, bool]
) -> CrmContact:
    assert contact.email is not None
    first, _, last = (contact.name or "").strip().partition(" ")
    return CrmContact(
        contact_id=contact.id, email=contact.email, first_name=first or None,
        last_name=last.strip() or None, phone=contact.phone, company=contact.company,
        job_title=contact.role, lead_status=contact.lead_status,
        score=score.score if score else None, grade=score.grade if score else None,
        stage=score.stage if score else None, consent=dict(consent),
        custom=dict(contact.fields),
    )  # fmt: skip


def _sync_window(
    store: ProfileStore,
    connector: CrmConnector,
    events: list[IntegrationEvent],
    now: datetime,
    size: int,
    tally: _Tally,
) -> bool:
    """False when the CRM could not take a batch: the cursor stays before it."""
    first_events: dict[ContactId, int] = {}  # each contact once, by its first event here
    for event in events:
        first_events.setdefault(event.contact_id, event.id)
    queue, seen = list(first_events.items()), set[str]()
    while queue:
        batch = _next_batch(store, queue, size, seen, tally)
        try:
            if batch:
                _push(store, connector, [contact for _, contact in batch], now, tally)
        except CrmUnavailable as error:
            _advance(store, connector.name, batch[0][0] - 1, now, tally)
            _failed(store, connector.name, error, now, tally)
            return False
        _advance(store, connector.name, queue[0][1] - 1 if queue else events[-1].id, now, tally)
    return True


def _next_batch(
    store: ProfileStore,
    queue: list[tuple[ContactId, int]],
    size: int,
    seen: set[str],
    tally: _Tally,
) -> list[tuple[int, CrmContact]]:
    """Profiles loaded just before their push, so an erasure meanwhile is respected."""
    batch: list[tuple[int, CrmContact]] = []
    while queue and len(batch) < size:
        contact_id, first = queue.pop(0)
        loaded = _load(store, contact_id, tally)
        # Contacts merged since their events resolve to one id and one email.
        if loaded is not None and not {loaded.contact_id, loaded.email} & seen:
            seen.update((loaded.contact_id, loaded.email))
            batch.append((first, loaded))
    return batch


def _load(store: ProfileStore, contact_id: ContactId, tally: _Tally) -> CrmContact | None:
    try:
        contact = store.contacts.get(contact_id)
        score = store.leads.latest_score(contact.id)
        state = store.consent.state(contact.id)
        consent: dict[str, bool] = {purpose: event.in_force for purpose, event in state.items()}
    except ContactNotFound:
        tally.erased += 1
        return None
    if not contact.email:
        tally.without_email.append(contact.id)
        return None
    if contact.lead_status not in CAPTURED_STATUSES and (
        score is None or score.grade not in QUALIFIED_GRADES
    ):
        tally.not_leads += 1
        return None
    return crm_contact(contact, score, consent)


def _push(
    store: ProfileStore,
    connector: CrmConnector,
    batch: list[CrmContact],
    now: datetime,
    tally: _Tally,
) -> None:
    """Push a batch; one refused as a whole is halved until the culprits stand alone."""
    try:
        result = connector.push(batch)
    except BatchRejected as error:
        if len(batch) == 1:
            _reject(store, connector.name, Rejection(batch[0].contact_id, error.reason), now, tally)
            return
        half = len(batch) // 2
        _push(store, connector, batch[:half], now, tally)
        _push(store, connector, batch[half:], now, tally)
        return
    tally.pushed += result.pushed
    for rejection in result.rejected:
        _reject(store, connector.name, rejection, now, tally)
    _undo_erased(store, connector.name, batch, now)


def _undo_erased(
    store: ProfileStore, connector: str, batch: list[CrmContact], now: datetime
) -> None:
    """A contact erased between its load and its push has just been copied to the CRM
    after its erasure queued the deletion (or before any sync made one): queue it again."""
    for contact_id in store.integrations.contacts_gone([contact.contact_id for contact in batch]):
        email = next(c.email for c in batch if c.contact_id == contact_id)
        store.integrations.queue_crm_erasure(connector, contact_id, email, now)


def _reject(
    store: ProfileStore, connector: str, rejection: Rejection, now: datetime, tally: _Tally
) -> None:
    logger.warning("%s refused contact %s: %s", connector, rejection.contact_id, rejection.reason)
    tally.rejected.append(rejection)
    details = {"connector": connector, "reason": rejection.reason}
    with contextlib.suppress(ContactNotFound):  # erased meanwhile: nowhere to note it
        store.contacts.record_event(rejection.contact_id, REJECTED_EVENT, details, now)


def _advance(
    store: ProfileStore, connector: str, position: int, now: datetime, tally: _Tally
) -> None:
    if position > tally.position:
        store.integrations.move_crm_cursor(connector, position, now)
        tally.position = position


def _failed(
    store: ProfileStore, connector: str, error: CrmUnavailable, now: datetime, tally: _Tally
) -> None:
    attempts = tally.attempts + 1
    retry_at = now + (error.retry_after or backoff(attempts))
    failure = store.integrations.record_crm_failure(
        connector, error.reason, attempts=attempts, retry_at=retry_at, now=now
    )
    logger.warning(
        "%s sync stopped (try %d), again after %s: %s",
        connector,
        attempts,
        retry_at.isoformat(),
        failure.error,
    )
    tally.error, tally.retry_at = failure.error, retry_at


def refusal_backoff(attempts: int) -> timedelta:
    """A refused deletion waits longer (a minute, doubling, up to a day): it needs a
    person to look, and the erased email stays queued until it goes through."""
    return min(timedelta(minutes=2 ** min(attempts - 1, 16)), _LONGEST_REFUSAL_WAIT)


def backoff(attempts: int) -> timedelta:
    """2 s, 4 s, 8 s, ... up to five minutes: a tick is a second, an outage can be long."""
    return min(timedelta(seconds=2 ** min(attempts, 16)), _LONGEST_WAIT)
