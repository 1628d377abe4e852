"""Says once, in one line, when every server of `make run` answers (a process of the Procfile).

    python -m bot.ops.ready [--timeout SECONDS] [--open URL] [NAME=URL ...]

Without NAME=URL it waits for the Procfile's three servers: the web server, Rasa's HTTP API and the
action server (on WEGWIJS_INTERNAL_HOST, 127.0.0.1 by default). A server answers when it returns any
HTTP status below 500. When one has not answered within the timeout, a line names it (and the
others that did answer); it keeps waiting, and says "ready" when it does come up after all.
The process then stays idle: honcho stops every process when one of them ends.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import urllib.error
import urllib.request
from typing import Callable, Dict, List, Optional, Sequence, TextIO, Tuple

PUBLIC = "http://localhost:8000/"
PORTAL = "portaal/"
DEFAULT_TIMEOUT = 300.0


def default_servers(internal_host: Optional[str] = None) -> List[Tuple[str, str]]:
    """The Procfile's servers, by the name a user knows them."""
    host = internal_host or os.getenv("WEGWIJS_INTERNAL_HOST", "127.0.0.1")
    return [
        ("the web server", "http://127.0.0.1:8000/"),
        ("Rasa's server", f"http://{host}:5005/"),
        ("the action server", f"http://{host}:5055/health"),
    ]


def answers(url: str, timeout: float = 2.0) -> bool:
    """True when `url` gives an HTTP answer with a status below 500."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status < 500
    except urllib.error.HTTPError as error:
        return error.code < 500
    except (urllib.error.URLError, OSError, ValueError):
        return False


def ready_line(open_url: str = PUBLIC) -> str:
    return (
        f"Wegwijs is ready: open {open_url} (the supporter portal: {open_url}{PORTAL}; "
        "chat in a terminal: make chat; stop: Ctrl+C)"
    )


def failure_line(missing: Sequence[Tuple[str, str]], up: Sequence[Tuple[str, str]], waited: float) -> str:
    names = ", ".join(f"{name} ({url})" for name, url in missing)
    line = f"Wegwijs is NOT ready after {int(waited)} s: {names} did not answer; see its lines above."
    if up:
        line += " Answering: " + ", ".join(name for name, _ in up) + "."
    return line + " Still waiting."


def wait_until_ready(
    servers: Sequence[Tuple[str, str]],
    timeout: float,
    out: Optional[TextIO] = None,
    interval: float = 1.0,
    open_url: str = PUBLIC,
    clock: Callable[[], float] = time.monotonic,
    give_up: Optional[float] = None,
) -> bool:
    """Polls until every server answers: prints the ready line (True), or the failure line at `timeout`
    and goes on polling until `give_up` seconds (None: for ever); False when it gave up."""
    out = out or sys.stdout
    start = clock()
    up: Dict[str, bool] = {url: False for _, url in servers}
    reported = False
    while True:
        for _, url in servers:
            if not up[url]:
                up[url] = answers(url)
        if all(up.values()):
            out.write(ready_line(open_url) + "\n")
            out.flush()
            return True
        waited = clock() - start
        if not reported and waited >= timeout:
            missing = [(name, url) for name, url in servers if not up[url]]
            answering = [(name, url) for name, url in servers if up[url]]
            out.write(failure_line(missing, answering, waited) + "\n")
            out.flush()
            reported = True
        if give_up is not None and waited >= give_up:
            return False
        time.sleep(interval)


def parse_servers(items: Sequence[str]) -> List[Tuple[str, str]]:
    servers = []
    for item in items:
        name, sep, url = item.partition("=")
        if not sep or not url.startswith(("http://", "https://")):
            raise ValueError(f"{item!r}: expected NAME=http://host:port/path")
        servers.append((name, url))
    return servers


def main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.ops.ready", description=__doc__.splitlines()[0])
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT)
    parser.add_argument("--open", default=PUBLIC, help="the address the ready line tells the user to open")
    parser.add_argument("--exit", action="store_true", help="exit when ready (0) or at the timeout (1)")
    parser.add_argument("servers", nargs="*", metavar="NAME=URL")
    options = parser.parse_args(argv)
    try:
        servers = parse_servers(options.servers) if options.servers else default_servers()
    except ValueError as error:
        parser.error(str(error))
    ready = wait_until_ready(
        servers, options.timeout, open_url=options.open, give_up=options.timeout if options.exit else None
    )
    if options.exit:
        return 0 if ready else 1
    try:
        while True:  # honcho ends every process when one ends
            time.sleep(3600)
    except KeyboardInterrupt:
        return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
