"""Shared fixtures: the example municipality and helpers to read NLU example files."""
import re
from pathlib import Path
from typing import Iterator, Tuple

import pytest
import yaml

from bot.municipality import Municipality, load_municipality
from bot.settings import DEFAULT_MUNICIPALITY_FILE, PROJECT_ROOT

ANNOTATION = re.compile(r"\[([^\]]+)\]\{[^}]*\}")


@pytest.fixture
def municipality() -> Municipality:
    return load_municipality(DEFAULT_MUNICIPALITY_FILE)


def nlu_examples(path: Path) -> Iterator[Tuple[str, str]]:
    """(intent, plain text) for every example in a Rasa NLU YAML file, annotations removed."""
    for block in yaml.safe_load(path.read_text(encoding="utf-8")).get("nlu", []):
        if "intent" not in block:
            continue
        for line in block["examples"].splitlines():
            line = line.strip()
            if line.startswith("- "):
                yield block["intent"], ANNOTATION.sub(r"\1", line[2:])


TRAINING_FILES = sorted((PROJECT_ROOT / "data" / "nlu").glob("*.yml"))
REALISTIC_FILE = PROJECT_ROOT / "tests" / "nlu" / "realistic_messages.yml"
