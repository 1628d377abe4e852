"""De-identification of the free text staff may see (not-understood messages, improvement answers).

An allow list, not a search for names: a word survives only when it is in a known vocabulary, so a
lowercase name, a rare street or a made-up word never does. The vocabulary is wordfreq's list of
Dutch words (Zipf frequency 3 and up) minus deduce's lists of first names, surnames, places and
streets, except the common words deduce itself never takes for a name ("de", "klein") and the
bot's own words (bot/content/deidentify.yml). Removed as well, whatever the vocabulary says:
every digit, every word made of Dutch number words (a spelled-out phone number, BSN or date), words
ending like a street name, anything e-mail-like, written or spelled out ("apenstaartje"), and a
capitalised word within a sentence (the old rule, kept: "van Boven", "Parijs" are common words).
A removed word becomes a tag ([NAAM], [ADRES], [NUMMER], [EMAIL], [WOORD]); a run of one tag is one.
Measured on the canary set in tests/unit/statistics/test_deidentify.py (README, "Statistics").
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Dict, FrozenSet, List

import yaml

from bot.content import CONTENT_DIR

MAX_CHARACTERS = 300
MIN_ZIPF = 3.0
CONTENT_FILE = CONTENT_DIR / "deidentify.yml"
_TAG = re.compile(r"^\[[A-Z]+\]$")
# An earlier tag stays one token: de-identifying twice changes nothing.
_TOKEN = re.compile(r"\[[A-Z]+\]|\S+@\S+|\d[\d\s./-]*\d|\d|[^\W\d_][\w'’-]*|[^\w\s]+", re.UNICODE)
_POSTCODE = re.compile(r"\b\d{4}\s?[a-zA-Z]{2}\b")
_WEB_LIKE = re.compile(r"^(www\.|https?:)|\.(nl|com|net|org|be|eu)$", re.IGNORECASE)
_WORD = re.compile(r"^[^\W\d_]")
_SENTENCE_END = {".", "!", "?", ":", ";", "\n"}


@lru_cache(maxsize=1)
def lists() -> Dict[str, FrozenSet[str]]:
    raw = yaml.safe_load(CONTENT_FILE.read_text(encoding="utf-8"))
    return {key: frozenset(str(word).lower() for word in words) for key, words in raw.items()}


def _deduce_list(name: str, whole: bool) -> FrozenSet[str]:
    """The lowercase entries of one of deduce's lookup lists; with `whole` False also each word of one
    ("den haag": "haag"), for names only: a street's words are common words ("de hof en zijn")."""
    from deduce.lookup_sets import data_path

    words = set()
    for line in (Path(data_path) / name).read_text(encoding="utf-8").splitlines():
        entry = line.strip().lower()
        words |= {entry} if whole else {part for part in re.split(r"[\s'\"().-]+", entry) if len(part) > 1}
    return frozenset(words)


@lru_cache(maxsize=1)
def common_words() -> FrozenSet[str]:
    """deduce's own common Dutch words (stop words and frequent terms), which it never takes for a name,
    with the words of client support kept in bot/content/deidentify.yml."""
    found = _deduce_list("stop_words.txt", True) | _deduce_list("top_1000_terms.txt", True)
    return found | lists()["common_names_kept"] | lists()["keep"]


@lru_cache(maxsize=1)
def names() -> FrozenSet[str]:
    found = _deduce_list("names/first_names.txt", False) | _deduce_list("names/surnames.txt", False)
    return found - common_words()


@lru_cache(maxsize=1)
def places() -> FrozenSet[str]:
    lists_ = (
        "locations/residences.txt",
        "locations/municipalities.txt",
        "locations/provinces.txt",
        "locations/streets/streets_bag.txt",
    )
    return frozenset().union(*(_deduce_list(name, True) for name in lists_)) - common_words()


@lru_cache(maxsize=1)
def vocabulary() -> FrozenSet[str]:
    """Dutch words common enough to identify nobody, minus every name and place deduce knows."""
    from wordfreq import top_n_list, zipf_frequency

    words = {
        word for word in top_n_list("nl", 60000, wordlist="large") if zipf_frequency(word, "nl") >= MIN_ZIPF
    }
    return frozenset((words - names() - places() - lists()["mail_words"]) | lists()["keep"])


@lru_cache(maxsize=1)
def _number_word() -> re.Pattern:
    parts = sorted(lists()["number_parts"], key=len, reverse=True)
    return re.compile(f"^(?:{'|'.join(map(re.escape, parts))})+$")


def _is_number(word: str) -> bool:
    return word not in lists()["number_words_also_plain"] and bool(_number_word().match(word))


def _is_street(word: str) -> bool:
    return any(word.endswith(ending) and len(word) > len(ending) + 2 for ending in lists()["street_endings"])


def _tag(token: str, capitalised_name: bool) -> str:
    """The tag a token becomes, or "" when it may stay. `capitalised_name`: written with a capital
    within a sentence, where even a common word may be a name ("van Boven", "Parijs")."""
    word = token.lower()
    if _TAG.match(token):
        return ""
    if "@" in token or word in lists()["mail_markers"] or _WEB_LIKE.search(word):
        return "[EMAIL]"
    if token[0].isdigit() or _is_number(word):
        return "[NUMMER]"
    if not _WORD.match(token):
        return ""  # punctuation
    if word in names() or capitalised_name and word not in lists()["keep"]:
        return "[NAAM]"
    if word in places() or _is_street(word):
        return "[ADRES]"
    return "" if word in vocabulary() else "[WOORD]"


def _spelled_mail(tokens: List[str], tags: List[str]) -> None:
    """A spelled-out address ("jan punt de vries apenstaartje gmail punt com"): the marker and the
    words around it up to the previous punctuation mark go, and the mail words after it."""
    for at, token in enumerate(tokens):
        if token.lower() not in lists()["mail_markers"]:
            continue
        start = at
        while start > 0 and _WORD.match(tokens[start - 1]) and at - start < 6:
            start -= 1
        end = at + 1
        while end < len(tokens) and (
            tokens[end].lower() in lists()["mail_words"] or tags[end] or end == at + 1
        ):
            end += 1
        for n in range(start, end):
            tags[n] = "[EMAIL]"


def _numbers_in_a_row(tokens: List[str], tags: List[str]) -> None:
    """ "een" is a plain word, but not next to a number ("nul zes een twee"); "en" not between two."""
    plain = [
        n
        for n, token in enumerate(tokens)
        if not tags[n] and token.lower() in lists()["number_words_also_plain"]
    ]
    for n in plain:
        around = [tag == "[NUMMER]" for tag in tags[max(0, n - 1) : n] + tags[n + 1 : n + 2]]
        if (all if tokens[n].lower() == "en" else any)(around) and around:
            tags[n] = "[NUMMER]"


def deidentify(text: str) -> str:
    """The text with every word outside the vocabulary, every number and every address replaced by a tag."""
    text = _POSTCODE.sub(" 0000 ", " ".join(text.split())[: MAX_CHARACTERS * 2])
    tokens = _TOKEN.findall(text)
    tags = [
        _tag(token, token[0].isupper() and n > 0 and tokens[n - 1] not in _SENTENCE_END)
        for n, token in enumerate(tokens)
    ]
    _spelled_mail(tokens, tags)
    _numbers_in_a_row(tokens, tags)
    kept: List[str] = []
    for token, tag in zip(tokens, tags):
        if tag and kept and kept[-1] == tag:
            continue
        kept.append(tag or token)
    joined = " ".join(kept)
    return re.sub(r"\s+([.,!?;:)])", r"\1", joined)[:MAX_CHARACTERS]
