"""`parley studio-user add|list|password|disable`: studio accounts from a terminal."""

from __future__ import annotations

import argparse
import getpass
import sys

from bot import passwords
from bot.settings import Settings
from bot.store import ProfileStore, upgrade
from studio.roles import ROLES as STUDIO_ROLES

ROLES = tuple(STUDIO_ROLES)


def _password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("Password (12 characters or more): ")
    if getpass.getpass("Again: ") != first:
        raise SystemExit("parley: the passwords differ")
    return first


def dispatch(args: argparse.Namespace, settings: Settings) -> int:
    upgrade(settings.database_url)
    store = ProfileStore.from_url(settings.database_url)
    try:
        if args.user_command == "list":
            for user in store.studio.users():
                state = "disabled" if user.disabled else "active"
                print(f"{user.id:>4}  {user.role:9} {state:9} {user.email}  ({user.name})")
            return 0
        if args.user_command == "add":
            hashed = passwords.hash_password(_password(args))
            user = store.studio.create_user(
                args.email.strip().lower(), args.name, args.role, hashed
            )
            store.privacy.record_audit(
                "cli", "studio.user_created", str(user.id), {"role": user.role}
            )
            print(f"studio user {user.id} created: {user.email} ({user.role})")
            return 0
        found = store.studio.user_with_hash(args.email.strip().lower())
        if found is None:
            print(f"parley: no studio user has the email {args.email}", file=sys.stderr)
            return 1
        user = found[0]
        if args.user_command == "password":
            store.studio.set_password(user.id, passwords.hash_password(_password(args)))
            store.privacy.record_audit("cli", "studio.password_set", str(user.id))
            print(f"password changed for {user.email}; their sessions were ended")
        else:
            store.studio.disable_user(user.id)
            store.privacy.record_audit("cli", "studio.user_disabled", str(user.id))
            print(f"{user.email} disabled; their sessions were ended")
        return 0
    finally:
        store.dispose()


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    command = commands.add_parser("studio-user", help="accounts for the marketers' studio")
    actions = command.add_subparsers(dest="user_command", required=True, metavar="ACTION")
    add = actions.add_parser("add", help="add a user (asks for the password)")
    add.add_argument("email")
    add.add_argument("--name", required=True)
    add.add_argument("--role", choices=ROLES, required=True)
    add.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    actions.add_parser("list", help="every user, their role and state")
    password = actions.add_parser("password", help="set a new password; ends their sessions")
    password.add_argument("email")
    password.add_argument("--password-stdin", action="store_true")
    disable = actions.add_parser("disable", help="disable an account; ends its sessions")
    disable.add_argument("email")
