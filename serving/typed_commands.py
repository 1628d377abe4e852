"""Typed text is never a command: Rasa reads a message "/intent{entities}" as that intent with those
entities, so a resident could type their way past a step or set any slot. A message starting with "/"
is a command only when it equals a button payload the bot offered in its last message (or the widget's
own restart control); any other is read, and stored, as plain words (bot.conversation.text.as_text_unless_offered).
That also keeps Rasa from logging a malformed "/intent{...}" whole, as it does at WARNING level.
"""

from __future__ import annotations

from typing import Any, Awaitable, Callable, Dict, Optional, Set

from rasa.core.channels.channel import UserMessage
from rasa.shared.core.events import BotUttered, UserUtteranceReverted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.contract import LANGUAGES
from bot.conversation.language import choose_payload
from bot.conversation.text import as_text_unless_offered

# The widget's own controls, offered in every conversation: "Opnieuw beginnen" and the language picker.
ALWAYS_OFFERED = frozenset({"/restart", *(choose_payload(language) for language in LANGUAGES)})


def _offered_payloads(tracker: DialogueStateTracker) -> Set[str]:
    """The button payloads of the bot's messages since the resident's last message that counts (a
    message whose turn was undone does not: its turn's buttons were never shown)."""
    offered: Set[str] = set()
    undone = 0
    for event in reversed(tracker.events):
        if isinstance(event, UserUtteranceReverted):
            undone += 1
        elif isinstance(event, UserUttered):
            if not undone:
                break
            undone -= 1
        elif isinstance(event, BotUttered) and not undone:
            offered.update(
                str(b["payload"])
                for b in event.data.get("buttons") or []
                if isinstance(b, dict) and b.get("payload")
            )
    return offered


def commands_only_when_offered(
    parse: Callable[..., Awaitable[Dict[str, Any]]],
) -> Callable[..., Awaitable[Dict[str, Any]]]:
    """Wraps the processor's parse_message, which gets the conversation: there typed "/intent{...}"
    becomes plain words before Rasa reads (or logs) it as a command, and it is stored as such."""

    async def parse_message(
        message: UserMessage,
        tracker: Optional[DialogueStateTracker] = None,
        only_output_properties: bool = True,
    ) -> Dict[str, Any]:
        if tracker is not None and isinstance(message.text, str):
            message.text = as_text_unless_offered(message.text, _offered_payloads(tracker) | ALWAYS_OFFERED)
        return await parse(message, tracker, only_output_properties)

    parse_message.checks_commands = True  # type: ignore[attr-defined]
    return parse_message
