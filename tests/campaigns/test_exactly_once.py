"""Two workers on PostgreSQL send each message once; no send ever lacks consent."""

from __future__ import annotations

import asyncio
import itertools
import threading
from collections import Counter
from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.engine import Engine as DbEngine

from bot.store import ProfileStore
from campaigns.dispatch import Dispatcher, RateLimiter
from campaigns.steps import Engine, advance
from campaigns.triggers import enroll_manually
from tests.campaigns.conftest import NOON, Harness, RecordingSender, grant, lead
from tests.store.conftest import pg_engine

Factory = Callable[..., Harness]

BLAST = """
name: blast
trigger: {event: manual}
steps:
  - id: hello
    send:
      channels: [sms, email, telegram, whatsapp]
      message:
        text: "Hello {{ first_name | default('there') }}"
        email: {subject: "Hello", body: "Hello"}
"""
_numbers = itertools.count(1000)


@pytest.mark.postgres
def test_two_workers_on_postgres_send_each_message_once(
    engine: DbEngine, harness_factory: Factory, request: pytest.FixtureRequest
) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("the race needs PostgreSQL's row locks")
    h = harness_factory(BLAST)
    ids = [
        lead(h.store, external_id=p, phone=p).id
        for p in (f"+1415555{n:04d}" for n in range(2000, 2120))
    ]
    enroll_manually(h.store, h.campaigns["blast"], ids, NOON)
    while advance(h.engine, NOON, limit=500):
        pass
    received: list[RecordingSender] = []
    errors: list[BaseException] = []
    schema = request.getfixturevalue("pg_schema")

    def worker() -> None:
        own = ProfileStore(pg_engine(schema))  # its own pool, like another process
        try:
            engine_ = Engine(own, h.campaigns, h.settings, h.engine.limits, h.engine.latest_intent)
            sender = RecordingSender("sms")
            received.append(sender)
            limiter = RateLimiter({"sms": 100_000.0})
            dispatcher = Dispatcher(engine_, {"sms": sender}, limiter, h.clock)
            for _ in range(20):
                asyncio.run(dispatcher.run_once(limit=7))
        except BaseException as error:  # surfaced below: a thread's failure must fail the test
            errors.append(error)
        finally:
            own.dispose()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert not errors, errors
    per_number = Counter(m.to for s in received for m in s.sent)
    assert all(s.sent for s in received), "both workers should have sent some"
    assert len(per_number) == 120
    assert set(per_number.values()) == {1}
    assert all(s.status == "sent" for s in h.store.campaigns.sends("blast"))


CHANNELS = ("sms", "email", "telegram", "whatsapp")


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    granted=st.sets(st.sampled_from(CHANNELS)),
    withdrawn=st.sets(st.sampled_from(CHANNELS)),
    blocked=st.sets(st.sampled_from(CHANNELS)),
    has_email=st.booleans(),
    on_telegram=st.booleans(),
    order=st.permutations(CHANNELS),
)
def test_no_send_ever_happens_without_consent(
    engine: DbEngine,
    harness_factory: Factory,
    granted: set[str],
    withdrawn: set[str],
    blocked: set[str],
    has_email: bool,
    on_telegram: bool,
    order: list[str],
) -> None:
    if engine.dialect.name != "sqlite":
        pytest.skip("one backend is enough for the property; PostgreSQL runs the race")
    campaign = BLAST.replace("[sms, email, telegram, whatsapp]", f"[{', '.join(order)}]")
    h = harness_factory(campaign)
    n = next(_numbers)
    phone = f"+1415555{n:04d}"
    contact = lead(
        h.store,
        external_id=phone,
        phone=phone,
        consent=(),
        email=f"p{n}@example.com" if has_email else None,
    )
    if on_telegram:
        h.store.contacts.link_identity(contact.id, "telegram", f"{n}", now=NOON)
    for purpose in granted:
        grant(h.store, contact.id, purpose, True, NOON)
    for purpose in withdrawn:
        grant(h.store, contact.id, purpose, False, NOON)
    for channel in blocked:
        h.store.consent.block_contact(contact.id, channel, "staff", now=NOON)  # type: ignore[arg-type]
    # They wrote on WhatsApp today, so its 24-hour window is open.
    h.store.contacts.link_identity(contact.id, "whatsapp", phone, now=NOON)
    h.store.campaigns.record_inbound("whatsapp", phone, NOON)
    enroll_manually(h.store, h.campaigns["blast"], [contact.id], NOON)
    h.tick()
    allowed = {c for c in CHANNELS if h.store.consent.is_granted(contact.id, c)} - blocked  # type: ignore[arg-type]
    sent = [m.channel for m in h.all_sent()]
    assert len(sent) <= 1
    assert set(sent) <= allowed
    if sent:
        assert sent[0] == next(
            c for c in order if c in allowed and _reachable(c, has_email, on_telegram)
        )


def _reachable(channel: str, has_email: bool, on_telegram: bool) -> bool:
    return {"email": has_email, "telegram": on_telegram}.get(channel, True)
