"""Last step of the NLU pipeline: acute danger always wins.

When `bot.safety` finds a danger signal, the parse result says `crisis` with full confidence,
whatever the model or the fallback classifier decided. Goes after every other classifier.
"""
from __future__ import annotations

from typing import Any, Dict, List

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.safety import detect
from components.input_guard import RAW_TEXT

CRISIS_INTENT = "crisis"
SAFETY_NET_KEY = "safety_net"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class CrisisSafetyNet(GraphComponent):
    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "CrisisSafetyNet":
        return cls()

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            alarm = detect(message.get(RAW_TEXT) or message.get(TEXT) or "")
            if alarm is None:
                continue
            crisis = {"name": CRISIS_INTENT, "confidence": 1.0}
            ranking = [crisis] + [
                entry
                for entry in message.get(INTENT_RANKING_KEY) or []
                if entry.get("name") != CRISIS_INTENT
            ]
            message.set(INTENT, crisis, add_to_output=True)
            message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
            # Only the category, never the matched words: parse results can end up in logs.
            message.set(SAFETY_NET_KEY, {"category": alarm.category}, add_to_output=True)
        return messages
