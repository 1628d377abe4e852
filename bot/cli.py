"""The `bot` command: operator and developer tasks.

  bot check-config   validate the municipality file and say which spaCy pipeline is in use
  bot chat           chat with the running bot in the terminal (REST channel)
"""
from __future__ import annotations

import argparse
import sys
import uuid
from pathlib import Path
from typing import List, Optional

import requests

from bot.municipality import ConfigurationError, load_municipality
from bot.settings import PROJECT_ROOT, get_settings
from bot.spacy_pipeline import describe

SPACY_DIR = PROJECT_ROOT / "build" / "spacy" / "nl"


def check_config(_: argparse.Namespace) -> int:
    settings = get_settings()
    try:
        municipality = load_municipality(settings.municipality_file)
    except ConfigurationError as error:
        print(error, file=sys.stderr)
        return 2
    print(f"Municipality: {municipality.name} ({settings.municipality_file})")
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
            reply = requests.post(url, json={"sender": sender, "message": typed}, timeout=60)
            reply.raise_for_status()
        except requests.RequestException as error:
            print(f"Wegwijs is niet bereikbaar op {args.url} ({error}). Draait 'make run'?", file=sys.stderr)
            return 1
        payloads = _show(reply.json())


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="bot", description="Wegwijs operator and developer tasks.")
    commands = root.add_subparsers(dest="command", required=True)
    commands.add_parser("check-config", help="validate the municipality file").set_defaults(run=check_config)
    chat_parser = commands.add_parser("chat", help="chat with the running bot in the terminal")
    chat_parser.add_argument("--url", default=get_settings().rasa_url, help="Rasa server (default: %(default)s)")
    chat_parser.set_defaults(run=chat)
    return root


def main(argv: Optional[List[str]] = None) -> int:
    args = parser().parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
