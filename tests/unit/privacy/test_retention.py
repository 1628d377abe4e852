"""Retention (bot/privacy/retention.py): by the age of what is stored, on a schedule of its own, loudly when it cannot."""

import os
import subprocess
import sys
import time
from datetime import date, datetime, timedelta, timezone

from sqlalchemy import create_engine, text, update

from bot.privacy import retention
from bot.settings import PROJECT_ROOT, read_settings
from bot.statistics.store import StatisticsStore
from bot.storage.database import Database
from bot.storage.schema import audit_log, handoffs, statistics_free_text
from tests.unit.handoff.test_handoff_store import full_record
from tests.unit.statistics_support import SECRET, conversation, did, record, said, slot

DAY = 86400.0


def _settings(tmp_path, monkeypatch, tracker, days: int = 0, **environment):
    endpoints = tmp_path / "endpoints.yml"
    endpoints.write_text(f"tracker_store:\n  type: SQL\n  dialect: sqlite\n  db: {tracker}\n")
    for name, value in {
        "WEGWIJS_ENDPOINTS_FILE": str(endpoints),
        "WEGWIJS_SECRET_KEY": SECRET,
        "WEGWIJS_DATABASE_URL": f"sqlite:///{tmp_path / 'wegwijs.db'}",
        "WEGWIJS_CONVERSATION_RETENTION_DAYS": str(days),
        **environment,
    }.items():
        monkeypatch.setenv(name, value)
    return read_settings()


def _stored(tracker) -> str:
    engine = create_engine(f"sqlite:///{tracker}")
    with engine.connect() as connection:
        stored = " ".join(row[0] for row in connection.execute(text("SELECT data FROM events")))
    engine.dispose()
    return stored


def _session(at: float, words: str):
    return conversation(
        said("nlu_fallback", words, at),
        did("action_fallback", at),
        slot("intake_situation", words, at),
        start=at,
    )


def test_with_configured_days_old_events_go_even_when_the_resident_came_back_yesterday(tmp_path, monkeypatch):
    tracker, now = tmp_path / "tracker.db", time.time()
    record(
        tracker,
        "resident",
        _session(now - 10 * DAY, "ik ben ecrin tinsbergen, oude sessie")
        + _session(now - 1 * DAY, "mijn buurvrouw jolanda helpt mij met de brieven"),
    )
    settings = _settings(tmp_path, monkeypatch, tracker, days=7)
    assert all(outcome.ok for outcome in retention.run_once(settings, now))
    stored = _stored(tracker)
    assert "oude sessie" not in stored and "tinsbergen" not in stored  # older than 7 days: gone
    # yesterday's session ended: kept for 7 days, de-identified: the message, its parse data, the slot
    assert "jolanda" not in stored and stored.count("mijn buurvrouw [NAAM] helpt mij met de brieven") == 3
    database = Database(settings.database_url)
    rows = StatisticsStore(database).conversations(date.today() - timedelta(days=12), date.today())
    database.close()
    assert len(rows) == 2  # both sessions were counted before anything went


def test_by_default_an_ended_session_is_erased_and_one_going_on_is_not(tmp_path, monkeypatch):
    tracker, now = tmp_path / "tracker.db", time.time()
    record(tracker, "left", _session(now - 2 * 3600, "ecrin tinsbergen ging weg"))
    record(tracker, "talking", _session(now - 60, "jolanda praat nog"))
    settings = _settings(tmp_path, monkeypatch, tracker)
    retention.run_once(settings, now)
    stored = _stored(tracker)
    assert "tinsbergen" not in stored and "jolanda praat nog" in stored


def test_handoffs_free_text_and_audit_log_have_their_own_retention(configured_store, tmp_path, monkeypatch):
    tracker = tmp_path / "tracker.db"
    record(tracker, "resident", _session(time.time(), "hallo"))  # not understood: this month's free text
    settings = _settings(
        tmp_path,
        monkeypatch,
        tracker,
        WEGWIJS_DATABASE_URL=configured_store.url,
        WEGWIJS_OPEN_HANDOFF_RETENTION_DAYS="60",
        WEGWIJS_FREE_TEXT_RETENTION_DAYS="31",
        WEGWIJS_AUDIT_RETENTION_DAYS="100",
    )
    never_closed = configured_store.store(full_record(key="old")).reference
    recent = configured_store.store(full_record(key="recent", conversation_id="conv-2")).reference
    long_ago = datetime.now(timezone.utc) - timedelta(days=120)
    with configured_store.transaction() as session:
        session.execute(
            update(handoffs).where(handoffs.c.reference == never_closed).values(created_at=long_ago)
        )
        session.execute(audit_log.insert().values(at=long_ago, reference="WW-OLD234", action="viewed"))
        session.execute(
            statistics_free_text.insert().values(
                item_key="k", kind="improvement", month=long_ago.date().replace(day=1), text="oud"
            )
        )
    outcomes = retention.run_once(settings)
    assert all(outcome.ok for outcome in outcomes), outcomes
    assert configured_store.get(never_closed) is None and configured_store.get(recent) is not None
    with configured_store.transaction() as session:
        assert [row[0] for row in session.execute(text("SELECT text FROM statistics_free_text"))] == ["hallo"]
        references = [row[0] for row in session.execute(text("SELECT reference FROM audit_log"))]
    assert "WW-OLD234" not in references and never_closed in references  # "deleted" is logged anew


