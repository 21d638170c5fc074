"""`parley crm sync|pull|status`: push changed leads to the CRM now, pull closed deals
back as outcomes now, or see how far each got."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime, timezone

from bot.crm import SYNC_KINDS, HubSpotConnector, pull_outcomes, sync_due
from bot.settings import Settings
from bot.store import ProfileStore, upgrade

OFF = "CRM sync is off: set HUBSPOT_ACCESS_TOKEN (see 'CRM sync (HubSpot)' in the README)"


def dispatch(args: argparse.Namespace, settings: Settings) -> int:
    connector = HubSpotConnector.from_settings(settings.crm, settings.lead_fields_file)
    upgrade(settings.database_url)
    store = ProfileStore.from_url(settings.database_url)
    try:
        if args.crm_command == "status":
            code = status(store, HubSpotConnector.name, on=connector is not None)
            pull_status(store, f"{HubSpotConnector.name}.deals")
            return code
        if connector is None:
            print(OFF, file=sys.stderr)
            return 2
        now = datetime.now(timezone.utc)
        report = (
            pull_outcomes(store, connector, now)
            if args.crm_command == "pull"
            else sync_due(store, connector, now)
        )
        print(report.describe())
        return 0 if report.error is None else 1
    finally:
        store.dispose()
        if connector is not None:
            connector.close()


def status(store: ProfileStore, connector: str, *, on: bool) -> int:
    position = store.integrations.crm_cursor(connector)
    pending = store.integrations.count_events_after(position, SYNC_KINDS)
    print(f"{connector}: {'on' if on else 'off (HUBSPOT_ACCESS_TOKEN not set)'}")
    print(f"cursor: event {position}, {pending} events waiting")
    failure = store.integrations.crm_failure(connector)
    if failure is None:
        print("last error: none since the cursor last moved")
        return 0
    print(
        f"last error ({failure.occurred_at.isoformat()}, {failure.attempts} in a row): "
        f"{failure.error}"
    )
    if failure.retry_at is not None:
        print(f"next try not before {failure.retry_at.isoformat()}")
    return 0


def pull_status(store: ProfileStore, connector: str) -> None:
    state = store.integrations.crm_pull(connector)
    since = state.modified_since.isoformat() if state.modified_since else "never pulled"
    print(f"{connector}: closed deals read up to {since}")
    if state.last_error:
        print(f"last pull error ({state.attempts} in a row): {state.last_error}")
        if state.retry_at is not None:
            print(f"next pull not before {state.retry_at.isoformat()}")


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    crm = commands.add_parser(
        "crm", help="push captured and qualified leads to HubSpot, pull deal outcomes back"
    )
    actions = crm.add_subparsers(dest="crm_command", required=True, metavar="ACTION")
    actions.add_parser("sync", help="push what changed now (the worker does this each tick)")
    actions.add_parser(
        "pull", help="read closed deals back as outcomes now (the worker does this each minute)"
    )
    actions.add_parser("status", help="cursor, events waiting, last error, deals read")
