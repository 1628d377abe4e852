"""Trains the model for `make train` / `make run` with a progress line instead of Rasa's log.

    python -m bot.ops.train [--log build/train.log] [options of `rasa train`]

Rasa's own output (and the third-party warnings it brings) goes to the log file; the terminal gets
"Training the model ...", the elapsed time (ticking on a terminal, one line a minute otherwise, so CI
logs stay plain), and "trained in N s". When training fails, the whole log is printed and Rasa's
exit code is kept.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path
from typing import Callable, List, Optional, Sequence, TextIO

DEFAULT_LOG = Path("build") / "train.log"
EXPECTED = "about 7 minutes on 2 cores"


def elapsed(seconds: float) -> str:
    """`42 s`, `3 min 05 s`."""
    seconds = int(seconds)
    if seconds < 60:
        return f"{seconds} s"
    return f"{seconds // 60} min {seconds % 60:02d} s"


def run_with_progress(
    command: Sequence[str],
    log_path: Path,
    out: Optional[TextIO] = None,
    tty: Optional[bool] = None,
    tick: float = 1.0,
    line_every: float = 60.0,
    clock: Callable[[], float] = time.monotonic,
) -> int:
    """Runs `command` with its output in `log_path`, reporting progress on `out`; returns its exit code."""
    out = out or sys.stdout
    if tty is None:
        tty = out.isatty()
    log_path.parent.mkdir(parents=True, exist_ok=True)
    out.write(f"Training the model ({EXPECTED}); Rasa's log: {log_path}\n")
    out.flush()
    start = clock()
    next_line = start + line_every
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            list(command), stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
        )
        while True:
            try:
                code = process.wait(timeout=tick)
                break
            except subprocess.TimeoutExpired:
                pass
            except KeyboardInterrupt:
                process.terminate()
                code = process.wait()
                break
            now = clock()
            if tty:
                out.write(f"\r  training ... {elapsed(now - start)}   ")
                out.flush()
            elif now >= next_line:
                out.write(f"  training ... {elapsed(now - start)}\n")
                out.flush()
                next_line += line_every
    took = clock() - start
    if tty:
        out.write("\r" + " " * 40 + "\r")
    if code == 0:
        out.write(f"Model trained in {int(took)} s.\n")
    else:
        out.write(f"Training FAILED after {int(took)} s (exit code {code}). Rasa's log ({log_path}):\n")
        out.write(log_path.read_text(encoding="utf-8", errors="replace"))
        out.write(f"\nTraining FAILED (exit code {code}); the log above is also in {log_path}\n")
    out.flush()
    return code


def main(argv: Sequence[str]) -> int:
    args: List[str] = list(argv)
    log_path = DEFAULT_LOG
    if args[:1] == ["--log"]:
        log_path = Path(args[1])
        args = args[2:]
    rasa = Path(sys.executable).with_name("rasa")
    return run_with_progress([str(rasa), "train", *args], log_path)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
