"""Rasa's SQL tracker store, read as plain rows: where it is, its conversations, and retention.

The location comes from the same endpoints file the Rasa server reads (`tracker_store:`), with the
same `${ENV_VAR}` substitution, so the statistics job and Rasa cannot disagree on it.
"""
from __future__ import annotations

import json
import os
import re
from itertools import groupby
from pathlib import Path
from typing import Dict, Iterator, List, Mapping, Optional, Tuple

import yaml
from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, Engine

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


def _engine(url: str) -> Engine:
    return create_engine(url, future=True)


def _has_events(engine: Engine) -> bool:
    from sqlalchemy import inspect

    return inspect(engine).has_table(EVENTS_TABLE)


def conversations_by_sender(url: str) -> Iterator[Tuple[str, List[Dict]]]:
    """Every sender's events in order. Rasa creates the table on first start: none before that."""
    engine = _engine(url)
    try:
        if not _has_events(engine):
            return
        query = text(f"SELECT sender_id, data FROM {EVENTS_TABLE} ORDER BY sender_id, id")
        with engine.connect() as connection:
            rows = connection.execution_options(stream_results=True).execute(query)
            for sender_id, sender_rows in groupby(rows, key=lambda row: row[0]):
                yield sender_id, [json.loads(row[1]) for row in sender_rows]
    finally:
        engine.dispose()


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
