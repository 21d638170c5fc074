"""`parley privacy export|erase|purge|sweep` and `parley consent proof`."""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from typing import Any

from bot import privacy
from bot.errors import ContactNotFound
from bot.settings import Settings
from bot.store import Contact, ProfileStore


def actor() -> str:
    return f"cli:{getpass.getuser()}"


def _find(store: ProfileStore, key: str) -> Contact:
    contact = store.contacts.find(key)
    if contact is None:
        raise ContactNotFound(key)
    return contact


def dispatch(args: argparse.Namespace, settings: Settings) -> int:
    store = ProfileStore.from_url(settings.database_url)
    try:
        handler = {
            "export": _export,
            "erase": _erase,
            "purge": _purge,
            "sweep": _sweep,
            "proof": _proof,
        }[args.privacy_command]
        return handler(args, settings, store)
    finally:
        store.dispose()


def _export(args: argparse.Namespace, settings: Settings, store: ProfileStore) -> int:
    document = privacy.export(store, settings, _find(store, args.contact).id, actor())
    text = json.dumps(document, indent=2, ensure_ascii=False, default=str)
    if args.output == "-":
        print(text)
    else:
        with open(args.output, "w", encoding="utf-8") as out:
            out.write(text + "\n")
        print(f"wrote {args.output}", file=sys.stderr)
    return 0


def _erase(args: argparse.Namespace, settings: Settings, store: ProfileStore) -> int:
    contact = _find(store, args.contact)
    if not args.yes:
        answer = input(
            f"Erase {contact.name or contact.id} ({contact.email or contact.phone or '-'}) for good? [y/N] "
        )
        if answer.strip().lower() not in {"y", "yes"}:
            print("nothing erased")
            return 1
    receipt = privacy.erase(store, settings, contact.id, actor())
    print(
        f"erased contact {receipt.contact_id}: {len(receipt.identities)} identities, "
        f"{receipt.suppressed} identifiers on the suppression list"
    )
    return 0


def _purge(args: argparse.Namespace, settings: Settings, store: ProfileStore) -> int:
    removed = privacy.purge(store, settings, actor(), dry_run=args.dry_run)
    verb = "would remove" if args.dry_run else "removed"
    print(
        f"{verb} {len(removed)} contacts with no consent and no activity in {settings.retention_days} days"
    )
    for contact_id in removed:
        print(f"  {contact_id}")
    return 0


def _sweep(args: argparse.Namespace, settings: Settings, store: ProfileStore) -> int:
    print(
        f"deleted {privacy.sweep_trackers(store, settings)} tracker events of erased conversations"
    )
    return 0


def _proof(args: argparse.Namespace, settings: Settings, store: ProfileStore) -> int:
    contact = _find(store, args.contact)
    history = [event.to_export() for event in store.consent.history(contact.id)]
    store.privacy.record_audit(actor(), "consent_proof", contact.id)
    if args.json:
        print(
            json.dumps(
                {"contact_id": contact.id, "consent_history": history}, indent=2, ensure_ascii=False
            )
        )
    else:
        print_consent_table(contact, history)
    return 0


def print_consent_table(contact: Contact, history: list[dict[str, Any]]) -> None:
    print(f"Consent history of {contact.name or '-'} ({contact.id})")
    if not history:
        print("  no consent events")
    for event in history:
        state = "GRANTED  " if event["granted"] else "WITHDRAWN"
        print(
            f"  {event['occurred_at']}  {event['purpose']:10} {state} via {event['channel']} ({event['source']})"
        )
        print(f"      wording v{event['wording_version']}: {event['wording']}")
        evidence = {k: v for k, v in event["evidence"].items() if v}
        print(f"      evidence: {json.dumps(evidence, ensure_ascii=False)}")
