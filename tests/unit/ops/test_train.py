"""bot/ops/train.py: the progress line around a real child process."""

import io
import sys

from bot.ops.train import EXPECTED, elapsed, run_with_progress


def child(code: str):
    return [sys.executable, "-c", code]


def test_success_writes_the_log_and_says_how_long(tmp_path):
    out = io.StringIO()
    log = tmp_path / "sub" / "train.log"
    code = run_with_progress(
        child("import time; print('rasa chatter'); time.sleep(0.5)"),
        log,
        out=out,
        tty=False,
        tick=0.1,
        line_every=0.2,
    )
    assert code == 0
    text = out.getvalue()
    assert "\r" not in text  # CI: no terminal, no carriage returns
    assert text.startswith(f"Training the model ({EXPECTED}); Rasa's log: ")
    assert "  training ... 0 s\n" in text  # one line per interval
    assert text.splitlines()[-1] == "Model trained in 0 s."
    assert "rasa chatter" not in text
    assert "rasa chatter" in log.read_text()


def test_failure_shows_the_whole_log_and_keeps_the_exit_code(tmp_path):
    out = io.StringIO()
    log = tmp_path / "train.log"
    code = run_with_progress(
        child("import sys; print('first line'); sys.exit('InvalidDomain: slot x')"),
        log,
        out=out,
        tty=False,
        tick=0.1,
    )
    assert code == 1
    text = out.getvalue()
    assert "Training FAILED" in text and "exit code 1" in text
    assert "first line" in text and "InvalidDomain: slot x" in text
    assert str(log) in text.splitlines()[-1]


def test_on_a_terminal_the_time_ticks_in_place(tmp_path):
    out = io.StringIO()
    code = run_with_progress(
        child("import time; time.sleep(0.35)"), tmp_path / "t.log", out=out, tty=True, tick=0.1
    )
    assert code == 0
    assert "\r  training ... 0 s" in out.getvalue()
    assert out.getvalue().endswith("Model trained in 0 s.\n")


def test_elapsed():
    assert elapsed(42.9) == "42 s"
    assert elapsed(185) == "3 min 05 s"
