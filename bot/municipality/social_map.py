"""The social map: the municipality's client-support organisations, and matching a resident to them.

Matching is a plain ranking with reasons a resident can read: shared areas of life weigh most, then
target group, the kind of supporter asked for, and language.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from typing import List, Optional
from urllib.parse import urlsplit

from pydantic import BaseModel, conlist, constr, validator

from bot import catalogue
from bot.contract import DUTCH
from bot.conversation.life_domains import life_domains
from bot.intake.steps import Intake
from bot.municipality.channels import Channels

# Codes of the municipality file; what a resident reads of them is in bot/catalogue/<language>/social_map.yml.
TARGET_GROUPS = tuple(catalogue.entry("social_map.target_groups", DUTCH))
KINDS = tuple(catalogue.entry("social_map.kinds", DUTCH))
# The kind of supporter a resident asked for, as the social map's kind.
PREFERRED_KIND = {
    "professional": "formal",
    "volunteer": "informal",
    "expert_by_experience": "expert_by_experience",
}
MAX_MATCHES = 3


def is_loopback(host: Optional[str]) -> bool:
    """This machine itself: the only place a webhook may go without TLS (and only in tests)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host or "").is_loopback
    except ValueError:
        return False


class Notify(BaseModel):
    """How an organisation hears of a new handoff: an e-mail address and/or a case system's webhook.
    The webhook's signing secret stays out of this file: the environment variable named here holds it."""

    email: Optional[constr(strip_whitespace=True, regex=r"^[^@\s]+@[^@\s]+$")] = None
    webhook_url: Optional[constr(strip_whitespace=True, regex=r"^https?://\S+$")] = None
    webhook_secret_env: Optional[constr(regex=r"^[A-Z][A-Z0-9_]*$")] = None

    class Config:
        extra = "forbid"

    @validator("webhook_url")
    def _https(cls, value: Optional[str]) -> Optional[str]:
        parts = urlsplit(value or "")
        if value and parts.scheme != "https" and not is_loopback(parts.hostname):
            raise ValueError("a webhook_url must start with https:// (a webhook crosses networks)")
        return value

    @validator("webhook_secret_env", always=True)
    def _secret_with_webhook(cls, value: Optional[str], values: dict) -> Optional[str]:
        if values.get("webhook_url") and not value:
            raise ValueError("a webhook_url needs webhook_secret_env: the variable that holds its secret")
        return value


class Organisation(BaseModel):
    id: constr(regex=r"^[a-z0-9-]+$")
    name: constr(strip_whitespace=True, min_length=1)
    description: constr(strip_whitespace=True, min_length=1)
    life_domains: conlist(str, min_items=1)
    target_groups: conlist(str, min_items=1)
    kind: str
    languages: conlist(constr(to_lower=True, strip_whitespace=True), min_items=1)
    contact: Channels
    capacity_note: Optional[constr(strip_whitespace=True, min_length=1)] = None
    notify: Notify = Notify()

    class Config:
        extra = "forbid"

    @validator("life_domains", each_item=True)
    def _known_area(cls, value: str) -> str:
        if value not in life_domains():
            raise ValueError(f"unknown area of life '{value}' (use one of: {', '.join(life_domains())})")
        return value

    @validator("target_groups", each_item=True)
    def _known_group(cls, value: str) -> str:
        if value not in TARGET_GROUPS:
            raise ValueError(f"unknown target group '{value}' (use one of: {', '.join(TARGET_GROUPS)})")
        return value

    @validator("kind")
    def _known_kind(cls, value: str) -> str:
        if value not in KINDS:
            raise ValueError(f"unknown kind '{value}' (use one of: {', '.join(KINDS)})")
        return value


@dataclass(frozen=True)
class Match:
    organisation: Organisation
    score: float
    reasons: List[str]

    def explanation(self) -> str:
        return catalogue.text("social_map.explanation", reasons=", ".join(self.reasons))


def _groups_for(intake: Intake) -> List[str]:
    """Target groups the intake points to (a carer, a family, someone with psychological problems)."""
    groups = []
    if intake.relation in ("ouder", "partner", "familie") or "mantelzorg" in intake.life_domains:
        groups.append("mantelzorgers")
    if intake.relation == "ouder":
        groups.append("ouderen")
    if intake.relation == "kind" or {"opvoeding", "onderwijs"} & set(intake.life_domains):
        groups += ["gezinnen", "jongeren"]
    if "psychische_gezondheid" in intake.life_domains:
        groups.append("psychische_problemen")
    return groups


def _score(organisation: Organisation, intake: Intake) -> Match:
    score, reasons = 0.0, []
    shared = [d for d in intake.life_domains if d in organisation.life_domains]
    if shared:
        score += 3 * len(shared)
        reasons.append(
            catalogue.text(
                "social_map.helps_with",
                areas=catalogue.text("social_map.and").join(life_domains()[d].label for d in shared),
            )
        )
    groups = [g for g in _groups_for(intake) if g in organisation.target_groups]
    if groups:
        score += 2
        reasons.append(catalogue.text(f"social_map.target_groups.{groups[0]}"))
    wanted_kind = PREFERRED_KIND.get(intake.given("supporter_kind") or "")
    if wanted_kind and wanted_kind == organisation.kind:
        score += 2
        reasons.append(
            catalogue.text(
                "social_map.works_with", kind=catalogue.text(f"social_map.kinds.{organisation.kind}")
            )
        )
    language = (intake.given("language") or "").lower()
    spoken = [name for name in organisation.languages if name != "nederlands" and name in language]
    if spoken:
        score += 3
        reasons.append(catalogue.text("social_map.speaks", spoken=spoken[0].capitalize()))
    if "iedereen" in organisation.target_groups:
        score += 0.5
        if not reasons:
            reasons.append(catalogue.text("social_map.target_groups.iedereen"))
    return Match(organisation, score, reasons)


def match(intake: Intake, organisations: List[Organisation]) -> List[Match]:
    """Up to three organisations that fit the intake best, best first, each with its reasons."""
    scored = [_score(organisation, intake) for organisation in organisations]
    fitting = [m for m in scored if m.score > 0]
    fitting.sort(key=lambda m: (-m.score, m.organisation.name))
    return fitting[:MAX_MATCHES]
