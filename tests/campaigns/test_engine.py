"""The campaign engine on a real store with a fixed clock: triggers, steps, guards,
retries and the outbox's at-most-once sending."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal

import pytest

from bot.store import ProfileStore
from campaigns.dispatch import RateLimiter
from senders.interface import SendFailed
from tests.campaigns.conftest import NOON, SF_PHONE, Harness, grant, lead

Factory = Callable[..., Harness]

WELCOME = """
name: hello
trigger: {event: lead_captured}
audience: consent(sms) or consent(email) or consent(whatsapp) or consent(telegram)
steps:
  - id: first
    send:
      channels: [preferred, whatsapp, sms, email]
      message:
        text: "Hi {{ first_name | default('there') }}, thanks from {{ company_name }}!"
        email: {subject: "Thanks {{ first_name }}", body: "Hi {{ first_name }}."}
  - id: pause
    wait: 2d
  - id: again
    send:
      channels: [sms, email]
      message:
        text: "Still there, {{ first_name }}?"
        email: {subject: "Still there?", body: "Still there?"}
"""


def test_captured_lead_gets_a_follow_up_on_the_channel_they_used(harness_factory: Factory) -> None:
    h = harness_factory(WELCOME)
    contact = lead(h.store)
    assert h.tick() == {"sent": 1}
    [message] = h.sent("sms")
    assert message.to == SF_PHONE
    assert message.text == "Hi Dana, thanks from Acme!\nReply STOP to opt out."
    [enrollment] = h.store.campaigns.enrollments("hello")
    assert (enrollment.contact_id, enrollment.step, enrollment.status) == (contact.id, 2, "active")
    assert enrollment.next_run_at == NOON + __import__("datetime").timedelta(days=2)


def test_wait_step_holds_the_next_send_until_its_time(harness_factory: Factory) -> None:
    h = harness_factory(WELCOME)
    lead(h.store)
    h.tick()
    h.clock.advance(days=1, hours=23)
    assert h.tick() == {}
    h.clock.advance(hours=1)
    assert h.tick() == {"sent": 1}
    assert [m.text.splitlines()[0] for m in h.sent("sms")] == [
        "Hi Dana, thanks from Acme!",
        "Still there, Dana?",
    ]
    assert h.store.campaigns.enrollments("hello")[0].status == "completed"


def test_ticks_repeated_never_send_twice(harness_factory: Factory) -> None:
    h = harness_factory(WELCOME)
    lead(h.store)
    for _ in range(5):
        h.tick()
    assert len(h.sent("sms")) == 1
    assert len(h.store.campaigns.sends("hello")) == 1


def test_outside_the_audience_the_enrollment_ends_before_any_step(
    harness_factory: Factory,
) -> None:
    h = harness_factory(WELCOME)
    lead(h.store, consent=())
    assert h.tick() == {}
    [enrollment] = h.store.campaigns.enrollments("hello")
    assert (enrollment.status, enrollment.exit_reason) == ("exited", "left_audience")
    assert h.store.campaigns.sends("hello") == []


def test_falls_back_to_the_next_consented_channel(harness_factory: Factory) -> None:
    h = harness_factory(WELCOME)
    lead(h.store, email="dana@example.com", consent=("email",))
    assert h.tick() == {"sent": 1}
    [message] = h.sent("email")
    assert (message.to, message.subject) == ("dana@example.com", "Thanks Dana")
    assert message.unsubscribe_url is not None
    assert message.unsubscribe_url.startswith("https://bot.example.test/webhooks/unsubscribe/u/")
    assert "Unsubscribe with one click: https://" in message.text
    assert h.store.campaigns.sends("hello")[0].channel == "email"


def test_consent_withdrawn_after_planning_is_checked_at_send_time(
    harness_factory: Factory,
) -> None:
    h = harness_factory(WELCOME.replace("exit_when", "x") + "exit_when: [replied]\n")
    contact = lead(h.store)
    now = h.clock()
    from campaigns.steps import advance
    from campaigns.triggers import plan

    plan(h.store, h.campaigns.values(), now)
    advance(h.engine, now)  # the send is queued while consent stands
    grant(h.store, contact.id, "sms", False, now)
    report = asyncio.run(h.dispatcher().run_once()).counts
    assert report == {"skipped": 1}
    assert h.all_sent() == []
    [send] = h.store.campaigns.sends("hello")
    assert send.reason == "sms: no consent; whatsapp: no consent; email: no email address"


def test_stop_mid_sequence_ends_the_enrollment(harness_factory: Factory) -> None:
    h = harness_factory(WELCOME)
    contact = lead(h.store)
    h.tick()
    grant(h.store, contact.id, "sms", False, h.clock.advance(hours=3))  # they texted STOP
    h.clock.advance(days=3)
    h.tick()
    [enrollment] = h.store.campaigns.enrollments("hello")
    assert (enrollment.status, enrollment.exit_reason) == ("exited", "opted_out")
    assert len(h.all_sent()) == 1
    assert len(h.store.campaigns.sends("hello")) == 1


def test_a_reply_ends_the_enrollment_and_counts_for_the_last_touch(
    harness_factory: Factory,
) -> None:
    h = harness_factory(WELCOME)
    lead(h.store)
    h.tick()
    h.store.campaigns.record_inbound("sms", SF_PHONE, h.clock.advance(hours=1))
    h.clock.advance(days=2)
    h.tick()
    [enrollment] = h.store.campaigns.enrollments("hello")
    assert enrollment.exit_reason == "replied"
    from campaigns.results import campaign_results

    results = campaign_results(h.store, "hello", h.campaigns["hello"], h.clock())
    assert results.lines[("first", "main", "sms")].outcomes["replied"] == 1


def test_quiet_hours_defer_to_the_contacts_morning(harness_factory: Factory) -> None:
    h = harness_factory(WELCOME)
    h.clock.now = NOON.replace(hour=11)  # 03:00 in San Francisco
    lead(h.store, at=h.clock.now)
    assert h.tick() == {"deferred": 1}
    [send] = h.store.campaigns.sends("hello")
    assert send.status == "pending" and send.reason == "quiet hours"
    assert send.due_at == NOON.replace(hour=16)  # 08:00 in San Francisco
    h.clock.now = NOON.replace(hour=16)
    assert h.tick() == {"sent": 1}


def test_frequency_cap_skips_with_its_reason(harness_factory: Factory) -> None:
    h = harness_factory(
        WELCOME, WELCOME.replace("name: hello", "name: other"), PARLEY_CAP_PER_DAY="1"
    )
    lead(h.store)
    counts = h.tick()
    assert counts == {"sent": 1, "skipped": 1}
    reasons = {s.reason for s in h.store.campaigns.sends() if s.status == "skipped"}
    assert reasons == {"sms: frequency cap (day); whatsapp: no consent; email: no email address"}


def test_do_not_contact_blocks_the_channel(harness_factory: Factory) -> None:
    h = harness_factory(WELCOME)
    contact = lead(h.store)
    h.store.consent.block_contact(contact.id, "sms", "staff", "asked by phone", now=NOON)
    assert h.tick() == {"skipped": 1}
    assert h.store.campaigns.sends()[0].reason == (
        "sms: do not contact; whatsapp: no consent; email: no email address"
    )


def test_whatsapp_outside_the_window_needs_an_approved_template(harness_factory: Factory) -> None:
    campaign = """
