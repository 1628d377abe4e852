"""De-identification of the free text staff may see (not-understood messages, improvement answers).

Three passes, because a missed name is worse than a lost word:
1. deduce (a Dutch de-identification library) tags names, addresses, postcodes, phone numbers,
   e-mail addresses, BSNs, dates, ages, institutions and URLs, e.g. <PERSOON-1> -> [PERSOON].
2. Every remaining digit run and e-mail-like word goes.
3. Every remaining capitalised word goes ([NAAM]): deduce finds names from its lists and their
   context, and misses rare ones ("Ecrin Tins"). Kept: words the bot's own vocabulary capitalises
   (Wmo, Wlz, ...), and a sentence's first word when it is a common Dutch word (deduce's list).
Text is cut short before and after: improving training data needs no long stories.
"""
from __future__ import annotations

import re
import threading
from functools import lru_cache
from typing import FrozenSet

MAX_CHARACTERS = 300
_DIGITS = re.compile(r"\d[\d\s./-]*\d|\d")
_EMAIL_LIKE = re.compile(r"\S+@\S+")
_TAG = re.compile(r"<([A-Z]+)-\d+>")
_WORD = re.compile(r"(?<![\[\w])[^\W\d_][\w'’-]*")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;]\s+|\n)\W*$")
# Capitalised words of client support and of this bot: not names, worth keeping.
KEEP = frozenset({
    "wmo", "wlz", "ciz", "pgb", "avg", "bsn", "digid", "uwv", "svb", "cjg", "ggz", "oco", "zvw",
    "wegwijs", "meedenker", "veilig", "thuis", "zelfmoordpreventie", "nationale", "ombudsman",
    "ik", "nederlands", "nederland", "engels", "turks", "arabisch", "pools",
})
_LOCK = threading.Lock()


@lru_cache(maxsize=1)
def _deduce():
    """Loading deduce's lookup lists takes a while: once per process, and only when needed."""
    from deduce import Deduce

    return Deduce()


@lru_cache(maxsize=1)
def common_words() -> FrozenSet[str]:
    """deduce's own list of common Dutch words (stop words and the most frequent terms)."""
    from deduce.lookup_sets import data_path

    words = set()
    for name in ("stop_words.txt", "top_1000_terms.txt"):
        words |= {line.strip().lower() for line in (data_path / name).read_text(encoding="utf-8").splitlines()}
    return frozenset(words - {""})


def _capitalised_names(text: str) -> str:
    def replace(match: re.Match) -> str:
        word = match.group(0)
        if not word[0].isupper() or word.lower() in KEEP:
            return word
        at_start = _SENTENCE_START.search(text[: match.start()]) is not None
        return word if at_start and word.lower() in common_words() else "[NAAM]"

    return _WORD.sub(replace, text)


def deidentify(text: str) -> str:
    """The text with everything that could identify a person replaced by a tag."""
    text = " ".join(text.split())[: MAX_CHARACTERS * 2]
    if not text:
        return ""
    with _LOCK:  # deduce's processors are not documented as thread-safe
        cleaned = _deduce().deidentify(text).deidentified_text
    cleaned = _TAG.sub(r"[\1]", cleaned)
    cleaned = _EMAIL_LIKE.sub("[EMAIL]", cleaned)
    cleaned = _DIGITS.sub("[NUMMER]", cleaned)
    return _capitalised_names(cleaned)[:MAX_CHARACTERS]
