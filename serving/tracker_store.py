"""Rasa's SQL tracker store, keeping in memory the conversations this replica handles.

Stock Rasa 3.6 reads a conversation back on every message: every event of the session, JSON-decoded
and replayed into a tracker, and before every save it counts the stored events again. Measured on the
bench conversations (py-spy, in-process), that was a fifth of a replica's CPU per message, growing
with the length of the conversation. The proxy keeps a conversation on one replica, so the tracker
this replica saved last is almost always still the latest.

Every read checks that with one indexed count of the conversation's stored events. When another
replica or a purge has changed the conversation since, or the turn that held the tracker ended
without saving it, the read goes to the database as Rasa's does. The database stays the only
truth: this store never answers with anything that is not stored. Saving a kept tracker writes its
new events as the rows Rasa's save writes, in one multi-row INSERT without the ORM.
A new conversation (nothing stored) is kept from its first save. When a session starts, the kept
tracker is cut to what Rasa's read returns (the events from the latest session start's timestamp on),
so the next message needs no read either: without this, the first two messages of every
conversation went through Rasa's ORM reads and saves.

A turn that erases the conversation (stop, restart, the offer without consent, a withdrawal:
bot/privacy/erasure.py) rewrites the conversation's stored rows without the resident's words, in the same
transaction as the turn's own rows, and drops the tracker kept here, so the next read is the erased
one. Another replica that still keeps this conversation finds the count changed and reads it again.

Configured in endpoints.yml and deploy/endpoints.production.yml
(`type: serving.tracker_store.ReplicaCachedSQLTrackerStore`, `cache_size` conversations, forgotten
after `cache_seconds` without a message).
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from itertools import islice
from typing import Any, Dict, List, Optional, Text

import sqlalchemy as sa
from cachetools import TTLCache
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import Event, SessionStarted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY

from bot.privacy import erasure

# The columns of Rasa's events table that its save fills (the id is the database's).
ROW = ("sender_id", "type_name", "timestamp", "intent_name", "action_name", "data")


@functools.lru_cache(maxsize=64)
def insert_rows(table: Text, rows: int) -> sa.sql.elements.TextClause:
    """One INSERT of `rows` rows, in one round trip (given a list of rows, psycopg2 sends a statement per row)."""
    values = ", ".join("(" + ", ".join(f":{column}_{n}" for column in ROW) + ")" for n in range(rows))
    return sa.text(f"INSERT INTO {table} ({', '.join(ROW)}) VALUES {values}")


def _latest_turn(tracker: DialogueStateTracker) -> List[Event]:
    """The events from the resident's last message on: what one save of a turn adds."""
    events = list(tracker.events)
    last = max((n for n, event in enumerate(events) if isinstance(event, UserUttered)), default=0)
    return events[last:]


@dataclass
class _Kept:
    tracker: DialogueStateTracker
    persisted: int  # len(tracker.events) when it last matched the database
    stored: int  # the conversation's rows in the database then, over all its sessions

    def is_current(self, stored: int) -> bool:
        return stored == self.stored and len(self.tracker.events) == self.persisted

    def unsaved(self) -> List[Event]:
        return list(islice(self.tracker.events, self.persisted, None))


