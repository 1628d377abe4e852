"""From tracker events (Rasa's event dicts, in order) to anonymised conversation summaries.

Only categories leave this module: whitelisted intents, areas of life, coded intake answers, the
conversation's language (one of the contract's codes), action and step names, counts and durations. Free text leaves only as `FreeText` items, which
`bot.statistics.deidentify` cleans before they are stored. Nothing here imports Rasa.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple

from bot import contract
from bot.conversation.language import conversation_language
from bot.conversation.life_domains import domains_in_intent, known_domains
from bot.intake.steps import PHASES, RELATIONS, SKIPPED
from bot.survey.questionnaire import (
    IMPROVEMENT_STEP,
    NOTHING_TO_IMPROVE,
    SCALE_STEPS,
    SCALE_VALUES,
    SLOT_PREFIX,
)

# The rights topics of the contract. A payload such as "/anything" becomes an intent name, so only
# known names are counted: never a string a resident typed.
# Steps (action and slot names) and channel names are identifiers the bot chose, never free text.
_IDENTIFIER = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
# Bot-side bookkeeping that is not a step a resident sees.
_NOT_A_STEP = {
    "action_listen",
    "action_session_start",
    "action_deactivate_loop",
    "action_restart",
    "action_unlikely_intent",
    "action_extract_slots",
    "action_default_ask_affirmation",
}
# How a conversation may end on purpose; anything else is a resident who left (a drop-off).
_CLOSING_ACTIONS = {"utter_satisfaction_thanks", "utter_satisfaction_stopped"}


@dataclass(frozen=True)
class FreeText:
    """A resident's own words meant for improving the bot; de-identified before it is stored."""

    kind: str  # "not_understood" or "improvement"
    text: str
    key: str  # keyed hash of the conversation and event time: storing twice stores once


@dataclass
class ConversationStats:
    """One conversation, anonymised: what the statistics table holds."""

    key: str
    started_hour: datetime  # UTC, coarsened to the hour
    duration_minutes: int
    channel: Optional[str] = None
    user_messages: int = 0
    relation: Optional[str] = None
    phase: Optional[str] = None
    life_domains: List[str] = field(default_factory=list)
    topics: List[str] = field(default_factory=list)
    handoff: bool = False
    asked_human: bool = False
    hit_fallback: bool = False
    crisis: bool = False
    left: bool = True
    last_step: Optional[str] = None
    satisfaction: Dict[str, Optional[int]] = field(default_factory=dict)
    improvement_given: bool = False
    # The language the conversation ended in: a code of contract.LANGUAGES; Dutch when it never switched.
    language: str = contract.DUTCH


def keyed_hash(secret: str, *parts: object) -> str:
    """HMAC-SHA256 of the parts. Not reversible without the secret key, so a statistics row cannot
    be traced back to a sender id; yet the same conversation gives the same key, which makes the
    statistics job idempotent (a re-run replaces rows instead of adding them)."""
    message = "\x1f".join(str(part) for part in parts).encode("utf-8")
    return hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()


def split_conversations(events: Iterable[dict]) -> List[List[dict]]:
    """A sender's events split into conversations: each session (and each restart) is one."""
    conversations: List[List[dict]] = [[]]
    for event in events:
        if event.get("event") in ("session_started", "restart") and conversations[-1]:
            conversations.append([])
        conversations[-1].append(event)
    return [events for events in conversations if any(e.get("event") == "user" for e in events)]


def _intent(event: dict) -> str:
    return ((event.get("parse_data") or {}).get("intent") or {}).get("name") or ""


def _entities(event: dict, name: str) -> List[str]:
    entities = (event.get("parse_data") or {}).get("entities") or []
    return [str(e.get("value")) for e in entities if e.get("entity") == name]


def _identifier(value: object) -> Optional[str]:
    return value if isinstance(value, str) and _IDENTIFIER.match(value) else None


def _final_slots(events: Sequence[dict]) -> Dict[str, Any]:
    slots: Dict[str, Any] = {}
    for event in events:
        if event.get("event") == "slot":
            slots[str(event.get("name"))] = event.get("value")
    return slots


