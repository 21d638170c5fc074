"""Realistic synthetic sales history for demos, tests and the CI audit.

Deterministic for a seed. Each synthetic lead has a role, qualification answers, a
channel, a phone number in one of several countries, engagement spread over the past
months and an outcome drawn from a hidden propensity that depends on fit and engagement
only (never on channel or country), with noise, as real pipelines look.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.store import ProfileStore
from bot.types import Channel, LeadField

SYNTHETIC_DOMAIN = "synthetic.parley.invalid"
_FIRST = ("Ana", "Ben", "Chen", "Dana", "Eli", "Fatima", "Gus", "Hana", "Ivan", "Jo", "Kofi",
          "Lena", "Mateo", "Nia", "Omar", "Priya", "Quinn", "Rosa", "Sam", "Tariq", "Uma", "Vik")  # fmt: skip
_LAST = ("Reyes", "Smith", "Okafor", "Nguyen", "Schmidt", "Rossi", "Tanaka", "Silva", "Khan",
         "Novak", "Haddad", "Larsen", "Moreau", "Ivanova", "Costa", "Park")  # fmt: skip
_ROLES = (
    ("CEO", 0.08),
    ("Founder", 0.06),
    ("VP of Marketing", 0.08),
    ("Head of Growth", 0.1),
    ("Marketing Director", 0.1),
    ("Marketing Manager", 0.2),
    ("Growth Lead", 0.08),
    ("Marketing Coordinator", 0.12),
    ("Intern", 0.06),
    ("Student", 0.04),
    ("Consultant", 0.08),
)
_SENIORITY = {"CEO": 2, "Founder": 2, "VP of Marketing": 2, "Head of Growth": 2,
              "Marketing Director": 2, "Marketing Manager": 1, "Growth Lead": 1}  # fmt: skip
# Prefixes of valid numbers (phonenumbers agrees) and how many digits follow, per
# country, in rough proportion to real traffic.
_PHONES = (
    ("+14152|6", 0.4),
    ("+442034|6", 0.2),
    ("+4930123|5", 0.15),
    ("+331428|5", 0.1),
    ("+612912|5", 0.1),
    ("+9198123|5", 0.05),
)
_CHANNELS: tuple[tuple[Channel, float], ...] = (
    ("web", 0.45),
    ("sms", 0.2),
    ("whatsapp", 0.15),
    ("telegram", 0.1),
    ("voice", 0.1),
)
_SIZES = (("1-10", 0.3), ("11-50", 0.3), ("51-200", 0.2), ("201-1000", 0.12), ("1000+", 0.08))
_SIZE_RANK = {"1-10": 0, "11-50": 1, "51-200": 2, "201-1000": 3, "1000+": 3}


@dataclass(frozen=True)
class SyntheticReport:
    contacts: int
    won: int
    lost: int


def _pick(rng: random.Random, weighted: tuple[tuple[str, float], ...]) -> str:
    return rng.choices([v for v, _ in weighted], weights=[w for _, w in weighted])[0]


def generate(store: ProfileStore, count: int, seed: int, now: datetime) -> SyntheticReport:
    rng = random.Random(seed)
    won = 0
    for index in range(count):
        size = _pick(rng, _SIZES)
        role = _pick(rng, _ROLES)
        seniority = _SENIORITY.get(role, 0)
        authority = rng.choices(
            ("decides", "influences", "researching"),
            weights=((1, 2, 3), (2, 4, 2), (5, 3, 1))[seniority],
        )[0]
        budget = rng.choices(
            ("under_1k", "1k_10k", "10k_50k", "over_50k"),
            weights=((6, 3, 1, 0.2), (2, 5, 2, 0.5), (1, 3, 4, 1), (0.5, 2, 4, 3))[
                _SIZE_RANK[size]
            ],
        )[0]
        timeline = rng.choices(("now", "quarter", "year", "later"), weights=(2, 3, 3, 2))[0]
        channel: Channel = rng.choices(
            [c for c, _ in _CHANNELS], weights=[w for _, w in _CHANNELS]
        )[0]
        prefix, digits = _pick(rng, _PHONES).split("|")
        phone = f"{prefix}{index % 10 ** int(digits):0{digits}d}"
        name = f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"
        email = f"lead{seed}-{index}@{SYNTHETIC_DOMAIN}"
        external = phone if channel in ("sms", "whatsapp", "voice") else f"synthetic-{seed}-{index}"
        created = now - timedelta(days=rng.uniform(5, 180))
        fields: dict[LeadField, str] = {
            "name": name,
            "email": email,
            "phone": phone,
            "role": role,
            "company": f"Synth Co {index}",
        }
        contact = store.leads.update_fields(channel, external, fields, external, now=created)
        if channel not in ("sms", "whatsapp", "voice") and rng.random() < 0.6:
            contact = store.contacts.link_identity(contact.id, "sms", phone, now=created)
        answers = {
            "company_size": size,
            "authority": authority,
            "budget": budget,
            "timeline": timeline,
        }
        store.leads.record_qualification(
            contact.id, answers, channel=channel, conversation_id=external, now=created
        )
        engagement = 0.0
        for kind, chance in (
            ("asked_pricing", 0.45),
            ("requested_demo", 0.35),
            ("replied_to_followup", 0.3),
        ):
            if rng.random() < chance * (0.6 + 0.4 * seniority / 2):
                store.contacts.record_event(
                    contact.id,
                    kind,
                    {"synthetic": True},
                    now=created + timedelta(days=rng.uniform(0, 4)),
                )
                engagement += 1
        propensity = _propensity(size, authority, budget, timeline, seniority, engagement)
        outcome_won = rng.random() < propensity
        won += outcome_won
        closed = created + timedelta(days=rng.uniform(7, 60))
        store.leads.record_outcome(
            contact.id,
            "won" if outcome_won else "lost",
            source="synthetic",
            recorded_by="synthetic",
            occurred_at=closed,
            now=closed,
        )
    return SyntheticReport(count, won, count - won)


def _propensity(
    size: str, authority: str, budget: str, timeline: str, seniority: int, engagement: float
) -> float:
    logit = -3.2
    logit += {"under_1k": 0.0, "1k_10k": 0.7, "10k_50k": 1.4, "over_50k": 1.9}[budget]
    logit += {"decides": 1.2, "influences": 0.6, "researching": -0.4}[authority]
    logit += {"now": 1.1, "quarter": 0.7, "year": 0.1, "later": -0.6}[timeline]
    logit += 0.25 * _SIZE_RANK[size] + 0.3 * seniority + 0.45 * engagement
    return 1 / (1 + math.exp(-logit))
