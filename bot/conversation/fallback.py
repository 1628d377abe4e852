"""Topic buttons, and the two-stage fallback: first ask to rephrase with suggested topics (or, for
a message of a word or two, ask back the best guess), then offer a person."""

from __future__ import annotations

from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple

from bot import catalogue
from bot.contract import NLU_FALLBACK
from bot.conversation.life_domains import DOMAIN_INTENT_PREFIX, life_domains
from bot.conversation.reply import Button, Reply

FALLBACK_INTENT = NLU_FALLBACK
MAX_SUGGESTIONS = 3
# "huur" or "pgb?" is too short to rephrase; asking back the best guess is easier to answer.
SHORT_MESSAGE_WORDS = 2


def _topics() -> Dict[str, Any]:
    return catalogue.entry("topics")


def topic_titles() -> Dict[str, str]:
    """Button titles for the intents a resident can pick as a topic."""
    return _topics()["titles"]


def _reply(key: str) -> Reply:
    content = _topics()[key]
    return Reply(content["text"], [Button(**button) for button in content["buttons"]])


def restarted() -> Reply:
    """What the resident reads after starting over."""
    return Reply(_topics()["restarted"])


def next_steps() -> Reply:
    """What a resident can do after describing a situation."""
    return _reply("next_steps")


def fallback_stage(recent_intents: Sequence[str]) -> int:
    """1 on the first misunderstanding in a row, 2 from the second on.

    `recent_intents` lists the intents of the resident's messages, newest last.
    """
    in_a_row = 0
    for intent in reversed(recent_intents):
        if intent != FALLBACK_INTENT:
            break
        in_a_row += 1
    return 2 if in_a_row >= 2 else 1


def suggestions(ranking: Iterable[Tuple[str, float]]) -> List[Button]:
    """Up to three topics the resident may have meant: the model's best guesses that are topics,
    filled up with the most asked topics."""
    titles = topic_titles()
    chosen: List[str] = []
    for intent, _confidence in sorted(ranking, key=lambda pair: -pair[1]):
        if intent in titles and intent not in chosen:
            chosen.append(intent)
    for intent in _topics()["defaults"]:
        if intent not in chosen:
            chosen.append(intent)
    return [Button(title=titles[intent], payload=f"/{intent}") for intent in chosen[:MAX_SUGGESTIONS]]


def _asked_back(intent: str) -> str:
    texts = _topics()["guess"]
    area = intent[len(DOMAIN_INTENT_PREFIX) :]
    if intent.startswith(DOMAIN_INTENT_PREFIX) and area in life_domains():
        return texts["area"].format(label=life_domains()[area].label)
    return texts["topic"].format(title=topic_titles()[intent])


def best_guess(ranking: Iterable[Tuple[str, float]], areas: Sequence[str]) -> Optional[Reply]:
    """ "Gaat het over wonen?" with yes and no buttons: an area named, else the model's best topic."""
    named = [f"{DOMAIN_INTENT_PREFIX}{area}" for area in areas if area in life_domains()]
    ranked = [intent for intent, _ in sorted(ranking, key=lambda pair: -pair[1]) if intent in topic_titles()]
    if not named + ranked:
        return None
    guess, texts = (named + ranked)[0], _topics()["guess"]
    return Reply(_asked_back(guess), [Button(texts["confirm"], f"/{guess}"), Button(texts["other"], "/deny")])


def fallback_reply(
    recent_intents: Sequence[str],
    ranking: Iterable[Tuple[str, float]],
    text: str = "",
    areas: Sequence[str] = (),
) -> Reply:
    """What to say when the latest message was not understood."""
    ranking = list(ranking)
    if fallback_stage(recent_intents) == 1:
        guess = best_guess(ranking, areas) if 0 < len(text.split()) <= SHORT_MESSAGE_WORDS else None
        return guess or Reply(_topics()["rephrase"], suggestions(ranking))
    return _reply("offer_human")
