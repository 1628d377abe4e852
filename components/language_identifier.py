"""Marks the language a message is written in, when identification is sure of it.

Adds the entity `message_language` (one of the six codes) to the parse result; the answers of that turn
are in that language (serving/nlg.py, actions/latest.py) and the dialogue offers to go on in it
(components/language_offer.py). No entity when the message is short, mixed or unclear: the
conversation then stays in its language. Offline and in process: bot/conversation/language.py.
"""

from __future__ import annotations

from typing import List

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.contract import MESSAGE_LANGUAGE
from bot.conversation.language import identify
from components.input_guard import RAW_TEXT
from components.stateless import StatelessComponent


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False)
class LanguageIdentifier(StatelessComponent):
    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            language = identify(message.get(RAW_TEXT) or message.get(TEXT) or "")
            if language is None:
                continue
            # No span: the language belongs to the whole message.
            found = {
                "entity": MESSAGE_LANGUAGE,
                "value": language,
                "start": 0,
                "end": 0,
                "extractor": type(self).__name__,
            }
            message.set(ENTITIES, [*(message.get(ENTITIES) or []), found], add_to_output=True)
        return messages
