"""What Wegwijs keeps of a conversation, and how the rest is erased: rules on Rasa's event dicts.

A resident's words live in the tracker store only while the conversation goes on. They are erased
- at once, when the resident stops, restarts, declines consent (after the offer without consent) or
  withdraws a handoff: `erases()` recognises the turn, serving/tracker_store.py erases on saving it;
- when the session has ended (idle longer than domain.yml's session_expiration_time), by the
  retention job (bot/privacy/retention.py), after the statistics row was taken.
Erasing keeps what the statistics and the conversation need: intents, coded entities, action names,
coded slots, timestamps and the widget's message ids. It removes what the resident typed, the bot's
messages before it (a summary repeats their words) and every slot that holds typed text.
No Rasa imports: events are the dicts Rasa stores.
"""

from __future__ import annotations

from typing import Callable, Dict, List, Optional, Sequence

from bot import contract
from bot.conversation.reply import ERASE_MARK
from bot.intake.steps import FREE_TEXT_STEPS
from bot.survey.questionnaire import IMPROVEMENT_STEP, SLOT_PREFIX

# Turns that always erase: the answers to `stop` (in the conversation, intake or survey) and restart.
ERASING_ACTIONS = frozenset(
    {"utter_stop", "utter_intake_stopped", "utter_satisfaction_stopped", "action_restart"}
)
# Slots that hold what the resident typed (the free-text intake steps, the contact detail, the
# improvement answer). Every other slot holds a code, an id or a time the bot chose.
TYPED_SLOTS = frozenset(
    {f"intake_{step}" for step in FREE_TEXT_STEPS + ("contact_detail",)} | {SLOT_PREFIX + IMPROVEMENT_STEP}
)
# Entities whose values are codes (button choices, areas of life, relations), not the resident's words.
CODED_ENTITIES = frozenset({contract.LIFE_DOMAIN, contract.RELATION, contract.CHOICE})
# The widget's retry check finds an answered message by this id, made in the browser.
KEPT_METADATA = ("message_id",)
# Set on an event once its words are gone: de-identifying is done once, not on every run.
ERASED = "wegwijs_erased"

Words = Callable[[str], Optional[str]]


def erase(_: str) -> Optional[str]:
    return None


def erases(events: Sequence[Dict]) -> bool:
    """Whether these events (one turn) end with the conversation erased."""
    return any(
        event.get("event") == "action"
        and event.get("name") in ERASING_ACTIONS
        # a message with Reply.erases set: the offer without consent, a withdrawal that succeeded
        or event.get("event") == "bot"
        and (event.get("metadata") or {}).get(ERASE_MARK)
        for event in events
    )


def _metadata(event: Dict) -> Dict:
    return {key: value for key, value in (event.get("metadata") or {}).items() if key in KEPT_METADATA}


def _words(text: object, words: Words) -> Optional[str]:
    return words(text) if isinstance(text, str) and text else None


def _user(event: Dict, words: Words) -> Dict:
    parse = event.get("parse_data") or {}
    intent = parse.get("intent") or {}
    entities = [
        {"entity": e.get("entity"), "value": e.get("value")}
        for e in parse.get("entities") or []
        if e.get("entity") in CODED_ENTITIES and isinstance(e.get("value"), str)
    ]
    text = _words(event.get("text"), words)
    return {
        **event,
        ERASED: True,
        "text": text,
        "metadata": _metadata(event),
        "parse_data": {
            "intent": {"name": intent.get("name"), "confidence": intent.get("confidence")},
            "entities": entities,
            "text": text,
        },
    }


def scrub(event: Dict, words: Words = erase, bot_text: bool = True) -> Dict:
    """The event without what the resident typed (`words` of it: erased, or de-identified).
    `bot_text`: the bot's message goes too (False for the answer to the erasing turn itself)."""
    kind = event.get("event")
    if event.get(ERASED):
        return event
    if kind == "user":
        return _user(event, words)
    if kind == "bot" and bot_text:
        return {**event, ERASED: True, "text": _words(event.get("text"), words), "data": {}, "metadata": {}}
    if kind == "slot" and event.get("name") in TYPED_SLOTS and isinstance(event.get("value"), str):
        return {**event, ERASED: True, "value": _words(event.get("value"), words)}
    if kind == "entities":
        return {**event, "entities": []}
    return event


def scrubbed(events: Sequence[Dict], words: Words = erase, answer_kept: bool = True) -> List[Dict]:
    """A conversation's events without the resident's words. With `answer_kept`, the bot's messages
    after the resident's last message stay: they answer the erasing turn (and say what was erased),
    and the widget's retry check returns them for a resent message."""
    last_user = max((n for n, event in enumerate(events) if event.get("event") == "user"), default=-1)
    return [scrub(event, words, bot_text=n < last_user or not answer_kept) for n, event in enumerate(events)]
