"""The dashboard on a real studio: funnel, fallback rate, least-understood messages,
campaign results, and adding a message to the training data."""

from __future__ import annotations

import html
import json
import re
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from bot.store import ProfileStore
from studio.charts import bar_chart, column_chart, grouped_bar_chart, rate_chart
from studio.workspace import Workspace
from tests.store.rasa_tracker import add_tracker_events, user_event
from tests.studio.studio_server import StudioServer

NOW = datetime.now(timezone.utc)
FALLBACK = (("nlu_fallback", 0.45), ("ask_pricing", 0.31), ("greet", 0.1))


def ago(days: float) -> datetime:
    return NOW - timedelta(days=days)


def seed_contacts(store: ProfileStore) -> None:
    star = store.leads.update_fields("web", "w-1", {"email": "ana@acme.io"}, "w-1", now=ago(1)).id
    store.consent.record(
        star,
        "email",
        True,
        channel="web",
        wording="May we email you?",
        wording_version="v1",
        source="conversation",
        evidence={"conversation_id": "w-1"},
        now=ago(1),
    )
    store.leads.save_score(
        star,
        score=80,
        grade="A",
        stage="sql",
        rubric_version="v1",
        model_version=None,
        explanation=[],
        now=ago(1),
    )
    store.leads.record_outcome(star, "won", source="cli", recorded_by="cli:test", now=ago(0.5))
    store.contacts.ensure("web", "w-2", now=ago(2))
    store.leads.update_fields("telegram", "t-1", {"phone": "+15550001"}, "t-1", now=ago(3))
    store.leads.update_fields("sms", "+15550003", {"name": "Old"}, "s-1", now=ago(45))


def parsed(
    sender: str,
    at: datetime,
    text: str,
    intent: str,
    confidence: float,
    ranking: tuple[tuple[str, float], ...] = (),
) -> dict[str, Any]:
    row = user_event(sender, at.timestamp(), text)
    data = json.loads(row["data"])
    data["parse_data"] = {
        "intent": {"name": intent, "confidence": confidence},
        "intent_ranking": [{"name": n, "confidence": c} for n, c in ranking],
    }
    return {**row, "intent_name": intent, "data": json.dumps(data)}


def seed_tracker(url: str) -> None:
    add_tracker_events(url, [
        parsed("a", ago(1), "hello", "greet", 0.97),
        parsed("a", ago(1), "how much is it <b>", "nlu_fallback", 0.45, FALLBACK),
        parsed("b", ago(2), "How much is it   <b>", "nlu_fallback", 0.45, FALLBACK),
        parsed("b", ago(2), "yes", "affirm", 0.88),
        parsed("c", ago(60), "long ago", "nlu_fallback", 0.45, FALLBACK),
    ])  # fmt: skip


def seed_campaign(store: ProfileStore) -> None:
    contact = store.contacts.ensure("telegram", "t-2", now=ago(10)).id
    enrollment = store.campaigns.enroll("welcome", contact, "manual", now=ago(10))
    assert enrollment is not None
    store.campaigns.queue_send(enrollment, "hello", "main", ["telegram"], now=ago(10))
    [send] = store.outbox.claim_due_sends(["welcome"], NOW)
    assert store.outbox.start_send(send, "telegram", NOW)
    assert store.outbox.finish_send(send, status="sent", channel="telegram", now=NOW)
    store.campaigns.save_enrollment_progress(
        enrollment.id, step=1, next_run_at=NOW, status="exited", exit_reason="converted", now=NOW
    )


def row_of(page: str, attribute: str, value: str) -> str:
    found = re.search(rf'<tr {attribute}="{re.escape(value)}">(.*?)</tr>', page, re.S)
    assert found, f"no row {attribute}={value}"
    return found.group(1)


def funnel_row(page: str, channel: str) -> list[int]:
    cells = re.findall(r'data-stage="\w+">(\d+)<', row_of(page, "data-channel", channel))
    return [int(c) for c in cells]


def numbers(row: str) -> list[int]:
    return [int(n) for n in re.findall(r'<td class="num">(\d+)</td>', row)]


@pytest.fixture
def seeded(studio: StudioServer) -> StudioServer:
    seed_contacts(studio.store)
    seed_tracker(studio.settings.tracker_store_url)
    return studio


