"""Rasa's SQL tracker store, read as plain rows: where it is, its conversations, and retention.

The location comes from the same endpoints file the Rasa server reads (`tracker_store:`), with the
same `${ENV_VAR}` substitution, so the statistics job and Rasa cannot disagree on it.
"""

from __future__ import annotations

import json
import logging
import os
import re
from dataclasses import dataclass, field
from itertools import groupby
from pathlib import Path
from typing import Any, Dict, Iterable, Iterator, List, Mapping, Optional, Tuple, Union

import yaml
from pydantic import BaseModel, StrictFloat, StrictInt, StrictStr
from sqlalchemy import bindparam, create_engine, text
from sqlalchemy import event as sqlalchemy_events
from sqlalchemy.engine import URL, Engine, make_url

from bot.privacy import erasure
from bot.privacy.erasure import Words
from bot.settings import PROJECT_ROOT

logger = logging.getLogger(__name__)

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
    url = URL.create(
        dialect,
        username=config.get("username"),
        password=config.get("password"),
        host=config.get("url"),
        port=int(port) if port else None,
        database=database,
        query=config.get("query") or {},
    )
    return url.render_as_string(hide_password=False)


class TrackerStoreMissing(RuntimeError):
    """The configured store holds no conversations table: not the store Rasa writes, or Rasa never ran."""


def _engine(url: str) -> Engine:
    engine = create_engine(url, future=True)
    if engine.dialect.name == "sqlite":
        sqlalchemy_events.listen(engine, "connect", _sqlite_connected)
    return engine


def _sqlite_connected(connection, _record) -> None:
    """WAL: this job's long read and Rasa's writes to the same file do not wait for each other
    (in SQLite's default journal a reader blocks a writer's commit: "database is locked"). WAL
    stays set in the file. Text that is not UTF-8 is read with its bad bytes kept as surrogates,
    so one bad row is skipped (readable_event) instead of stopping the whole read."""
    connection.text_factory = lambda raw: raw.decode("utf-8", "surrogateescape")
    connection.execute("PRAGMA journal_mode=WAL")


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
        raise TrackerStoreMissing(
            f"the tracker store has no '{EVENTS_TABLE}' table: is Rasa configured with it?"
        )
    return engine


class _Intent(BaseModel):
    name: Optional[StrictStr]


class _ParseData(BaseModel):
    intent: Optional[_Intent]
    entities: Optional[List[Dict[StrictStr, Any]]]


class _Event(BaseModel):
    """The fields the statistics read, of the types Rasa writes; other fields are not checked."""

    event: StrictStr
    timestamp: Union[StrictInt, StrictFloat]
    text: Optional[StrictStr]
    name: Optional[StrictStr]
    input_channel: Optional[StrictStr]
    parse_data: Optional[_ParseData]


