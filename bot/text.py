"""Cleaning what residents type before the model reads it.

Residents paste letters, mails and web pages; some messages are binary junk or scripts. The model
gets readable text of a bounded length; nothing the resident typed is ever echoed as markup.
"""
from __future__ import annotations

import html
import re
import unicodedata
from html.parser import HTMLParser

# Long stories are welcome, but beyond this the model gains nothing and only gets slower.
MODEL_TEXT_LIMIT = 2000

_SPACE = re.compile(r"\s+")


class _TextOnly(HTMLParser):
    """Keeps the text between tags and drops script and style content."""

    _SKIPPED = {"script", "style"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list = []
        self._skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in self._SKIPPED:
            self._skipping += 1
        self.parts.append(" ")

    def handle_endtag(self, tag):
        if tag in self._SKIPPED and self._skipping:
            self._skipping -= 1
        self.parts.append(" ")

    def handle_data(self, data):
        if not self._skipping:
            self.parts.append(data)


def strip_markup(text: str) -> str:
    """Text without HTML tags, entities decoded; plain text passes unchanged."""
    if "<" not in text and "&" not in text:
        return text
    parser = _TextOnly()
    parser.feed(text)
    parser.close()
    return html.unescape("".join(parser.parts))


def _printable(text: str) -> str:
    # Control and format characters (NUL, escape codes, zero-width joiners...) become spaces.
    return "".join(" " if unicodedata.category(ch)[0] == "C" else ch for ch in text)


def clean_message(text: str) -> str:
    """Readable, single-spaced text without markup or control characters."""
    return _SPACE.sub(" ", _printable(strip_markup(text or ""))).strip()


def for_model(text: str) -> str:
    """The cleaned message, cut at a word boundary to MODEL_TEXT_LIMIT characters."""
    cleaned = clean_message(text)
    if len(cleaned) <= MODEL_TEXT_LIMIT:
        return cleaned
    cut = cleaned[:MODEL_TEXT_LIMIT]
    return cut[: cut.rfind(" ")] if " " in cut else cut


def has_words(text: str) -> bool:
    """True when the cleaned text contains at least one letter or digit."""
    return any(ch.isalnum() for ch in text)
