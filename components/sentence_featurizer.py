"""Rasa's CountVectorsFeaturizer, giving a message's text its sentence features only.

Rasa's featurizer also counts per token (sequence features), for models such as DIET and TED. In this
pipeline nothing reads them: the intent classifier reads the sentence features, the CRF its own token
features. Counting every token's character n-grams a second time was half of the featurizers' time
(`make profile`: 7% of a turn). The sentence features are Rasa's own, counted the way Rasa counts them
(tests/unit/components/test_sentence_featurizer.py). A model that reads sequence features needs Rasa's featurizer.
"""

from __future__ import annotations

from typing import List, Optional, Text, Tuple

import scipy.sparse
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.featurizers.sparse_featurizer.count_vectors_featurizer import CountVectorsFeaturizer
from rasa.shared.nlu.constants import TEXT

Features = List[Optional[scipy.sparse.spmatrix]]


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=True)
class SentenceCountVectorsFeaturizer(CountVectorsFeaturizer):
    def _create_features(self, attribute: Text, all_tokens: List[List[Text]]) -> Tuple[Features, Features]:
        if attribute != TEXT or not self.vectorizers.get(attribute):
            return super()._create_features(attribute, all_tokens)
        return [None] * len(all_tokens), [self._sentence(tokens) for tokens in all_tokens]

    def _sentence(self, tokens: List[Text]) -> Optional[scipy.sparse.spmatrix]:
        if not tokens:
            return None
        counts = self.vectorizers[TEXT].transform([" ".join(tokens)])
        counts.sort_indices()
        return counts.tocoo()
