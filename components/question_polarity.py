"""Marks whether a rights question was asked as a yes/no question, and in which polarity.

Adds the entity `answer_polarity` (yes, no or open) to every message; the slot of the same name
picks it up, and the rights responses in domain.yml start with "Ja" or "Nee" to match. Set on
every message so the slot never keeps the polarity of an earlier question.
"""

from __future__ import annotations

from typing import List

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import ENTITIES, INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.conversation.yes_no import polarity
from components.input_guard import RAW_TEXT
from components.stateless import StatelessComponent

POLARITY_ENTITY = "answer_polarity"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False)
class QuestionPolarity(StatelessComponent):
    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            intent = (message.get(INTENT) or {}).get("name") or ""
            value = polarity(intent, message.get(RAW_TEXT) or message.get(TEXT) or "")
            # No span: the polarity belongs to the whole message.
            entity = {
                "entity": POLARITY_ENTITY,
                "value": value,
                "start": 0,
                "end": 0,
                "extractor": type(self).__name__,
            }
            message.set(ENTITIES, [*(message.get(ENTITIES) or []), entity], add_to_output=True)
        return messages
