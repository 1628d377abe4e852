"""The `bot` command: operator and developer tasks.

bot check-config   validate the settings and the municipality file, check that Rasa and the action
                   server start on the internal interface with the API token, say which spaCy
                   pipeline is in use
bot chat           chat with the running bot in the terminal (REST channel)
bot handoffs list | show REFERENCE | withdraw REFERENCE | purge [--days N]
                   the stored handoffs, for the operator (WEGWIJS_DATABASE_URL)
bot accounts create EMAIL --role ROLE [--organisation ID] | link EMAIL | reset-second-factor EMAIL | list
                   portal accounts: each new account gets a one-time link to set its password
bot notifications run [--once]
                   send the organisations' notifications (a worker, or once from cron)
bot statistics update | purge-conversations
                   turn recorded conversations into anonymised statistics (idempotent); then erase
                   the sessions that ended, keeping the statistics (also part of `bot retention run`)
bot retention run [--once]
                   every retention, on a schedule (a process of `bot serve` and the Procfile)
bot serve [--profile embedded|production]
                   start Wegwijs: one machine with SQLite, or scaled out (bot/ops/serve.py)
"""

from __future__ import annotations

import argparse
import sys
import uuid
from datetime import datetime
from typing import List, Optional

import requests
from zoneinfo import ZoneInfo

from bot.access import audit
from bot.app_context import AppContext
from bot.contract import CONVERSATION_HEADER
from bot.handoff.store import HandoffStore, StoredHandoff, normalise_reference
from bot.intake.steps import SKIPPED
from bot.municipality.profile import ConfigurationError
from bot.ops import cli_portal
from bot.ops.spacy_pipeline import describe
from bot.settings import PROJECT_ROOT

SPACY_DIR = PROJECT_ROOT / "build" / "spacy" / "nl"
# The store keeps UTC; an operator reads the time of day where the residents live.
LOCAL_TIME = ZoneInfo("Europe/Amsterdam")


def check_config(args: argparse.Namespace) -> int:
    settings = args.context.settings
    try:
        municipality = args.context.municipality
    except ConfigurationError as error:
        print(error, file=sys.stderr)
        return 2
    from bot.ops.serve import procfile_problems  # imports Jinja2 only when needed: `bot` starts quickly

    problems = procfile_problems(PROJECT_ROOT / "Procfile")
    for problem in problems:
        print(f"Procfile: {problem}", file=sys.stderr)
    if problems:
        return 2
    print(f"Municipality: {municipality.name} ({settings.municipality_file})")
    print(f"Rasa and the action server: on {settings.internal_host}; Rasa's HTTP API behind a token")
    print(f"spaCy pipeline: {describe(SPACY_DIR)}")
    return 0


def _show(messages: List[dict]) -> List[str]:
    """Prints the bot's messages; returns the payloads of the buttons, numbered from 1."""
    payloads: List[str] = []
    for message in messages:
        if message.get("text"):
            print(f"Wegwijs: {message['text']}")
        for button in message.get("buttons", []):
            payloads.append(button["payload"])
            print(f"   [{len(payloads)}] {button['title']}")
    return payloads


def chat(args: argparse.Namespace) -> int:
    args.url = args.url or args.context.settings.rasa_url
    url = f"{args.url.rstrip('/')}/webhooks/rest/webhook"
    sender = f"terminal-{uuid.uuid4().hex[:8]}"
    print("Typ uw bericht. Een nummer kiest een knop. Stoppen: Ctrl+D.")
    payloads: List[str] = []
    while True:
        try:
            typed = input("U: ").strip()
        except (EOFError, KeyboardInterrupt):
            print()
            return 0
        if typed.isdigit() and 1 <= int(typed) <= len(payloads):
            typed = payloads[int(typed) - 1]
        try:
            # The header lets the production proxy keep the conversation on one Rasa replica.
            reply = requests.post(
                url,
                json={"sender": sender, "message": typed},
                headers={CONVERSATION_HEADER: sender},
                timeout=60,
            )
            reply.raise_for_status()
        except requests.RequestException as error:
            print(f"Wegwijs is niet bereikbaar op {args.url} ({error}). Draait 'make run'?", file=sys.stderr)
            return 1
        payloads = _show(reply.json())


STATUS_LABELS = {
    "new": "nieuw (new)",
    "picked_up": "opgepakt (picked up)",
    "closed": "afgesloten (closed)",
    "withdrawn": "ingetrokken (withdrawn)",
}
CHOICE_LABELS = {
    "chosen": "gekozen door inwoner (chosen)",
    "matched": "voorgesteld (matched)",
    "none": "geen organisatie (none)",
}
INTAKE_LABELS = (
    ("relation", "Voor wie / relation"),
    ("life_domains", "Levensgebieden / life domains"),
    ("situation", "Situatie / situation"),
    ("what_matters", "Wat belangrijk is / what matters"),
    ("goal", "Doel / goal"),
    ("network", "Netwerk / network"),
    ("phase", "Fase / phase"),
    ("urgency", "Urgentie / urgency"),
    ("supporter_kind", "Soort ondersteuner / supporter"),
    ("language", "Taal / language"),
    ("accessibility", "Toegankelijkheid / accessibility"),
    ("contact_method", "Contactwijze / contact method"),
    ("contact_detail", "Contactgegeven / contact detail"),
)


