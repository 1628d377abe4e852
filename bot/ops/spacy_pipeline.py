"""The Dutch spaCy pipeline Rasa's SpacyNLP loads from build/spacy/nl.

nl_core_news_sm is used when it is installed. It cannot be downloaded everywhere (models come from
outside the package registries), so otherwise the project builds its own pipeline from spaCy's `nl`
language data: Dutch tokenizer rules, stop words and a lookup lemmatizer (spacy-lookups-data).
Either way the choice is printed and recorded in the pipeline's meta.json.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

PACKAGED_MODEL = "nl_core_news_sm"
OWN_PIPELINE = "wegwijs_nl"
SOURCE_KEY = "wegwijs_source"


def build_own_pipeline():
    import spacy  # imported here: spaCy is slow to import and `describe` does not need it

    nlp = spacy.blank("nl")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()  # loads the Dutch lookup table from spacy-lookups-data into the pipeline
    nlp.meta["name"] = OWN_PIPELINE
    nlp.meta["description"] = "Dutch tokenizer, stop words and lookup lemmatizer from spaCy's nl data"
    return nlp


def prepare(target: Path) -> str:
    """Writes the pipeline to `target` and returns a sentence saying which one it is."""
    import spacy
    from spacy.util import is_package

    if is_package(PACKAGED_MODEL):
        nlp = spacy.load(PACKAGED_MODEL)
        source = f"{PACKAGED_MODEL} {nlp.meta.get('version', '')}".strip()
    else:
        nlp = build_own_pipeline()
        source = f"{OWN_PIPELINE} (built from spaCy's nl language data; {PACKAGED_MODEL} is not installed)"
    nlp.meta[SOURCE_KEY] = source
    target.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(target)
    return source


def describe(target: Path) -> str:
    """Which pipeline a prepared directory holds, for start-up messages."""
    meta_file = target / "meta.json"
    if not meta_file.exists():
        return f"no spaCy pipeline at {target} yet (run: make spacy)"
    return json.loads(meta_file.read_text(encoding="utf-8")).get(SOURCE_KEY, "unknown")


def main() -> None:
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "build/spacy/nl")
    print(f"spaCy pipeline for Dutch: {prepare(target)} -> {target}")


if __name__ == "__main__":
    main()