def test_the_funnel_by_channel_and_period(seeded: StudioServer) -> None:
    marketer = seeded.signed_in("marketer")
    page = marketer.get("/dashboard").text  # the last 30 days by default
    assert funnel_row(page, "web") == [2, 1, 1, 1, 1]
    assert funnel_row(page, "telegram") == [1, 1, 0, 0, 0]
    assert funnel_row(page, "all") == [3, 2, 1, 1, 1]
    assert 'data-channel="sms"' not in page
    assert page.count('class="chart"') >= 4
    wider = marketer.get("/dashboard?period=90d").text
    assert funnel_row(wider, "sms") == [1, 0, 0, 0, 0]
    assert funnel_row(wider, "all") == [4, 2, 1, 1, 1]
    week = marketer.get("/dashboard?period=7d&channel=telegram").text
    assert funnel_row(week, "telegram") == [1, 1, 0, 0, 0]
    assert 'data-channel="web"' not in week
    assert "first channel identity" in page  # the footnote defines the stages


def test_fallback_rate_and_least_understood_messages(seeded: StudioServer) -> None:
    page = seeded.signed_in("marketer").get("/dashboard?period=30d").text
    assert re.search(r'id="fallback-rate">50\.0%<', page)
    assert "2 of 4 messages fell back" in page and "below 0.45" in page
    [row] = re.findall(r'<td class="message">(.*?)</tr>', page, re.S)
    assert row.startswith("How much is it &lt;b&gt;</td>")  # as first written, escaped
    assert '<td class="num">2</td>' in row and "<td>ask_pricing</td>" in row
    assert '<option value="ask_pricing" selected>' in row
    assert "Add to training data" in row
    link = re.search(r'href="(/content/knowledge/new\?question=[^"]+)"', row)
    assert link is not None
    form = seeded.signed_in("marketer").get(html.unescape(link.group(1))).text
    assert "How much is it &lt;b&gt;</textarea>" in form  # the first phrasing, escaped
    everything = seeded.signed_in("admin").get("/dashboard?period=all").text
    assert re.search(r'id="fallback-rate">60\.0%<', everything)


def test_campaign_results_per_campaign(studio: StudioServer) -> None:
    seed_campaign(studio.store)
    page = studio.signed_in("analyst").get("/dashboard").text
    # enrolled, sent, delivered, failed, replied, converted, opted out, sales won
    assert numbers(row_of(page, "data-campaign", "welcome")) == [1, 1, 1, 0, 0, 1, 0, 0]
    assert numbers(row_of(page, "data-campaign", "nurture")) == [0, 0, 0, 0, 0, 0, 0, 0]
    assert 'aria-label="Campaign results"' in page


def test_adding_a_message_to_the_training_data(seeded: StudioServer) -> None:
    marketer = seeded.signed_in("marketer")
    marketer.get("/dashboard")
    response = marketer.post(
        "/dashboard/examples",
        {
            "intent": "ask_pricing",
            "text": "how much is  it",
            "period": "7d",
            "channel": "web",
        },
    )
    assert response.status_code == 303
    assert response.headers["Location"] == "/dashboard?period=7d&channel=web&added=ask_pricing"
    nlu = Workspace.for_settings(seeded.settings).read("data/nlu.yml")
    pricing = nlu.split("- intent: ask_pricing", 1)[1].split("- intent:", 1)[0]
    assert "    - how much is it\n" in pricing
    after = marketer.get(response.headers["Location"]).text
    assert "Added the example to the intent ask_pricing" in after
    [entry] = [
        e for e in seeded.store.privacy.audit_entries() if e.action == "studio.nlu_example_added"
    ]
    assert entry.actor == "studio:marketer@example.com" and entry.target == "ask_pricing"
    assert "how much" not in json.dumps(entry.details)  # what people wrote stays out of it


