"""The satisfaction survey (section 10 of the domain facts): three statements on a 1-5 scale and
an open improvement question. Every step is optional: a skipped step holds SKIPPED.
"""

from __future__ import annotations

import re
from typing import Any, Dict, Optional

from bot import catalogue
from bot.contract import DENY, SATISFACTION_SLOT_PREFIX, SURVEY_INTERRUPTIONS
from bot.conversation.reply import Button, Reply
from bot.intake.steps import FREE_TEXT_LIMIT, SKIPPED

SCALE_STEPS = ("helped", "own_choices", "recommend")
IMPROVEMENT_STEP = "improvement"
STEPS = SCALE_STEPS + (IMPROVEMENT_STEP,)
SLOT_PREFIX = SATISFACTION_SLOT_PREFIX
# "Niets, het is goed zo": an answer, but nothing to improve.
NOTHING_TO_IMPROVE = "niets"
# The messages that leave the survey instead of answering it (rules answer them).
INTERRUPTIONS = SURVEY_INTERRUPTIONS

# Typed answers to a statement, strongest first so "helemaal niet mee eens" is not read as "mee eens".
_TYPED_SCALE = (
    ("1", re.compile(r"\bhelemaal\s+(niet\s+)?(mee\s+)?oneens\b|\bhelemaal\s+niet\s+(mee\s+)?eens\b")),
    ("2", re.compile(r"\b(niet\s+(mee\s+)?eens|oneens)\b")),
    ("5", re.compile(r"\bhelemaal\s+(mee\s+)?eens\b")),
    ("3", re.compile(r"\bneutraal\b")),
    ("4", re.compile(r"\b(mee\s+)?eens\b")),
)
SCALE_VALUES = ("1", "2", "3", "4", "5")


def scale_answer(choice: Optional[str], text: str) -> str:
    """A statement's answer: the button's value, a typed scale phrase or digit, else skipped."""
    if choice in SCALE_VALUES:
        return choice
    plain = text.strip().lower()
    if plain in SCALE_VALUES:
        return plain
    return next((value for value, pattern in _TYPED_SCALE if pattern.search(plain)), SKIPPED)


def improvement_answer(intent: str, text: str) -> str:
    """The resident's own words (de-identified later, before anyone reads them), or a marker."""
    if intent == "skip" or not text.strip() or text.startswith("/"):
        return SKIPPED if intent != DENY else NOTHING_TO_IMPROVE
    if intent == DENY and len(text.split()) <= 4:  # "nee", "niks", "nee hoor, prima"
        return NOTHING_TO_IMPROVE
    return text.strip()[:FREE_TEXT_LIMIT]


def answer(step: str, intent: str, choice: Optional[str], text: str) -> Optional[str]:
    """The value for `step`, or None when the message is not an answer but an interruption."""
    if intent in INTERRUPTIONS:
        return None
    if step == IMPROVEMENT_STEP:
        return improvement_answer(intent, text)
    if intent == "skip":
        return SKIPPED
    return scale_answer(choice, text)


def texts() -> Dict[str, Any]:
    return catalogue.entry("satisfaction")


def question(step: str) -> Reply:
    """One survey question with its buttons: the scale (or 'nothing'), skip, and stop."""
    content = texts()
    number = {"number": STEPS.index(step) + 1, "count": len(STEPS)}
    way_out = [Button(content["skip"], "/skip"), Button(content["stop"], "/stop")]
    if step == IMPROVEMENT_STEP:
        return Reply(
            content["improvement"].format(**number),
            [Button(content["nothing_to_improve"], "/deny")] + way_out,
        )
    scale = [Button(label, '/choose{"choice": "%s"}' % value) for value, label in content["scale"].items()]
    text = f'{content["statement_intro"].format(**number)}\n"{content["statements"][step]}"'
    return Reply(text, scale + way_out)
