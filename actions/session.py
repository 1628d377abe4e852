"""Session start: put the municipality's name in a slot, so fixed responses can use it."""
from typing import Any, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, EventType, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.municipality import current_municipality


class ActionSessionStart(Action):
    def name(self) -> str:
        return "action_session_start"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[EventType]:
        return [
            SessionStarted(),
            SlotSet("municipality", current_municipality().name),
            ActionExecuted("action_listen"),
        ]