def _hour(timestamp: float) -> datetime:
    return datetime.fromtimestamp(timestamp, timezone.utc).replace(minute=0, second=0, microsecond=0)


def _satisfaction(slots: Dict[str, Any]) -> Dict[str, Optional[int]]:
    answers = {step: slots.get(SLOT_PREFIX + step) for step in SCALE_STEPS}
    return {step: int(value) for step, value in answers.items() if value in SCALE_VALUES}


def _last_step(events: Sequence[dict], slots: Dict[str, Any]) -> Optional[str]:
    """Where the conversation stood at its end: the form question asked, else the last bot action."""
    requested = _identifier(slots.get("requested_slot"))
    if requested:
        return requested
    actions = [
        e.get("name") for e in events if e.get("event") == "action" and e.get("name") not in _NOT_A_STEP
    ]
    return _identifier(actions[-1]) if actions else None


def _areas(user_events: Sequence[dict], slots: Dict[str, Any]) -> List[str]:
    mentioned: List[str] = []
    for event in user_events:
        mentioned += domains_in_intent(_intent(event)) + _entities(event, "life_domain")
    intake_areas = slots.get("intake_life_domains")
    if isinstance(intake_areas, list):
        mentioned += [str(value) for value in intake_areas]
    return sorted(set(known_domains(mentioned)))


def _coded(value: object, allowed: Tuple[str, ...]) -> Optional[str]:
    return value if isinstance(value, str) and value in allowed else None


def summarise(
    events: Sequence[dict], secret: str, sender_id: str
) -> Tuple[ConversationStats, List[FreeText]]:
    """One conversation's statistics and the free text meant for improving the bot."""
    user_events = [e for e in events if e.get("event") == "user"]
    intents = [_intent(e) for e in user_events]
    actions = {e.get("name") for e in events if e.get("event") == "action"}
    slots = _final_slots(events)
    first, last = user_events[0]["timestamp"], max(e.get("timestamp") or 0 for e in events)
    key = keyed_hash(secret, "conversation", sender_id, events[0].get("timestamp"))
    relation = _coded(slots.get("intake_relation"), RELATIONS) or _coded(slots.get("relation"), RELATIONS)
    ended = (
        bool(slots.get(contract.HANDOFF_REFERENCE_SLOT))
        or (intents[-1] in contract.CLOSING_INTENTS)
        or bool(actions & _CLOSING_ACTIONS)
    )
    improvement = slots.get(SLOT_PREFIX + IMPROVEMENT_STEP)
    stats = ConversationStats(
        key=key,
        started_hour=_hour(first),
        duration_minutes=max(0, round((last - first) / 60)),
        channel=_identifier(user_events[0].get("input_channel")),
        user_messages=len(user_events),
        relation=relation,
        phase=_coded(slots.get("intake_phase"), PHASES),
        life_domains=_areas(user_events, slots),
        topics=sorted({intent for intent in intents if intent in contract.RIGHTS_TOPICS}),
        handoff=bool(slots.get(contract.HANDOFF_REFERENCE_SLOT)),
        asked_human=contract.REQUEST_HUMAN in intents or contract.ACTION_CONTACT_HUMAN in actions,
        hit_fallback=contract.NLU_FALLBACK in intents or contract.ACTION_FALLBACK in actions,
        crisis=contract.CRISIS in intents,
        left=not ended,
        last_step=_last_step(events, slots),
        satisfaction=_satisfaction(slots),
        improvement_given=isinstance(improvement, str) and improvement not in (SKIPPED, NOTHING_TO_IMPROVE),
        language=conversation_language(slots),
    )
    return stats, _free_text(user_events, improvement if stats.improvement_given else None, secret, key)


def _free_text(
    user_events: Sequence[dict], improvement: Optional[str], secret: str, key: str
) -> List[FreeText]:
    items = [
        FreeText(
            "not_understood",
            event.get("text") or "",
            keyed_hash(secret, key, "not_understood", event["timestamp"]),
        )
        for event in user_events
        if _intent(event) == contract.NLU_FALLBACK
        and (event.get("text") or "").strip()
        and not (event.get("text") or "").startswith("/")
    ]
    if improvement:
        items.append(FreeText("improvement", improvement, keyed_hash(secret, key, "improvement")))
    return items
