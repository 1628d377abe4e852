"""Rasa's SQL tracker store, read as plain rows: where it is, its conversations, and retention.

The location comes from the same endpoints file the Rasa server reads (`tracker_store:`), with the
same `${ENV_VAR}` substitution, so the statistics job and Rasa cannot disagree on it.
"""
from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path
from typing import Dict, Iterator, List, Mapping, Optional, Tuple

import yaml
from sqlalchemy import bindparam, create_engine, text
from sqlalchemy.engine import URL, Engine, make_url

from bot import privacy
from bot.privacy import Words
from bot.settings import PROJECT_ROOT

# Rasa's SQLTrackerStore keeps one row per event in this table, the event itself as JSON in `data`.
EVENTS_TABLE = "events"
_UNRESOLVED = re.compile(r"\$\{([^}]+)\}")


# Rasa's own SQL store (any case, as Rasa reads it), and ours, which keeps its tables (serving/tracker_store.py).
SQL_STORE_TYPES = ("SQL", "SERVING.TRACKER_STORE.REPLICACACHEDSQLTRACKERSTORE")


class TrackerStoreConfigError(ValueError):
    """The endpoints file has no usable SQL tracker store."""


def _substituted(value: object, environ: Mapping[str, str]) -> object:
    if not isinstance(value, str):
        return value
    missing = [name for name in _UNRESOLVED.findall(value) if name not in environ]
    if missing:
        raise TrackerStoreConfigError(f"tracker_store: set the environment variable(s) {', '.join(missing)}")
    return _UNRESOLVED.sub(lambda match: environ[match.group(1)], value)


def tracker_store_url(endpoints_file: Path, environ: Optional[Mapping[str, str]] = None) -> str:
    """The SQLAlchemy URL of the SQL tracker store configured in `endpoints_file`."""
    environ = os.environ if environ is None else environ
    config = (yaml.safe_load(endpoints_file.read_text(encoding="utf-8")) or {}).get("tracker_store") or {}
    config = {key: _substituted(value, environ) for key, value in config.items()}
    if str(config.get("type", "")).upper() not in SQL_STORE_TYPES:
        raise TrackerStoreConfigError(f"{endpoints_file}: tracker_store must be of type SQL for statistics")
    dialect = config.get("dialect") or "sqlite"
    database = config.get("db") or "rasa.db"
    if dialect == "sqlite":
        path = Path(database)
        return f"sqlite:///{path if path.is_absolute() else PROJECT_ROOT / path}"
    port = config.get("port")
    url = URL.create(dialect, username=config.get("username"), password=config.get("password"),
                     host=config.get("url"), port=int(port) if port else None, database=database,
                     query=config.get("query") or {})
    return url.render_as_string(hide_password=False)


class TrackerStoreMissing(RuntimeError):
    """The configured store holds no conversations table: not the store Rasa writes, or Rasa never ran."""


def _engine(url: str) -> Engine:
    return create_engine(url, future=True)


def _has_events(engine: Engine) -> bool:
    from sqlalchemy import inspect

    return inspect(engine).has_table(EVENTS_TABLE)


def _checked_engine(url: str) -> Engine:
    """An engine on the store Rasa writes; fails loudly instead of reading an empty store (a SQLite
    file that is not there would be created, and every run would report nothing to delete)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and not Path(parsed.database or "").exists():
        raise TrackerStoreMissing(f"the tracker store {parsed.database} does not exist")
    engine = _engine(url)
    if not _has_events(engine):
        engine.dispose()
        raise TrackerStoreMissing(f"the tracker store has no '{EVENTS_TABLE}' table: is Rasa configured with it?")
    return engine


def conversations_by_sender(url: str) -> Iterator[Tuple[str, List[Dict]]]:
    """Every sender's events in order."""
    engine = _checked_engine(url)
    try:
        query = text(f"SELECT sender_id, data FROM {EVENTS_TABLE} ORDER BY sender_id, id")
        with engine.connect() as connection:
            rows = connection.execution_options(stream_results=True).execute(query)
            for sender_id, sender_rows in groupby(rows, key=lambda row: row[0]):
                yield sender_id, [json.loads(row[1]) for row in sender_rows]
    finally:
        engine.dispose()


