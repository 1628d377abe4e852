"""First step of the NLU pipeline: the model reads clean, bounded text.

Keeps the message as typed under `raw_text` so the safety net can still scan all of it. A message
with nothing readable left gets a neutral placeholder: classifiers fail on a message without any
feature, and the last component turns such a message into `nlu_fallback` anyway.
"""

from __future__ import annotations

from typing import List

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.conversation.text import for_model, has_words
from components.stateless import StatelessComponent

RAW_TEXT = "raw_text"
PLACEHOLDER = "?"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=False)
class InputGuard(StatelessComponent):
    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        # Training examples are curated, and cleaning them would shift their entity offsets.
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            typed = message.get(TEXT) or ""
            message.set(RAW_TEXT, typed)
            cleaned = for_model(typed)
            message.set(TEXT, cleaned if has_words(cleaned) else PLACEHOLDER)
        return messages
