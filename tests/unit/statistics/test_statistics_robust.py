"""The statistics job and retention survive every stored event, and do not block Rasa's writes."""

import asyncio
import json
import logging
import sqlite3

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy import create_engine, text

from bot.settings import PROJECT_ROOT
from bot.statistics import job
from bot.statistics.tracker_events import conversations_by_sender
from serving.tracker_store import ReplicaCachedSQLTrackerStore
from tests.unit.statistics.test_statistics import statistics  # noqa: F401  (the fixture: a statistics table on SQLite and PostgreSQL)
from tests.unit.statistics_support import MONDAY_EVENING, SECRET, conversation, did, record, said

SECRET_WORDS = "Jantine Vermeulen 0612345678"
# Stored events no reader expects: not JSON, JSON that is not an event, an unpaired surrogate (as
# Rasa's json.dumps escapes it), fields of the wrong type.
BAD_EVENTS = [
    "{not json " + SECRET_WORDS,
    json.dumps(["user", SECRET_WORDS]),
    json.dumps({"event": "user", "timestamp": MONDAY_EVENING, "text": "abc \ud83d " + SECRET_WORDS}),
    json.dumps({"event": "user", "timestamp": "gisteren", "text": SECRET_WORDS}),
    json.dumps({"event": "user", "timestamp": MONDAY_EVENING, "text": 12, "parse_data": [SECRET_WORDS]}),
    json.dumps(
        {
            "event": "user",
            "timestamp": MONDAY_EVENING,
            "text": SECRET_WORDS,
            "parse_data": {"intent": SECRET_WORDS, "entities": "x"},
        }
    ),
]


def a_conversation(start: float = MONDAY_EVENING):
    return conversation(
        said("greet", "hallo", start),
        did("utter_greet", start),
        said("ask_cost", "kost het geld?", start + 60),
        did("utter_answer_cost", start + 60),
        start=start,
    )


def add_rows(url: str, sender: str, rows) -> None:
    engine = create_engine(url, future=True)
    with engine.begin() as connection:
        for data in rows:
            connection.execute(
                text(
                    "INSERT INTO events (sender_id, type_name, timestamp, data) "
                    "VALUES (:sender, 'user', :at, :data)"
                ),
                {"sender": sender, "at": MONDAY_EVENING, "data": data},
            )
    engine.dispose()


def postgres_tracker(postgres_url: str) -> str:
    """Rasa's own events table, in the test's PostgreSQL schema."""
    engine = create_engine(postgres_url, future=True)
    SQLTrackerStore.SQLEvent.__table__.create(engine)
    engine.dispose()
    return postgres_url


def test_bad_events_are_skipped_counted_and_logged_by_id_only_and_retention_goes_on(
    statistics, tmp_path, postgres_url, caplog
):
    sqlite_tracker = tmp_path / "tracker.db"
    record(sqlite_tracker, "good", a_conversation())
    record(sqlite_tracker, "broken", a_conversation())
    for url in (f"sqlite:///{sqlite_tracker}", postgres_tracker(postgres_url)):
        add_rows(url, "broken", BAD_EVENTS)
        if url.startswith("sqlite"):
            connection = sqlite3.connect(sqlite_tracker)  # bytes that are not UTF-8: only SQLite lets them in
            connection.execute(
                "INSERT INTO events (sender_id, type_name, timestamp, data) VALUES ('broken', 'user', 1, CAST(X'7b22ff22fe7d' AS TEXT))"
            )
            connection.commit()
            connection.close()
        caplog.clear()
        with caplog.at_level(logging.WARNING):
            result = job.update(url, statistics, SECRET)
        assert result.skipped_events == len(BAD_EVENTS) + url.startswith("sqlite")
        assert result.conversations == (2 if url.startswith("sqlite") else 0)
        assert len([r for r in caplog.records if "cannot be read" in r.getMessage()]) == result.skipped_events
        assert "Jantine" not in caplog.text and "0612345678" not in caplog.text
        purged = job.purge(
            url, statistics, SECRET, retention_days=30, session_minutes=60, now=MONDAY_EVENING + 31 * 86400
        )
        assert purged.sessions_deleted_by_age >= 1
        assert list(conversations_by_sender(url)) == []  # the unreadable rows went with their session


def test_rasa_writes_while_the_job_reads_a_sqlite_tracker_store(tmp_path, statistics):
    tracker_db = tmp_path / "tracker.db"
    domain = Domain.load(str(PROJECT_ROOT / "domain.yml"))
    # The store Rasa runs with (endpoints.yml).
    rasa_store = ReplicaCachedSQLTrackerStore(domain, dialect="sqlite", db=str(tracker_db))
    for n in range(3):
        asyncio.run(rasa_store.save(DialogueStateTracker.from_events(f"earlier-{n}", a_conversation())))
    reading = conversations_by_sender(f"sqlite:///{tracker_db}")
    next(reading)  # the job is reading: its SELECT is open, as while it de-identifies a conversation
    writer = sqlite3.connect(tracker_db, timeout=0.1)  # a writer that waits briefly for a lock, then fails
    writer.execute(
        "INSERT INTO events (sender_id, type_name, timestamp, data) VALUES ('new', 'user', 1, '{}')"
    )
    writer.commit()  # in SQLite's default journal mode this fails: "database is locked"
    writer.close()
    assert len(list(reading)) == 2
    assert sqlite3.connect(tracker_db).execute("PRAGMA journal_mode").fetchone() == ("wal",)
    assert job.update(f"sqlite:///{tracker_db}", statistics, SECRET).conversations == 3
    rasa_store.engine.dispose()
