"""Campaign results per step, variant and channel, with last-touch attribution.

A reply, a conversion or an opt-out is credited to the enrollment's last message that
went out (its step, variant and channel); one that came before any message was sent is
credited to the campaign as a whole ("-").

Sales won are counted apart from the campaign's own goal: an enrolled contact whose
current outcome (recorded in the studio, by the API, the CLI or from HubSpot) is won,
closed at or after the enrollment, with the value won per currency. Where the campaign
has a cost (`cost_per_send`), the cost per converted lead and per sale won go with them.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from bot.store import CampaignSend, Enrollment, ProfileStore
from campaigns.definitions import Campaign

Key = tuple[str, str, str]  # step, variant, channel
NO_TOUCH: Key = ("-", "-", "-")
OUTCOMES = ("replied", "converted", "opted_out")


@dataclass
class Line:
    sent: int = 0
    delivered: int = 0
    failed: int = 0
    uncertain: int = 0
    pending: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    outcomes: Counter[str] = field(default_factory=Counter)


@dataclass
class Results:
    campaign: str
    enrolled: int
    statuses: Counter[str]
    lines: dict[Key, Line]
    cost: float | None
    won: int = 0  # enrolled contacts whose current outcome is won, since they enrolled
    won_value: dict[str, Decimal] = field(default_factory=dict)  # currency -> value won

    @property
    def converted(self) -> int:
        return sum(line.outcomes["converted"] for line in self.lines.values())

    @property
    def cost_per_converted(self) -> float | None:
        """None without a cost or without a conversion."""
        return None if self.cost is None or not self.converted else self.cost / self.converted

    @property
    def cost_per_won(self) -> float | None:
        return None if self.cost is None or not self.won else self.cost / self.won

    def render(self) -> str:
        out = [
            f"campaign {self.campaign}: {self.enrolled} enrolled "
            f"({', '.join(f'{n} {s}' for s, n in sorted(self.statuses.items())) or 'none'})"
        ]
        out.append(
            f"  {'step':<16} {'variant':<8} {'channel':<9} {'sent':>5} {'deliv':>5} "
            f"{'failed':>6} {'skipped':>7} {'replied':>7} {'conv':>5} {'optout':>6}"
        )
        for (step, variant, channel), line in sorted(self.lines.items()):
            out.append(
                f"  {step:<16} {variant:<8} {channel:<9} {line.sent:>5} {line.delivered:>5} "
                f"{line.failed:>6} {sum(line.skipped.values()):>7} {line.outcomes['replied']:>7} "
                f"{line.outcomes['converted']:>5} {line.outcomes['opted_out']:>6}"
            )
            for reason, n in sorted(line.skipped.items()):
                out.append(f"      skipped {n}: {reason}")
            if line.uncertain or line.pending:
                out.append(
                    f"      {line.pending} waiting to send, {line.uncertain} uncertain "
                    "(a worker stopped mid-send; not resent)"
                )
        value = ", ".join(f"{amount:.2f} {code}" for code, amount in sorted(self.won_value.items()))
        out.append(
            f"  converted {self.converted}; sales won {self.won}{f' ({value})' if value else ''}"
        )
        if self.cost is not None:
            per_lead = _per(self.cost_per_converted, "n/a (no conversions)")
            per_sale = _per(self.cost_per_won, "n/a (no sales won)")
            out.append(
                f"  cost {self.cost:.2f}; cost per converted lead {per_lead}; "
                f"cost per sale won {per_sale}"
            )
        return "\n".join(out)


def _per(amount: float | None, otherwise: str) -> str:
    return otherwise if amount is None else f"{amount:.2f}"


def campaign_results(
    store: ProfileStore, name: str, campaign: Campaign | None, now: datetime
) -> Results:
    sends = store.campaigns.sends(name)
    enrollments = store.campaigns.enrollments(name)
    lines: dict[Key, Line] = defaultdict(Line)
    for send in sends:
        _count(lines[_key(send)], send)
    _add_deliveries(store, name, lines)
    last_touch = _last_touches(sends)
    for enrollment in enrollments:
        if enrollment.exit_reason in OUTCOMES:
            key = last_touch.get(enrollment.id, NO_TOUCH)
            lines[key].outcomes[enrollment.exit_reason] += 1
    won, won_value = _sales_won(store, enrollments)
    return Results(
        campaign=name,
        enrolled=len(enrollments),
        statuses=Counter(e.status for e in enrollments),
        lines=dict(lines),
        cost=_cost(campaign, sends),
        won=won,
        won_value=won_value,
    )


def _sales_won(
    store: ProfileStore, enrollments: list[Enrollment]
) -> tuple[int, dict[str, Decimal]]:
    if not enrollments:
        return 0, {}
    enrolled = {e.contact_id: e.enrolled_at for e in enrollments}
    won, value = 0, defaultdict[str, Decimal](Decimal)
    for outcome in store.leads.outcomes():
        since = enrolled.get(outcome.contact_id)
        if outcome.outcome != "won" or since is None or outcome.occurred_at < since:
            continue
        won += 1
        if outcome.value is not None and outcome.currency is not None:
            value[outcome.currency] += outcome.value
    return won, dict(value)


def _key(send: CampaignSend) -> Key:
    return send.step, send.variant, send.channel or "-"


def _count(line: Line, send: CampaignSend) -> None:
    if send.status == "sent":
        line.sent += 1
    elif send.status == "failed":
        line.failed += 1
    elif send.status == "skipped":
        line.skipped[send.reason or "unknown"] += 1
    elif send.status == "uncertain":
        line.uncertain += 1
    else:
        line.pending += 1


def _add_deliveries(store: ProfileStore, name: str, lines: dict[Key, Line]) -> None:
    """Twilio confirms delivery in status callbacks; Telegram and SMTP accept messages
    synchronously, so a sent message there counts as delivered."""
    for row in store.campaigns.send_stats(name):
        if row.status != "sent":
            continue
        key = (row.step, row.variant, row.channel or "-")
        lines[key].delivered += row.count if row.channel in ("telegram", "email") else row.delivered


def _last_touches(sends: list[CampaignSend]) -> dict[int, Key]:
    latest: dict[int, CampaignSend] = {}
    for send in sends:
        if send.status != "sent" or send.sent_at is None:
            continue
        known = latest.get(send.enrollment_id)
        if known is None or (known.sent_at or send.sent_at) <= send.sent_at:
            latest[send.enrollment_id] = send
    return {enrollment: _key(send) for enrollment, send in latest.items()}


def _cost(campaign: Campaign | None, sends: list[CampaignSend]) -> float | None:
    if campaign is None or not campaign.cost_per_send:
        return None
    return sum(
        campaign.cost_per_send.get(s.channel or "", 0.0) for s in sends if s.status == "sent"
    )
