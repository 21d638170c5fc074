"""A real store (SQLite, and PostgreSQL where marked), real campaign definitions, and a
recording sender standing in for the providers behind the `Sender` interface."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.settings import Settings, load_settings
from bot.store import Contact, ProfileStore
from campaigns.definitions import Campaign, parse_campaign
from campaigns.dispatch import Dispatcher, RateLimiter
from campaigns.steps import Engine, advance
from campaigns.triggers import plan
from campaigns.worker import limits_of
from senders.interface import OutboundMessage, SendFailed, SendReceipt
from tests.store.conftest import engine, pg_schema, store  # noqa: F401 (fixtures)

# 17:00 UTC is 09:00 in San Francisco and 12:00 in New York: inside quiet hours' window.
NOON = datetime(2026, 3, 3, 17, 0, tzinfo=timezone.utc)
SF_PHONE = "+14155550123"


@dataclass
class RecordingSender:
    """Accepts every message (or fails as scripted) and remembers what it was given."""

    channel: str
    sent: list[OutboundMessage] = field(default_factory=list)
    failures: list[SendFailed] = field(default_factory=list)

    async def send(self, message: OutboundMessage) -> SendReceipt:
        if self.failures:
            raise self.failures.pop(0)
        self.sent.append(message)
        return SendReceipt(f"{self.channel}-{len(self.sent)}")

    async def close(self) -> None:
        return None


@dataclass
class Clock:
    now: datetime = NOON

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


def settings_for(tmp_path: Path, **env: str) -> Settings:
    environ = {
        "PARLEY_DATA_DIR": str(tmp_path / "var"),
        "PARLEY_COMPANY_NAME": "Acme",
        "PARLEY_PUBLIC_URL": "https://bot.example.test",
        **env,
    }
    return load_settings(environ=environ, dotenv=tmp_path / "none.env")


def campaign_from(text: str) -> Campaign:
    return parse_campaign(yaml.safe_load(text), "test.yml")


@dataclass
class Harness:
    store: ProfileStore
    settings: Settings
    campaigns: dict[str, Campaign]
    senders: dict[str, RecordingSender]
    clock: Clock
    intents: dict[str, str] = field(default_factory=dict)

    @property
    def engine(self) -> Engine:
        def latest_intent(snapshot: Any, since: datetime) -> str | None:
            return self.intents.get(snapshot.contact.id)

        return Engine(
            self.store, self.campaigns, self.settings, limits_of(self.settings), latest_intent
        )

    def dispatcher(self) -> Dispatcher:
        limiter = RateLimiter({c: 10_000.0 for c in ("sms", "whatsapp", "telegram", "email")})
        return Dispatcher(self.engine, self.senders, limiter, self.clock)

    def tick(self) -> dict[str, int]:
        """One worker round at the clock's time: plan, advance, dispatch."""
        now = self.clock()
        plan(self.store, self.campaigns.values(), now)
        advance(self.engine, now)
        return asyncio.run(self.dispatcher().run_once()).counts

    def sent(self, channel: str) -> list[OutboundMessage]:
        return self.senders[channel].sent

    def all_sent(self) -> list[OutboundMessage]:
        return [m for s in self.senders.values() for m in s.sent]


@pytest.fixture
def harness_factory(store: ProfileStore, tmp_path: Path) -> Iterator[Callable[..., Harness]]:  # noqa: F811
    def make(*campaign_texts: str, **env: str) -> Harness:
        campaigns = {c.name: c for c in (campaign_from(t) for t in campaign_texts)}
        senders = {c: RecordingSender(c) for c in ("sms", "whatsapp", "telegram", "email")}
        for name in campaigns:  # as the worker does when it starts
            store.campaigns.state(name, NOON)
        return Harness(store, settings_for(tmp_path, **env), campaigns, senders, Clock())

    yield make


def lead(
    db: ProfileStore,
    *,
    channel: str = "sms",
    external_id: str = SF_PHONE,
    name: str = "Dana Reyes",
    phone: str | None = SF_PHONE,
    email: str | None = None,
    consent: tuple[str, ...] = ("sms",),
    at: datetime = NOON,
) -> Contact:
    """A contact as a conversation leaves one: identity, fields, consent, captured lead."""
    fields = {"name": name}
    if phone:
        fields["phone"] = phone
    if email:
        fields["email"] = email
    contact = db.leads.update_fields(channel, external_id, fields, f"conv-{external_id}", now=at)  # type: ignore[arg-type]
    for purpose in consent:
        grant(db, contact.id, purpose, True, at)
    return db.leads.set_status(contact.id, "captured", f"conv-{external_id}", now=at)


def grant(db: ProfileStore, contact_id: str, purpose: str, granted: bool, at: datetime) -> None:
    db.consent.record(
        contact_id, purpose, granted, channel="sms",  # type: ignore[arg-type]
        wording=f"May we contact you by {purpose}?", wording_version="test-1",
        source="conversation", evidence={"conversation_id": "test"}, now=at,
    )  # fmt: skip