class ReplicaCachedSQLTrackerStore(SQLTrackerStore):
    def __init__(self, *args: Any, cache_size: int = 1000, cache_seconds: int = 1800, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._kept: TTLCache = TTLCache(maxsize=int(cache_size), ttl=int(cache_seconds))
        # Plain SQL: SQLAlchemy builds a cache key of a Core statement on every execution, which took
        # more CPU than the database (measured: count 0.49 -> 0.3-0.4 ms, insert of a turn 0.94 -> 0.5-0.6 ms).
        self._count = sa.text(
            f"SELECT count(*) FROM {self.SQLEvent.__tablename__} WHERE sender_id = :sender_id"
        )
        if self.engine.dialect.name == "sqlite":
            # The statistics job reads this file while Rasa writes to it: in WAL neither waits for the
            # other (bot/statistics/tracker_events.py). The mode stays set in the file.
            with self.engine.connect() as connection:
                connection.exec_driver_sql("PRAGMA journal_mode=WAL")

    def _stored_events(self, sender_id: Text) -> int:
        # autocommit: a lone SELECT needs no BEGIN and ROLLBACK round trips around it
        with self.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            return connection.execute(self._count, {"sender_id": sender_id}).scalar()

    @staticmethod
    def _row(sender_id: Text, event: Event) -> Dict[Text, Any]:
        """The row Rasa's SQLTrackerStore.save writes for an event."""
        data = event.as_dict()
        values = (
            sender_id,
            event.type_name,
            data.get("timestamp"),
            data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY),
            data.get("name"),
            json.dumps(data),
        )
        return dict(zip(ROW, values))

    def _insert(self, sender_id: Text, events: List[Event], erase: bool = False) -> None:
        if not events and not erase:
            return
        values = {
            f"{column}_{n}": value
            for n, event in enumerate(events)
            for column, value in self._row(sender_id, event).items()
        }
        # In a transaction, although one statement: its COMMIT is the last step that can fail. With
        # autocommit, resetting the connection's isolation level after the write can fail when the
        # database has just gone away, answering a stored turn as failed (the likely cause of one
        # `make scale` failure with PostgreSQL restarted; not reproduced locally).
        with self.engine.begin() as connection:
            if events:
                connection.execute(insert_rows(self.SQLEvent.__tablename__, len(events)), values)
            if erase:
                self._erase(connection, sender_id)

    def _erase(self, connection: sa.engine.Connection, sender_id: Text) -> None:
        """Rewrites the conversation's stored events without what the resident typed."""
        table = self.SQLEvent.__tablename__
        rows = connection.execute(
            sa.text(f"SELECT id, data FROM {table} WHERE sender_id = :sender_id ORDER BY id"),
            {"sender_id": sender_id},
        ).all()
        events = [json.loads(data) for _, data in rows]
        changed = [
            {"id": row_id, "data": json.dumps(after)}
            for (row_id, _), before, after in zip(rows, events, erasure.scrubbed(events))
            if after != before
        ]
        if changed:
            connection.execute(sa.text(f"UPDATE {table} SET data = :data WHERE id = :id"), changed)

    def _kept_for(self, tracker: DialogueStateTracker) -> Optional[_Kept]:
        kept = self._kept.get(tracker.sender_id)
        return kept if kept is not None and kept.tracker is tracker else None

    async def retrieve(self, sender_id: Text) -> Optional[DialogueStateTracker]:
        stored = self._stored_events(sender_id)
        kept = self._kept.get(sender_id)
        if kept is not None and kept.is_current(stored):
            self._kept[sender_id] = kept  # a message renews the time it is kept
            return kept.tracker
        self._kept.pop(sender_id, None)
        if stored == 0:
            return None  # what Rasa's read finds in an empty conversation, without its query
        tracker = await super().retrieve(sender_id)
        if tracker is not None:
            self._kept[sender_id] = _Kept(tracker, persisted=len(tracker.events), stored=stored)
        return tracker

    async def stream_events(self, tracker: DialogueStateTracker) -> None:
        kept = self._kept_for(tracker)
        if self.event_broker is not None and kept is not None:
            await self._stream_new_events(self.event_broker, kept.unsaved(), tracker.sender_id)
        else:
            await super().stream_events(tracker)

    def _as_read(self, tracker: DialogueStateTracker) -> Optional[DialogueStateTracker]:
        """The tracker Rasa's read returns once all of these events are stored: from the latest session
        start's timestamp on, decoded from the JSON stored."""
        if not self.domain:
            return None
        started = max(event.timestamp for event in tracker.events if isinstance(event, SessionStarted))
        events = [
            json.loads(json.dumps(event.as_dict())) for event in tracker.events if event.timestamp >= started
        ]
        return DialogueStateTracker.from_dict(tracker.sender_id, events, self.domain.slots)

    async def save(self, tracker: DialogueStateTracker) -> None:
        kept = self._kept_for(tracker)
        if kept is None and self._stored_events(tracker.sender_id) == 0:
            # A new conversation: Rasa's save would store all its events; keep it from the start.
            kept = self._kept[tracker.sender_id] = _Kept(tracker, persisted=0, stored=0)
        if kept is None:  # a tracker this store did not hand out: Rasa's own way, read fresh next time
            self._kept.pop(tracker.sender_id, None)
            erase = erasure.erases([event.as_dict() for event in _latest_turn(tracker)])
            await super().save(tracker)
            if erase:
                with self.engine.begin() as connection:
                    self._erase(connection, tracker.sender_id)
            return
        unsaved = kept.unsaved()
        erase = erasure.erases([event.as_dict() for event in unsaved])
        try:
            await self.stream_events(tracker)
            self._insert(tracker.sender_id, unsaved, erase)
        except Exception:
            self._kept.pop(tracker.sender_id, None)
            raise
        if erase:  # the kept tracker still holds the words: read the erased conversation next time
            self._kept.pop(tracker.sender_id, None)
            return
        stored = kept.stored + len(unsaved)
        if any(isinstance(event, SessionStarted) for event in unsaved):
            # A read returns the latest session only; this tracker may hold the one before as well.
            tracker = self._as_read(tracker)
        if tracker is None:
            self._kept.pop(kept.tracker.sender_id, None)
        else:
            self._kept[tracker.sender_id] = _Kept(tracker, persisted=len(tracker.events), stored=stored)
