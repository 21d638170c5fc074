"""The dashboard: the funnel by channel and period, campaign results, the fallback rate
and the messages the bot understood least (one click adds one to the training data)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlencode

import yaml
from aiohttp import web
from markupsafe import Markup

from bot.errors import StoreUnavailable
from bot.settings import Settings
from bot.store import FunnelReport, ProfileStore, UnderstandingReport, understanding_report
from bot.types import CHANNELS
from campaigns.definitions import CampaignError, load_campaigns
from campaigns.results import Results, campaign_results
from studio import charts
from studio.masking import Masked, mask_personal_data
from studio.roles import can
from studio.web import SETTINGS, STORE, audit, form, in_thread, redirect, render, requires, user_of
from studio.workspace import ContentError, Workspace

routes = web.RouteTableDef()
PERIODS: dict[str, int | None] = {"7d": 7, "30d": 30, "90d": 90, "all": None}
PERIOD_NAMES = {
    "7d": "the last 7 days",
    "30d": "the last 30 days",
    "90d": "the last 90 days",
    "all": "all time",
}
DEFAULT_PERIOD = "30d"
CHANNEL_CHOICES = ("all", *CHANNELS)
STAGES = (
    ("conversations", "Conversations"),
    ("leads", "Leads"),
    ("consented", "Consented"),
    ("qualified", "Qualified"),
    ("converted", "Converted"),
)
# Rasa's own default, when config.yml names no FallbackClassifier threshold.
DEFAULT_THRESHOLD = 0.3
Bucket = Literal["day", "week", "month"]


@dataclass(frozen=True)
class Filters:
    period: str = DEFAULT_PERIOD
    channel: str = "all"

    def since(self, now: datetime) -> datetime | None:
        days = PERIODS[self.period]
        return None if days is None else now - timedelta(days=days)

    def query(self, **extra: str) -> str:
        return urlencode({"period": self.period, "channel": self.channel, **extra})


@dataclass(frozen=True)
class CampaignRow:
    name: str
    enrolled: int
    sent: int
    delivered: int
    failed: int
    replied: int
    converted: int
    opted_out: int
    won: int
    cost_per_converted: str  # "-" where the campaign has no cost or no conversion


def filters_of(values: Mapping[str, str]) -> Filters:
    """The period and channel asked for; anything else is a clear 400."""
    period = values.get("period", DEFAULT_PERIOD) or DEFAULT_PERIOD
    channel = values.get("channel", "all") or "all"
    if period not in PERIODS:
        raise ValueError(f"unknown period {period!r}: choose one of {', '.join(PERIODS)}")
    if channel not in CHANNEL_CHOICES:
        raise ValueError(f"unknown channel {channel!r}: choose one of {', '.join(CHANNEL_CHOICES)}")
    return Filters(period, channel)


@routes.get("/dashboard")
@requires("dashboard")
async def dashboard(request: web.Request) -> web.Response:
    try:
        filters = filters_of(request.query)
    except ValueError as error:
        return render(request, "error.html", status=400, message=f"The dashboard: {error}.")
    context = await _context(request, filters)
    added = request.query.get("added", "")
    if added and added in context["intents"]:
        context["notice"] = (
            f"Added the example to the intent {added} in the draft; publish to train the bot."
            + masked_notice(request.query.get("masked", ""))
        )
    # The least-understood messages are what people wrote: personal data, maybe.
    await audit(
        request, "dashboard.viewed", "dashboard", period=filters.period, channel=filters.channel
    )
    return render(request, "dashboard/index.html", **context)


@routes.post("/dashboard/examples")
@requires("content.edit")
async def add_example(request: web.Request) -> web.Response:
    data = await form(request)
    try:
        filters = filters_of(data)
    except ValueError:
        filters = Filters()
    intent, text = data.get("intent", "").strip(), data.get("text", "")
    workspace = Workspace.for_settings(request.app[SETTINGS])
    error = ""
    if not intent:
        error = "Choose the intent the message should have been understood as."
    elif intent not in await in_thread(workspace.intents):
        error = f"There is no intent {intent!r} in the draft's domain.yml."
    else:
        try:
            masked = await in_thread(
                masked_example, request.app[SETTINGS], request.app[STORE], text
            )
            await in_thread(workspace.add_nlu_example, intent, masked.text)
        except ContentError as refused:
            error = f"The example was not added: {refused}."
        except StoreUnavailable as down:
            # Unmasked, a name could go into the training data: add nothing.
            error = f"The example was not added: the profile store is unavailable ({down})."
    if error:
        context = await _context(request, filters)
        return render(request, "dashboard/index.html", status=400, **{**context, "error": error})
    await audit(
        request,
        "studio.nlu_example_added",
        intent,
        source="dashboard",
        characters=len(masked.text),
        masked=",".join(masked.kinds),
    )
    shown = {"added": intent, **({"masked": ",".join(masked.kinds)} if masked.kinds else {})}
    return redirect(f"/dashboard?{filters.query(**shown)}")


def masked_example(settings: Settings, store: ProfileStore, text: str) -> Masked:
    """The message with its emails, phone numbers and names (those it states, and the
    contacts' names it holds) replaced: training data outlives every erasure."""
    example = " ".join(text.split())
    return mask_personal_data(
        example, settings.default_region, store.privacy.contact_names_in(example)
    )


def masked_notice(kinds: str) -> str:
    words = {"email": "email addresses", "phone": "phone numbers", "name": "names"}
    named = [words[kind] for kind in kinds.split(",") if kind in words]
    if not named:
        return ""
    return f" Its {', '.join(named)} were replaced by stand-ins: training data outlives erasures."


async def _context(request: web.Request, filters: Filters) -> dict[str, Any]:
    settings, store = request.app[SETTINGS], request.app[STORE]
    now = datetime.now(timezone.utc)
    since = filters.since(now)
    channel = None if filters.channel == "all" else filters.channel
    try:
        funnel = await in_thread(store.studio.funnel_report, since, channel)
    except StoreUnavailable as error:
        message = f"the profile store is unavailable: {error}"
        raise web.HTTPServiceUnavailable(text=message) from error
    threshold = fallback_threshold(settings.content_root / "config.yml")
    understanding, tracker_error = None, ""
    try:
        understanding = await in_thread(
            understanding_report, settings.tracker_store_url, since, threshold
        )
    except StoreUnavailable as error:
        tracker_error = f"The conversation store is unavailable: {error}"
    campaigns, campaign_error = await in_thread(campaign_rows, settings, store, now)
    editor = can(user_of(request).role, "content.edit")
    intents = await in_thread(Workspace.for_settings(settings).intents) if editor else []
    return {
        "filters": filters,
        "periods": PERIOD_NAMES,
        "channels": CHANNEL_CHOICES,
        "stages": STAGES,
        "funnel": funnel,
        "funnel_charts": funnel_charts(funnel, filters),
        "activity_chart": activity_chart(funnel, since, now),
        "understanding": understanding,
        "tracker_error": tracker_error,
        "rate_chart": fallback_chart(understanding, since, now) if understanding else None,
        "campaigns": campaigns,
        "campaign_error": campaign_error,
        "campaign_chart": campaign_chart(campaigns),
        "editor": editor,
        "intents": intents,
        "notice": "",
        "error": "",
    }


def fallback_threshold(config: Path) -> float:
    """The FallbackClassifier's threshold in the live config.yml: below it, a fallback."""
    try:
        loaded = yaml.safe_load(config.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError):
        return DEFAULT_THRESHOLD
    for component in loaded.get("pipeline") or []:
        if isinstance(component, dict) and component.get("name") == "FallbackClassifier":
            threshold = component.get("threshold", DEFAULT_THRESHOLD)
            return float(threshold) if isinstance(threshold, int | float) else DEFAULT_THRESHOLD
    return DEFAULT_THRESHOLD


def campaign_rows(
    settings: Settings, store: ProfileStore, now: datetime
) -> tuple[list[CampaignRow], str]:
    """Every defined campaign's results, as `parley campaigns stats` counts them."""
    try:
        defined = load_campaigns(settings.campaigns.directory)
    except CampaignError as error:
        return [], f"The campaign files have a problem: {error}"
    return [
        _campaign_row(campaign_results(store, name, campaign, now))
        for name, campaign in defined.items()
    ], ""


def _campaign_row(results: Results) -> CampaignRow:
    lines = results.lines.values()
    return CampaignRow(
        name=results.campaign,
        enrolled=results.enrolled,
        sent=sum(line.sent for line in lines),
        delivered=sum(line.delivered for line in lines),
        failed=sum(line.failed for line in lines),
        replied=sum(line.outcomes["replied"] for line in lines),
        converted=sum(line.outcomes["converted"] for line in lines),
        opted_out=sum(line.outcomes["opted_out"] for line in lines),
        won=results.won,
        cost_per_converted=(
            "-" if results.cost_per_converted is None else f"{results.cost_per_converted:.2f}"
        ),
    )


# ---------------------------------------------------------------------------- charts


def funnel_charts(funnel: FunnelReport, filters: Filters) -> list[Markup]:
    period = PERIOD_NAMES[filters.period]
    where = "every channel" if filters.channel == "all" else filters.channel
    total = [(label, float(getattr(funnel.total, field))) for field, label in STAGES]
    shown = [charts.bar_chart(f"Funnel, {where}, {period}", total)]
    if len(funnel.channels) > 1:
        series = [
            (row.channel, [float(getattr(row, field)) for field, _ in STAGES])
            for row in funnel.channels
        ]
        shown.append(
            charts.grouped_bar_chart(
                f"Funnel by channel, {period}", [label for _, label in STAGES], series
            )
        )
    return shown


def activity_chart(funnel: FunnelReport, since: datetime | None, now: datetime) -> Markup:
    size = bucket_size(since, [d.day for d in funnel.days], now)
    conversations: dict[date, float] = {}
    leads: dict[date, float] = {}
    for day in funnel.days:
        key = bucket_of(day.day.date(), size)
        conversations[key] = conversations.get(key, 0) + day.conversations
        leads[key] = leads.get(key, 0) + day.leads
    keys = bucket_range(since, [d.day for d in funnel.days], now, size)
    return charts.column_chart(
        f"New conversations and leads per {size}",
        [bucket_label(key, size) for key in keys],
        [("conversations", [conversations.get(k, 0) for k in keys]),
         ("leads", [leads.get(k, 0) for k in keys])],
    )  # fmt: skip


def fallback_chart(report: UnderstandingReport, since: datetime | None, now: datetime) -> Markup:
    size = bucket_size(since, [d.day for d in report.days], now)
    totals: dict[date, list[int]] = {}
    for day in report.days:
        counts = totals.setdefault(bucket_of(day.day.date(), size), [0, 0])
        counts[0] += day.messages
        counts[1] += day.fallbacks
    keys = bucket_range(since, [d.day for d in report.days], now, size)
    points = [(bucket_label(k, size), _rate(totals.get(k))) for k in keys]
    return charts.rate_chart(f"Fallback rate per {size}", points, name="fallback rate")


def _rate(counts: list[int] | None) -> float | None:
    return counts[1] / counts[0] if counts and counts[0] else None


def campaign_chart(rows: list[CampaignRow]) -> Markup:
    measures = ("sent", "delivered", "failed", "replied", "converted", "opted_out")
    series = [(m.replace("_", " "), [float(getattr(row, m)) for row in rows]) for m in measures]
    return charts.grouped_bar_chart("Campaign results", [row.name for row in rows], series)


def bucket_size(since: datetime | None, days: Iterable[datetime], now: datetime) -> Bucket:
    """Days for a month, weeks up to half a year, months beyond: readable columns."""
    start = _start(since, days, now)
    span = (now.date() - start).days
    return "day" if span <= 31 else "week" if span <= 190 else "month"


def bucket_of(day: date, size: Bucket) -> date:
    if size == "week":
        return day - timedelta(days=day.weekday())
    if size == "month":
        return day.replace(day=1)
    return day


def bucket_range(
    since: datetime | None, days: Iterable[datetime], now: datetime, size: Bucket
) -> list[date]:
    """Every bucket from the period's start to today, empty ones too."""
    key, last, found = bucket_of(_start(since, days, now), size), bucket_of(now.date(), size), []
    while key <= last:
        found.append(key)
        if size == "month":
            key = (key.replace(day=28) + timedelta(days=4)).replace(day=1)
        else:
            key += timedelta(days=7 if size == "week" else 1)
    return found


def bucket_label(key: date, size: Bucket) -> str:
    if size == "month":
        return f"{key:%b %Y}"
    return f"{'w/c ' if size == 'week' else ''}{key:%b} {key.day}"


def _start(since: datetime | None, days: Iterable[datetime], now: datetime) -> date:
    if since is not None:
        return since.date()
    return min((d.date() for d in days), default=now.date())
