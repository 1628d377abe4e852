"""Rasa's SQL tracker store, read as plain rows: where it is, its conversations, and retention.

The location comes from the same endpoints file the Rasa server reads (`tracker_store:`), with the
same `${ENV_VAR}` substitution, so the statistics job and Rasa cannot disagree on it.
"""
from __future__ import annotations

import json
import logging
import os
import re
from itertools import groupby
from pathlib import Path
from typing import Any, Dict, Iterable, Iterator, List, Mapping, Optional, Tuple, Union

import yaml
from pydantic import BaseModel, StrictFloat, StrictInt, StrictStr
from sqlalchemy import create_engine, event as sqlalchemy_events, text
from sqlalchemy.engine import URL, Engine

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
    url = URL.create(dialect, username=config.get("username"), password=config.get("password"),
                     host=config.get("url"), port=int(port) if port else None, database=database,
                     query=config.get("query") or {})
    return url.render_as_string(hide_password=False)


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


def conversations_by_sender(url: str, skipped: Optional[List[int]] = None) -> Iterator[Tuple[str, List[Dict]]]:
    """Every sender's events in order. Rasa creates the table on first start: none before that.
    An event that cannot be read is left out, its id logged (never its content) and added to `skipped`."""
    engine = _engine(url)
    try:
        if not _has_events(engine):
            return
        query = text(f"SELECT sender_id, id, data FROM {EVENTS_TABLE} ORDER BY sender_id, id")
        with engine.connect() as connection:
            rows = connection.execution_options(stream_results=True).execute(query)
            for sender_id, sender_rows in groupby(rows, key=lambda row: row[0]):
                yield sender_id, list(_readable(sender_rows, skipped if skipped is not None else []))
    finally:
        engine.dispose()


def _readable(rows: Iterable, skipped: List[int]) -> Iterator[Dict]:
    for sender_id, event_id, data in rows:
        event = readable_event(data) if _is_unicode(sender_id) else None
        if event is None:
            logger.warning("Tracker event %s cannot be read: skipped.", event_id)
            skipped.append(event_id)
        else:
            yield event


def purge_before(url: str, cutoff: float) -> int:
    """Deletes the raw events of every sender whose last event is older than `cutoff` (a Unix time):
    whole conversations, never half of one. Returns how many senders were deleted."""
    engine = _engine(url)
    try:
        if not _has_events(engine):
            return 0
        with engine.begin() as connection:
            stale = [row[0] for row in connection.execute(text(
                f"SELECT sender_id FROM {EVENTS_TABLE} GROUP BY sender_id HAVING max(timestamp) < :cutoff"
            ), {"cutoff": cutoff})]
            for sender_id in stale:
                connection.execute(text(f"DELETE FROM {EVENTS_TABLE} WHERE sender_id = :sender"), {"sender": sender_id})
        return len(stale)
    finally:
        engine.dispose()
