"""`bot accounts ...`, `bot notifications ...` and `bot handoffs purge`: the portal's operator tasks."""

from __future__ import annotations

import argparse
import getpass
import logging
import sys
from typing import Optional

from bot.access import accounts, second_factor
from bot.contract import ROLES
from bot.handoff import notifications
from bot.handoff.store import HandoffStore
from bot.storage.database import Database, StoreUnavailable


def operator() -> str:
    """Who ran a command, for the audit log: the operating-system user."""
    return f"cli:{getpass.getuser()}"


def _print_link(account: accounts.Account, link: str) -> None:
    print(
        f"Geef deze link aan {account.email}; daarmee kiest die zelf een wachtwoord. De link werkt één keer, "
        f"{accounts.PASSWORD_LINK_HOURS // 24} dagen lang:"
    )
    print(link)


def accounts_create(db: Database, args: argparse.Namespace) -> int:
    organisations = {o.id for o in args.context.municipality.social_map}
    if args.organisation and args.organisation not in organisations:
        print(
            f"Onbekende organisatie: {args.organisation}. Kies uit: {', '.join(sorted(organisations))}",
            file=sys.stderr,
        )
        return 2
    try:
        created = accounts.create_account(
            db, args.email, args.name or args.email, args.role, args.organisation, by_label=operator()
        )
    except accounts.AccountError as error:
        print(error, file=sys.stderr)
        return 2
    print(f"Account {created.email} ({created.role}) gemaakt.")
    settings = args.context.settings
    _print_link(created, accounts.password_link(db, created, settings.secret_key, settings.public_url))
    return 0


def _named(db: Database, email: str) -> Optional[accounts.Account]:
    found = [a for a in accounts.list_accounts(db) if a.email == email.strip().lower()]
    if not found:
        print(f"Geen account met het e-mailadres {email}.", file=sys.stderr)
    return found[0] if found else None


def accounts_link(db: Database, args: argparse.Namespace) -> int:
    account = _named(db, args.email)
    if account is None:
        return 2
    settings = args.context.settings
    _print_link(
        account,
        accounts.new_password_link(
            db, account, settings.secret_key, settings.public_url, by_label=operator()
        ),
    )
    return 0


def accounts_reset_second_factor(db: Database, args: argparse.Namespace) -> int:
    """For an administrator who lost both phone and recovery codes: no one else in the portal can help."""
    account = _named(db, args.email)
    if account is None:
        return 2
    second_factor.reset(db, account, by_label=operator())
    print(
        f"De tweede stap van {account.email} is gewist; bij het volgende inloggen stelt die hem opnieuw in."
    )
    return 0


def accounts_list(db: Database, _: argparse.Namespace) -> int:
    for account in accounts.list_accounts(db):
        state = "actief" if account.active else "geblokkeerd"
        print(f"{account.email:<40} {account.role:<14} {account.organisation_id or '—':<30} {state}")
    return 0


def notifications_run(db: Database, args: argparse.Namespace) -> int:
    organisations = args.context.municipality.social_map
    if args.once:
        print(f"{notifications.deliver_due(db, args.context.settings, organisations)} bericht(en) verstuurd.")
        return 0
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    notifications.run(db, args.context.settings, organisations)
    return 0


def handoffs_purge(db: HandoffStore, args: argparse.Namespace) -> int:
    days = args.days if args.days is not None else args.context.settings.handoff_retention_days
    deleted = db.purge_ended(days)
    print(f"{len(deleted)} afgesloten of ingetrokken aanmelding(en) verwijderd (ouder dan {days} dagen).")
    return 0


def with_database(args: argparse.Namespace) -> int:
    """Runs `args.action` on the context's migrated store (a fresh database gets its tables) with a clear
    outage message."""
    try:
        return args.action(args.context.handoff_store, args)
    except StoreUnavailable as error:
        print(f"De database is niet bereikbaar, probeer het later opnieuw. ({error})", file=sys.stderr)
        return 2
    finally:
        args.context.close()


def add_commands(commands: argparse._SubParsersAction, handoff_actions: argparse._SubParsersAction) -> None:
    accounts_parser = commands.add_parser("accounts", help="portal accounts")
    accounts_parser.set_defaults(run=with_database)
    actions = accounts_parser.add_subparsers(
        dest="action_name", metavar="create|link|reset-second-factor|list", required=True
    )
    create = actions.add_parser(
        "create", help="a new account; prints the one-time link that sets its password"
    )
    create.add_argument("email")
    create.add_argument("--name", default="")
    create.add_argument("--role", choices=ROLES, required=True)
    create.add_argument("--organisation", help="social map id; for supporters and coordinators")
    create.set_defaults(action=accounts_create)
    link = actions.add_parser("link", help="a new one-time link for an account (forgotten password)")
    link.add_argument("email")
    link.set_defaults(action=accounts_link)
    reset = actions.add_parser(
        "reset-second-factor", help="clear a lost second factor (set up again at login)"
    )
    reset.add_argument("email")
    reset.set_defaults(action=accounts_reset_second_factor)
    actions.add_parser("list", help="every account").set_defaults(action=accounts_list)

    notify_parser = commands.add_parser("notifications", help="send the organisations' notifications")
    notify_parser.set_defaults(run=with_database)
    notify_actions = notify_parser.add_subparsers(dest="action_name", metavar="run", required=True)
    run = notify_actions.add_parser("run", help="the worker: send what is due, retry failures")
    run.add_argument("--once", action="store_true", help="send what is due now and stop (for cron)")
    run.set_defaults(action=notifications_run)

    purge = handoff_actions.add_parser(
        "purge", help="delete handoffs that ended longer ago than the retention"
    )
    purge.add_argument("--days", type=int, help="default: WEGWIJS_HANDOFF_RETENTION_DAYS")
    purge.set_defaults(run=with_database, action=handoffs_purge)
