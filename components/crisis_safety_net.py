"""Last step of the NLU pipeline: acute danger always wins, and an unreadable message is not guessed.

When `bot.conversation.safety` finds a danger signal, the parse result says `crisis` with full confidence,
whatever the model or the fallback classifier decided. Despair that may hide danger is at least
`distress` (a check-in that asks whether someone is in danger now), unless the model already
said `crisis`. A message without any readable word (empty, only emoji, only markup) is
`nlu_fallback`, and so is keyboard mashing the model is not sure about: neither is ever read as a
greeting or a yes. Goes after every other classifier.
"""

from __future__ import annotations

from typing import List

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.contract import CRISIS, DISTRESS, NLU_FALLBACK
from bot.conversation.safety import concern, detect
from bot.conversation.text import clean_message, has_words
from bot.conversation.vocabulary import is_gibberish
from components.input_guard import RAW_TEXT
from components.intent_override import override_intent
from components.stateless import StatelessComponent

CRISIS_INTENT = CRISIS
DISTRESS_INTENT = DISTRESS
FALLBACK_INTENT = NLU_FALLBACK
# Below this confidence a message without real words is not trusted: "asdf jklm" scored "affirm"
# at 0.50, while stretched or misspelled chat words the model was trained on score higher.
GIBBERISH_TRUSTED = 0.7
SAFETY_NET_KEY = "safety_net"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class CrisisSafetyNet(StatelessComponent):
    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            typed = message.get(RAW_TEXT) or message.get(TEXT) or ""
            intent = message.get(INTENT) or {}
            alarm = detect(typed)
            if alarm is not None:
                override_intent(message, CRISIS_INTENT)
                # Only the category, never the matched words: parse results can end up in logs.
                message.set(SAFETY_NET_KEY, {"category": alarm.category}, add_to_output=True)
            elif intent.get("name") != CRISIS_INTENT and (concern(typed) or torn_with_distress(message)):
                override_intent(message, DISTRESS_INTENT)
            elif not has_words(clean_message(typed)) or (
                is_gibberish(typed) and intent.get("confidence", 0.0) < GIBBERISH_TRUSTED
            ):
                override_intent(message, FALLBACK_INTENT)
        return messages


def torn_with_distress(message: Message) -> bool:
    """True when the fallback classifier gave up between distress and another reading ("ik weet het
    allemaal niet meer, ik heb schulden"): the check-in comes first, the area stays as an entity."""
    intent = message.get(INTENT) or {}
    if intent.get("name") != FALLBACK_INTENT:
        return False
    # Rasa's FallbackClassifier gives its fallback the configured threshold as confidence.
    threshold = intent.get("confidence", 1.0)
    ranked = [
        entry for entry in message.get(INTENT_RANKING_KEY) or [] if entry.get("name") != FALLBACK_INTENT
    ]
    contenders = [entry for entry in ranked[:2] if entry.get("confidence", 0.0) >= threshold]
    return DISTRESS_INTENT in {entry.get("name") for entry in contenders}