def _when(moment: Optional[datetime]) -> str:
    return moment.astimezone(LOCAL_TIME).strftime("%Y-%m-%d %H:%M %Z") if moment else "—"


def _value(value: object) -> str:
    if isinstance(value, list):
        value = ", ".join(value)
    if value == SKIPPED:
        return "overgeslagen (skipped)"
    return str(value) if value else "—"


def _unknown(reference: str) -> int:
    print(f"Onbekende referentie (unknown reference): {normalise_reference(reference)}", file=sys.stderr)
    return 1


def handoffs_list(store: HandoffStore, args: argparse.Namespace) -> int:
    found = store.latest(args.limit)
    if not found:
        print("Nog geen overdrachten (no handoffs yet).")
        return 0
    print(f"{'Referentie':<10}  {'Aangemaakt / created':<21}  {'Status':<24}  Organisatie / organisation")
    for handoff in found:
        print(
            f"{handoff.reference:<10}  {_when(handoff.created_at):<21}  "
            f"{STATUS_LABELS[handoff.status]:<24}  {handoff.organisation_id or '—'}"
        )
    return 0


def _details(handoff: StoredHandoff) -> List[tuple]:
    rows = [
        ("Referentie / reference", handoff.reference),
        ("Status", STATUS_LABELS[handoff.status]),
        ("Aangemaakt / created", _when(handoff.created_at)),
    ]
    if handoff.withdrawn_at:
        rows.append(
            ("Ingetrokken / withdrawn", f"{_when(handoff.withdrawn_at)}; vrije tekst en contact gewist")
        )
    rows += [
        (
            "Organisatie / organisation",
            f"{handoff.organisation_id or '—'}, {CHOICE_LABELS[handoff.organisation_choice]}",
        ),
        ("Gesprek / conversation", handoff.conversation_id),
        ("Toestemming / consent", _when(handoff.consent_at)),
        ("Toestemmingstekst / consent text", handoff.consent_text),
    ]
    rows += [(label, _value(getattr(handoff.intake, name))) for name, label in INTAKE_LABELS]
    return rows


def handoffs_show(store: HandoffStore, args: argparse.Namespace) -> int:
    handoff = store.get(args.reference)
    if handoff is None:
        return _unknown(args.reference)
    # The operator reads what the resident told, as a supporter does in the portal: that is audited too.
    audit.write(
        store,
        "viewed",
        actor_label=cli_portal.operator(),
        organisation_id=handoff.organisation_id,
        reference=handoff.reference,
        detail="cli",
    )
    for label, value in _details(handoff):
        print(f"{label:<34}{value}")
    return 0


def handoffs_withdraw(store: HandoffStore, args: argparse.Namespace) -> int:
    handoff = store.get(args.reference)
    if handoff is None:
        return _unknown(args.reference)
    if handoff.status == "withdrawn":
        print(f"{handoff.reference} was al ingetrokken op {_when(handoff.withdrawn_at)} (already withdrawn).")
        return 0
    store.withdraw(handoff.reference)
    print(f"{handoff.reference} ingetrokken; vrije tekst en contactgegevens gewist.")
    print("(withdrawn; free text and contact detail erased)")
    return 0


def _handoffs_parser(commands: argparse._SubParsersAction) -> argparse._SubParsersAction:
    handoffs_parser = commands.add_parser("handoffs", help="list, show or withdraw stored handoffs")
    handoffs_parser.set_defaults(run=cli_portal.with_database)
    actions = handoffs_parser.add_subparsers(
        dest="action_name", metavar="list|show|withdraw|purge", required=True
    )
    list_parser = actions.add_parser("list", help="the newest handoffs first")
    list_parser.add_argument("--limit", type=int, default=20, help="how many (default: %(default)s)")
    list_parser.set_defaults(action=handoffs_list)
    show_parser = actions.add_parser("show", help="everything stored for one handoff")
    show_parser.add_argument("reference", help="e.g. WW-K7M2QX")
    show_parser.set_defaults(action=handoffs_show)
    withdraw_parser = actions.add_parser(
        "withdraw", help="the resident withdrew: erase their words and contact"
    )
    withdraw_parser.add_argument("reference", help="e.g. WW-K7M2QX")
    withdraw_parser.set_defaults(action=handoffs_withdraw)
    return actions


def statistics_update(args: argparse.Namespace) -> int:
    from bot.statistics.job import update

    result = update(args.tracker_url, args.store, args.context.settings.secret_key)
    print(
        f"{result.conversations} gesprekken verwerkt, {result.free_text} teksten ontdaan van persoonsgegevens."
    )
    if result.skipped_events:
        print(
            f"{result.skipped_events} opgeslagen gebeurtenissen waren onleesbaar en zijn overgeslagen (zie de log)."
        )
    return 0


