"""Answers that depend on the municipality's configuration.

Fixed answers (rights, procedures) are responses in domain.yml; these ones carry local details
(phone numbers, hours, contact time) that differ per municipality, so they are built here from the
texts in bot/catalogue/nl/answers.yml.
"""

from __future__ import annotations

from typing import List

from bot import catalogue
from bot.municipality.profile import Channels, Municipality


def _hours(channels: Channels) -> str:
    return "\n".join(f"- {period.days}: {period.hours}" for period in channels.hours)


def _reach(channels: Channels) -> List[str]:
    lines = [catalogue.text("answers.reach.phone", phone=channels.phone)]
    if channels.email:
        lines.append(catalogue.text("answers.reach.email", email=channels.email))
    if channels.address:
        lines.append(catalogue.text("answers.reach.address", address=channels.address))
    if channels.website:
        lines.append(catalogue.text("answers.reach.website", website=channels.website))
    return lines


def contact_details(municipality: Municipality) -> str:
    """How to reach client support: channels and opening hours."""
    desk = municipality.client_support
    return "\n".join(
        [
            catalogue.text("answers.contact_details", desk=desk.name),
            *_reach(desk),
            catalogue.text("answers.hours_heading"),
            _hours(desk),
        ]
    )


def waiting_time(municipality: Municipality) -> str:
    """How soon a supporter gets in touch, and what to do when it cannot wait."""
    days = municipality.contact_time.working_days
    unit = catalogue.text("answers.working_day") if days == 1 else catalogue.text("answers.working_days")
    return catalogue.text(
        "answers.waiting_time",
        days=days,
        unit=unit,
        desk=municipality.client_support.name,
        phone=municipality.client_support.phone,
    )


def human_contact(municipality: Municipality) -> str:
    """For a resident who wants a person: where and when someone answers."""
    desk = municipality.client_support
    return "\n".join(
        [
            catalogue.text("answers.human_contact"),
            *_reach(desk),
            catalogue.text("answers.human_contact_hours"),
            _hours(desk),
        ]
    )


def out_of_scope(municipality: Municipality) -> str:
    """Points other municipal questions to the general channels."""
    general = municipality.general
    return "\n".join(
        [
            catalogue.text("answers.out_of_scope"),
            catalogue.text("answers.out_of_scope_general", municipality=municipality.name),
            *_reach(general),
            catalogue.text("answers.hours_heading"),
            _hours(general),
        ]
    )
