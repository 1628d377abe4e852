"""Wegwijs's texts: one catalogue per language, the only home of what residents, supporters and staff read
outside domain.yml's responses (those stay with Rasa, which picks and fills them itself).

Shape: ``bot/catalogue/<language>/<area>.yml`` (``nl`` now; more languages are a folder each, with the
same files and keys). A key is the file's name and the path inside it, dotted: ``portal.urgency.urgent``
is ``urgency: {urgent: ...}`` in ``nl/portal.yml``. Every file of a language is read once, here, and
nowhere else; Python asks ``text(key, **values)`` for one text (``{placeholders}`` filled in with
``str.format``) and ``entry(key)`` for a part that is a structure (buttons, lists, labels per code).
Templates get the same two as Jinja globals (bot/web/app.py). A missing key raises ``MissingText``
naming the key, the language and the file: a text never silently falls back to its key.

Why YAML and not gettext/Babel: the texts were already YAML (structured: questions with their
buttons, labels per code, paragraphs with placeholders), gettext keys texts by their Dutch source
string, which changes whenever a B1 review rewords it, and has no structure for buttons. A folder of
YAML per language keeps keys stable, lets a translator work file by file, and a test (tests/unit/
catalogue/test_catalogue.py) checks that every language has every key used in code and templates, that
no key is unused, and that no Dutch sentence is written into Python or a template instead.

A template's own words are under ``<area>.pages.<template>.<first words>`` (portal.yml, dashboard.yml,
widget.yml); in a template ``text()`` trusts the catalogue text (it may hold an entity such as
``&middot;``) and escapes the values filled into it. ``{language}`` cannot be a placeholder: it is
``text()``'s own argument.

Word lists and data that are not texts (crisis_keywords.yml, deidentify.yml, yes_no.yml) stay in
bot/content/.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any, Dict

import yaml

CATALOGUE_DIR = Path(__file__).resolve().parent
DEFAULT_LANGUAGE = "nl"


class MissingText(LookupError):
    """A key that the catalogue of a language does not hold."""


@lru_cache(maxsize=None)
def catalogue(language: str = DEFAULT_LANGUAGE) -> Dict[str, Any]:
    """Every file of one language, by its name without .yml; read once."""
    folder = CATALOGUE_DIR / language
    if not folder.is_dir():
        raise MissingText(f"No text catalogue for language {language!r} (no folder {folder})")
    return {
        path.stem: yaml.safe_load(path.read_text(encoding="utf-8")) for path in sorted(folder.glob("*.yml"))
    }


def entry(key: str, language: str = DEFAULT_LANGUAGE) -> Any:
    """The text or structure under a dotted key, e.g. ``portal.urgency`` (a dict of labels)."""
    node: Any = catalogue(language)
    walked = []
    for part in key.split("."):
        walked.append(part)
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            file = CATALOGUE_DIR / language / f"{key.split('.')[0]}.yml"
            raise MissingText(
                f"Text catalogue {language!r} has no {'.'.join(walked)!r} (asked for {key!r}; look in {file})"
            )
    return node


def text(key: str, language: str = DEFAULT_LANGUAGE, **values: Any) -> str:
    """One text, with its {placeholders} filled in from values."""
    found = entry(key, language)
    if not isinstance(found, str):
        raise MissingText(f"Text catalogue {language!r}: {key!r} is a {type(found).__name__}, not a text")
    return found.format(**values) if values else found


def first_upper(words: str) -> str:
    """A label at the start of a line or button: "zo snel mogelijk" -> "Zo snel mogelijk"."""
    return words[:1].upper() + words[1:]
