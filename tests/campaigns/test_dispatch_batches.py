"""The dispatcher works a claimed batch together: snapshots read for the whole batch,
guards decided per send as before, and sends paced so the provider never sees more than
the rate in any one second."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterator, Sequence
from functools import partial

import pytest

from campaigns.dispatch import Dispatcher, RateLimiter
from campaigns.steps import advance
from campaigns.triggers import enroll_manually
from senders.twilio_texts import TwilioTextSender
from tests.campaigns.conftest import NOON, Harness, grant, lead
from tests.channels.fake_twilio import FakeTwilio

Factory = Callable[..., Harness]

TEXT = """
name: {name}
trigger: {{event: manual}}
steps:
  - id: hello
    send: {{channels: [sms], message: {{text: "Hello from {name}"}}}}
"""


def phone(n: int) -> str:
    return f"+1415555{n:04d}"


def queued(h: Harness, campaign: str, count: int, first: int = 3000) -> list[str]:
    ids = [
        lead(h.store, external_id=phone(n), phone=phone(n)).id for n in range(first, first + count)
    ]
    enroll_manually(h.store, h.campaigns[campaign], ids, NOON)
    while advance(h.engine, NOON, limit=500):
        pass
    return ids


def test_bulk_snapshots_say_what_one_at_a_time_snapshots_say(harness_factory: Factory) -> None:
    h = harness_factory(TEXT.format(name="one"))
    store = h.store
    ids = queued(h, "one", 6)
    asyncio.run(h.dispatcher().run_once())  # sent rows count towards the caps
    queued_again = [lead(store, external_id=phone(3100), phone=phone(3100)).id]
    enroll_manually(store, h.campaigns["one"], queued_again, NOON)
    advance(h.engine, NOON)
    store.outbox.start_sends(
        [(s, "sms") for s in store.outbox.claim_due_sends(["one"], NOON)], NOON
    )  # one in flight
    grant(store, ids[0], "sms", False, NOON)
    grant(store, ids[1], "email", True, NOON)
    store.consent.block_contact(ids[2], "sms", "carrier_block", "test", NOON)
    store.campaigns.tag_contact(ids[3], "vip", NOON)
    store.campaigns.record_inbound("sms", phone(3003), NOON)
    store.leads.save_score(
        ids[4], score=80, grade="A", stage="sql", rubric_version="t", model_version=None,
        explanation=[], now=NOON,
    )  # fmt: skip
    store.contacts.record_event(ids[5], "meeting_booked", {}, NOON)
    store.contacts.record_event(ids[5], "outcome_recorded", {"outcome": "won"}, NOON)
    wanted = [*ids, *queued_again, "no-such-contact"]

    together = store.campaigns.contact_snapshots(wanted, NOON)

    one_by_one = {c: store.campaigns.contact_snapshot(c, NOON) for c in [*ids, *queued_again]}
    assert together == one_by_one
    assert together[ids[4]].conversions and together[queued_again[0]].sent_last_day == {"sms": 1}


def test_a_contact_who_withdrew_after_queueing_is_skipped_while_the_rest_send(
    harness_factory: Factory,
) -> None:
    h = harness_factory(TEXT.format(name="one"))
    ids = queued(h, "one", 5)
    grant(h.store, ids[2], "sms", False, NOON)

    counts = asyncio.run(h.dispatcher().run_once()).counts

    assert counts == {"sent": 4, "skipped": 1}
    assert sorted(m.to for m in h.sent("sms")) == sorted(phone(n) for n in (3000, 3001, 3003, 3004))
    skipped = [s for s in h.store.campaigns.sends("one") if s.status == "skipped"]
    assert [s.contact_id for s in skipped] == [ids[2]]


def test_a_contacts_second_send_in_one_batch_counts_the_first_against_the_cap(
    harness_factory: Factory,
) -> None:
    h = harness_factory(TEXT.format(name="one"), TEXT.format(name="two"), PARLEY_CAP_PER_DAY="1")
    ids = queued(h, "one", 1)
    enroll_manually(h.store, h.campaigns["two"], ids, NOON)
    advance(h.engine, NOON)

    counts = asyncio.run(h.dispatcher().run_once()).counts

    assert counts == {"sent": 1, "skipped": 1}
    assert len(h.sent("sms")) == 1
    reasons = [s.reason for s in h.store.campaigns.sends() if s.status == "skipped"]
    assert reasons == ["sms: frequency cap (day)"]


@pytest.fixture
def twilio() -> Iterator[FakeTwilio]:
    fake = FakeTwilio().start()
    yield fake
    fake.stop()


def busiest_second(arrivals: Sequence[float]) -> int:
    stamps, best, first = sorted(arrivals), 0, 0
    for last, stamp in enumerate(stamps):
        while stamp - stamps[first] >= 1.0:
            first += 1
        best = max(best, last - first + 1)
    return best


def test_the_rate_holds_at_the_provider_when_a_request_arrives_late(
    harness_factory: Factory, twilio: FakeTwilio
) -> None:
    h = harness_factory(
        TEXT.format(name="one"),
        TWILIO_ACCOUNT_SID="AC" + "0" * 32,
        TWILIO_AUTH_TOKEN="test-auth-token-0123456789",
        TWILIO_SMS_FROM="+15005550006",
        TWILIO_API_BASE_URL=twilio.url,
    )
    queued(h, "one", 25)
    # The first request takes 150 ms to get there: spaced sends alone would then put the
    # 21st in the same second as the first at the provider.
    twilio.delay_next(0.15)

    async def blast() -> dict[str, int]:
        sender = TwilioTextSender(h.settings.twilio)
        dispatcher = Dispatcher(h.engine, {"sms": sender}, RateLimiter({"sms": 20.0}), h.clock)
        try:
            return (await dispatcher.run_once(limit=25)).counts
        finally:
            await sender.close()

    assert asyncio.run(blast()) == {"sent": 25}
    assert len(twilio.arrivals) == 25
    assert busiest_second(twilio.arrivals) <= 20


def test_a_turn_waits_until_the_send_a_second_before_it_has_come_back() -> None:
    limiter = RateLimiter({"sms": 2.0})

    async def go() -> tuple[bool, float, float]:
        first = await limiter.acquire("sms")
        limiter.finish(await limiter.acquire("sms"))
        third = asyncio.ensure_future(limiter.acquire("sms"))
        await asyncio.sleep(1.2)  # past its spacing slot, but the first is still out
        waited = not third.done()
        limiter.finish(first)
        await third
        return waited, first.done_at, time.monotonic()

    waited, first_back, third_out = asyncio.run(go())
    assert waited
    assert third_out >= first_back + 1.0


SEGMENTED = """
name: vips
trigger: {event: manual}
audience: "tag(vip) and consent(sms)"
steps:
  - id: hello
    send: {channels: [sms], message: {text: "Hello"}}
