"""The statistics job (`bot statistics update`, from cron) and retention (`bot statistics purge-conversations`).

Idempotent: every run reads all conversations still in the tracker store and replaces their rows,
keyed by a keyed hash. A conversation still going on is counted as it stands and corrected by the
next run. Retention first updates, so no conversation is deleted before it was counted.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, replace
from typing import List, Optional

from bot.statistics.conversations import split_conversations, summarise
from bot.statistics.deidentify import deidentify
from bot.statistics.store import StatisticsStore
from bot.statistics.tracker_events import conversations_by_sender, purge_before

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


def purge(tracker_url: str, store: StatisticsStore, secret: str, retention_days: int,
          now: Optional[float] = None) -> int:
    """Counts every conversation, then deletes the raw ones older than the retention period."""
    if retention_days < 1:
        raise ValueError("the retention period is at least one day")
    update(tracker_url, store, secret)
    cutoff = (time.time() if now is None else now) - retention_days * SECONDS_PER_DAY
    return purge_before(tracker_url, cutoff)

