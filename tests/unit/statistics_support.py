"""Recorded conversations for the statistics tests, written by Rasa's own SQL tracker store."""
import asyncio
from typing import List, Optional

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, Event, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.settings import PROJECT_ROOT

SECRET = "statistics-unit-tests"
# 2026-11-23 (a Monday) 20:15 in Amsterdam: outside office hours.
MONDAY_EVENING = 1795461300.0


def said(intent: str, text: str = "", at: float = MONDAY_EVENING, entities: Optional[list] = None) -> List[Event]:
    return [ActionExecuted("action_listen", timestamp=at - 1),
            UserUttered(text or f"/{intent}", {"name": intent, "confidence": 1.0}, entities or [],
                        timestamp=at, input_channel="rest")]


def did(action: str, at: float = MONDAY_EVENING) -> Event:
    return ActionExecuted(action, timestamp=at)


def conversation(*parts, start: float = MONDAY_EVENING) -> List[Event]:
    events: List[Event] = [ActionExecuted("action_session_start", timestamp=start - 2), SessionStarted(timestamp=start - 2)]
    for part in parts:
        events += part if isinstance(part, list) else [part]
    return events


def slot(name: str, value, at: float = MONDAY_EVENING) -> Event:
    return SlotSet(name, value, timestamp=at)


def record(tracker_url_path, sender_id: str, events: List[Event]) -> None:
    """Saves a conversation as the Rasa server does."""
    domain = Domain.load(str(PROJECT_ROOT / "domain.yml"))
    store = SQLTrackerStore(domain, dialect="sqlite", db=str(tracker_url_path))
    tracker = DialogueStateTracker.from_events(sender_id, events, slots=domain.slots)
    asyncio.run(store.save(tracker))
    store.engine.dispose()
