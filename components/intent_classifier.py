"""Rasa's LogisticRegressionClassifier, cheap for one message at a time: same training, same model,
same answers (tests/unit/test_intent_classifier.py compares the two).

Measured with py-spy on a Rasa server answering the bench conversations:
- scikit-learn multiplies a message with the transposed weights (51 intents x 22k features); scipy
  made a C-ordered copy of all of them for every message: 7% of the server's CPU. Kept in column
  order after loading, the transposed weights need no copy.
- Rasa stacks a message's sparse features with its (here absent) dense ones into a new matrix: 5%.
  Without dense features the sparse row is passed as it is.
"""
from __future__ import annotations

from typing import Any, List

import numpy as np
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from scipy.sparse import csr_matrix, vstack


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class SparseLogisticRegressionClassifier(LogisticRegressionClassifier):
    @classmethod
    def load(cls, *args: Any, **kwargs: Any) -> "SparseLogisticRegressionClassifier":
        component = super().load(*args, **kwargs)
        if hasattr(component.clf, "coef_"):  # an untrained classifier has no weights yet
            component.clf.coef_ = np.asfortranarray(component.clf.coef_)
        return component

    def _create_X(self, messages: List[Message]) -> csr_matrix:
        rows = []
        for message in messages:
            sparse, dense = message.get_sparse_features(TEXT)[1], message.get_dense_features(TEXT)[1]
            if sparse is None or dense is not None:
                return super()._create_X(messages)
            rows.append(csr_matrix(sparse.features))
        return rows[0] if len(rows) == 1 else vstack(rows)
