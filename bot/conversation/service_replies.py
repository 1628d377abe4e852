"""What Wegwijs says when part of the service fails, from the text catalogue (bot/catalogue/nl/service.yml).

`action_failed`: a custom action could not run; the message was not processed, send it again.
`unavailable`: the conversation store or the lock store cannot be reached; nothing was processed.
`no_reply`: the turn ended without a message for the resident; ask again in other words.
`too_long`: the message is longer than WEGWIJS_WIDGET_MAX_LENGTH; it was not processed.
"""

from __future__ import annotations

from bot import catalogue
from bot.app_context import context

KINDS = ("action_failed", "unavailable", "no_reply", "too_long")


def service_message(kind: str) -> str:
    if kind not in KINDS:
        raise ValueError(f"unknown service message {kind!r} (one of {', '.join(KINDS)})")
    desk = context().municipality.client_support
    return catalogue.entry("service")[kind].format(desk=desk.name, phone=desk.phone)
