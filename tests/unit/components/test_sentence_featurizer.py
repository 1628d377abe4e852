"""components/sentence_featurizer.py: a message's sentence features are exactly Rasa's, without the
per-token features nothing in this pipeline reads."""

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.featurizers.sparse_featurizer.count_vectors_featurizer import CountVectorsFeaturizer
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, FEATURE_TYPE_SEQUENCE, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from components.sentence_featurizer import SentenceCountVectorsFeaturizer

TRAINING = [
    "kost een ondersteuner geld",
    "werkt u voor de gemeente",
    "ik heb schulden",
    "hallo",
    "mijn moeder heeft zorg nodig",
    "hoe lang moet ik wachten",
]
UNSEEN = ["", "kost het iets?", "schuldn en huurachterstand", "HALLO daar", "wachttijd gemeente zorg", "xyz"]
# the two featurizers of config.yml: words, and character n-grams for typos
CONFIGS = [{}, {"analyzer": "char_wb", "min_ngram": 2, "max_ngram": 5}]


@pytest.fixture(params=CONFIGS, ids=["words", "characters"])
def featurizers(request, tmp_path):
    storage, context = LocalModelStorage(tmp_path), ExecutionContext(GraphSchema({}), "test")
    tokenizer = WhitespaceTokenizer(WhitespaceTokenizer.get_default_config())
    data = TrainingData([Message(data={"text": text, "intent": "x"}) for text in TRAINING])
    tokenizer.process_training_data(data)
    trained = []
    for kind in (CountVectorsFeaturizer, SentenceCountVectorsFeaturizer):
        featurizer = kind.create(
            {**kind.get_default_config(), **request.param}, storage, Resource(kind.__name__), context
        )
        featurizer.train(data)
        trained.append(featurizer)

    def featurized(featurizer, text: str) -> Message:
        message = Message(data={"text": text})
        tokenizer.process([message])
        featurizer.process([message])
        return message

    return featurized, trained


@pytest.mark.parametrize("text", TRAINING[:2] + UNSEEN)
def test_sentence_features_are_rasas(featurizers, text):
    featurized, (rasas, ours) = featurizers
    theirs, mine = (featurized(f, text) for f in (rasas, ours))
    sentence = [m.get_sparse_features(TEXT)[1] for m in (theirs, mine)]
    assert sentence[0].features.shape == sentence[1].features.shape
    assert (sentence[0].features != sentence[1].features).nnz == 0
    assert [f.type for f in mine.features] == [FEATURE_TYPE_SENTENCE]
    assert FEATURE_TYPE_SEQUENCE in [f.type for f in theirs.features]