name: wa
trigger: {event: lead_captured}
steps:
  - id: only
    send:
      channels: [whatsapp]
      message:
        whatsapp: "Hello {{ first_name }}"
        whatsapp_template: {content_sid: HXabc, variables: {"1": "{{ first_name }}"}}
"""
    h = harness_factory(
        campaign,
        campaign.replace("name: wa", "name: wa-plain").split("        whatsapp_template")[0],
    )
    lead(h.store, channel="whatsapp", consent=("whatsapp",))
    assert h.tick() == {"sent": 1, "skipped": 1}
    [message] = h.sent("whatsapp")
    assert (message.content_sid, dict(message.content_variables)) == ("HXabc", {"1": "Dana"})
    skipped = [s for s in h.store.campaigns.sends() if s.status == "skipped"]
    assert skipped[0].reason == "whatsapp: whatsapp window closed"


def test_whatsapp_inside_the_window_sends_free_text(harness_factory: Factory) -> None:
    campaign = """
name: wa
trigger: {event: lead_captured}
steps:
  - id: only
    send: {channels: [whatsapp], message: {whatsapp: "Hello {{ first_name }}"}}
"""
    h = harness_factory(campaign)
    lead(h.store, channel="whatsapp", consent=("whatsapp",))
    h.store.campaigns.record_inbound("whatsapp", SF_PHONE, NOON)
    assert h.tick() == {"sent": 1}
    assert h.sent("whatsapp")[0].text == "Hello Dana\nReply STOP to opt out."


def test_telegram_only_for_people_who_started_the_bot(harness_factory: Factory) -> None:
    campaign = """
