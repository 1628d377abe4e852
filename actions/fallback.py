"""Two-stage fallback: rephrase with suggested topics, then offer a person."""

from typing import Any, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions import latest
from bot.contract import LIFE_DOMAIN
from bot.conversation.fallback import fallback_reply


def recent_intents(tracker: Tracker) -> List[str]:
    return [
        event.get("parse_data", {}).get("intent", {}).get("name") or ""
        for event in tracker.events
        if event.get("event") == "user"
    ]


class ActionFallback(Action):
    def name(self) -> str:
        return "action_fallback"

    @latest.in_turn_language
    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[EventType]:
        ranking = [
            (entry.get("name"), entry.get("confidence", 0.0))
            for entry in tracker.latest_message.get("intent_ranking", [])
        ]
        areas = latest.entity_values(tracker, LIFE_DOMAIN)
        reply = fallback_reply(recent_intents(tracker), ranking, latest.text(tracker), areas)
        dispatcher.utter_message(**reply.as_message())
        return []
