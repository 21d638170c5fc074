"""The dashboard's funnel and NLU understanding reports on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from typing import Any

from bot.store import ProfileStore
from bot.store.records import FunnelCounts, FunnelDay
from bot.store.understanding import understanding_report
from tests.store.conftest import NOW, at
from tests.store.rasa_tracker import add_tracker_events, user_event

DAY = 86400.0
MONTH_AGO = NOW - timedelta(days=30)


def _consent(store: ProfileStore, contact: str, granted: bool, seconds: float) -> None:
    store.consent.record(
        contact, "email", granted, channel="web", wording="May we email you?",
        wording_version="v1", source="conversation", evidence={"conversation_id": "c"},
        now=at(seconds),
    )  # fmt: skip


def _score(store: ProfileStore, contact: str, stage: str, seconds: float) -> None:
    store.leads.save_score(
        contact,
        score=50,
        grade="B",
        stage=stage,
        rubric_version="v1",
        model_version=None,
        explanation=[],
        now=at(seconds),
    )


def seed_funnel(store: ProfileStore) -> None:
    # Web: one contact through every stage, one who only chatted.
    star = store.leads.update_fields("web", "w-1", {"email": "ana@acme.io"}, "w-1", now=at(0)).id
    _consent(store, star, True, 10)
    _score(store, star, "mql", 20)
    _score(store, star, "sql", 30)
    store.leads.record_outcome(
        star, "won", source="api", recorded_by="api-token:t", value=100, currency="EUR", now=at(40)
    )
    store.contacts.ensure("web", "w-2", now=at(5))
    # Telegram, a day earlier: each stage reached, then taken back by a later event.
    back = store.leads.update_fields(
        "telegram", "t-1", {"phone": "+15550001"}, "t-1", now=at(-DAY)
    ).id
    _consent(store, back, True, 10)
    _consent(store, back, False, 11)
    _score(store, back, "sql", 20)
    _score(store, back, "new", 21)
    store.leads.record_outcome(back, "won", source="api", recorded_by="api-token:t", now=at(30))
    store.leads.record_outcome(back, "lost", source="api", recorded_by="api-token:t", now=at(31))
    # First seen on web, later on SMS: counted on web.
    later = store.contacts.ensure("web", "w-3", now=at(50)).id
    store.contacts.link_identity(later, "sms", "+15550002", now=at(60))
    # SMS, long before the period.
    store.leads.update_fields("sms", "+15550003", {"name": "Old"}, "s-1", now=at(-40 * DAY))


def test_funnel_counts_each_stage_per_first_channel_in_the_period(store: ProfileStore) -> None:
    seed_funnel(store)
    report = store.studio.funnel_report(MONTH_AGO)
    assert report.channels == (
        FunnelCounts("web", 3, 1, 1, 1, 1),
        FunnelCounts("telegram", 1, 1, 0, 0, 0),
    )
    assert report.total == FunnelCounts("all", 4, 2, 1, 1, 1)
    assert report.days == (
        FunnelDay(datetime(2024, 4, 30, tzinfo=timezone.utc), 1, 1),
        FunnelDay(datetime(2024, 5, 1, tzinfo=timezone.utc), 3, 1),
    )


def test_funnel_over_all_time_and_for_one_channel(store: ProfileStore) -> None:
    seed_funnel(store)
    everything = store.studio.funnel_report(None)
    assert everything.total == FunnelCounts("all", 5, 2, 1, 1, 1)
    assert [row.channel for row in everything.channels] == ["web", "sms", "telegram"]
    sms = store.studio.funnel_report(None, "sms")
    assert sms.channels == (FunnelCounts("sms", 1, 0, 0, 0, 0),)
    assert sms.days == (FunnelDay(datetime(2024, 3, 22, tzinfo=timezone.utc), 1, 0),)
    assert store.studio.funnel_report(MONTH_AGO, "sms").total == FunnelCounts("all", 0, 0, 0, 0, 0)


def test_an_empty_store_has_an_empty_funnel(store: ProfileStore) -> None:
    report = store.studio.funnel_report(MONTH_AGO)
    assert report.channels == () and report.days == ()
    assert report.total == FunnelCounts("all", 0, 0, 0, 0, 0)


def parsed_event(
    sender: str,
    timestamp: float,
    text: str,
    intent: str,
    confidence: float,
    ranking: tuple[tuple[str, float], ...] = (),
) -> dict[str, Any]:
    row = user_event(sender, timestamp, text)
    data = json.loads(row["data"])
    data["parse_data"] = {
        "text": text,
        "intent": {"name": intent, "confidence": confidence},
        "intent_ranking": [{"name": n, "confidence": c} for n, c in ranking],
    }
    return {**row, "intent_name": intent, "data": json.dumps(data)}


def test_fallbacks_are_counted_per_day_and_grouped_by_text(tracker_url: str) -> None:
    start = NOW.timestamp()
    fallback = (("nlu_fallback", 0.45), ("ask_pricing", 0.31), ("greet", 0.2))
    add_tracker_events(tracker_url, [
        parsed_event("a", start, "hello", "greet", 0.98),
        parsed_event("a", start + 1, "How  much  is it", "nlu_fallback", 0.45, fallback),
        parsed_event("b", start + 2, "how much is IT", "nlu_fallback", 0.45, fallback),
        parsed_event("b", start + 3, "blorp", "chitchat", 0.3),
        parsed_event("c", start - DAY, "yes", "affirm", 0.9),
        parsed_event("c", start - 40 * DAY, "ancient", "nlu_fallback", 0.45),
        user_event("d", start + 4, "no parse data"),
        {**user_event("d", start + 5, "x"), "type_name": "bot"},
    ])  # fmt: skip
    report = understanding_report(tracker_url, MONTH_AGO, threshold=0.45)
    assert (report.messages, report.fallbacks) == (5, 3)
    assert report.fallback_rate == 0.6
    assert [(d.day.day, d.messages, d.fallbacks) for d in report.days] == [(30, 1, 0), (1, 4, 3)]
    top, second = report.least_understood
    assert (top.text, top.count, top.intent, top.confidence) == (
        "How much is it",
        2,
        "ask_pricing",
        0.31,
    )
    assert (second.text, second.count, second.intent, second.confidence) == (
        "blorp",
        1,
        "chitchat",
        0.3,
    )
    assert understanding_report(tracker_url, None, threshold=0.45).fallbacks == 4


def test_a_tracker_store_without_events_has_no_messages(tracker_url: str) -> None:
    report = understanding_report(tracker_url, None, threshold=0.45)
    assert (report.messages, report.fallbacks, report.fallback_rate) == (0, 0, None)
    assert report.days == () and report.least_understood == ()


def bot_event(sender: str, timestamp: float, response: str) -> dict[str, Any]:
    data = {"event": "bot", "timestamp": timestamp, "text": "...",
            "metadata": {"utter_action": response}}  # fmt: skip
    return {"sender_id": sender, "type_name": "bot", "timestamp": timestamp,
            "intent_name": None, "action_name": None, "data": json.dumps(data)}  # fmt: skip


def test_questions_the_bot_could_not_answer_are_listed_but_are_no_fallbacks(
    tracker_url: str,
) -> None:
    start = NOW.timestamp()
    add_tracker_events(tracker_url, [
        parsed_event("a", start, "do you have a free trial", "out_of_scope", 0.9),
        parsed_event("b", start + 1, "is it gdpr compliant", "out_of_scope", 0.88),
        bot_event("a", start + 2, "utter_out_of_scope"),
        # answered from the list of common questions: a custom text, no response name
        bot_event("b", start + 3, ""),
        parsed_event("b", start + 4, "tell me a joke", "chitchat", 0.95),
        bot_event("b", start + 5, "utter_chitchat"),
    ])  # fmt: skip
    report = understanding_report(tracker_url, MONTH_AGO, threshold=0.45)
    assert (report.messages, report.fallbacks) == (3, 0)
    assert [(m.text, m.intent) for m in report.least_understood] == [
        ("do you have a free trial", "out_of_scope")
    ]
