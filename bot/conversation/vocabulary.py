"""Is a message made of words at all? Keyboard mashing ("asdf jklm") must not read as "yes".

A word counts as known when it is common enough in one of Wegwijs's six languages (wordfreq's
lists, which ship with the package), or when it splits into known words, as Dutch compounds do
("keuken|tafel|gesprek"). A message is gibberish when fewer than half of its words are known:
one typo in a sentence is fine, a row of keyboard letters with one accidental word is not.
"""

from __future__ import annotations

import re
from functools import lru_cache

from wordfreq import zipf_frequency

LANGUAGES = ("nl", "en", "tr", "ar", "pl", "uk")
# Zipf 2.4 is about four times per billion words: rare words of the domain ("ondersteuner") pass.
KNOWN_ZIPF = 2.4
KNOWN_SHARE = 0.5
SHORTEST_PART = 3
_WORD = re.compile(r"[^\W\d_]+")
# Chat stretches words ("neeee", "doeii"): three or more of a letter count as one or two.
_STRETCHED = re.compile(r"(\w)\1{2,}")


@lru_cache(maxsize=20000)
def known_word(word: str) -> bool:
    """True for a common word of one of the languages, or a compound of such words."""
    word = word.lower()
    forms = {word, _STRETCHED.sub(r"\1", word), _STRETCHED.sub(r"\1\1", word)}
    if any(zipf_frequency(form, language) >= KNOWN_ZIPF for form in forms for language in LANGUAGES):
        return True
    return any(
        known_word(word[:cut]) and known_word(word[cut:].lstrip("s"))  # the Dutch joining -s-
        for cut in range(SHORTEST_PART, len(word) - SHORTEST_PART + 1)
        if len(word[cut:].lstrip("s")) >= SHORTEST_PART
    )


def is_gibberish(text: str) -> bool:
    """True when a message has letters but fewer than half of its words are known."""
    words = _WORD.findall(text or "")
    return bool(words) and sum(known_word(word) for word in words) < KNOWN_SHARE * len(words)