name: tg
trigger: {event: lead_captured}
steps:
  - id: only
    send: {channels: [telegram], message: {text: "Hello {{ first_name }}"}}
"""
    h = harness_factory(campaign)
    lead(h.store, consent=("telegram",))  # consent, but they never wrote to the bot
    chatter = lead(
        h.store,
        channel="telegram",
        external_id="987654",
        phone="+14155550999",
        name="Sam Lee",
        consent=("telegram",),
    )
    assert h.tick() == {"sent": 1, "skipped": 1}
    assert [m.to for m in h.sent("telegram")] == ["987654"]
    assert chatter.id in {s.contact_id for s in h.store.campaigns.sends() if s.status == "sent"}


def test_a_template_missing_a_value_skips_instead_of_sending_a_blank(
    harness_factory: Factory,
) -> None:
    campaign = """
name: named
trigger: {event: lead_captured}
steps:
  - id: only
    send: {channels: [sms], message: {text: "Dear {{ company }} team"}}
"""
    h = harness_factory(campaign)
    lead(h.store)
    assert h.tick() == {"skipped": 1}
    assert h.store.campaigns.sends()[0].reason.startswith("template: no value for 'company'")


def test_transient_failures_retry_with_backoff_then_fail(harness_factory: Factory) -> None:
    h = harness_factory(WELCOME)
    lead(h.store)
    h.senders["sms"].failures = [SendFailed("sms", "503 from Twilio", True)] * 5
    assert h.tick() == {"retry": 1}
    [send] = h.store.campaigns.sends()
    assert (send.status, send.due_at) == (
        "pending",
        NOON + __import__("datetime").timedelta(seconds=30),
    )
    for _ in range(4):
        h.clock.now = h.store.campaigns.sends()[0].due_at
        h.tick()
    [send] = h.store.campaigns.sends()
    assert (send.status, send.attempts) == ("failed", 5)
    assert h.all_sent() == []


def test_carrier_opt_out_is_permanent_and_adds_do_not_contact(harness_factory: Factory) -> None:
    h = harness_factory(WELCOME)
    contact = lead(h.store)
    h.senders["sms"].failures = [
        SendFailed("sms", "unsubscribed recipient", False, "21610", "carrier_block")
    ]
    assert h.tick() == {"failed": 1}
    assert h.store.consent.is_do_not_contact(contact.id, "sms")
    [entry] = h.store.consent.do_not_contact(contact.id)
    assert entry.reason == "carrier_block"


def test_maybe_sent_is_uncertain_and_never_resent(harness_factory: Factory) -> None:
    h = harness_factory(WELCOME)
    lead(h.store)
    h.senders["sms"].failures = [SendFailed("sms", "timeout", False, maybe_sent=True)]
    assert h.tick() == {"uncertain": 1}
    h.clock.advance(minutes=10)
    h.tick()
    assert h.all_sent() == []
    assert h.store.campaigns.sends()[0].status == "uncertain"


def test_crash_between_claim_and_send_still_sends_once(harness_factory: Factory) -> None:
    h = harness_factory(WELCOME)
    lead(h.store)
    from campaigns.steps import advance
    from campaigns.triggers import plan

    plan(h.store, h.campaigns.values(), NOON)
    advance(h.engine, NOON)
    # A worker claims the send and dies before handing it to the provider.
    [claimed] = h.store.outbox.claim_due_sends(["hello"], NOON)
    assert claimed.status == "claimed"
    assert h.tick() == {}  # its lease still holds: nobody else may send it
    h.clock.advance(minutes=3)
    assert h.tick() == {"sent": 1}
    assert len(h.all_sent()) == 1
    # The dead worker's token no longer counts for anything.
    assert not h.store.outbox.start_send(claimed, "sms", h.clock())


def test_crash_during_the_provider_call_is_reported_not_resent(harness_factory: Factory) -> None:
    h = harness_factory(WELCOME)
    lead(h.store)
    from campaigns.steps import advance
    from campaigns.triggers import plan

    plan(h.store, h.campaigns.values(), NOON)
    advance(h.engine, NOON)
    [claimed] = h.store.outbox.claim_due_sends(["hello"], NOON)
    assert h.store.outbox.start_send(claimed, "sms", NOON)  # then the process died
    h.clock.advance(minutes=5)
    assert h.tick() == {"uncertain": 1}
    h.clock.advance(minutes=5)
    h.tick()
    assert h.all_sent() == []
    assert h.store.campaigns.sends()[0].status == "uncertain"


def test_paused_campaign_waits_then_catches_up(harness_factory: Factory) -> None:
    h = harness_factory(WELCOME)
    h.store.campaigns.set_paused("hello", True, NOON)
    lead(h.store)
    assert h.tick() == {}
    assert h.store.campaigns.enrollments("hello") == []
    h.store.campaigns.set_paused("hello", False, NOON)
    # Resumed, it catches up with whoever qualified meanwhile: nobody is forgotten.
    assert h.tick() == {"sent": 1}


def test_variants_split_by_weight_and_stick_to_an_enrollment(
    store: ProfileStore,
    harness_factory: Factory,
) -> None:
    campaign = """
