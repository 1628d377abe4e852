"""The intake summary: what the resident told, in short B1 Dutch, so they stay in charge."""

from __future__ import annotations

from typing import Dict, List, Tuple

from bot import catalogue, contract
from bot.conversation.life_domains import life_domains
from bot.intake.steps import FREE_TEXT_CHOICES, FREE_TEXT_STEPS, Intake


# What the resident reads per step, in the language being spoken: the label, and readable values for
# fixed choices (bot/catalogue/<language>/summary.yml). Supporters and staff read it in Dutch.
def labels() -> Dict[str, str]:
    return catalogue.entry("summary.labels")


def choices() -> Dict[str, Dict[str, str]]:
    return {
        **catalogue.entry("summary.choices"),
        "urgency": {code: catalogue.text(f"handoff.urgency.{code}") for code in contract.URGENCIES},
    }


def readable(intake: Intake, step: str) -> str:
    """One step's answer as the resident reads it."""
    if step == "life_domains":
        return ", ".join(life_domains()[d].label for d in intake.life_domains) or catalogue.text(
            "summary.not_given"
        )
    value = intake.given(step)
    if value is None:
        return catalogue.text("summary.not_given")
    return choices().get(step, {}).get(value, value)


def in_own_words(intake: Intake, step: str) -> bool:
    """True when the step's answer is what the resident typed, not the stored value of a button
    ("geen", "Turks", an urgency code): shown as typed, in the language it was written in."""
    value = intake.given(step)
    return step in FREE_TEXT_STEPS and value is not None and value not in FREE_TEXT_CHOICES.values()


def summary_lines(intake: Intake, steps: Tuple[str, ...]) -> List[str]:
    return [f"- {labels()[step]}: {readable(intake, step)}" for step in steps]


def summary_text(intake: Intake, steps: Tuple[str, ...]) -> str:
    """The whole summary, one line per step, with a heading."""
    return "\n".join([catalogue.text("summary.heading"), *summary_lines(intake, steps)])
