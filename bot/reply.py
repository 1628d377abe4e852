"""A message Wegwijs sends: text and optional buttons, independent of any chat framework."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, List


@dataclass(frozen=True)
class Button:
    title: str
    payload: str


@dataclass(frozen=True)
class Reply:
    text: str
    buttons: List[Button] = field(default_factory=list)

    def as_message(self) -> Dict[str, Any]:
        """The keyword arguments a chat dispatcher takes: text and buttons."""
        return {"text": self.text, "buttons": [{"title": b.title, "payload": b.payload} for b in self.buttons]}
