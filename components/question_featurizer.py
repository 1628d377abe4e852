"""Counts for the question sentence of a message, next to the counts of the whole message.

Residents tell a long story and ask last: "... de thuiszorg is gekort. Wat kan ik daartegen doen?"
Counted over the whole story, the scheme names and the area of life outweigh the question. This
featurizer counts the question sentence only (the last with a question mark, else the last one),
so the classifier sees it twice: once inside the story, once on its own. A short message is its
own question sentence.
"""
from __future__ import annotations

from typing import List, Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import TEXT, TOKENS_NAMES
from rasa.shared.nlu.training_data.message import Message

from bot.yes_no import question_sentence
from components.sentence_featurizer import SentenceCountVectorsFeaturizer


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=True)
class QuestionSentenceFeaturizer(SentenceCountVectorsFeaturizer):
    def _get_message_tokens_by_attribute(self, message: Message, attribute: Text) -> List[Text]:
        tokens = super()._get_message_tokens_by_attribute(message, attribute)
        if attribute != TEXT or not tokens:
            return tokens
        text = message.get(TEXT) or ""
        sentence, _ = question_sentence(text)
        start = text.rfind(sentence) if sentence else 0
        kept = [token for token in message.get(TOKENS_NAMES[TEXT]) if token.start >= start]
        return [token.lemma if self.use_lemma else token.text for token in kept] or tokens
