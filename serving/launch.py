"""Starts Rasa's server or the action server on the internal interface, Rasa's API behind its token.

    python -m serving.launch rasa [options of `rasa run`]       (the Procfile, bot/ops/serve.py)
    python -m serving.launch actions [options of `rasa run actions`]

Why a launcher and not `rasa run --enable-api --auth-token ...`: a token on the command line is
shown to every user of the machine by `ps`. Here the token comes from the settings
(WEGWIJS_RASA_TOKEN, or the file var/rasa_token that only the owner can read) and is handed to
Rasa's own command parser inside this process: Python's sys.argv is a copy, so the command line the
kernel shows stays as it was started. The same token is Rasa's JWT secret: the widget's relay opens
the API with a short JWT in a header, never with the token in a URL. The interface comes from the
settings too (WEGWIJS_INTERNAL_HOST: loopback or a private address, checked there); Rasa's default
is 0.0.0.0, and rasa_sdk's action server reads SANIC_HOST, also 0.0.0.0 by default.
"""

from __future__ import annotations

import os
import sys
from typing import List, Sequence

from bot.app_context import context

# Set by the launcher; given on the command line they would undo what it is for.
RESERVED = ("--interface", "-i", "--auth-token", "-t", "--enable-api", "--jwt-secret", "--jwt-method")


class LaunchError(Exception):
    """The server would be public or unprotected; the message says what to change."""


def rasa_argv(which: str, options: Sequence[str]) -> List[str]:
    """The command line Rasa's parser gets (never the process's own) for `rasa` or `actions`."""
    given = [option for option in options if option.split("=", 1)[0] in RESERVED]
    if given:
        raise LaunchError(
            f"{', '.join(given)}: the launcher sets the interface and the API token itself "
            "(WEGWIJS_INTERNAL_HOST, WEGWIJS_RASA_TOKEN)"
        )
    settings = (
        context().settings
    )  # this process's; refuses a public interface or a short token, with the reason
    if which == "rasa":
        # The token also signs JWTs (HS256), which the widget's relay sends in a header (bot/web/widget/relay.py).
        return [
            "rasa",
            "run",
            *options,
            "--interface",
            settings.internal_host,
            "--enable-api",
            "--auth-token",
            settings.rasa_token,
            "--jwt-secret",
            settings.rasa_token,
        ]
    if which == "actions":
        os.environ["SANIC_HOST"] = settings.internal_host
        return ["rasa", "run", "actions", *options]
    raise LaunchError(f"{which!r}: expected `rasa` or `actions`")


def main(argv: Sequence[str]) -> int:
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    try:
        sys.argv = rasa_argv(argv[0], argv[1:])
    except (LaunchError, ValueError) as error:
        print(f"Wegwijs does not start this server: {error}", file=sys.stderr)
        return 2
    from rasa.__main__ import main as rasa_main

    rasa_main()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
