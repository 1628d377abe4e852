"""Reading Rasa NLU example files as plain (intent, text) pairs, for tests and evaluations."""

import re
from pathlib import Path
from typing import Iterator, Tuple

import yaml

ROOT = Path(__file__).resolve().parent.parent
# Dutch at the top of data/nlu/, every other language in its own folder (data/nlu/<language>/).
TRAINING_FILES = sorted((ROOT / "data" / "nlu").rglob("*.yml"))
DUTCH_TRAINING_FILES = sorted((ROOT / "data" / "nlu").glob("*.yml"))
REALISTIC_FILE = ROOT / "tests" / "nlu" / "realistic_messages.yml"
RESIDENT_FILE = ROOT / "tests" / "nlu" / "resident_phrasing.yml"
# One unseen set per other language, written by a helper that never saw the training data.
LANGUAGE_FILES = {
    language: ROOT / "tests" / "nlu" / "languages" / f"{language}.yml"
    for language in ("en", "tr", "ar", "pl", "uk")
}
# The unseen sets `make eval` gates on, by the name it reports them under.
UNSEEN_FILES = {"realistic": REALISTIC_FILE, "resident phrasing": RESIDENT_FILE, **LANGUAGE_FILES}
# [words]{"entity": ...} and [words](entity)
_ANNOTATION = re.compile(r"\[([^\]]+)\](?:\{[^}]*\}|\([^)]*\))")


def nlu_examples(path: Path) -> Iterator[Tuple[str, str]]:
    """(intent, plain text) for every example in the file, entity annotations removed."""
    for block in yaml.safe_load(path.read_text(encoding="utf-8")).get("nlu", []):
        if "intent" not in block:
            continue
        for line in block["examples"].splitlines():
            line = line.strip()
            if line.startswith("- "):
                yield block["intent"], _ANNOTATION.sub(r"\1", line[2:])
