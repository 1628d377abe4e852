"""The intake summary: what the resident told, in short B1 Dutch, so they stay in charge."""
from __future__ import annotations

from typing import List, Tuple

from bot.contract import NO_RUSH, SOON, URGENT
from bot.intake.steps import Intake
from bot.conversation.life_domains import life_domains

# What the resident reads per step: the label, and readable values for fixed choices.
LABELS = {
    "relation": "Voor wie",
    "life_domains": "Onderwerpen",
    "situation": "Wat er speelt",
    "what_matters": "Wat belangrijk is",
    "goal": "Wat u wilt bereiken",
    "network": "Wie al helpt",
    "phase": "Waar u nu staat",
    "urgency": "Hoe dringend",
    "supporter_kind": "Soort ondersteuner",
    "language": "Taal",
    "accessibility": "Waar we rekening mee houden",
    "contact_method": "Contact via",
    "contact_detail": "Contactgegevens",
}
CHOICES = {
    "relation": {
        "zelf": "voor uzelf", "partner": "voor uw partner", "ouder": "voor uw vader of moeder",
        "kind": "voor uw kind", "familie": "voor iemand uit uw familie", "ander": "voor iemand anders",
    },
    "phase": {
        "orienting": "u kijkt wat er mogelijk is",
        "preparing_conversation": "u bereidt een gesprek met de gemeente voor",
        "receiving_support": "u krijgt al hulp of ondersteuning",
        "disagreeing": "u bent het niet eens met een besluit",
    },
    "supporter_kind": {
        "volunteer": "een vrijwilliger", "professional": "een beroepskracht",
        "expert_by_experience": "een ervaringsdeskundige", "no_preference": "geen voorkeur",
    },
    "urgency": {URGENT: "zo snel mogelijk", SOON: "binnen een paar weken", NO_RUSH: "het heeft geen haast"},
    "contact_method": {"phone": "telefoon", "email": "e-mail", "letter": "brief", "visit": "een bezoek"},
}
NOT_GIVEN = "niet ingevuld"


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
    return "\n".join(["Dit is uw vraag op een rij:", *summary_lines(intake, steps)])
