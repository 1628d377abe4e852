"""A resident describes their situation: acknowledge each area of life and offer next steps."""
from typing import Any, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.contract import LIFE_DOMAIN, LIFE_DOMAIN_SLOT
from bot.conversation.fallback import next_steps
from bot.conversation.life_domains import domains_in_intent, known_domains, situation_messages


def mentioned_domains(tracker: Tracker) -> List[str]:
    """Areas in the latest message: from the (multi-)intent first, then from entities."""
    intent = tracker.latest_message.get("intent", {}).get("name") or ""
    entities = [e.get("value") for e in tracker.latest_message.get("entities", []) if e.get("entity") == LIFE_DOMAIN]
    return known_domains([*domains_in_intent(intent), *entities])


class ActionDescribeSituation(Action):
    def name(self) -> str:
        return "action_describe_situation"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[EventType]:
        domains = mentioned_domains(tracker)
        for text in situation_messages(domains):
            dispatcher.utter_message(text=text)
        dispatcher.utter_message(**next_steps().as_message())
        # Remember every area mentioned so far; the intake starts from them.
        earlier = tracker.get_slot(LIFE_DOMAIN_SLOT) or []
        return [SlotSet(LIFE_DOMAIN_SLOT, known_domains([*earlier, *domains]))]
