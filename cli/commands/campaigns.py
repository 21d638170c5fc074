"""`parley campaigns ...`, `parley segments ...` and `parley worker`."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, TextIO

from tqdm import tqdm

from bot.errors import ContactNotFound, ParleyError, StoreUnavailable
from bot.field_values import read_fields
from bot.segments.language import SegmentError, describe, parse_segment
from bot.settings import Settings
from bot.store import ContactSnapshot, ProfileStore, upgrade
from bot.types import ContactId
from campaigns.definitions import (
    Campaign,
    CampaignError,
    SendStep,
    load_campaign,
    load_campaigns,
)
from campaigns.guards import candidate_channels, refusal
from campaigns.results import campaign_results
from campaigns.templates import RenderFailed, context_for
from campaigns.triggers import enroll_manually
from campaigns.worker import limits_of


def now() -> datetime:
    return datetime.now(timezone.utc)


def _store(settings: Settings) -> ProfileStore:
    upgrade(settings.database_url)  # cheap when current; a fresh install just works
    return ProfileStore.from_url(settings.database_url)


def _campaign(settings: Settings, name: str) -> Campaign:
    campaigns = load_campaigns(settings.campaigns.directory)
    if name not in campaigns:
        known = ", ".join(sorted(campaigns)) or "none"
        raise SystemExit(f"parley: no campaign {name!r} (campaigns: {known})")
    return campaigns[name]


def cmd_list(args: argparse.Namespace, settings: Settings, out: TextIO) -> int:
    campaigns = load_campaigns(settings.campaigns.directory)
    if not campaigns:
        print(f"no campaigns in {settings.campaigns.directory}", file=out)
        return 0
    store = _store(settings)
    try:
        print(
            f"{'campaign':<24} {'trigger':<16} {'steps':>5} {'state':<7} {'enrolled':>8} "
            f"{'active':>6}",
            file=out,
        )
        for campaign in campaigns.values():
            state = store.campaigns.state(campaign.name, args.clock())
            enrolled = store.campaigns.enrollments(campaign.name)
            active = sum(1 for e in enrolled if e.status == "active")
            print(
                f"{campaign.name:<24} {campaign.trigger.kind:<16} {len(campaign.steps):>5} "
                f"{'paused' if state.paused else 'running':<7} {len(enrolled):>8} {active:>6}",
                file=out,
            )
    finally:
        store.dispose()
    return 0


def cmd_validate(args: argparse.Namespace, settings: Settings, out: TextIO) -> int:
    paths = [p for p in args.files] or sorted(settings.campaigns.directory.glob("*.yml"))
    failed, seen = 0, dict[str, str]()  # campaign name: its file
    for path in paths:
        try:
            campaign = load_campaign(path)
            if campaign.name in seen:  # load_campaigns, and so the worker, would refuse it
                raise CampaignError(
                    path.name, "name", f"{campaign.name!r} is also in {seen[campaign.name]}"
                )
        except ParleyError as error:
            failed += 1
            print(f"✗ {error}", file=out)
            continue
        seen[campaign.name] = path.name
        print(
            f"✓ {path.name}: {campaign.name}, {len(campaign.steps)} steps, "
            f"trigger {campaign.trigger.kind}, audience {campaign.audience_text}",
            file=out,
        )
    return 1 if failed else 0


def cmd_preview(args: argparse.Namespace, settings: Settings, out: TextIO) -> int:
    campaign = _campaign(settings, args.campaign)
    store = _store(settings)
    try:
        contact = store.contacts.find(args.contact)
        if contact is None:
            raise SystemExit(f"parley: no contact {args.contact!r}")
        at = args.clock()
        snapshot = store.campaigns.contact_snapshot(contact.id, at)
        in_audience = store.campaigns.in_segment(contact.id, campaign.audience, at)
    finally:
        store.dispose()
    print(
        f"campaign {campaign.name} for contact {contact.id} "
        f"({'in' if in_audience else 'NOT in'} the audience: {campaign.audience_text})",
        file=out,
    )
    fields = read_fields(settings.lead_fields_file)
    context = context_for(snapshot, settings.company_name, "https://…/unsubscribe", fields)
    for number, step in enumerate(campaign.steps, start=1):
        print(
            f"\n{number}. {step.id} ({type(step).__name__.removesuffix('Step').lower()})", file=out
        )
        if isinstance(step, SendStep):
            _preview_send(step, snapshot, context, settings, out, at)
    return 0


def _preview_send(
    step: SendStep,
    snapshot: ContactSnapshot,
    context: dict[str, Any],
    settings: Settings,
    out: TextIO,
    at: datetime,
) -> None:
    limits = limits_of(settings)
    configured = ("sms", "whatsapp", "telegram", "email")
    for variant in step.variants:
        for channel in candidate_channels(step.channels, snapshot):
            why = refusal(channel, snapshot, variant.message, limits, configured, at)
            template = variant.message.text_for(channel)
            try:
                text = template.render(context) if template else ""
            except RenderFailed as error:
                text = f"(cannot render: {error})"
            status = "would send" if why is None else f"would not send: {why}"
            print(f"   [{variant.name} · {channel}] {status}", file=out)
            if channel == "email" and variant.message.email_subject is not None:
                try:
                    print(
                        f"     Subject: {variant.message.email_subject.render(context)}", file=out
                    )
                except RenderFailed as error:
                    print(f"     Subject: (cannot render: {error})", file=out)
            for line in text.splitlines() or [""]:
                print(f"     {line}", file=out)


def cmd_enroll(args: argparse.Namespace, settings: Settings, out: TextIO) -> int:
    campaign = _campaign(settings, args.campaign)
    store = _store(settings)
    try:
        ids = (
            _known_contacts(store, args.contact, out)
            if args.contact
            else list(_segment_ids(store, args.segment, args.clock()))
        )
        enrolled = 0
        for chunk in _chunks(
            tqdm(ids, desc="enrolling", unit="contact", file=sys.stderr, disable=len(ids) < 200), 1
        ):
            try:
                enrolled += enroll_manually(store, campaign, chunk, args.clock())
            except ContactNotFound as error:
                print(f"skipped: {error}", file=out)
    finally:
        store.dispose()
    print(
        f"enrolled {enrolled} of {len(args.contact) or len(ids)} in {campaign.name} "
        "(the others were enrolled before or are outside its audience)",
        file=out,
    )
    return 0


def _known_contacts(store: ProfileStore, keys: Sequence[str], out: TextIO) -> list[ContactId]:
    """Enrolling skips a missing contact as if outside the audience; say so here instead."""
    ids: list[ContactId] = []
    for key in keys:
        contact = store.contacts.find(key)
        if contact is None:
            print(f"skipped: {ContactNotFound(key)}", file=out)
        else:
            ids.append(contact.id)
    return ids


def _segment_ids(store: ProfileStore, text: str | None, at: datetime) -> Iterator[ContactId]:
    if not text:
        raise SystemExit("parley: give --contact ID (repeatable) or --segment EXPRESSION")
    segment, after = parse_segment(text), None
    while True:
        page = store.campaigns.contact_ids_in_segment(segment, at, after=after, limit=1000)
        yield from page
        if len(page) < 1000:
            return
        after = page[-1]


def _chunks(
    items: Iterator[ContactId] | Sequence[ContactId], size: int
) -> Iterator[list[ContactId]]:
    chunk: list[ContactId] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def cmd_pause(args: argparse.Namespace, settings: Settings, out: TextIO) -> int:
    campaign = _campaign(settings, args.campaign)
    paused = args.command == "pause"
    store = _store(settings)
    try:
        store.campaigns.set_paused(campaign.name, paused, args.clock())
    finally:
        store.dispose()
    print(
        f"{campaign.name} is {'paused: nothing is enrolled or sent' if paused else 'running'}",
        file=out,
    )
    return 0


def cmd_stats(args: argparse.Namespace, settings: Settings, out: TextIO) -> int:
    campaigns = load_campaigns(settings.campaigns.directory)
    names = [args.campaign] if args.campaign else sorted(campaigns)
    store = _store(settings)
    try:
        for name in names:
            results = campaign_results(store, name, campaigns.get(name), args.clock())
            print(results.render(), file=out)
    finally:
        store.dispose()
    return 0


def cmd_segment_preview(args: argparse.Namespace, settings: Settings, out: TextIO) -> int:
    try:
        segment = parse_segment(args.expression, read_fields(settings.lead_fields_file))
    except SegmentError as error:
        print(f"parley: {error}", file=out)
        return 2
    store = _store(settings)
    try:
        at = args.clock()
        count = store.campaigns.count_in_segment(segment, at)
        sample = store.campaigns.segment_sample(segment, at, limit=args.limit)
    finally:
        store.dispose()
    print(f"{describe(segment)}\n{count} contact{'s' if count != 1 else ''} match", file=out)
    for contact in sample:
        print(
            f"  {contact.id}  {contact.name or '-':<20} {contact.email or '-':<28} "
            f"{contact.phone or '-':<16} {contact.lead_status}",
            file=out,
        )
    return 0


def cmd_worker(args: argparse.Namespace, settings: Settings, out: TextIO) -> int:
    from campaigns.worker import main as worker_main

    return worker_main([])


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="parley")
    groups = parser.add_subparsers(dest="group", required=True)
    campaigns = groups.add_parser("campaigns", help="follow-up campaigns").add_subparsers(
        dest="command", required=True
    )
    campaigns.add_parser("list", help="campaigns, their state and enrollments").set_defaults(
        handler=cmd_list
    )
    validate = campaigns.add_parser("validate", help="check campaign files")
    validate.add_argument("files", nargs="*", type=Path, help="files (default: all)")
    validate.set_defaults(handler=cmd_validate)
    preview = campaigns.add_parser("preview", help="render each step for one contact")
    preview.add_argument("campaign")
    preview.add_argument("contact", help="id, email or phone")
    preview.set_defaults(handler=cmd_preview)
    enroll = campaigns.add_parser("enroll", help="enroll contacts by hand")
    enroll.add_argument("campaign")
    enroll.add_argument("--contact", action="append", default=[], help="id, repeatable")
    enroll.add_argument("--segment", help='a segment, e.g. "grade in [A, B]"')
    enroll.set_defaults(handler=cmd_enroll)
    for verb in ("pause", "resume"):
        command = campaigns.add_parser(verb, help=f"{verb} a campaign")
        command.add_argument("campaign")
        command.set_defaults(handler=cmd_pause)
    stats = campaigns.add_parser("stats", help="results per step, variant and channel")
    stats.add_argument("campaign", nargs="?")
    stats.set_defaults(handler=cmd_stats)
    segments = groups.add_parser("segments", help="audience segments").add_subparsers(
        dest="command", required=True
    )
    seg_preview = segments.add_parser("preview", help="count and sample a segment")
    seg_preview.add_argument("expression")
    seg_preview.add_argument("--limit", type=int, default=10)
    seg_preview.set_defaults(handler=cmd_segment_preview)
    groups.add_parser("worker", help="run the campaign worker").set_defaults(handler=cmd_worker)
    return parser


def run(
    argv: Sequence[str],
    settings: Settings,
    out: TextIO = sys.stdout,
    clock: Callable[[], datetime] = now,
) -> int:
    """One campaigns, segments or worker command, with the settings `parley` read."""
    args = build_parser().parse_args(argv)
    args.clock = clock
    try:
        return int(args.handler(args, settings, out))
    except (ParleyError, SegmentError) as error:
        print(f"parley: {error}", file=sys.stderr)
        return 1
    except StoreUnavailable as error:
        print(f"parley: the profile store is unavailable: {error}", file=sys.stderr)
        return 1