name: ab
trigger: {event: manual}
steps:
  - id: hello
    send:
      channels: [sms]
      variants:
        - {name: a, weight: 3, message: {text: "A"}}
        - {name: b, weight: 1, message: {text: "B"}}
"""
    h = harness_factory(campaign)
    from campaigns.triggers import enroll_manually

    ids = [
        lead(store, external_id=f"+1415555{n:04d}", phone=f"+1415555{n:04d}").id
        for n in range(200, 400)
    ]
    assert enroll_manually(store, h.campaigns["ab"], ids, NOON) == 200
    for _ in range(3):  # a tick advances at most 100 enrollments
        h.tick()
    assert len(h.sent("sms")) == 200
    variants = [s.variant for s in store.campaigns.sends("ab")]
    assert 120 <= variants.count("a") <= 180
    assert {m.text.splitlines()[0] for m in h.sent("sms")} == {"A", "B"}


def test_branch_on_intent_and_on_a_segment(harness_factory: Factory) -> None:
    campaign = """
name: br
trigger: {event: manual}
steps:
  - id: ask
    send: {channels: [sms], message: {text: "Demo?"}}
  - id: later
    wait: 1h
  - id: route
    branch:
      - if: {intent: request_demo}
        goto: sales
      - if: "tag(vip)"
        goto: vip
      - else: end
  - id: vip
    update: {tag: vip-followed}
  - id: stop
    branch: [{else: end}]
  - id: sales
    handoff: {reason: asked for a demo}
"""
    h = harness_factory(campaign)
    from campaigns.triggers import enroll_manually

    wants_demo = lead(h.store)
    vip = lead(h.store, external_id="+14155550777", phone="+14155550777")
    h.store.campaigns.tag_contact(vip.id, "vip", NOON)
    enroll_manually(h.store, h.campaigns["br"], [wants_demo.id, vip.id], NOON)
    h.intents[wants_demo.id] = "request_demo"
    h.tick()
    h.clock.advance(hours=1)
    h.tick()
    assert "vip-followed" in h.store.campaigns.tags_of(vip.id)
    kinds = [e.kind for e in h.store.contacts.timeline(wants_demo.id)]
    assert "handoff_requested" in kinds
    assert "handoff_requested" not in [e.kind for e in h.store.contacts.timeline(vip.id)]


def _five_sms_sends(loop: asyncio.AbstractEventLoop) -> tuple[float, list[float]]:
    """When five sends at 20 a second went, after the moment before the first was asked."""
    limiter = RateLimiter({"sms": 20.0})
    times: list[float] = []

    async def go() -> None:
        for _ in range(5):
            await limiter.acquire("sms")
            times.append(time.monotonic())

    try:
        started = time.monotonic()
        loop.run_until_complete(go())
    finally:
        loop.close()
    return started, times


def test_rate_limiter_spaces_sends_per_channel() -> None:
    started, times = _five_sms_sends(asyncio.new_event_loop())
    # The n-th send never goes before n gaps have passed. A send woken late on a busy
    # machine lets the next one catch up (CATCH_UP_S), so one gap alone may be shorter.
    assert all(at - started >= n * 0.05 for n, at in enumerate(times)), times


def test_rate_limiter_holds_on_a_loop_that_wakes_timers_early() -> None:
    # asyncio runs a timer due within its clock's resolution; CI machines have reported
    # a millisecond, and the third send then went out half a millisecond before its slot.
    loop = asyncio.new_event_loop()
    loop._clock_resolution = 0.02  # type: ignore[attr-defined]

    def tick() -> None:  # something else wakes the loop every millisecond
        loop.call_later(0.001, tick)

    tick()
    started, times = _five_sms_sends(loop)
    assert all(at - started >= n * 0.05 for n, at in enumerate(times)), times


@pytest.mark.parametrize("cap", ["0", "x"])
def test_bad_cap_setting_is_refused(tmp_path, cap: str) -> None:  # type: ignore[no-untyped-def]
    from bot.errors import InvalidSetting
    from tests.campaigns.conftest import settings_for

    with pytest.raises(InvalidSetting, match="PARLEY_CAP_PER_DAY"):
        settings_for(tmp_path, PARLEY_CAP_PER_DAY=cap)


def test_idle_wait_holds_while_they_keep_writing(harness_factory: Factory) -> None:
    campaign = """
