"""The optional satisfaction survey after goodbye or a handoff; answers interpreted by bot.statistics."""

from abc import ABC, abstractmethod
from typing import Any, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import latest
from bot import contract
from bot.survey.questionnaire import SLOT_PREFIX, STEPS, answer, question


class ValidateSatisfactionForm(latest.TurnLanguageFormValidation):
    def name(self) -> str:
        return "validate_satisfaction_form"

    async def get_extraction_events(self, dispatcher, tracker, domain) -> List[EventType]:
        requested = tracker.get_slot("requested_slot")
        if not requested or not requested.startswith(SLOT_PREFIX):
            return []
        value = answer(
            requested[len(SLOT_PREFIX) :],
            latest.intent(tracker),
            latest.entity(tracker, contract.CHOICE),
            latest.text(tracker),
        )
        # None: crisis, stop or restart; the form steps aside and the rules answer.
        return [] if value is None else [SlotSet(requested, value)]

    async def get_validation_events(self, dispatcher, tracker, domain) -> List[EventType]:
        return [SlotSet(name, value) for name, value in tracker.slots_to_validate().items()]


class _AskSatisfactionStep(Action, ABC):
    step: str

    @abstractmethod
    def name(self) -> str:
        """Set per step below."""

    @latest.in_turn_language
    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[EventType]:
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
