"""A message Wegwijs sends: text and optional buttons, independent of any chat framework."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, List

# Sent with a message whose turn erases the conversation (bot/privacy/erasure.py); Rasa keeps it in the
# message's metadata, where the tracker store looks for it.
ERASE_MARK = "erases_conversation"


@dataclass(frozen=True)
class Button:
    title: str
    payload: str


@dataclass(frozen=True)
class Reply:
    text: str
    buttons: List[Button] = field(default_factory=list)
    erases: bool = False  # this answer says the conversation is erased: the tracker store does so

    def as_message(self) -> Dict[str, Any]:
        """The keyword arguments a chat dispatcher takes: text and buttons (and the erase mark)."""
        message = {
            "text": self.text,
            "buttons": [{"title": b.title, "payload": b.payload} for b in self.buttons],
        }
        return {**message, ERASE_MARK: True} if self.erases else message
