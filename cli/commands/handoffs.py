"""`parley handoffs list|retry` and `parley bookings list|slots`."""

from __future__ import annotations

import argparse
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from bot.booking import load_availability, next_free_slots
from bot.settings import Settings
from bot.store import ProfileStore
from cli.commands.requeued import requeued_note


def dispatch(args: argparse.Namespace, settings: Settings) -> int:
    store = ProfileStore.from_url(settings.database_url)
    now = datetime.now(timezone.utc)
    try:
        command = args.handoffs_command
        if command == "list":
            return list_deliveries(store, args.status)
        if command == "retry":
            return retry(store, settings, args.id, now)
        if command == "bookings":
            return list_bookings(store, settings)
        return free_slots(store, settings, now)
    finally:
        store.dispose()


def list_deliveries(store: ProfileStore, status: str | None) -> int:
    rows = store.outbox.deliveries(status)
    print(f"{'id':>5}  {'kind':16} {'status':10} {'tries':>5}  {'created':20}  last error")
    for d in rows:
        target = d.payload.get("url") or d.payload.get("to") or ""
        print(
            f"{d.id:>5}  {d.kind:16} {d.status:10} {d.attempts:>5}  "
            f"{d.created_at:%Y-%m-%d %H:%M:%S}  {(d.last_error or '-')[:60]}  {target}"
        )
    print(f"({len(rows)} deliveries)")
    return 0


def retry(store: ProfileStore, settings: Settings, delivery_id: int | None, now: datetime) -> int:
    reset = store.outbox.retry_failed_deliveries(delivery_id, now=now)
    print(requeued_note(reset, settings))
    return 0


def list_bookings(store: ProfileStore, settings: Settings) -> int:
    zone = ZoneInfo(load_availability(settings).timezone)
    rows = store.leads.bookings()
    for b in rows:
        contact = store.contacts.get(b.contact_id)
        print(
            f"{b.starts_at.astimezone(zone):%a %d %b %Y %H:%M}  {b.status:10} "
            f"{contact.name or '-'} <{contact.email or contact.phone or contact.id}>"
        )
    print(f"({len(rows)} bookings, times in {zone.key})")
    return 0


def free_slots(store: ProfileStore, settings: Settings, now: datetime) -> int:
    availability = load_availability(settings)
    zone = ZoneInfo(availability.timezone)
    for slot in next_free_slots(store, availability, now, count=10):
        print(f"{slot.start.astimezone(zone):%a %d %b %Y %H:%M}")
    return 0
