"""Last step of the NLU pipeline: acute danger always wins, and an unreadable message is not guessed.

When `bot.safety` finds a danger signal, the parse result says `crisis` with full confidence,
whatever the model or the fallback classifier decided. A message without any readable word
(empty, only emoji, only markup) is `nlu_fallback`, so the resident is asked to rephrase.
Goes after every other classifier.
"""
from __future__ import annotations

from typing import Any, Dict, List

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.safety import detect
from bot.text import clean_message, has_words
from components.input_guard import RAW_TEXT
from components.intent_override import override_intent

CRISIS_INTENT = "crisis"
FALLBACK_INTENT = "nlu_fallback"
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
            typed = message.get(RAW_TEXT) or message.get(TEXT) or ""
            alarm = detect(typed)
            if alarm is not None:
                override_intent(message, CRISIS_INTENT)
                # Only the category, never the matched words: parse results can end up in logs.
                message.set(SAFETY_NET_KEY, {"category": alarm.category}, add_to_output=True)
            elif not has_words(clean_message(typed)):
                override_intent(message, FALLBACK_INTENT)
        return messages