name: idle
trigger: {event: lead_captured}
steps:
  - id: settle
    wait: {idle: 5m}
  - id: hello
    send: {channels: [sms], message: {text: "Hello"}}
"""
    h = harness_factory(campaign)
    lead(h.store)
    h.store.campaigns.record_inbound("sms", SF_PHONE, NOON)
    assert h.tick() == {}
    h.store.campaigns.record_inbound("sms", SF_PHONE, h.clock.advance(minutes=4))  # still talking
    h.clock.advance(minutes=2)
    assert h.tick() == {}
    [enrollment] = h.store.campaigns.enrollments("idle")
    assert (enrollment.step, enrollment.next_run_at) == (0, NOON + timedelta(minutes=9))
    h.clock.now = NOON + timedelta(minutes=9)
    assert h.tick() == {"sent": 1}


def test_segment_trigger_enrolls_each_newcomer_once(harness_factory: Factory) -> None:
    campaign = """
name: vips
trigger: {event: segment}
audience: "tag(vip) and consent(sms)"
steps:
  - id: hello
    send: {channels: [sms], message: {text: "Hello VIP"}}
"""
    h = harness_factory(campaign)
    first = lead(h.store)
    h.store.campaigns.tag_contact(first.id, "vip", NOON)
    lead(h.store, external_id="+14155550188", phone="+14155550188")  # not a VIP
    assert h.tick() == {"sent": 1}
    later = lead(h.store, external_id="+14155550177", phone="+14155550177")
    h.store.campaigns.tag_contact(later.id, "vip", NOON)
    from campaigns import worker

    h.clock.advance(seconds=worker.SCAN_EVERY_S)
    assert h.tick() == {"sent": 1}
    assert h.tick() == {}
    assert sorted(e.contact_id for e in h.store.campaigns.enrollments("vips")) == sorted(
        [first.id, later.id]
    )


def test_a_sale_won_after_a_campaign_converts_it_and_is_costed(harness_factory: Factory) -> None:
    h = harness_factory(
        WELCOME.replace("name: hello\n", "name: hello\ncost_per_send: {sms: 0.5}\n")
    )
    contact = lead(h.store)
    other = lead(h.store, name="Lee Park", phone="+14155550199", external_id="+14155550199")
    assert h.tick() == {"sent": 2}
    h.store.leads.record_outcome(
        contact.id, "won", source="hubspot", recorded_by="hubspot", value="1200", currency="USD",
        now=h.clock.advance(hours=5),
    )  # fmt: skip
    h.store.leads.record_outcome(
        other.id, "lost", source="api", recorded_by="api-token:t", now=h.clock()
    )
    h.clock.advance(days=2)
    assert h.tick() == {"sent": 1}  # the second step goes to the lead who was lost only
    enrollments = {e.contact_id: e for e in h.store.campaigns.enrollments("hello")}
    assert enrollments[contact.id].exit_reason == "converted"
    from campaigns.results import campaign_results

    results = campaign_results(h.store, "hello", h.campaigns["hello"], h.clock())
    assert (results.converted, results.won, results.won_value) == (1, 1, {"USD": Decimal(1200)})
    assert results.cost == 1.5 and results.cost_per_converted == 1.5 == results.cost_per_won
    rendered = results.render()
    assert "converted 1; sales won 1 (1200.00 USD)" in rendered
    assert "cost per converted lead 1.50; cost per sale won 1.50" in rendered


def test_a_sale_closed_before_the_enrollment_is_not_the_campaigns(
    harness_factory: Factory,
) -> None:
    h = harness_factory(WELCOME)
    contact = lead(h.store)
    h.store.leads.record_outcome(
        contact.id, "won", source="cli", recorded_by="cli:ann", occurred_at=NOON - timedelta(days=30),
        now=h.clock(),
    )  # fmt: skip
    h.tick()
    from campaigns.results import campaign_results

    results = campaign_results(h.store, "hello", h.campaigns["hello"], h.clock())
    assert results.won == 0 and results.cost_per_won is None
