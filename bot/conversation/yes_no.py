"""Answering a yes/no question with yes or no first, in the polarity the resident asked it.

"Is het gratis?" gets "Ja, ..." and "Kost het iets?" gets "Nee, ..."; an open question ("wat kost
het?") gets the explanation without either. Only the question sentence of a long story counts.
The words per rights question live in bot/content/yes_no.yml.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Dict, Optional, Pattern, Tuple

import yaml

from bot.content import CONTENT_DIR
from bot.conversation.safety import normalise

POLARITY_FILE = CONTENT_DIR / "yes_no.yml"
YES, NO, OPEN = "yes", "no", "open"

_SENTENCES = re.compile(r"(?<=[.!?\n])\s+")
_FILLERS = re.compile(r"^((en|maar|dus|of|nou|oke|ok|hoi|hallo|eigenlijk|vraagje|ff|even|ja|nee)\s+)+")
_OPEN_WORDS = re.compile(r"^(wat|hoe|wie|waar\w*|waarom|wanneer|welke?|hoeveel|hoelang)\b")
_VERB_FIRST = re.compile(
    r"^(kan|kun|kunt|mag|moet|hoef|is|zijn|heb|hebt|heeft|krijg|krijgt|kost|kosten|werkt|werken|doet|wordt"
    r"|ben|bent|zou|gaat|betaal|staat|vertelt|mogen|kunnen|moeten|hoeft|blijft|zit)"
    r" (ik|je|jij|u|het|die|dat|deze|de|een|er|hij|zij|ze|we|wij|mijn|men|iemand|zo'?n)\b"
)
_NEGATION = re.compile(r"\b(niet|geen|niks|niets|nergens)\b")


@dataclass(frozen=True)
class _Words:
    holds: Optional[Pattern]
    opposite: Optional[Pattern]
    default: Optional[str]


def _pattern(words) -> Optional[Pattern]:
    if not words:
        return None
    alternatives = sorted({re.escape(normalise(w)) for w in words}, key=len, reverse=True)
    return re.compile(r"\b(" + "|".join(alternatives) + r")\b")


@lru_cache(maxsize=1)
def _table() -> Dict[str, _Words]:
    content = yaml.safe_load(POLARITY_FILE.read_text(encoding="utf-8"))
    return {
        intent: _Words(_pattern(words.get("holds")), _pattern(words.get("opposite")), words.get("default"))
        for intent, words in content.items()
    }


def question_sentence(text: str) -> Tuple[str, bool]:
    """The sentence that asks (the last with a question mark, else the last), and whether it has one."""
    sentences = [s for s in _SENTENCES.split(text.strip()) if s.strip()] or [""]
    asked = [s for s in sentences if "?" in s]
    return (asked[-1] if asked else sentences[-1]), bool(asked)


def polarity(intent: str, text: str) -> str:
    """YES or NO when the message asks a yes/no question about a fact this intent answers, else OPEN."""
    words = _table().get(intent)
    if words is None:
        return OPEN
    sentence, marked = question_sentence(text)
    plain = _FILLERS.sub("", normalise(sentence))
    if _OPEN_WORDS.match(plain) or not (_VERB_FIRST.match(plain) or marked):
        return OPEN
    if words.holds and words.holds.search(plain):
        answer = YES
    elif words.opposite and words.opposite.search(plain):
        answer = NO
    elif words.default and _VERB_FIRST.match(plain):
        # Only a Dutch yes/no question ("moet ik ..."): a question mark alone may be any language's.
        answer = words.default
    else:
        return OPEN
    if _NEGATION.search(plain):
        answer = NO if answer == YES else YES
    return answer
