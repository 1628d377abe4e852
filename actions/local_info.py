"""Answers with local details (channels, hours, contact time) from the municipality file."""
from typing import Any, Callable, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from bot import answers
from bot.municipality import Municipality, current_municipality


class _LocalAnswer(Action):
    """Sends the text one function of `bot.answers` builds for the current municipality."""

    action_name: str
    answer: Callable[[Municipality], str]

    def name(self) -> str:
        return self.action_name

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[EventType]:
        dispatcher.utter_message(text=type(self).answer(current_municipality()))
        return []


class ActionContactDetails(_LocalAnswer):
    action_name = "action_contact_details"
    answer = answers.contact_details


class ActionWaitingTime(_LocalAnswer):
    action_name = "action_waiting_time"
    answer = answers.waiting_time


class ActionContactHuman(_LocalAnswer):
    action_name = "action_contact_human"
    answer = answers.human_contact


class ActionOutOfScope(_LocalAnswer):
    action_name = "action_out_of_scope"
    answer = answers.out_of_scope
