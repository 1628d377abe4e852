"""The conversation's language, and the language a message is written in.

Identification runs in process and offline: lingua (its models ship with the package), restricted to
Wegwijs's six languages, in its low-accuracy mode (trigrams only: about 30 MB instead of about 250 MB
for the full models, which matters in a Rasa process with a 1.2 GB budget; `make eval` reports its
accuracy per language). It only answers when it is sure: short messages ("ok", "hallo", "pgb") are
the same in several languages, so below a minimum length nothing is identified and the conversation
stays in its language. Arabic and Cyrillic script are unambiguous among the six and need no model.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Iterable, Mapping, Optional

from bot import catalogue
from bot.contract import (
    CHOOSE_LANGUAGE,
    DUTCH,
    LANGUAGE_ENTITY,
    LANGUAGE_OFFERED_SLOT,
    LANGUAGE_SLOT,
    LANGUAGES,
    MESSAGE_LANGUAGE,
    RIGHT_TO_LEFT,
)
from bot.conversation.reply import Button, Reply

# Below these, identification is unreliable (docs/languages.md has the measurements).
MIN_LETTERS = 12
MIN_WORDS = 3
SURE = 0.95
_ARABIC = re.compile(r"[\u0600-\u06FF\u0750-\u077F]")
_CYRILLIC = re.compile(r"[\u0400-\u04FF]")
_LATIN = re.compile(r"[A-Za-zÀ-ɏ]")


def conversation_language(slots: Mapping[str, Any]) -> str:
    """The language every answer is in: the slot's value when it is one of ours, else Dutch."""
    value = slots.get(LANGUAGE_SLOT)
    return value if value in LANGUAGES else DUTCH


def text_direction(language: str) -> str:
    return "rtl" if language in RIGHT_TO_LEFT else "ltr"


@lru_cache(maxsize=1)
def _detector() -> Any:
    # Imported here: only the NLU process identifies languages; the action server never loads the models.
    from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

    languages = [Language.from_iso_code_639_1(getattr(IsoCode639_1, code.upper())) for code in LANGUAGES]
    return (
        LanguageDetectorBuilder.from_languages(*languages)
        .with_preloaded_language_models()
        .with_low_accuracy_mode()
        .build()
    )


def _by_script(text: str) -> Optional[str]:
    """Arabic or Cyrillic letters and hardly any Latin ones: among our six that is Arabic or Ukrainian."""
    arabic, cyrillic, latin = (len(p.findall(text)) for p in (_ARABIC, _CYRILLIC, _LATIN))
    letters = arabic + cyrillic + latin
    for count, language in ((arabic, "ar"), (cyrillic, "uk")):
        if count >= 4 and count >= 0.8 * letters:
            return language
    return None


def long_enough(text: str) -> bool:
    return len(re.findall(r"\w", text)) >= MIN_LETTERS and len(text.split()) >= MIN_WORDS


def identify(text: str) -> Optional[str]:
    """The language a message is written in, or None when that is not clear."""
    by_script = _by_script(text)
    if by_script or not long_enough(text):
        return by_script
    best = _detector().compute_language_confidence_values(text)[0]
    if best.value < SURE:
        return None
    return best.language.iso_code_639_1.name.lower()


def turn_language(slots: Mapping[str, Any], message_language: Optional[str]) -> str:
    """The language of this turn's answers: the language the message is clearly written in, else the
    conversation's. A resident who writes Turkish in a Dutch conversation is answered in Turkish (and
    offered to go on in it: components/language_offer.py)."""
    return message_language if message_language in LANGUAGES else conversation_language(slots)


def should_offer(message_language: Optional[str], slots: Mapping[str, Any]) -> bool:
    """Offer to go on in the message's language: it is clear, not the conversation's, not offered before."""
    return (
        message_language in LANGUAGES
        and message_language != conversation_language(slots)
        and message_language not in (slots.get(LANGUAGE_OFFERED_SLOT) or [])
    )


def language_in(entities: Iterable[Mapping[str, Any]]) -> Optional[str]:
    """The message language among a parse result's entities (components/language_identifier.py)."""
    for found in entities:
        if found.get("entity") == MESSAGE_LANGUAGE and found.get("value") in LANGUAGES:
            return str(found["value"])
    return None


def choose_payload(language: str) -> str:
    """The command that switches to a language: the offer's buttons and the widget's picker send it."""
    return '/%s{"%s": "%s"}' % (CHOOSE_LANGUAGE, LANGUAGE_ENTITY, language)


def offer(offered: str, current: str) -> Reply:
    """Asked in the offered language: go on in it, or stay in the current one."""
    return Reply(
        catalogue.text("language.offer", offered),
        [
            Button(catalogue.text("language.offer_yes", offered), choose_payload(offered)),
            Button(catalogue.text("language.offer_no", offered), choose_payload(current)),
        ],
    )


def switched(language: str) -> Reply:
    return Reply(catalogue.text("language.switched", language))


def picker(current: str) -> Reply:
    """Every language by its own name, for "can we speak another language?" without saying which."""
    return Reply(
        catalogue.text("language.picker", current),
        [
            Button(catalogue.text("language.name", language), choose_payload(language))
            for language in LANGUAGES
        ],
    )
