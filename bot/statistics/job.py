"""The statistics job (`bot statistics update`) and the tracker store's retention (`bot retention run`,
`bot statistics purge-conversations`).

Idempotent: every run reads all conversations still in the tracker store and replaces their rows,
keyed by a keyed hash. A conversation still going on is counted as it stands and corrected by the
next run. Retention first updates, so no conversation is erased before it was counted.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from typing import List, Optional

from bot.statistics.conversations import split_conversations, summarise
from bot.statistics.deidentify import deidentify
from bot.statistics.store import StatisticsStore
from bot.statistics.tracker_events import Purged, conversations_by_sender, purge_sessions

SECONDS_PER_DAY = 24 * 60 * 60


@dataclass(frozen=True)
class UpdateResult:
    conversations: int
    free_text: int
    # Stored events that could not be read (their ids are logged): left out, the job went on.
    skipped_events: int = 0


def update(tracker_url: str, store: StatisticsStore, secret: str) -> UpdateResult:
    conversations = free_text = 0
    skipped: List[int] = []
    for sender_id, events in conversations_by_sender(tracker_url, skipped):
        for conversation in split_conversations(events):
            stats, texts = summarise(conversation, secret, sender_id)
            # Words are de-identified here, before they are stored anywhere else.
            cleaned = [replace(item, text=deidentify(item.text)) for item in texts]
            store.save_once(stats, [item for item in cleaned if item.text])
            conversations += 1
            free_text += len(cleaned)
    return UpdateResult(conversations, free_text, len(skipped))


def purge(
    tracker_url: str,
    store: StatisticsStore,
    secret: str,
    retention_days: int,
    session_minutes: int,
    now: Optional[float] = None,
) -> Purged:
    """Counts every conversation, then erases the sessions that ended `session_minutes` ago: deleted, or
    with `retention_days`, de-identified and deleted that many days after they began."""
    if retention_days < 0 or session_minutes < 1:
        raise ValueError("retention is 0 days or more, and a session lasts at least a minute")
    update(tracker_url, store, secret)
    now = time.time() if now is None else now
    return purge_sessions(
        tracker_url,
        ended_before=now - session_minutes * 60,
        keep_words=deidentify if retention_days else None,
        older_than=now - retention_days * SECONDS_PER_DAY if retention_days else None,
    )
