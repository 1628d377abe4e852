"""The unseen NLU sets stay unseen: no training example is a copy or a near copy of one of them."""

from sklearn.feature_extraction.text import TfidfVectorizer

from tools.nlu_files import TRAINING_FILES, UNSEEN_FILES, nlu_examples

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