@dataclass(frozen=True)
class Session:
    """One of a sender's sessions as stored: row ids, events, and its first and last event times."""

    ids: List[int]
    events: List[Dict]

    @property
    def first(self) -> float:
        return min(event.get("timestamp") or 0 for event in self.events)

    @property
    def last(self) -> float:
        return max(event.get("timestamp") or 0 for event in self.events)


def _starts_session(event: Dict, previous: Optional[Dict]) -> bool:
    """Rasa starts a session with `action_session_start`, which adds `session_started`."""
    if event.get("event") == "action" and event.get("name") == "action_session_start":
        return True
    return event.get("event") == "session_started" and (previous or {}).get("name") != "action_session_start"


def _sessions(rows) -> Iterator[Tuple[str, List[Session]]]:
    """Each sender's sessions, in order."""
    for sender_id, sender_rows in groupby(rows, key=lambda row: row[0]):
        sessions: List[Session] = []
        for _, row_id, data in sender_rows:
            event = json.loads(data)
            if not sessions or sessions[-1].events and _starts_session(event, sessions[-1].events[-1]):
                sessions.append(Session([], []))
            sessions[-1].ids.append(row_id)
            sessions[-1].events.append(event)
        yield sender_id, sessions


def _delete(connection, ids: List[int]) -> None:
    for start in range(0, len(ids), 500):
        connection.execute(text(f"DELETE FROM {EVENTS_TABLE} WHERE id IN :ids").bindparams(
            bindparam("ids", expanding=True)), {"ids": ids[start:start + 500]})


def _rewritten(session: Session, words: Words) -> List[Dict]:
    """The rows of an ended session whose words change: de-identified once (later runs change nothing)."""
    return [{"id": row_id, "data": json.dumps(after)} for row_id, before, after
            in zip(session.ids, session.events, privacy.scrubbed(session.events, words, answer_kept=False))
            if after != before]


@dataclass(frozen=True)
class Purged:
    sessions_erased: int  # ended sessions deleted, or their words de-identified
    sessions_deleted_by_age: int


def purge_sessions(url: str, ended_before: float, keep_words: Optional[Words], older_than: Optional[float]) -> Purged:
    """Retention of the tracker store (bot/retention.py says when).

    A session ended when a newer one started or its last event is older than `ended_before`. Without
    `keep_words` an ended session is deleted; with it, its words are replaced by `keep_words` of them
    (de-identified) and the session is deleted once its first event is older than `older_than`: by the
    age of what is stored, whatever the resident did later. Whole sessions, so a statistics row taken
    from one is never replaced by one taken from half of it.
    Read first, then one short write: with SQLite, Rasa waits for the write, never for the reading and
    de-identifying. Rows Rasa adds in between belong to a session that has not ended."""
    engine = _checked_engine(url)
    deleted: List[int] = []
    rewritten: List[Dict] = []
    erased = by_age = 0
    try:
        with engine.connect() as connection:
            rows = connection.execute(text(f"SELECT sender_id, id, data FROM {EVENTS_TABLE} ORDER BY sender_id, id")).all()
        for _, sessions in _sessions(rows):
            for number, session in enumerate(sessions):
                ended = number < len(sessions) - 1 or session.last < ended_before
                if older_than is not None and session.first < older_than:
                    deleted += session.ids
                    by_age += 1
                elif ended and keep_words is None:
                    deleted += session.ids
                    erased += 1
                elif ended:
                    changed = _rewritten(session, keep_words)
                    rewritten += changed
                    erased += bool(changed)
        with engine.begin() as connection:
            _delete(connection, deleted)
            if rewritten:
                connection.execute(text(f"UPDATE {EVENTS_TABLE} SET data = :data WHERE id = :id"), rewritten)
    finally:
        engine.dispose()
    return Purged(erased, by_age)
