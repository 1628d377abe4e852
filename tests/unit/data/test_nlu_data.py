"""The unseen NLU sets stay unseen: no training example is a copy or a near copy of one of them."""

import pytest
import yaml
from sklearn.feature_extraction.text import TfidfVectorizer

from tools.nlu_files import LANGUAGE_FILES, ROOT, TRAINING_FILES, UNSEEN_FILES, nlu_examples

DOMAIN_FILE = ROOT / "domain.yml"
DATA_DIR = ROOT / "data" / "nlu"

# Short common phrases ("ja graag", "hoe maak ik bezwaar") may occur in both by chance; longer ones
# this close mean a test message (or its paraphrase) reached the training data.
NEAR_COPY = 0.9
LONGER_THAN = 15


def test_no_training_example_is_a_near_copy_of_an_unseen_message():
    training = [text for path in TRAINING_FILES for _, text in nlu_examples(path) if len(text) > LONGER_THAN]
    unseen = [text for path in UNSEEN_FILES.values() for _, text in nlu_examples(path)]
    vectors = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5)).fit(training + unseen)
    similarity = vectors.transform(training) @ vectors.transform(unseen).T
    close = [training[row] for row in set(similarity.multiply(similarity >= NEAR_COPY).nonzero()[0])]
    assert close == []


def test_both_unseen_sets_are_large_enough_to_gate_on():
    sizes = {name: len(list(nlu_examples(path))) for name, path in UNSEEN_FILES.items()}
    assert sizes["realistic"] >= 500 and sizes["resident phrasing"] >= 400


def test_every_other_language_has_an_unseen_set_large_enough_to_gate_on():
    for language, path in LANGUAGE_FILES.items():
        assert len(list(nlu_examples(path))) >= 150, language


# Intents residents only reach by a button (their payload), never by typing.
BUTTON_ONLY = {"choose"}


@pytest.mark.parametrize("language", sorted(LANGUAGE_FILES))
def test_every_intent_has_training_data_in_every_language(language):
    intents = {i for i in yaml.safe_load(DOMAIN_FILE.read_text(encoding="utf-8"))["intents"] if "+" not in i}
    folder = DATA_DIR / language
    written = {intent for path in folder.glob("*.yml") for intent, _ in nlu_examples(path)}
    assert intents - BUTTON_ONLY - written == set()