def _is_unicode(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeError:
        return False
    return True


def readable_event(data: object) -> Optional[Dict]:
    """The stored event, or None when it cannot be read: not JSON, not valid Unicode (an unpaired
    surrogate), or a field of the wrong type."""
    try:
        event = json.loads(data)  # type: ignore[arg-type]
        json.dumps(event, ensure_ascii=False).encode("utf-8")  # fails on a surrogate anywhere inside
        _Event.parse_obj(event)
    except (TypeError, ValueError):  # UnicodeError and pydantic's ValidationError are ValueErrors
        return None
    return event


def conversations_by_sender(
    url: str, skipped: Optional[List[int]] = None
) -> Iterator[Tuple[str, List[Dict]]]:
    """Every sender's events in order. An event that cannot be read is left out, its id logged
    (never its content) and added to `skipped`."""
    engine = _checked_engine(url)
    try:
        query = text(f"SELECT sender_id, id, data FROM {EVENTS_TABLE} ORDER BY sender_id, id")
        with engine.connect() as connection:
            rows = connection.execution_options(stream_results=True).execute(query)
            for sender_id, sender_rows in groupby(rows, key=lambda row: row[0]):
                yield sender_id, list(_readable(sender_rows, skipped if skipped is not None else []))
    finally:
        engine.dispose()


def _unreadable(event_id: int, skipped: List[int]) -> None:
    logger.warning("Tracker event %s cannot be read: skipped.", event_id)
    skipped.append(event_id)


def _readable(rows: Iterable, skipped: List[int]) -> Iterator[Dict]:
    for sender_id, event_id, data in rows:
        event = readable_event(data) if _is_unicode(sender_id) else None
        if event is None:
            _unreadable(event_id, skipped)
        else:
            yield event


@dataclass(frozen=True)
class Session:
    """One of a sender's sessions as stored: row ids, events, and its first and last event times."""

    ids: List[int]
    events: List[Dict]
    # rows that cannot be read: never rewritten, deleted with their session
    unreadable: List[int] = field(default_factory=list)

    @property
    def first(self) -> float:
        return min((event.get("timestamp") or 0 for event in self.events), default=0)

    @property
    def last(self) -> float:
        return max((event.get("timestamp") or 0 for event in self.events), default=0)


def _starts_session(event: Dict, previous: Optional[Dict]) -> bool:
    """Rasa starts a session with `action_session_start`, which adds `session_started`."""
    if event.get("event") == "action" and event.get("name") == "action_session_start":
        return True
    return event.get("event") == "session_started" and (previous or {}).get("name") != "action_session_start"


def _sessions(rows, skipped: List[int]) -> Iterator[Tuple[str, List[Session]]]:
    """Each sender's sessions, in order; a row that cannot be read stays with the session it is in."""
    for sender_id, sender_rows in groupby(rows, key=lambda row: row[0]):
        sessions: List[Session] = []
        for _, row_id, data in sender_rows:
            event = readable_event(data)
            if (
                not sessions
                or event
                and sessions[-1].events
                and _starts_session(event, sessions[-1].events[-1])
            ):
                sessions.append(Session([], []))
            if event is None:
                _unreadable(row_id, skipped)
                sessions[-1].unreadable.append(row_id)
                continue
            sessions[-1].ids.append(row_id)
            sessions[-1].events.append(event)
        yield sender_id, sessions


def _delete(connection, ids: List[int]) -> None:
    for start in range(0, len(ids), 500):
        connection.execute(
            text(f"DELETE FROM {EVENTS_TABLE} WHERE id IN :ids").bindparams(bindparam("ids", expanding=True)),
            {"ids": ids[start : start + 500]},
        )


def _rewritten(session: Session, words: Words) -> List[Dict]:
    """The rows of an ended session whose words change: de-identified once (later runs change nothing)."""
    return [
        {"id": row_id, "data": json.dumps(after)}
        for row_id, before, after in zip(
            session.ids, session.events, erasure.scrubbed(session.events, words, answer_kept=False)
        )
        if after != before
    ]


@dataclass(frozen=True)
class Purged:
    sessions_erased: int  # ended sessions deleted, or their words de-identified
    sessions_deleted_by_age: int


def purge_sessions(
    url: str, ended_before: float, keep_words: Optional[Words], older_than: Optional[float]
) -> Purged:
    """Retention of the tracker store (bot/privacy/retention.py says when).

    A session ended when a newer one started or its last event is older than `ended_before`. Without
    `keep_words` an ended session is deleted; with it, its words are replaced by `keep_words` of them
    (de-identified) and the session is deleted once its first event is older than `older_than`: by the
    age of what is stored, whatever the resident did later. Whole sessions, so a statistics row taken
    from one is never replaced by one taken from half of it.
    Read first, then one short write: with SQLite, Rasa waits for the write, never for the reading and
    de-identifying. Rows Rasa adds in between belong to a session that has not ended."""
    engine = _checked_engine(url)
    deleted: List[int] = []
    skipped: List[int] = []
    rewritten: List[Dict] = []
    erased = by_age = 0
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                text(f"SELECT sender_id, id, data FROM {EVENTS_TABLE} ORDER BY sender_id, id")
            ).all()
        for _, sessions in _sessions(rows, skipped):
            for number, session in enumerate(sessions):
                ended = number < len(sessions) - 1 or session.last < ended_before
                if older_than is not None and session.first < older_than:
                    deleted += session.ids + session.unreadable
                    by_age += 1
                elif ended and keep_words is None:
                    deleted += session.ids + session.unreadable
                    erased += 1
                elif ended and keep_words is not None:
                    changed = _rewritten(session, keep_words)
                    deleted += session.unreadable  # a row that cannot be read cannot be de-identified
                    rewritten += changed
                    erased += bool(changed) or bool(session.unreadable)
        with engine.begin() as connection:
            _delete(connection, deleted)
            if rewritten:
                connection.execute(text(f"UPDATE {EVENTS_TABLE} SET data = :data WHERE id = :id"), rewritten)
    finally:
        engine.dispose()
    return Purged(erased, by_age)
