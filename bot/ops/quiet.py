"""Drops third-party deprecation warnings from what `make run` prints (honcho's output on stdin).

    honcho start ... 2>&1 | python -m bot.ops.quiet

Rasa and rasa_sdk reset Python's warning filters at start, so PYTHONWARNINGS does not reach them.
Dropped: a warning of the deprecation family (DeprecationWarning, PendingDeprecationWarning,
FutureWarning, SQLAlchemy's and pyparsing's deprecation warnings) raised in an installed package
(site-packages), with the source lines Python prints under it. Everything else passes unchanged:
errors, tracebacks, other warnings, and warnings raised in Wegwijs's own code.
Ctrl+C is left to honcho: this filter reads on until honcho has said how its processes ended.
"""

from __future__ import annotations

import re
import signal
import sys
from typing import Iterable, Iterator

ANSI = re.compile(r"\x1b\[[0-9;]*m")
NOISE = re.compile(
    r"^\S*[/\\]site-packages[/\\]\S+:\d+: "
    r"(\w*DeprecationWarning|FutureWarning|MovedIn20Warning|RemovedIn20Warning): "
)


def quiet(lines: Iterable[str]) -> Iterator[str]:
    dropping = False
    for line in lines:
        plain = ANSI.sub("", line)
        if NOISE.match(plain):
            dropping = True
            continue
        if dropping and plain.startswith("  ") and plain.strip():
            continue  # the source line Python shows under a warning
        dropping = False
        yield line


def main() -> int:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for line in quiet(iter(sys.stdin.readline, "")):
        sys.stdout.write(line)
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
