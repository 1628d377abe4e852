"""The conversation's language: offered when the resident writes in another one, switched on request."""

from typing import Any, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import latest
from bot import contract
from bot.conversation import language


class ActionOfferLanguage(Action):
    """Predicted by components/language_offer.py after the answer to a message in another language."""

    def name(self) -> str:
        return contract.ACTION_OFFER_LANGUAGE

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[EventType]:
        offered = latest.entity(tracker, contract.MESSAGE_LANGUAGE)
        if offered not in contract.LANGUAGES:
            return []
        current = language.conversation_language(tracker.slots)
        dispatcher.utter_message(**language.offer(offered, current).as_message())
        earlier = tracker.get_slot(contract.LANGUAGE_OFFERED_SLOT) or []
        return [SlotSet(contract.LANGUAGE_OFFERED_SLOT, [*earlier, offered])]


class ActionSwitchLanguage(Action):
    """A language chosen (picker, offer, or typed): every later answer is in it."""

    def name(self) -> str:
        return contract.ACTION_SWITCH_LANGUAGE

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[EventType]:
        chosen = latest.entity(tracker, contract.LANGUAGE_ENTITY)
        if chosen not in contract.LANGUAGES:
            current = latest.language(tracker)
            dispatcher.utter_message(**language.picker(current).as_message())
            return []
        dispatcher.utter_message(**language.switched(chosen).as_message())
        return [SlotSet(contract.LANGUAGE_SLOT, chosen)]
