"""The optional satisfaction survey after goodbye or a handoff; answers interpreted by bot.statistics."""
from abc import ABC, abstractmethod
from typing import Any, Dict, List, Optional

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.survey.questionnaire import SLOT_PREFIX, STEPS, answer, question


def _choice(entities: List[dict]) -> Optional[str]:
    return next((e.get("value") for e in entities if e.get("entity") == "choice"), None)


class ValidateSatisfactionForm(FormValidationAction):
    def name(self) -> str:
        return "validate_satisfaction_form"

    async def get_extraction_events(self, dispatcher, tracker, domain) -> List[EventType]:
        requested = tracker.get_slot("requested_slot")
        if not requested or not requested.startswith(SLOT_PREFIX):
            return []
        message = tracker.latest_message
        intent = (message.get("intent") or {}).get("name") or ""
        value = answer(requested[len(SLOT_PREFIX):], intent, _choice(message.get("entities") or []),
                       message.get("text") or "")
        # None: crisis, stop or restart; the form steps aside and the rules answer.
        return [] if value is None else [SlotSet(requested, value)]

    async def get_validation_events(self, dispatcher, tracker, domain) -> List[EventType]:
        return [SlotSet(name, value) for name, value in tracker.slots_to_validate().items()]


class _AskSatisfactionStep(Action, ABC):
    step: str

    @abstractmethod
    def name(self) -> str:
        """Set per step below."""

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]) -> List[EventType]:
        dispatcher.utter_message(**question(self.step).as_message())
        return []


# Rasa asks a form slot with the action `action_ask_<slot>`: one small class per question.
ASK_ACTIONS = [
    type(
        f"ActionAskSatisfaction{step.title().replace('_', '')}",
        (_AskSatisfactionStep,),
        {"step": step, "name": lambda self, step=step: f"action_ask_{SLOT_PREFIX}{step}"},
    )
    for step in STEPS
]
