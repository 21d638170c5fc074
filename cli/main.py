"""`parley`: run, train, talk to and inspect Parley from a terminal."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from bot import __version__
from bot.errors import ParleyError
from bot.settings import Settings, load_settings

Handler = Callable[[argparse.Namespace, Settings], int]


def _run(args: argparse.Namespace, settings: Settings) -> int:
    from cli.commands.serve import run_stack

    return run_stack(settings, train_if_stale=not args.no_train, replicas=args.scale)


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    from cli.commands.serve import serve_part

    return serve_part(settings, args.part)


def _replicas(raw: str) -> int:
    if not raw.isdigit() or not 1 <= int(raw) <= 16:
        raise argparse.ArgumentTypeError(f"{raw!r}: a number of replicas from 1 to 16")
    return int(raw)


def _train(args: argparse.Namespace, settings: Settings) -> int:
    from bot import rasa_model

    path = rasa_model.train(settings.content_root, settings.models_dir, force=args.force)
    print(f"model ready: {path}")
    return 0


def _shell(args: argparse.Namespace, settings: Settings) -> int:
    from cli.commands.shell import run_shell

    return run_shell(settings, sender=args.sender)


def _db_upgrade(args: argparse.Namespace, settings: Settings) -> int:
    from bot.store import migrate

    migrate.upgrade(settings.database_url)
    print(f"profile store is at the latest schema ({_masked(settings.database_url)})")
    return 0


def _contacts(args: argparse.Namespace, settings: Settings) -> int:
    from cli.commands import contacts

    return contacts.dispatch(args, settings)


def _privacy(args: argparse.Namespace, settings: Settings) -> int:
    from cli.commands import privacy

    return privacy.dispatch(args, settings)


def _scoring(args: argparse.Namespace, settings: Settings) -> int:
    from cli.commands import scoring

    return scoring.dispatch(args, settings)


def _webhooks(args: argparse.Namespace, settings: Settings) -> int:
    from cli.commands import webhooks

    return webhooks.dispatch(args, settings)


def _crm(args: argparse.Namespace, settings: Settings) -> int:
    from cli.commands import crm

    return crm.dispatch(args, settings)


def _handoffs(args: argparse.Namespace, settings: Settings) -> int:
    from cli.commands import handoffs

    return handoffs.dispatch(args, settings)


def _telegram(args: argparse.Namespace, settings: Settings) -> int:
    from cli.commands import telegram

    return telegram.dispatch(args, settings)


def _call(args: argparse.Namespace, settings: Settings) -> int:
    from cli.commands import call

    return call.dispatch(args, settings)


def _settings(args: argparse.Namespace, settings: Settings) -> int:
    for key, value in settings.describe().items():
        print(f"{key} = {_masked(value)}")
    return 0


def _masked(url: str) -> str:
    """Hide a password inside a database URL."""
    scheme, sep, rest = url.partition("://")
    if sep and "@" in rest and ":" in rest.split("@", 1)[0]:
        user = rest.split("@", 1)[0].split(":", 1)[0]
        return f"{scheme}://{user}:**********@{rest.split('@', 1)[1]}"
    return url


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="parley", description=__doc__)
    parser.add_argument("--version", action="version", version=f"parley {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = commands.add_parser("run", help="train if needed, then start Rasa and the actions")
    run.add_argument("--no-train", action="store_true", help="fail instead of training")
    run.add_argument(
        "--scale", type=_replicas, default=1, metavar="N",
        help="N Rasa servers, action servers and campaign workers behind HAProxy "
        "(needs PostgreSQL and PARLEY_REDIS_URL; see README, Running at scale)",
    )  # fmt: skip
    run.set_defaults(handler=_run)

    serve = commands.add_parser("serve", help="start one part of Parley (scale-out)")
    serve.add_argument("part", choices=["rasa", "actions", "worker", "api", "studio"])
    serve.set_defaults(handler=_serve)

    train = commands.add_parser("train", help="train the Rasa model if it is stale")
    train.add_argument("--force", action="store_true", help="train even if current")
    train.set_defaults(handler=_train)

    shell = commands.add_parser("shell", help="chat with Parley in this terminal")
    shell.add_argument("--sender", default=None, help="conversation id (default: new one)")
    shell.set_defaults(handler=_shell)

    db = commands.add_parser("db", help="profile database").add_subparsers(
        dest="db_command", required=True, metavar="ACTION"
    )
    db.add_parser("upgrade", help="apply schema migrations").set_defaults(handler=_db_upgrade)

    commands.add_parser("settings", help="print settings (secrets masked)").set_defaults(
        handler=_settings
    )
    _add_contacts(commands)
    _add_privacy(commands)
    _add_scoring(commands)
    _add_handoffs(commands)
    _add_webhooks(commands)
    _add_api_tokens(commands)
    _add_studio_users(commands)
    _add_crm(commands)
    _add_publish(commands)
    _add_telegram(commands)
    call = commands.add_parser("call", help="simulate a phone call to the running Parley")
    call.add_argument("--caller", default="+14155550100", help="the number you call from")
    call.set_defaults(handler=_call)
    _add_campaigns(commands)
    return parser


CAMPAIGN_COMMANDS = {
    "campaigns": "follow-up campaigns: list, validate, preview, enroll, pause, resume, stats",
    "segments": "audience segments: preview",
    "worker": "run the campaign worker (parley run starts one)",
}


def _add_campaigns(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    for name, summary in CAMPAIGN_COMMANDS.items():
        command = commands.add_parser(name, help=summary, add_help=False)
        command.add_argument("rest", nargs=argparse.REMAINDER)
        command.set_defaults(handler=_campaign_command, group=name)


def _campaign_command(args: argparse.Namespace, settings: Settings) -> int:
    from cli.commands import campaigns

    return campaigns.run([args.group, *args.rest], settings)


def _api_token(args: argparse.Namespace, settings: Settings) -> int:
    from cli.commands import api_tokens

    return api_tokens.dispatch(args, settings)


def _add_api_tokens(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from cli.commands.api_tokens import add_parser

    add_parser(commands)
    commands.choices["api-token"].set_defaults(handler=_api_token)


def _studio_user(args: argparse.Namespace, settings: Settings) -> int:
    from cli.commands import studio_users

    return studio_users.dispatch(args, settings)


def _add_studio_users(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from cli.commands.studio_users import add_parser

    add_parser(commands)
    commands.choices["studio-user"].set_defaults(handler=_studio_user)


def _add_webhooks(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from cli.commands.webhooks import add_parser

    add_parser(commands)
    commands.choices["webhooks"].set_defaults(handler=_webhooks)


def _add_crm(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from cli.commands.crm import add_parser

    add_parser(commands)
    commands.choices["crm"].set_defaults(handler=_crm)


def _add_publish(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from cli.commands.publishing import add_parser

    add_parser(commands)
    commands.choices["publish"].set_defaults(handler=_publish)


def _publish(args: argparse.Namespace, settings: Settings) -> int:
    from cli.commands import publishing

    return publishing.dispatch(args, settings)


def _add_telegram(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    telegram = commands.add_parser("telegram", help="connect the Telegram bot")
    actions = telegram.add_subparsers(dest="telegram_command", required=True, metavar="ACTION")
    hook = actions.add_parser("set-webhook", help="have Telegram post updates to URL")
    hook.add_argument("url", help="https://<public host>/webhooks/telegram/webhook")
    actions.add_parser("delete-webhook", help="stop Telegram posting updates")
    poll = actions.add_parser("poll", help="fetch updates (local use, no public URL)")
    poll.add_argument("--once", action="store_true", help="one batch, then exit")
    telegram.set_defaults(handler=_telegram)


def _add_handoffs(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    handoffs = commands.add_parser("handoffs", help="handoffs to people and their deliveries")
    actions = handoffs.add_subparsers(dest="handoffs_command", required=True, metavar="ACTION")
    listing = actions.add_parser("list", help="webhooks and emails queued, sent or failed")
    listing.add_argument("--status", choices=("pending", "sending", "delivered", "failed"))
    retry = actions.add_parser("retry", help="try failed deliveries again now")
    retry.add_argument("id", nargs="?", type=int, default=None, help="one delivery (default: all)")
    handoffs.set_defaults(handler=_handoffs)
    bookings = commands.add_parser("bookings", help="meetings booked through Parley")
    booking_actions = bookings.add_subparsers(
        dest="handoffs_command", required=True, metavar="ACTION"
    )
    booking_actions.add_parser("list", help="every booking").set_defaults(
        handoffs_command="bookings"
    )
    booking_actions.add_parser("slots", help="the next free times").set_defaults(
        handoffs_command="slots"
    )
    bookings.set_defaults(handler=_handoffs)


def _add_scoring(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    scoring = commands.add_parser("scoring", help="lead scores: explain, model, fairness audit")
    actions = scoring.add_subparsers(dest="scoring_command", required=True, metavar="ACTION")
    explain = actions.add_parser("explain", help="score one contact and say why")
    explain.add_argument("key", help="contact id, email or phone number")
    actions.add_parser("rescore", help="score every contact with the current rubric")
    actions.add_parser("train", help="train the predictive model on won/lost outcomes")
    actions.add_parser("evaluate", help="the trained model's ROC AUC and calibration")
    audit = actions.add_parser("audit", help="grades by channel, country and company size")
    audit.add_argument("--json", action="store_true", help="print JSON instead of a table")
    audit.add_argument("--rescore", action="store_true", help="rescore everyone first")
    synthesize = actions.add_parser("synthesize", help="generate synthetic sales history")
    synthesize.add_argument("--contacts", type=int, default=1000)
    synthesize.add_argument("--seed", type=int, default=7)
    synthesize.add_argument("--force", action="store_true", help="even beside real contacts")
    scoring.set_defaults(handler=_scoring)


def _add_privacy(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    privacy = commands.add_parser("privacy", help="data-subject requests and retention")
    actions = privacy.add_subparsers(dest="privacy_command", required=True, metavar="ACTION")
    export = actions.add_parser("export", help="everything held about a person, as JSON")
    export.add_argument("contact", help="contact id, email or phone number")
    export.add_argument("--output", default="-", help="file to write (default: stdout)")
    erase = actions.add_parser("erase", help="erase a person everywhere; keep only a hash")
    erase.add_argument("contact", help="contact id, email or phone number")
    erase.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    purge = actions.add_parser("purge", help="remove leads past the retention period")
    purge.add_argument("--dry-run", action="store_true", help="only list what would go")
    actions.add_parser("sweep", help="finish pending deletions of conversations")
    privacy.set_defaults(handler=_privacy)

    consent = commands.add_parser("consent", help="the consent ledger")
    consent_actions = consent.add_subparsers(
        dest="privacy_command", required=True, metavar="ACTION"
    )
    proof = consent_actions.add_parser("proof", help="a person's consent history with evidence")
    proof.add_argument("contact", help="contact id, email or phone number")
    proof.add_argument("--json", action="store_true", help="print JSON instead of a table")
    consent.set_defaults(handler=_privacy)


def _add_contacts(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    contacts = commands.add_parser("contacts", help="inspect the profile store")
    actions = contacts.add_subparsers(dest="contacts_command", required=True, metavar="ACTION")
    listing = actions.add_parser("list", help="list contacts")
    listing.add_argument("--limit", type=int, default=50)
    listing.add_argument("--offset", type=int, default=0)
    show = actions.add_parser("show", help="one contact with its leads and timeline")
    show.add_argument("key", help="contact id, email or phone number")
    export = actions.add_parser("export", help="every contact as JSON or CSV")
    export.add_argument("--format", choices=("json", "csv"), default="json")
    export.add_argument("--output", default="-", help="file to write (default: stdout)")
    imports = actions.add_parser("import", help="import a CSV file: cleansed, deduplicated")
    imports.add_argument("file", help="the CSV file, with a header row")
    imports.add_argument(
        "--map",
        action="append",
        metavar="FIELD=COLUMN",
        help="read FIELD from COLUMN (repeatable); common headers are recognised anyway",
    )
    imports.add_argument("--dry-run", action="store_true", help="report only, write nothing")
    imports.add_argument("--delimiter", default=",", help="field separator (default: ,)")
    actions.add_parser("enrich", help="company domain, country and time zone for everyone")
    _add_outcome(actions)
    contacts.set_defaults(handler=_contacts)


def _add_outcome(actions: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from cli.commands.contacts import closing_time

    outcome = actions.add_parser(
        "outcome",
        help="record a sale won or lost (--won/--lost), or show the contact's outcomes",
        description="With --won or --lost, record the contact's sales outcome (audited, "
        "sent as a lead.outcome webhook, and what scoring learns from); without, show "
        "the current outcome and the earlier ones.",
    )
    outcome.add_argument("key", help="contact id, email or phone number")
    result = outcome.add_mutually_exclusive_group()
    result.add_argument(
        "--won", dest="result", action="store_const", const="won", help="a sale won"
    )
    result.add_argument("--lost", dest="result", action="store_const", const="lost", help="lost")
    outcome.add_argument("--value", help="what the sale was worth, e.g. 12500.00")
    outcome.add_argument("--currency", help="ISO 4217 code of the value, e.g. EUR")
    outcome.add_argument("--reason", help="why it was won or lost")
    outcome.add_argument(
        "--at", type=closing_time, default=None, help="when it closed (ISO 8601; default: now)"
    )


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = load_settings()
        handler: Handler = args.handler
        return handler(args, settings)
    except ParleyError as error:
        print(f"parley: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
