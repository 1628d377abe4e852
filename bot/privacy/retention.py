"""Retention: keep as little as the work needs, for as long as configured (README, "What is kept").

`bot retention run` is a process of its own in both profiles (Procfile, `bot serve`): every
WEGWIJS_RETENTION_INTERVAL_SECONDS it
1. takes the anonymised statistics row of every stored conversation (bot/statistics/job.py), then
2. erases every session that ended (idle longer than domain.yml's session_expiration_time): deleted,
   or with WEGWIJS_CONVERSATION_RETENTION_DAYS set, de-identified and deleted that many days after
   its first event;
3. deletes handoffs closed or withdrawn WEGWIJS_HANDOFF_RETENTION_DAYS ago, and those never closed
   WEGWIJS_OPEN_HANDOFF_RETENTION_DAYS after they came in;
4. deletes de-identified free text and audit log lines past their own retention.
It reads the tracker store Rasa is configured with (the profile's endpoints file). A part that
fails is logged (never with what was stored), recorded for the administrator's portal page, and
makes `--once` exit non-zero; the process itself goes on and tries again at the next interval.
"""

from __future__ import annotations

import logging
import os
import time
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from typing import Any, Callable, Dict, List, Mapping, Optional

from sqlalchemy import delete, select

from bot import catalogue
from bot.access.audit import purge_before
from bot.handoff.store import HandoffStore
from bot.settings import Settings
from bot.storage.database import Database
from bot.storage.schema import retention_status, statistics_free_text

logger = logging.getLogger(__name__)
PARTS = ("conversations", "handoffs", "free_text", "audit_log")


@dataclass(frozen=True)
class Outcome:
    part: str
    ok: bool
    detail: str


def tracker_environment(settings: Settings) -> Mapping[str, str]:
    """The ${...} values of the endpoints file, as `bot serve` gives them to Rasa in production."""
    if settings.profile != "production" or os.getenv("WEGWIJS_TRACKER_HOST"):
        return os.environ
    from bot.ops.serve import environment, production_from  # Jinja2 and the rest only in production

    return environment(production_from(settings))


def purge_conversations(settings: Settings, database: Database, now: float):
    from bot.statistics.job import purge
    from bot.statistics.store import StatisticsStore
    from bot.statistics.tracker_events import tracker_store_url

    url = tracker_store_url(settings.endpoints_file, tracker_environment(settings))
    return purge(
        url,
        StatisticsStore(database),
        settings.secret_key,
        settings.conversation_retention_days,
        settings.retention.session_minutes,
        now,
    )


def _conversations(settings: Settings, database: Database, now: float) -> str:
    purged = purge_conversations(settings, database, now)
    return texts()["done"]["conversations"].format(
        erased=purged.sessions_erased, by_age=purged.sessions_deleted_by_age
    )


def _handoffs(settings: Settings, database: Database, now: float) -> str:
    store = HandoffStore(settings.database_url)
    try:
        deleted = store.purge_ended(
            settings.handoff_retention_days, _moment(now), open_days=settings.retention.open_handoff_days
        )
    finally:
        store.close()
    return texts()["done"]["handoffs"].format(count=len(deleted))


def _free_text(settings: Settings, database: Database, now: float) -> str:
    # Free text is dated by month: a month goes when all of it is past the retention.
    cutoff = (_moment(now) - timedelta(days=settings.retention.free_text_days)).date().replace(day=1)
    with database.transaction() as session:
        deleted = session.execute(
            delete(statistics_free_text).where(statistics_free_text.c.month < cutoff)
        ).rowcount
    return texts()["done"]["free_text"].format(count=deleted)


def _audit_log(settings: Settings, database: Database, now: float) -> str:
    # The audit log is append-only: bot.access.audit.purge_before is the one delete its trigger lets pass.
    deleted = purge_before(database, _moment(now) - timedelta(days=settings.retention.audit_days))
    return texts()["done"]["audit_log"].format(count=deleted)


RUNS: Dict[str, Callable[[Settings, Database, float], str]] = {
    "conversations": _conversations,
    "handoffs": _handoffs,
    "free_text": _free_text,
    "audit_log": _audit_log,
}


@lru_cache(maxsize=1)
def texts() -> Dict[str, Any]:
    """The administrator's texts about retention (bot/catalogue/nl/retention.yml)."""
    return catalogue.entry("retention")


def _moment(now: float) -> datetime:
    return datetime.fromtimestamp(now, timezone.utc)


def _brief(error: BaseException) -> str:
    """Type and first line: a database error goes on with its SQL parameters, i.e. stored words."""
    lines = str(error).splitlines()
    return f"{type(error).__name__}: {lines[0][:300]}" if lines else type(error).__name__


def _record(database: Database, outcome: Outcome, now: float) -> None:
    try:
        with database.transaction() as session:
            session.execute(delete(retention_status).where(retention_status.c.part == outcome.part))
            session.execute(
                retention_status.insert().values(
                    part=outcome.part, at=_moment(now), ok=outcome.ok, detail=outcome.detail[:500]
                )
            )
    except Exception as error:  # the database itself is down: the log line is all there is
        logger.error("Retention: could not record the outcome of %s (%s)", outcome.part, _brief(error))


def run_once(settings: Settings, now: Optional[float] = None) -> List[Outcome]:
    """Every part once; a part that fails does not stop the others."""
    now = time.time() if now is None else now
    database = Database(settings.database_url)
    outcomes = []
    try:
        try:
            database.migrate()
        except Exception as error:
            logger.error("Retention: the database cannot be reached (%s)", _brief(error))
            return [Outcome(part, False, _brief(error)) for part in PARTS]
        for part in PARTS:
            try:
                outcome = Outcome(part, True, RUNS[part](settings, database, now))
                logger.info("Retention: %s: %s", part, outcome.detail)
            except Exception as error:
                outcome = Outcome(part, False, _brief(error))
                logger.error("Retention FAILED: %s: %s", part, outcome.detail)
            _record(database, outcome, now)
            outcomes.append(outcome)
    finally:
        database.close()
    return outcomes


def status(database: Database) -> List[Dict[str, object]]:
    """The last outcome of each part, for the administrator, in the order they run (None: never ran)."""
    with database.transaction() as session:
        rows = {row.part: dict(row._mapping) for row in session.execute(select(retention_status))}
    return [{"part": part, "label": texts()["parts"][part], "last": rows.get(part)} for part in PARTS]


def run_forever(settings: Settings, sleep: Callable[[float], None] = time.sleep) -> None:
    """The scheduler: waits one interval (Rasa makes its tables on start), runs, and so on."""
    while True:
        sleep(settings.retention.interval_seconds)
        run_once(settings)
