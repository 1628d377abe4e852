"""Recorded conversations for the statistics tests, written by Rasa's own SQL tracker store."""

import asyncio
from typing import List, Optional

from faker import Faker
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, Event, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.settings import PROJECT_ROOT

SECRET = "statistics-unit-tests"
# 2026-11-23 (a Monday) 20:15 in Amsterdam: outside office hours.
MONDAY_EVENING = 1795461300.0


def said(
    intent: str, text: str = "", at: float = MONDAY_EVENING, entities: Optional[list] = None
) -> List[Event]:
    return [
        ActionExecuted("action_listen", timestamp=at - 1),
        UserUttered(
            text or f"/{intent}",
            {"name": intent, "confidence": 1.0},
            entities or [],
            timestamp=at,
            input_channel="rest",
        ),
    ]


def did(action: str, at: float = MONDAY_EVENING) -> Event:
    return ActionExecuted(action, timestamp=at)


def conversation(*parts, start: float = MONDAY_EVENING) -> List[Event]:
    events: List[Event] = [
        ActionExecuted("action_session_start", timestamp=start - 2),
        SessionStarted(timestamp=start - 2),
    ]
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


def personal_data(seed: int) -> dict:
    fake = Faker("nl_NL")
    fake.seed_instance(seed)
    return {
        "name": fake.name(),
        "street": fake.street_address(),
        "city": fake.city(),
        "postcode": fake.postcode(),
        "phone": fake.phone_number(),
        "email": fake.email(),
        "bsn": fake.ssn(),
        "date": fake.date_of_birth().strftime("%d-%m-%Y"),
    }


def identifying_parts(data: dict):
    """Every value, and every word of a name or street longer than three letters."""
    parts = set(data.values())
    for key in ("name", "street"):
        parts |= {word for word in data[key].split() if len(word) > 3 and not word.isdigit()}
    return parts


def message_with(data: dict) -> str:
    return (
        f"Ik ben {data['name']} en woon op {data['street']}, {data['postcode']} {data['city']}. "
        f"Bel {data['phone']} of mail {data['email']}. Mijn BSN is {data['bsn']}, geboren {data['date']}."
    )
