"""`parley api-token create|list|revoke`."""

from __future__ import annotations

import argparse

from api import tokens
from bot.settings import Settings
from bot.store import ProfileStore, upgrade


def dispatch(args: argparse.Namespace, settings: Settings) -> int:
    upgrade(settings.database_url)
    store = ProfileStore.from_url(settings.database_url)
    try:
        if args.token_command == "create":
            scopes = tokens.check_scopes([s.strip() for s in args.scopes.split(",") if s.strip()])
            issued = tokens.issue()
            store.integrations.create_api_token(
                issued.token_id, args.name, scopes, issued.secret_hash
            )
            print(f"token {issued.token_id} ({args.name}; scopes {', '.join(scopes)}):")
            print(f"  {issued.token}")
            print("Shown once: only a hash is kept. Send it as `Authorization: Bearer <token>`.")
            return 0
        if args.token_command == "list":
            for t in store.integrations.api_tokens():
                state = "revoked" if t.revoked_at else "active"
                used = t.last_used_at.isoformat() if t.last_used_at else "never"
                print(
                    f"{t.id}  {state:8} {', '.join(t.scopes):22} {t.name}  (created "
                    f"{t.created_at:%Y-%m-%d}, last used {used})"
                )
            return 0
        revoked = store.integrations.revoke_api_token(args.id)
        print(f"token {args.id} {'revoked' if revoked else 'was not active'}")
        return 0 if revoked else 1
    finally:
        store.dispose()


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    command = commands.add_parser("api-token", help="tokens for the REST API")
    actions = command.add_subparsers(dest="token_command", required=True, metavar="ACTION")
    create = actions.add_parser("create", help="a new token (printed once)")
    create.add_argument("name", help="who or what uses it, e.g. 'crm-sync'")
    create.add_argument("--scopes", default="read", help="comma-separated: read, write, privacy")
    actions.add_parser("list", help="tokens and their scopes")
    revoke = actions.add_parser("revoke", help="revoke a token at once")
    revoke.add_argument("id")