def statistics_purge(args: argparse.Namespace) -> int:
    from bot.statistics.job import purge

    settings = args.context.settings
    purged = purge(
        args.tracker_url,
        args.store,
        settings.secret_key,
        settings.conversation_retention_days,
        settings.retention.session_minutes,
    )
    print(
        f"Afgelopen sessies gewist: {purged.sessions_erased}; om hun leeftijd verwijderd: "
        f"{purged.sessions_deleted_by_age}. De statistiek blijft bewaard."
    )
    return 0


def statistics(args: argparse.Namespace) -> int:
    # The statistics and retention modules are imported by their commands only, not by every `bot` command.
    from sqlalchemy.exc import OperationalError

    from bot.privacy.retention import tracker_environment
    from bot.statistics.store import StatisticsStore
    from bot.statistics.tracker_events import TrackerStoreConfigError, TrackerStoreMissing, tracker_store_url
    from bot.storage.database import StoreUnavailable

    settings = args.context.settings
    try:
        args.tracker_url = tracker_store_url(settings.endpoints_file, tracker_environment(settings))
        args.store = StatisticsStore(
            args.context.handoff_store
        )  # the context's database, migrated when opened
        return args.action(args)
    except TrackerStoreConfigError as error:
        print(error, file=sys.stderr)
        return 2
    except (TrackerStoreMissing, OperationalError) as error:  # first line only: SQL errors carry parameters
        print(
            f"De tracker store is niet bereikbaar (tracker store unreachable): {str(error).splitlines()[0]}",
            file=sys.stderr,
        )
        return 2
    except StoreUnavailable as error:
        print(f"De database is niet bereikbaar, probeer het later opnieuw. ({error})", file=sys.stderr)
        return 2
    finally:
        args.context.close()


def _statistics_parser(commands: argparse._SubParsersAction) -> None:
    statistics_parser = commands.add_parser("statistics", help="anonymised statistics and retention")
    statistics_parser.set_defaults(run=statistics)
    actions = statistics_parser.add_subparsers(
        dest="action_name", metavar="update|purge-conversations", required=True
    )
    actions.add_parser("update", help="count new and changed conversations (idempotent)").set_defaults(
        action=statistics_update
    )
    actions.add_parser("purge-conversations", help="update, then erase the sessions that ended").set_defaults(
        action=statistics_purge
    )


def retention(args: argparse.Namespace) -> int:
    import logging

    from bot.privacy.retention import run_forever, run_once

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    settings = args.context.settings
    if not args.once:
        run_forever(settings)
    failed = [outcome.part for outcome in run_once(settings) if not outcome.ok]
    if failed:
        print(
            f"Bewaren en wissen mislukt voor: {', '.join(failed)} (retention failed; see the log).",
            file=sys.stderr,
        )
    return 2 if failed else 0


def _retention_parser(commands: argparse._SubParsersAction) -> None:
    retention_parser = commands.add_parser("retention", help="erase and delete what is past its retention")
    actions = retention_parser.add_subparsers(dest="action_name", metavar="run", required=True)
    run_parser = actions.add_parser("run", help="every WEGWIJS_RETENTION_INTERVAL_SECONDS (or --once)")
    run_parser.add_argument(
        "--once", action="store_true", help="run once and exit (non-zero when a part failed)"
    )
    run_parser.set_defaults(run=retention)


def serve(args: argparse.Namespace) -> int:
    from bot.ops.serve import ServeError  # imports Jinja2 and redis only when serving
    from bot.ops.serve import serve as start

    try:
        return start(args.context.settings)
    except ServeError as error:
        print(f"Wegwijs cannot start: {error}", file=sys.stderr)
        return 2


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="bot", description="Wegwijs operator and developer tasks.")
    commands = root.add_subparsers(dest="command", required=True)
    commands.add_parser("check-config", help="validate the municipality file").set_defaults(run=check_config)
    chat_parser = commands.add_parser("chat", help="chat with the running bot in the terminal")
    chat_parser.add_argument("--url", help="Rasa server (default: WEGWIJS_RASA_URL, http://localhost:5005)")
    chat_parser.set_defaults(run=chat)
    cli_portal.add_commands(commands, _handoffs_parser(commands))
    _statistics_parser(commands)
    _retention_parser(commands)
    serve_parser = commands.add_parser("serve", help="start Wegwijs (profile from WEGWIJS_PROFILE in .env)")
    serve_parser.add_argument(
        "--profile", choices=("embedded", "production"), help="overrides WEGWIJS_PROFILE"
    )
    serve_parser.set_defaults(run=serve)
    return root


def main(argv: Optional[List[str]] = None, context: Optional[AppContext] = None) -> int:
    """One command, with the context it is given or one built from the settings, read once here."""
    args = parser().parse_args(argv)
    try:
        # `bot serve --profile` overrides WEGWIJS_PROFILE, so its settings are the chosen profile's.
        args.context = context or AppContext.from_environment(profile=getattr(args, "profile", None))
    except ValueError as error:  # a setting in .env or the environment; the message names it
        print(f"Wegwijs: {error}", file=sys.stderr)
        return 2
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
