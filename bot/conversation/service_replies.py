"""What Wegwijs says when part of the service fails, from the text catalogue (bot/catalogue/nl/service.yml).

`action_failed`: a custom action could not run; the message was not processed, send it again.
`unavailable`: the conversation store or the lock store cannot be reached; nothing was processed.
`no_reply`: the turn ended without a message for the resident; ask again in other words.
`too_long`: the message is longer than WEGWIJS_WIDGET_MAX_LENGTH; it was not processed.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Dict

from bot import catalogue
from bot.app_context import context

KINDS = ("action_failed", "unavailable", "no_reply", "too_long")


@lru_cache(maxsize=1)
def _texts() -> Dict[str, str]:
    texts = catalogue.entry("service")
    missing = [kind for kind in KINDS if kind not in texts]
    if missing:
        raise ValueError(f"bot/catalogue/nl/service.yml lacks {', '.join(missing)}")
    return texts


def service_message(kind: str) -> str:
    desk = context().municipality.client_support
    return _texts()[kind].format(desk=desk.name, phone=desk.phone)