"""


def test_one_batch_of_enrollments_queues_for_those_still_in_the_audience(
    harness_factory: Factory,
) -> None:
    h = harness_factory(SEGMENTED)
    ids = [lead(h.store, external_id=phone(n), phone=phone(n)).id for n in range(3200, 3205)]
    for contact_id in ids:
        h.store.campaigns.tag_contact(contact_id, "vip", NOON)
    enroll_manually(h.store, h.campaigns["vips"], ids, NOON)
    h.store.campaigns.untag_contact(ids[1], "vip")
    h.store.privacy.erase(ids[3], "test-salt", now=NOON)

    assert advance(h.engine, NOON, limit=10) == 4  # the erased one's enrollment went too

    queued_for = sorted(s.contact_id for s in h.store.campaigns.sends("vips"))
    assert queued_for == sorted([ids[0], ids[2], ids[4]])
    by_contact = {e.contact_id: e for e in h.store.campaigns.enrollments("vips")}
    assert (by_contact[ids[1]].status, by_contact[ids[1]].exit_reason) == (
        "exited",
        "left_audience",
    )
    assert {by_contact[i].status for i in (ids[0], ids[2], ids[4])} == {"completed"}


class ManualClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


async def reserved_at(limiter: RateLimiter, clock: ManualClock, *moments: float) -> list[float]:
    taken = []
    for moment in moments:
        clock.now = moment
        taken.append(await limiter.reserve("sms"))
    return taken


def test_a_late_send_lets_the_next_catch_up_with_the_schedule() -> None:
    clock = ManualClock()
    limiter = RateLimiter({"sms": 10.0}, clock=clock)
    slots = partial(reserved_at, limiter, clock)
    # Woken 30 ms late: the next slot stays where the schedule had it (0.2), not 0.23.
    assert asyncio.run(slots(0.0, 0.13, 0.13)) == pytest.approx([0.0, 0.13, 0.2])


def test_an_idle_channel_starts_afresh_instead_of_sending_a_burst() -> None:
    clock = ManualClock()
    limiter = RateLimiter({"sms": 10.0}, clock=clock)
    slots = partial(reserved_at, limiter, clock)
    assert asyncio.run(slots(0.0, 5.0, 5.0, 5.0)) == pytest.approx([0.0, 5.0, 5.1, 5.2])
