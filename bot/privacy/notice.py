"""What Wegwijs tells residents it keeps: the chat's privacy answer and the privacy page, both built from
the settings retention runs with (bot/settings.py) and the municipality file, so they cannot disagree."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Dict, List, Tuple

from bot import catalogue
from bot.conversation.reply import Button, Reply
from bot.municipality.profile import Municipality
from bot.settings import Settings


@dataclass(frozen=True)
class Page:
    title: str
    intro: str
    sections: Tuple[Tuple[str, str], ...]  # (title, text)


def texts() -> Dict[str, Any]:
    return catalogue.entry("privacy")


def _values(settings: Settings, municipality: Municipality) -> Dict[str, object]:
    retention = settings.retention
    return {
        "municipality": municipality.name,
        "desk": municipality.client_support.name,
        "phone": municipality.client_support.phone,
        "privacy_url": f"{settings.public_url}/privacy",
        "session_minutes": retention.session_minutes,
        "erase_minutes": math.ceil(retention.interval_seconds / 60),
        "days": settings.conversation_retention_days,
        "handoff_days": settings.handoff_retention_days,
        "open_handoff_days": retention.open_handoff_days,
        "free_text_days": retention.free_text_days,
        "audit_days": retention.audit_days,
    }


def _variant(block: Dict[str, str], settings: Settings) -> str:
    """A block's text: the same for every configuration, or the one for minimal or longer keeping."""
    return block.get("text") or block["kept" if settings.conversation_retention_days else "minimal"]


def answer(settings: Settings, municipality: Municipality) -> Reply:
    content, values = texts()["answer"], _values(settings, municipality)
    paragraphs = [_variant(content, settings), content["always"], content["link"]]
    return Reply(
        "\n\n".join(paragraph.format(**values) for paragraph in paragraphs),
        [Button(button["title"], button["payload"]) for button in content["buttons"]],
    )


def page(settings: Settings, municipality: Municipality) -> Page:
    content, values = texts()["page"], _values(settings, municipality)
    sections: List[Tuple[str, str]] = [
        (section["title"], _variant(section, settings).format(**values)) for section in content["sections"]
    ]
    return Page(content["title"], content["intro"].format(**values), tuple(sections))
