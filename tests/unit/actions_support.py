"""Building trackers and running actions the way the action server does."""

import asyncio
from typing import Any, Dict, List, Optional

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher


def user_event(intent: str, text: str = "", entities: Optional[list] = None, ranking=None) -> Dict[str, Any]:
    return {
        "event": "user",
        "text": text,
        "parse_data": {
            "intent": {"name": intent, "confidence": 1.0},
            "entities": entities or [],
            "intent_ranking": ranking or [{"name": intent, "confidence": 1.0}],
        },
    }


def tracker_after(*user_events: Dict[str, Any], slots: Optional[Dict[str, Any]] = None) -> Tracker:
    """A tracker whose latest message is the last of `user_events`."""
    events: List[Dict[str, Any]] = []
    for event in user_events:
        events += [{"event": "action", "name": "action_listen"}, event]
    return Tracker(
        sender_id="test",
        slots=slots or {},
        latest_message=user_events[-1]["parse_data"] | {"text": user_events[-1]["text"]},
        events=events,
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )


def run(action: Action, tracker: Tracker):
    """Runs an action; returns (messages sent, events returned)."""
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker, domain={}))
    return dispatcher.messages, events
