"""Wegwijs's texts: one catalogue per language, the only home of what residents, supporters and staff read
outside domain.yml's responses (those stay with Rasa, which picks and fills them itself).

Shape: ``bot/catalogue/<language>/<area>.yml``, one folder per language of ``bot.contract.LANGUAGES``.
Dutch has every area; the other languages have what residents read: staff read
Dutch (``STAFF_ONLY``). ``<language>/responses.yml`` holds domain.yml's responses in that language
(serving/nlg.py picks them; Dutch ones stay in domain.yml, where Rasa reads and checks them). A key is the file's name and the path inside it, dotted: ``portal.urgency.urgent``
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

Word lists and data that are not texts (safety/<language>.yml, deidentify.yml, yes_no.yml) stay in
bot/content/.
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, Iterator, Optional

import yaml

CATALOGUE_DIR = Path(__file__).resolve().parent
DEFAULT_LANGUAGE = "nl"
# Keys only staff read: the supporters' portal, the statistics dashboard, the retention page, the
# notification mail and the municipality's own demo pages stay Dutch.
STAFF_ONLY = ("portal", "dashboard", "retention", "handoff.mail", "widget.pages")
RESPONSES = "responses"
# The language of the answer being written. Like Django's translation.activate or Flask-Babel's locale,
# the caller sets it once per turn (actions/latest.py: `in_turn_language`) and every text() of that turn
# follows, instead of a language argument threaded through every function that composes a reply. A
# ContextVar belongs to the running asyncio task: concurrent conversations never see each other's.
_speaking: ContextVar[str] = ContextVar("wegwijs_language", default=DEFAULT_LANGUAGE)


@contextmanager
def speaking(language: str) -> Iterator[None]:
    """Texts asked for inside this block are in `language` (unless a call names another)."""
    token = _speaking.set(language)
    try:
        yield
    finally:
        _speaking.reset(token)


def current_language() -> str:
    return _speaking.get()


class MissingText(LookupError):
    """A key that the catalogue of a language does not hold."""


@lru_cache(maxsize=None)
def catalogue(language: str = DEFAULT_LANGUAGE) -> Dict[str, Any]:
    """Every file of one language, by its name without .yml; read once."""
    folder = CATALOGUE_DIR / language
    if not folder.is_dir():
        raise MissingText(f"No text catalogue for language {language!r} (no folder {folder})")
    return {
        path.stem: yaml.safe_load(path.read_text(encoding="utf-8"))
        for path in sorted(folder.glob("*.yml"))
        if path.stem != RESPONSES
    }


def staff_only(key: str) -> bool:
    return any(key == part or key.startswith(part + ".") for part in STAFF_ONLY)


@lru_cache(maxsize=None)
def responses(language: str) -> Dict[str, Any]:
    """domain.yml's responses in another language than Dutch (serving/nlg.py)."""
    path = CATALOGUE_DIR / language / f"{RESPONSES}.yml"
    if not path.is_file():
        raise MissingText(f"No responses for language {language!r} (no file {path})")
    return yaml.safe_load(path.read_text(encoding="utf-8"))[RESPONSES]


def entry(key: str, language: Optional[str] = None) -> Any:
    """The text or structure under a dotted key, e.g. ``portal.urgency`` (a dict of labels), in the
    language named, else the language being spoken (``speaking``)."""
    language = language or current_language()
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


def text(key: str, language: Optional[str] = None, **values: Any) -> str:
    """One text, with its {placeholders} filled in from values."""
    language = language or current_language()
    found = entry(key, language)
    if not isinstance(found, str):
        raise MissingText(f"Text catalogue {language!r}: {key!r} is a {type(found).__name__}, not a text")
    return found.format(**values) if values else found


def first_upper(words: str) -> str:
    """A label at the start of a line or button: "zo snel mogelijk" -> "Zo snel mogelijk"."""
    return words[:1].upper() + words[1:]
