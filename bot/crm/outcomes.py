"""Outcomes from the CRM (#20): closed deals pulled back as won or lost.

The sync is two-way for outcomes only: leads go out (`bot.crm.connector`), and deals
that reached a stage the settings map to won or lost come back as each associated
contact's outcome (source `hubspot`, matched by email). `pull_outcomes` reads the deals
modified since the last pull, oldest first, a page at a time, and moves its mark past a
page only once every deal on it is recorded. Each version of a deal (its id and
last-modified time, the outcome's `external_ref`) is recorded once, however often it is
read; a deal moved from won to lost and back is each time a new outcome. A CRM that is
down or refuses the query is asked again after a growing pause, never more often.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from typing import Protocol

from bot.crm.connector import BatchRejected, CrmUnavailable, backoff
from bot.errors import ContactNotFound, InvalidField
from bot.store import ProfileStore
from bot.types import ContactId

logger = logging.getLogger(__name__)

MAX_PAGES = 10  # a round reads at most this many pages of deals
PULL_EVERY = timedelta(minutes=1)  # how often the campaign worker pulls
SOURCE = "hubspot"
LONGEST_REASON = 500


@dataclass(frozen=True)
class ClosedDeal:
    """A deal in a won or lost stage, as the CRM has it now."""

    deal_id: str
    outcome: str  # won or lost, by the stage mapping
    emails: tuple[str, ...]  # of its associated contacts
    amount: str | None  # as the CRM gives it
    currency: str | None
    reason: str | None
    closed_at: datetime | None
    modified_at: datetime

    @property
    def ref(self) -> str:
        """This version of the deal: its id and last-modified time (ms)."""
        return f"{self.deal_id}@{int(self.modified_at.timestamp() * 1000)}"


@dataclass(frozen=True)
class DealPage:
    deals: list[ClosedDeal]
    after: str | None  # the next page of the same query, or None: the last


class OutcomeConnector(Protocol):
    """Reads closed deals modified at or after `modified_since` (None: all), oldest
    first; `after` continues a query. Raises CrmUnavailable or BatchRejected."""

    name: str

    def closed_deals(self, modified_since: datetime | None, after: str | None) -> DealPage: ...


@dataclass
class PullReport:
    connector: str
    recorded: int = 0  # outcomes recorded
    unchanged: int = 0  # deals already recorded as they are
    unmatched: int = 0  # deals with no associated contact Parley knows by email
    refused: list[str] = field(default_factory=list)  # deal ids whose outcome was unusable
    modified_since: datetime | None = None  # the mark afterwards
    error: str | None = None
    retry_at: datetime | None = None

    def describe(self) -> str:
        mark = self.modified_since.isoformat() if self.modified_since else "none yet"
        text = (
            f"{self.connector}: recorded {self.recorded} outcomes, unchanged "
            f"{self.unchanged}, no known contact {self.unmatched}, refused {len(self.refused)}; "
            f"read up to {mark}"
        )
        if self.refused:
            text += f"\nrefused deals: {', '.join(self.refused)}"
        if self.error:
            text += f"\nlast error: {self.error}"
        if self.retry_at:
            text += f"\nnext try not before {self.retry_at.isoformat()}"
        return text


def pull_name(connector: OutcomeConnector) -> str:
    return f"{connector.name}.deals"


def pull_outcomes(
    store: ProfileStore, connector: OutcomeConnector, now: datetime, max_pages: int = MAX_PAGES
) -> PullReport:
    """One round: closed deals modified since the last one become outcomes."""
    name = pull_name(connector)
    state = store.integrations.crm_pull(name)
    report = PullReport(name, modified_since=state.modified_since)
    if state.retry_at is not None and now < state.retry_at:
        report.error, report.retry_at = state.last_error, state.retry_at
        return report
    after: str | None = None
    for _ in range(max_pages):
        try:
            page = connector.closed_deals(state.modified_since, after)
        except (CrmUnavailable, BatchRejected) as error:
            wait = error.retry_after if isinstance(error, CrmUnavailable) else None
            retry_at = now + (wait or backoff(state.attempts + 1))
            store.integrations.finish_crm_pull(name, report.modified_since, now)
            failed = store.integrations.record_crm_pull_failure(
                name, str(error), retry_at=retry_at, now=now
            )
            logger.warning("%s pull stopped, again after %s: %s", name, retry_at, failed.last_error)
            report.error, report.retry_at = failed.last_error, retry_at
            return report
        _record_page(store, page.deals, now, report)
        if page.after is None:
            break
        after = page.after
    store.integrations.finish_crm_pull(name, report.modified_since, now)
    return report


def _record_page(
    store: ProfileStore, deals: list[ClosedDeal], now: datetime, report: PullReport
) -> None:
    known = store.leads.recorded_refs(SOURCE, [deal.ref for deal in deals])
    for deal in deals:
        if report.modified_since is None or deal.modified_at > report.modified_since:
            report.modified_since = deal.modified_at
        if (deal.ref, deal.outcome) in known:
            report.unchanged += 1
            continue
        contact_ids = _contacts_of(store, deal)
        if not contact_ids:
            report.unmatched += 1
            continue
        try:
            value = _amount(deal.amount)
            for contact_id in contact_ids:
                _, new = store.leads.record_outcome(
                    contact_id,
                    deal.outcome,
                    source=SOURCE,
                    recorded_by=SOURCE,
                    value=value,
                    currency=deal.currency if value is not None else None,
                    reason=(deal.reason or "").strip()[:LONGEST_REASON] or None,
                    external_ref=deal.ref,
                    occurred_at=min(deal.closed_at or deal.modified_at, now),
                    now=now,
                )
                report.recorded += new
                report.unchanged += not new
        except InvalidField as error:
            logger.warning("deal %s not recorded as an outcome: %s", deal.deal_id, error)
            report.refused.append(deal.deal_id)
        except ContactNotFound:  # erased since it was found
            report.unmatched += 1


def _contacts_of(store: ProfileStore, deal: ClosedDeal) -> list[ContactId]:
    found: dict[ContactId, None] = {}
    for email in deal.emails:
        contact = store.contacts.find(email.strip())
        if contact is not None:
            found[contact.id] = None
    return list(found)


def _amount(raw: str | None) -> Decimal | None:
    """A CRM amount ("12500", "99.999", "1234.5678"), to the thousandth; None if empty."""
    if raw is None or not raw.strip():
        return None
    try:
        value = Decimal(raw.strip())
    except InvalidOperation:
        raise InvalidField("value", f"{raw!r} is not a number") from None
    if not value.is_finite():
        raise InvalidField("value", f"{raw!r} is not a number")
    return value.quantize(Decimal("0.001"), rounding=ROUND_HALF_EVEN)
