"""Wegwijs's word lists and data as YAML files in this folder (crisis keywords, de-identification, yes/no
polarity). Texts that people read live in the text catalogue, bot/catalogue/."""

from pathlib import Path

CONTENT_DIR = Path(__file__).resolve().parent
