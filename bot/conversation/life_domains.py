"""Areas of life: what Wegwijs says when a resident describes a situation.

The texts live in the text catalogue, bot/catalogue/nl/life_domains.yml; this module picks and orders them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Dict, Iterable, List

from bot import catalogue

DOMAIN_INTENT_PREFIX = "domain_"


@dataclass(frozen=True)
class LifeDomain:
    value: str
    label: str
    heard: str
    supporter: str
    first_stop: str


def life_domains() -> Dict[str, LifeDomain]:
    """All areas of life, keyed by their contract value, in the order of the content file, in the
    language being spoken."""
    return _life_domains(catalogue.current_language())


@lru_cache(maxsize=None)
def _life_domains(language: str) -> Dict[str, LifeDomain]:
    raw = catalogue.entry("life_domains", language)
    return {value: LifeDomain(value=value, **texts) for value, texts in raw.items()}


def domains_in_intent(intent: str) -> List[str]:
    """The areas named by a (multi-)intent such as `domain_geldzaken+domain_wonen`."""
    return [
        part[len(DOMAIN_INTENT_PREFIX) :]
        for part in intent.split("+")
        if part.startswith(DOMAIN_INTENT_PREFIX) and part[len(DOMAIN_INTENT_PREFIX) :] in life_domains()
    ]


def known_domains(values: Iterable[str]) -> List[str]:
    """Keeps known area values, without repeats, in first-mentioned order."""
    seen: List[str] = []
    for value in values:
        if value in life_domains() and value not in seen:
            seen.append(value)
    return seen


def situation_messages(domains: List[str]) -> List[str]:
    """What the bot says about a situation in one or more areas: heard, supporter, first stop.

    For several areas the acknowledgement names them all, then each area gets its own short part,
    so the resident sees that every part of the story was understood.
    """
    if not domains:
        return []
    known = [life_domains()[value] for value in known_domains(domains)]
    if len(known) == 1:
        (domain,) = known
        return [domain.heard, f"{domain.supporter}\n\n{domain.first_stop}"]
    labels = [domain.label for domain in known]
    heard = catalogue.text("life_domains_together.heard", areas=", ".join(labels[:-1]), last=labels[-1])
    parts = [
        catalogue.text(
            "life_domains_together.part",
            label=domain.label,
            supporter=domain.supporter,
            first_stop=domain.first_stop,
        )
        for domain in known
    ]
    closing = catalogue.text("life_domains_together.closing")
    return [heard, *parts, closing]
