"""Settings from the environment and `.env` (python-dotenv), read in one place.

Defaults let the bot run out of the box on the example municipality and SQLite.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from dotenv import load_dotenv

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_MUNICIPALITY_FILE = PROJECT_ROOT / "municipalities" / "voorbeeldstad.yml"


@dataclass(frozen=True)
class Settings:
    municipality_file: Path
    rasa_url: str


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    load_dotenv(PROJECT_ROOT / ".env")
    municipality_file = Path(os.getenv("WEGWIJS_MUNICIPALITY_FILE", str(DEFAULT_MUNICIPALITY_FILE)))
    if not municipality_file.is_absolute():
        municipality_file = PROJECT_ROOT / municipality_file
    return Settings(
        municipality_file=municipality_file,
        rasa_url=os.getenv("WEGWIJS_RASA_URL", "http://localhost:5005"),
    )
