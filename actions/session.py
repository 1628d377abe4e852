"""Session start and restart: the municipality's name in a slot; a clean slate on request."""

from typing import Any, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, EventType, Restarted, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import latest
from bot.app_context import context
from bot.contract import MUNICIPALITY_SLOT
from bot.conversation.fallback import restarted


class ActionSessionStart(Action):
    def name(self) -> str:
        return "action_session_start"

    @latest.in_turn_language
    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[EventType]:
        return [
            SessionStarted(),
            SlotSet(MUNICIPALITY_SLOT, context().municipality.name),
            ActionExecuted("action_listen"),
        ]


class ActionRestart(Action):
    """Replaces Rasa's default restart, to say in Dutch that the conversation is forgotten."""

    def name(self) -> str:
        return "action_restart"

    @latest.in_turn_language
    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[EventType]:
        dispatcher.utter_message(**restarted().as_message())
        return [Restarted()]
