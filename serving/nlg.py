"""Rasa's response generator, in the language of the turn.

domain.yml holds the Dutch responses (Rasa reads and validates them there); every other language has
the same responses, variant for variant, in bot/catalogue/<language>/responses.yml (a test keeps them
in step). Rasa's own conditional variants still choose among a language's variants (`answer_polarity`,
`relation`); this class only chooses the language first: the language the message is clearly written
in, else the conversation's `language` slot (bot/conversation/language.py).

Registered in endpoints.yml as `nlg: type: serving.nlg.LanguageResponses` (Rasa loads a custom
generator by its module path and gives it the endpoint's config and the domain).
"""

from __future__ import annotations

from typing import Any, Dict, Optional, Text

from rasa.core.nlg.response import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from bot.catalogue import responses
from bot.contract import DUTCH, LANGUAGES
from bot.conversation.language import language_in, turn_language


class LanguageResponses(TemplatedNaturalLanguageGenerator):
    """Dutch from `self.responses` (Rasa sets them again when it loads a model: agent.py), the other
    languages from the catalogue."""

    def __init__(self, endpoint_config: Optional[EndpointConfig] = None, domain: Optional[Domain] = None):
        super().__init__((domain or Domain.empty()).responses)
        self._others: Dict[str, TemplatedNaturalLanguageGenerator] = {
            language: TemplatedNaturalLanguageGenerator(responses(language))
            for language in LANGUAGES
            if language != DUTCH
        }

    async def generate(
        self, utter_action: Text, tracker: DialogueStateTracker, output_channel: Text, **kwargs: Any
    ) -> Optional[Dict[Text, Any]]:
        message = tracker.latest_message
        slots = tracker.current_slot_values()
        language = turn_language(slots, language_in(message.entities if message else []))
        generator = self if language == DUTCH else self._others[language]
        return generator.generate_from_slots(utter_action, slots, output_channel, **kwargs)
