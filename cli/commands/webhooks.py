"""`parley webhooks subscribe|list|unsubscribe|failed|retry`."""

from __future__ import annotations

import argparse
from datetime import datetime, timezone

from bot import webhooks
from bot.settings import Settings
from bot.store import EVENT_TYPES, ProfileStore, upgrade
from cli.commands.requeued import requeued_note


def dispatch(args: argparse.Namespace, settings: Settings) -> int:
    upgrade(settings.database_url)
    store = ProfileStore.from_url(settings.database_url)
    now = datetime.now(timezone.utc)
    allow_private = settings.api.webhooks_allow_private
    try:
        command = args.webhooks_command
        if command == "subscribe":
            return subscribe(store, args.url, args.events, args.secret, now, allow_private)
        if command == "list":
            return list_subscriptions(store)
        if command == "unsubscribe":
            found = store.integrations.unsubscribe_webhook(args.id)
            print(f"subscription {args.id} {'stopped' if found else 'was not active'}")
            return 0 if found else 1
        if command == "failed":
            return list_failed(store)
        count = store.outbox.retry_failed_webhooks(args.id, now)
        print(requeued_note(count, settings))
        return 0
    finally:
        store.dispose()


def subscribe(
    store: ProfileStore,
    url: str,
    events: str,
    secret: str | None,
    now: datetime,
    allow_private: bool = False,
) -> int:
    wanted = list(EVENT_TYPES) if events == "all" else [e.strip() for e in events.split(",")]
    webhooks.check_subscription(url, wanted, allow_private)
    key = secret or webhooks.new_secret()
    made = store.integrations.subscribe_webhook(url, wanted, key, now)
    print(f"subscription {made.id}: {url} receives {', '.join(made.events)}")
    if secret is None:
        print(f"signing secret (shown once; verify X-Parley-Signature with it): {key}")
    return 0


def list_subscriptions(store: ProfileStore) -> int:
    for sub in store.integrations.webhook_subscriptions():
        state = "active" if sub.active else "stopped"
        print(f"{sub.id:>4}  {state:8} {sub.url}  {', '.join(sub.events)}")
    return 0


def list_failed(store: ProfileStore) -> int:
    failed = store.outbox.webhook_deliveries("failed")
    for d in failed:
        print(
            f"{d.id:>5}  {d.type:18} {d.event_id}  tries {d.attempts}  {d.url}  "
            f"{(d.last_error or '-')[:80]}"
        )
    print(f"({len(failed)} failed deliveries; `parley webhooks retry [ID]` sends them again)")
    return 0


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    hooks = commands.add_parser("webhooks", help="signed event webhooks to other systems")
    actions = hooks.add_subparsers(dest="webhooks_command", required=True, metavar="ACTION")
    sub = actions.add_parser("subscribe", help="send events to URL (https, a public address)")
    sub.add_argument("url")
    sub.add_argument(
        "--events", default="all", help=f"comma-separated, or all: {', '.join(EVENT_TYPES)}"
    )
    sub.add_argument("--secret", help="signing secret (default: a new one, printed once)")
    actions.add_parser("list", help="subscriptions")
    stop = actions.add_parser("unsubscribe", help="stop a subscription")
    stop.add_argument("id", type=int)
    actions.add_parser("failed", help="deliveries that failed for good (dead letters)")
    retry = actions.add_parser("retry", help="queue failed deliveries again")
    retry.add_argument("id", type=int, nargs="?")
