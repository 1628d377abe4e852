"""Answers that depend on the municipality's configuration.

Fixed answers (rights, procedures) are responses in domain.yml; these ones carry local details
(phone numbers, hours, contact time) that differ per municipality, so they are built here.
"""
from __future__ import annotations

from typing import List

from bot.municipality.profile import Channels, Municipality


def _hours(channels: Channels) -> str:
    return "\n".join(f"- {period.days}: {period.hours}" for period in channels.hours)


def _reach(channels: Channels) -> List[str]:
    lines = [f"Telefoon: {channels.phone}"]
    if channels.email:
        lines.append(f"E-mail: {channels.email}")
    if channels.address:
        lines.append(f"Adres: {channels.address}")
    if channels.website:
        lines.append(f"Website: {channels.website}")
    return lines


def contact_details(municipality: Municipality) -> str:
    """How to reach client support: channels and opening hours."""
    desk = municipality.client_support
    return "\n".join(
        [
            f"U kunt direct contact opnemen met {desk.name}. U heeft geen verwijzing nodig.",
            *_reach(desk),
            "Open:",
            _hours(desk),
        ]
    )


def waiting_time(municipality: Municipality) -> str:
    """How soon a supporter gets in touch, and what to do when it cannot wait."""
    days = municipality.contact_time.working_days
    unit = "werkdag" if days == 1 else "werkdagen"
    return (
        f"Na uw aanvraag neemt een cliëntondersteuner binnen {days} {unit} contact met u op. "
        f"Kan het niet wachten? Bel dan {municipality.client_support.name} op "
        f"{municipality.client_support.phone}."
    )


def human_contact(municipality: Municipality) -> str:
    """For a resident who wants a person: where and when someone answers."""
    desk = municipality.client_support
    return "\n".join(
        [
            "U kunt met een mens praten. Bel of mail ons, of kom langs.",
            *_reach(desk),
            "Wij zijn er op:",
            _hours(desk),
        ]
    )


def out_of_scope(municipality: Municipality) -> str:
    """Points other municipal questions to the general channels."""
    general = municipality.general
    return "\n".join(
        [
            "Daar kan ik u helaas niet mee helpen. Ik weet alleen iets over cliëntondersteuning.",
            f"Voor andere vragen kunt u terecht bij de gemeente {municipality.name}:",
            *_reach(general),
            "Open:",
            _hours(general),
        ]
    )
