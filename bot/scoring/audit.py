"""Fairness audit: do grades differ across channel, country, company size and the
answers to the qualifying questions a marketer added?

For each attribute the audit reports, per group, how many leads it has, their grade
distribution and the selection rate (the share graded A or B, the ones a person or a
campaign follows up). Each group's rate is divided by the best group's rate; a ratio
under 0.8 is flagged (the "four-fifths rule" of US employment-selection guidance, used
here as a screening signal). Groups smaller than `min_group` are shown but not flagged:
their rates are noise.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from bot.phone_places import country_of
from bot.store import ProfileStore

SELECTED_GRADES = frozenset({"A", "B"})
FOUR_FIFTHS = 0.8
ATTRIBUTES = ("channel", "country", "company_size")


@dataclass(frozen=True)
class AuditRow:
    grade: str
    channel: str
    country: str
    company_size: str
    # Answers to custom qualifying questions, by question id.
    answers: Mapping[str, str] = field(default_factory=dict)

    def value(self, attribute: str) -> str:
        if attribute in ATTRIBUTES:
            return str(getattr(self, attribute))
        return self.answers.get(attribute, "unknown")


@dataclass(frozen=True)
class Group:
    attribute: str
    value: str
    count: int
    grades: dict[str, int]
    selection_rate: float
    ratio: float
    flagged: bool


@dataclass(frozen=True)
class AuditReport:
    total: int
    groups: tuple[Group, ...]

    @property
    def flagged(self) -> tuple[Group, ...]:
        return tuple(g for g in self.groups if g.flagged)


def audit(rows: Sequence[AuditRow], min_group: int = 30, custom: Sequence[str] = ()) -> AuditReport:
    """`custom`: the ids of the custom questions whose answers are audited too."""
    groups: list[Group] = []
    for attribute in (*ATTRIBUTES, *custom):
        by_value: dict[str, list[AuditRow]] = {}
        for row in rows:
            by_value.setdefault(row.value(attribute), []).append(row)
        rates = {v: _rate(members) for v, members in by_value.items()}
        eligible = [rates[v] for v, members in by_value.items() if len(members) >= min_group]
        best = max(eligible or rates.values() or [0.0])
        for value in sorted(by_value):
            members = by_value[value]
            ratio = rates[value] / best if best else 1.0
            groups.append(
                Group(
                    attribute=attribute,
                    value=value,
                    count=len(members),
                    grades={g: sum(1 for m in members if m.grade == g) for g in "ABCD"},
                    selection_rate=rates[value],
                    ratio=ratio,
                    flagged=len(members) >= min_group and ratio < FOUR_FIFTHS,
                )
            )
    return AuditReport(len(rows), tuple(groups))


def _rate(members: Sequence[AuditRow]) -> float:
    return sum(1 for m in members if m.grade in SELECTED_GRADES) / len(members)


def collect(store: ProfileStore, custom: Sequence[str] = ()) -> Iterable[AuditRow]:
    """One row per scored contact: its latest grade and the audited attributes (with the
    answers to the custom questions `custom`)."""
    for contact in store.contacts.iterate():
        latest = store.leads.latest_score(contact.id)
        if latest is None:
            continue
        channel = contact.channels[0].channel if contact.channels else "unknown"
        answers = store.leads.qualification(contact.id)
        size = answers.get("company_size", "unknown")
        country = country_of(contact.phone) or "unknown"
        mine = {question: answers[question] for question in custom if question in answers}
        yield AuditRow(latest.grade, channel, country, size, mine)
