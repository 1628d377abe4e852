"""Cleaning what residents type: at the door (before Rasa stores it) and before the model reads it.

Residents paste letters, mails and web pages; some messages are binary junk or scripts, and any
client can send JSON that is not valid Unicode. At the door (`at_the_door`, used by the widget edge
and the REST channel) a message becomes valid, normalised text, so that every later step (encoding
for the action server, the database, the statistics job) can handle it. The model gets readable text
of a bounded length; nothing the resident typed is ever echoed as markup.
"""

from __future__ import annotations

import html
import re
import unicodedata
from html.parser import HTMLParser
from typing import Collection, Optional

# Removed at the door: control characters (line breaks and tabs stay: residents lay out a longer
# story with them) and the bidirectional formatting characters, which reorder what is shown (a name
# or number can be made to look like another) and carry no meaning in a chat message.
_REMOVED = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# Replaced at the door: a surrogate left in a Python string is unpaired (JSON's paired escapes are
# joined when parsed), and noncharacters are never meant for interchange; both make encoders and
# databases fail later.
_INVALID = re.compile(
    "[\ud800-\udfff\ufdd0-\ufdef"
    + "".join(chr(plane + 0xFFFE) + chr(plane + 0xFFFF) for plane in range(0, 0x110000, 0x10000))
    + "]"
)
REPLACEMENT = "\ufffd"
# A message may carry control characters that the door removes, so the length limit counts the
# cleaned text; a text more than this many times the limit is refused without cleaning it.
_UNCLEANED_FACTOR = 4
# The id a client gives each message (the widget's retry looks a message up by it).
MESSAGE_ID = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
# Rasa reads a message starting with this as an intent and entities ("/intent{...}").
COMMAND_PREFIX = "/"

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


def at_the_door(text: str) -> str:
    """Valid Unicode in NFC without control characters or bidi overrides; line breaks kept."""
    valid = _INVALID.sub(REPLACEMENT, text.replace("\r\n", "\n").replace("\r", "\n"))
    # Removed before composing: a control between a letter and its accent must not keep them apart.
    return unicodedata.normalize("NFC", _REMOVED.sub("", valid)).strip()


def within_limit_at_the_door(text: str, max_length: int) -> Optional[str]:
    """The text cleaned at the door, or None when that is longer than `max_length`. Cleaning costs
    CPU for every character, so a text many times longer is refused before it is cleaned."""
    if len(text) > _UNCLEANED_FACTOR * max_length:
        return None
    cleaned = at_the_door(text)
    return cleaned if len(cleaned) <= max_length else None


def as_text_unless_offered(text: str, offered: Collection[str]) -> str:
    """A button payload the bot offered stays a command; any other text loses its leading slashes,
    so Rasa reads it as words, never as "/intent{entities}" that a resident typed."""
    if text in offered:
        return text
    stripped = text.strip()
    while stripped.startswith(COMMAND_PREFIX):
        stripped = stripped[len(COMMAND_PREFIX) :].strip()
    return stripped


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
