"""A resident describes their situation: acknowledge each area of life and offer next steps."""

from typing import Any, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import latest
from bot.contract import LIFE_DOMAIN_SLOT
from bot.conversation.fallback import next_steps
from bot.conversation.life_domains import known_domains, situation_messages


class ActionDescribeSituation(Action):
    def name(self) -> str:
        return "action_describe_situation"

    @latest.in_turn_language
    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[EventType]:
        domains = latest.mentioned_domains(tracker)
        for text in situation_messages(domains):
            dispatcher.utter_message(text=text)
        dispatcher.utter_message(**next_steps().as_message())
        # Remember every area mentioned so far; the intake starts from them.
        earlier = tracker.get_slot(LIFE_DOMAIN_SLOT) or []
        return [SlotSet(LIFE_DOMAIN_SLOT, known_domains([*earlier, *domains]))]
