"""Our intent classifier (components/intent_classifier.py) answers exactly as Rasa's own, after a save
and a load, on messages it has not seen."""

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier
from rasa.nlu.featurizers.sparse_featurizer.count_vectors_featurizer import CountVectorsFeaturizer
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from components.intent_classifier import SparseLogisticRegressionClassifier

EXAMPLES = {
    "ask_costs": [
        "kost het geld",
        "moet ik betalen",
        "wat kost een ondersteuner",
        "is het gratis",
        "zijn er kosten aan verbonden",
    ],
    "ask_independence": [
        "werkt u voor de gemeente",
        "is de ondersteuner onafhankelijk",
        "hoort u bij de zorgaanbieder",
        "staat u aan mijn kant",
        "bent u van de gemeente",
    ],
    "greet": ["hallo", "goedemorgen", "hoi", "dag", "goedenavond"],
}
UNSEEN = [
    "moet ik er iets voor betalen?",
    "bent u onafhankelijk van de gemeente",
    "hallo daar",
    "kosten?",
    "wie betaalt u eigenlijk",
]
CONFIG = {"max_iter": 300, "random_state": 7}


@pytest.fixture
def trained(tmp_path):
    storage = LocalModelStorage(tmp_path)
    context = ExecutionContext(GraphSchema({}), "test")
    tokenizer = WhitespaceTokenizer(WhitespaceTokenizer.get_default_config())
    # words and character n-grams, as in config.yml: the classifier must keep their order
    featurizers = [
        CountVectorsFeaturizer.create(
            {**CountVectorsFeaturizer.get_default_config(), **config},
            storage,
            Resource(f"features{n}"),
            context,
        )
        for n, config in enumerate([{}, {"analyzer": "char_wb", "min_ngram": 2, "max_ngram": 5}])
    ]
    data = TrainingData(
        [
            Message(data={"text": text, "intent": intent})
            for intent, texts in EXAMPLES.items()
            for text in texts
        ]
    )
    tokenizer.process_training_data(data)
    for featurizer in featurizers:
        featurizer.train(data)
        featurizer.process_training_data(data)

    def featurized(text: str) -> Message:
        message = Message(data={"text": text})
        tokenizer.process([message])
        for featurizer in featurizers:
            featurizer.process([message])
        return message

    classifiers = []
    for kind in (LogisticRegressionClassifier, SparseLogisticRegressionClassifier):
        config = {**kind.get_default_config(), **CONFIG}
        resource = Resource(kind.__name__)
        kind.create(config, storage, resource, context).train(data)
        classifiers.append(kind.load(config, storage, resource, context))
    return featurized, classifiers


def test_answers_as_rasas_own_classifier(trained):
    featurized, (rasas, ours) = trained
    for text in UNSEEN:
        expected, actual = rasas.process([featurized(text)])[0], ours.process([featurized(text)])[0]
        assert actual.get("intent")["name"] == expected.get("intent")["name"]
        for mine, theirs in zip(actual.get("intent_ranking"), expected.get("intent_ranking")):
            assert mine["name"] == theirs["name"]
            assert mine["confidence"] == pytest.approx(theirs["confidence"], abs=1e-9)


def test_several_messages_at_once(trained):
    featurized, (rasas, ours) = trained
    expected = [m.get("intent")["name"] for m in rasas.process([featurized(text) for text in UNSEEN])]
    assert [m.get("intent")["name"] for m in ours.process([featurized(text) for text in UNSEEN])] == expected
    assert expected[:3] == ["ask_costs", "ask_independence", "greet"]