def test_an_added_example_goes_in_without_emails_phones_or_names(seeded: StudioServer) -> None:
    name = "Wilhelmina Okonkwo"
    seeded.store.leads.update_fields("web", "w-9", {"name": name}, "w-9", now=ago(1))
    marketer = seeded.signed_in("marketer")
    marketer.get("/dashboard")
    said = f"{name} here, w.okonkwo@zephyrine.io or 415 555 0188, my name is Wilhelmina, thanks"
    response = marketer.post("/dashboard/examples", {"intent": "inform", "text": said})
    assert response.status_code == 303
    assert response.headers["Location"].endswith("&added=inform&masked=email%2Cphone%2Cname")
    nlu = Workspace.for_settings(seeded.settings).read("data/nlu.yml")
    assert "Wilhelmina" not in nlu and "zephyrine" not in nlu and "555 0188" not in nlu
    assert (
        "    - Jane Doe here, jane.doe@example.com or +1 202 555 0143, "
        "my name is Jane Doe, thanks\n"
    ) in nlu
    after = marketer.get(response.headers["Location"]).text
    assert "email addresses, phone numbers, names were replaced by stand-ins" in after
    [entry] = [
        e for e in seeded.store.privacy.audit_entries() if e.action == "studio.nlu_example_added"
    ]
    assert entry.details["masked"] == "email,phone,name"
    assert "Wilhel" not in json.dumps(entry.details)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"intent": "no_such_intent", "text": "hi"}, "There is no intent &#39;no_such_intent&#39;"),
        ({"intent": "", "text": "hi"}, "Choose the intent"),
        ({"intent": "greet", "text": "   "}, "The example was not added: the example is empty"),
    ],
)
def test_bad_examples_are_refused_clearly(
    studio: StudioServer, fields: dict[str, str], message: str
) -> None:
    marketer = studio.signed_in("marketer")
    marketer.get("/dashboard")
    before = Workspace.for_settings(studio.settings).read("data/nlu.yml")
    response = marketer.post("/dashboard/examples", fields)
    assert response.status_code == 400
    assert message in response.text and 'role="alert"' in response.text
    assert Workspace.for_settings(studio.settings).read("data/nlu.yml") == before


def test_an_analyst_sees_the_dashboard_but_cannot_add_examples(seeded: StudioServer) -> None:
    analyst = seeded.signed_in("analyst")
    page = analyst.get("/dashboard")
    assert page.status_code == 200
    assert "How much is it" in page.text and "Add to training data" not in page.text
    response = analyst.post("/dashboard/examples", {"intent": "ask_pricing", "text": "zq cost"})
    assert response.status_code == 403
    assert "zq cost" not in Workspace.for_settings(seeded.settings).read("data/nlu.yml")


def test_bad_filters_and_signed_out_visitors(studio: StudioServer) -> None:
    marketer = studio.signed_in("marketer")
    bad = marketer.get("/dashboard?period=1y")
    assert bad.status_code == 400 and "unknown period" in bad.text
    assert marketer.get("/dashboard?channel=fax").status_code == 400
    empty = marketer.get("/dashboard?period=all")
    assert "No new contacts in this period." in empty.text
    assert "no messages" in empty.text  # no tracker table yet: no data, no error
    visitor = studio.client().get("/dashboard")
    assert visitor.status_code == 303 and visitor.headers["Location"].startswith("/login")


def test_charts_escape_their_labels_and_are_accessible() -> None:
    charts = [
        bar_chart("Funnel <x>", [("<script>", 3.0), ("b&c", 1.0)]),
        grouped_bar_chart("G", ["a"], [("<s1>", [1.0]), ("s2", [2.0])]),
        column_chart("C", ["<d>"], [("conversations", [2.0])]),
        rate_chart("R", [("<d>", 0.5), ("e", None), ("f", 0.25)]),
    ]
    for chart in charts:
        assert chart.startswith('<svg class="chart" role="img" aria-label="')
        assert "<title>" in chart and "<script>" not in chart and "<s1>" not in chart
    assert "&lt;script&gt;" in charts[0] and 'aria-label="Funnel &lt;x&gt;"' in charts[0]
    assert "No data" in rate_chart("R", [("a", None)])


def test_a_sale_won_shows_in_the_funnel_and_the_campaign_results(studio: StudioServer) -> None:
    seed_campaign(studio.store)
    [contact] = studio.store.contacts.page(limit=5)  # the one seed_campaign enrolled
    studio.store.leads.record_outcome(
        contact.id, "lost", source="api", recorded_by="api-token:t", now=ago(2)
    )
    analyst = studio.signed_in("analyst")
    assert funnel_row(analyst.get("/dashboard").text, "telegram")[-1] == 0  # converted
    studio.store.leads.record_outcome(
        contact.id, "won", source="hubspot", recorded_by="hubspot", value="900", currency="EUR",
        now=ago(1),
    )  # fmt: skip
    page = analyst.get("/dashboard").text
    assert funnel_row(page, "telegram")[-1] == 1
    row = row_of(page, "data-campaign", "welcome")
    assert numbers(row) == [1, 1, 1, 0, 0, 1, 0, 1]
    # welcome.yml costs telegram nothing: 0.00 per converted lead, not "-" (no cost)
    assert '<td class="num cost">0.00</td>' in row
