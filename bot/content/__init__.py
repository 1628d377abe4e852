"""Wegwijs's texts and word lists, as YAML files in this folder."""
from pathlib import Path

CONTENT_DIR = Path(__file__).resolve().parent