def test_a_purge_pointed_at_an_unreachable_store_exits_non_zero_and_tells_the_administrator(tmp_path):
    endpoints = tmp_path / "endpoints.yml"
    endpoints.write_text(
        "tracker_store:\n  type: SQL\n  dialect: postgresql\n  url: 127.0.0.1\n  port: 1\n  db: x\n"
    )
    database_url = f"sqlite:///{tmp_path / 'wegwijs.db'}"
    environment = {
        **os.environ,
        "PYTHONPATH": str(PROJECT_ROOT),
        "WEGWIJS_ENDPOINTS_FILE": str(endpoints),
        "WEGWIJS_DATABASE_URL": database_url,
        "WEGWIJS_SECRET_KEY": SECRET,
    }
    said = {}
    for command in (("retention", "run", "--once"), ("statistics", "purge-conversations")):
        done = subprocess.run(
            [sys.executable, "-m", "bot.ops.cli", *command],
            env=environment,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 2, done
        said[command[0]] = done.stdout + done.stderr
    assert "Retention FAILED: conversations: OperationalError" in said["retention"]
    assert "tracker store unreachable" in said["statistics"]
    database = Database(database_url)
    status = {row["part"]: row["last"] for row in retention.status(database)}
    database.close()
    assert not status["conversations"]["ok"] and "OperationalError" in status["conversations"]["detail"]
    assert status["handoffs"]["ok"]


def test_a_missing_sqlite_store_is_a_failure_not_nothing_to_delete(tmp_path, monkeypatch):
    settings = _settings(tmp_path, monkeypatch, tmp_path / "elsewhere" / "tracker.db")
    outcome = {outcome.part: outcome for outcome in retention.run_once(settings)}["conversations"]
    assert not outcome.ok and "does not exist" in outcome.detail
    assert not (tmp_path / "elsewhere" / "tracker.db").exists()


def test_the_scheduled_purge_runs_by_itself(tmp_path):
    tracker = tmp_path / "tracker.db"
    record(tracker, "left", _session(time.time() - 2 * 3600, "ecrin tinsbergen ging weg"))
    endpoints = tmp_path / "endpoints.yml"
    endpoints.write_text(f"tracker_store:\n  type: SQL\n  dialect: sqlite\n  db: {tracker}\n")
    environment = {
        **os.environ,
        "PYTHONPATH": str(PROJECT_ROOT),
        "WEGWIJS_ENDPOINTS_FILE": str(endpoints),
        "WEGWIJS_DATABASE_URL": f"sqlite:///{tmp_path / 'wegwijs.db'}",
        "WEGWIJS_SECRET_KEY": SECRET,
        "WEGWIJS_RETENTION_INTERVAL_SECONDS": "5",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "bot.ops.cli", "retention", "run"],
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 120  # a wait for the first run, not a speed requirement
        while "tinsbergen" in _stored(tracker) and time.monotonic() < deadline and process.poll() is None:
            time.sleep(1)
        assert "tinsbergen" not in _stored(tracker)
        assert process.poll() is None  # it keeps running
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_a_replica_forgets_a_conversation_before_its_session_ends():
    """The replica's in-memory copy (serving/tracker_store.py) never outlives what retention erases."""
    import inspect

    import yaml

    from serving.tracker_store import ReplicaCachedSQLTrackerStore

    default = inspect.signature(ReplicaCachedSQLTrackerStore.__init__).parameters["cache_seconds"].default
    for endpoints in ("endpoints.yml", "deploy/endpoints.production.yml"):
        store = yaml.safe_load((PROJECT_ROOT / endpoints).read_text(encoding="utf-8"))["tracker_store"]
        assert int(store.get("cache_seconds", default)) < read_settings().retention.session_minutes * 60, (
            endpoints
        )


def test_in_production_retention_reads_the_store_the_replicas_write(monkeypatch):
    from bot.statistics.tracker_events import tracker_store_url

    for name in ("WEGWIJS_ENDPOINTS_FILE", "WEGWIJS_TRACKER_HOST", "WEGWIJS_TRACKER_DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("WEGWIJS_PROFILE", "production")
    monkeypatch.setenv("WEGWIJS_DATABASE_URL", "postgresql://wegwijs:geheim@db.example:5433/wegwijs")
    monkeypatch.setenv("WEGWIJS_RASA_TOKEN", "unit-tests-" + "x" * 24)
    settings = read_settings()
    assert settings.endpoints_file == PROJECT_ROOT / "deploy" / "endpoints.production.yml"
    url = tracker_store_url(settings.endpoints_file, retention.tracker_environment(settings))
    assert url == "postgresql://wegwijs:geheim@db.example:5433/wegwijs"


def test_both_profiles_start_the_retention_process(tmp_path, monkeypatch):
    from sqlalchemy.engine import make_url

    from bot.ops import serve

    procfile = dict(
        line.split(": ", 1) for line in (PROJECT_ROOT / "Procfile").read_text().splitlines() if line
    )
    assert procfile["retention"].endswith("bot retention run")
    monkeypatch.setattr(serve, "nginx_binary", lambda: "nginx")  # only its path goes into the command line
    database = make_url("postgresql://wegwijs@127.0.0.1/wegwijs")
    production = serve.Production(
        database,
        database,
        "redis://127.0.0.1:6379/1",
        "token",
        serve.Topology.default(2, 2, "127.0.0.1", 8080),
    )
    assert serve.commands(production, tmp_path)["retention"][1:] == ["retention", "run"]
