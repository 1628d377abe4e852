"""The resident's latest message as every action reads it: its intent, entities, areas and text."""

from typing import List, Optional

from rasa_sdk import Tracker

from bot import contract
from bot.conversation.life_domains import domains_in_intent, known_domains


def intent(tracker: Tracker) -> str:
    return (tracker.latest_message.get("intent") or {}).get("name") or ""


def text(tracker: Tracker) -> str:
    return tracker.latest_message.get("text") or ""


def entity_values(tracker: Tracker, entity: str) -> List[str]:
    return [e.get("value") for e in tracker.latest_message.get("entities") or [] if e.get("entity") == entity]


def entity(tracker: Tracker, name: str) -> Optional[str]:
    """The first value of an entity, or None."""
    return next(iter(entity_values(tracker, name)), None)


def mentioned_domains(tracker: Tracker) -> List[str]:
    """Areas of life in the message: from the (multi-)intent first, then from entities."""
    return known_domains([*domains_in_intent(intent(tracker)), *entity_values(tracker, contract.LIFE_DOMAIN)])
