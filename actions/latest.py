"""The resident's latest message as every action reads it: its intent, entities, areas, text and language."""

import functools
from abc import abstractmethod
from typing import Any, Awaitable, Callable, Dict, List, Optional, TypeVar

from rasa_sdk import FormValidationAction, Tracker

from bot import catalogue, contract
from bot.conversation.language import language_in, turn_language
from bot.conversation.life_domains import domains_in_intent, known_domains

Run = TypeVar("Run", bound=Callable[..., Awaitable[Any]])


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


def language(tracker: Tracker) -> str:
    """The language of this turn's answers (bot/conversation/language.py)."""
    return turn_language(tracker.slots, language_in(tracker.latest_message.get("entities") or []))


def in_turn_language(run: Run) -> Run:
    """Decorates an action's run: every text it writes is in the language of the turn."""

    @functools.wraps(run)
    async def answering(self: Any, dispatcher: Any, tracker: Tracker, domain: Any) -> Any:
        with catalogue.speaking(language(tracker)):
            return await run(self, dispatcher, tracker, domain)

    return answering  # type: ignore[return-value]


class TurnLanguageFormValidation(FormValidationAction):
    """A form's validation whose retry texts are in the language of the turn."""

    @abstractmethod
    def name(self) -> str:
        """The form's validation action, validate_<form>."""

    @in_turn_language
    async def run(self, dispatcher: Any, tracker: Tracker, domain: Any) -> List[Dict[str, Any]]:
        return await super().run(dispatcher, tracker, domain)
