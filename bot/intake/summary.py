"""The intake summary: what the resident told, in short B1 Dutch, so they stay in charge."""

from __future__ import annotations

from typing import List, Tuple

from bot import catalogue, contract
from bot.conversation.life_domains import life_domains
from bot.intake.steps import Intake

# What the resident reads per step: the label, and readable values for fixed choices (bot/catalogue/nl/summary.yml).
LABELS = catalogue.entry("summary.labels")
CHOICES = {
    **catalogue.entry("summary.choices"),
    "urgency": {code: catalogue.text(f"handoff.urgency.{code}") for code in contract.URGENCIES},
}
NOT_GIVEN = catalogue.text("summary.not_given")


def readable(intake: Intake, step: str) -> str:
    """One step's answer as the resident reads it."""
    if step == "life_domains":
        return ", ".join(life_domains()[d].label for d in intake.life_domains) or NOT_GIVEN
    value = intake.given(step)
    if value is None:
        return NOT_GIVEN
    return CHOICES.get(step, {}).get(value, value)


def summary_lines(intake: Intake, steps: Tuple[str, ...]) -> List[str]:
    return [f"- {LABELS[step]}: {readable(intake, step)}" for step in steps]


def summary_text(intake: Intake, steps: Tuple[str, ...]) -> str:
    """The whole summary, one line per step, with a heading."""
    return "\n".join([catalogue.text("summary.heading"), *summary_lines(intake, steps)])
