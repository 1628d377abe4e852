"""Server to server: hands a resident's message to Rasa's REST channel and returns the replies.

Rasa's HTTP API stays on the inside; only this edge talks to it. Rasa's tracker is the one place
that holds a conversation for every web worker, so a message sent again (the widget's retry after a
timeout, a lost connection or a page left mid-answer) is looked up there by its message id before it
is sent a second time.

The look-up must wait while Rasa may still be working on the first try: Rasa saves the tracker only
when a message is done. Rasa's own per-conversation lock gives that wait: appending an event to the
tracker takes the lock, so it runs after the first try and answers with the tracker as it is then.
The event appended is a `cancel_reminder` for a name no reminder has: it changes nothing (no state for
the policies; side effects are not executed) and leaves a trace that a retry was checked.

The look-up goes through Rasa's HTTP API, which needs its token. Rasa takes the plain token only in the
URL (`?token=`), where a proxy's error log may write it down; it also takes a JWT signed with it in the
Authorization header (serving/launch.py gives Rasa both). The relay sends such a JWT, for this one
conversation (Rasa's role "user") and one minute: even a copy could do little.
"""

from __future__ import annotations

import time
from typing import Dict, Iterable, List, Optional
from urllib.parse import quote

import jwt
import requests

from bot.contract import CONVERSATION_HEADER

RETRY_CHECK = {"event": "cancel_reminder", "name": "wegwijs-widget-retry-check"}
# nginx in front of several Rasa servers routes on CONVERSATION_HEADER (a consistent hash), so every message
# of one conversation reaches the Rasa server that holds its tracker.
API_JWT_SECONDS = 60


class RelayError(Exception):
    """Rasa did not answer in time ("timeout") or not at all ("unreachable", "bad_reply")."""

    def __init__(self, kind: str) -> None:
        super().__init__(kind)
        self.kind = kind


def clean_reply(text: object, buttons: object) -> Optional[dict]:
    """Only what the widget shows: text and buttons with a title and a payload, all strings."""
    reply: dict = {}
    if isinstance(text, str) and text:
        reply["text"] = text
    kept = [
        {"title": b["title"], "payload": b["payload"]}
        for b in (buttons if isinstance(buttons, list) else [])
        if isinstance(b, dict) and isinstance(b.get("title"), str) and isinstance(b.get("payload"), str)
    ]
    if kept:
        reply["buttons"] = kept
    return reply or None


def replies_after(events: Iterable[dict], message_id: str) -> Optional[List[dict]]:
    """The bot's replies to the user message with this id, or None when Rasa never received it."""
    replies: Optional[List[dict]] = None
    for event in events:
        if event.get("event") == "user":
            if replies is not None:
                break
            if (event.get("metadata") or {}).get("message_id") == message_id:
                replies = []
        elif event.get("event") == "bot" and replies is not None:
            reply = clean_reply(event.get("text"), (event.get("data") or {}).get("buttons"))
            if reply:
                replies.append(reply)
    return replies


class RasaRelay:
    def __init__(self, rasa_url: str, timeout: float, token: str) -> None:
        self.rasa_url = rasa_url.rstrip("/")
        self.timeout = timeout
        self.token = token  # Rasa's HTTP API token: signs the retry look-up's JWT

    def relay(self, conversation_id: str, message_id: str, text: str, retry: bool) -> List[dict]:
        if retry:
            earlier = self._earlier_replies(conversation_id, message_id)
            if earlier is not None:
                return earlier
        body = {"sender": conversation_id, "message": text, "metadata": {"message_id": message_id}}
        answer = self._call("post", "/webhooks/rest/webhook", conversation_id, json=body)
        if not isinstance(answer, list):
            raise RelayError("bad_reply")
        return [
            r
            for r in (clean_reply(a.get("text"), a.get("buttons")) for a in answer if isinstance(a, dict))
            if r
        ]

    def _earlier_replies(self, conversation_id: str, message_id: str) -> Optional[List[dict]]:
        path = f"/conversations/{quote(conversation_id, safe='')}/tracker/events?include_events=ALL"
        tracker = self._call(
            "post", path, conversation_id, json=[RETRY_CHECK], headers=self._api_auth(conversation_id)
        )
        events = tracker.get("events") if isinstance(tracker, dict) else None
        return replies_after(events or [], message_id)

    def tracker(self, conversation_id: str) -> dict:
        """The conversation's tracker as Rasa's HTTP API gives it (slots, events since the last restart),
        read for the printable summary (bot/web/widget/summary.py). A conversation Rasa does not hold
        (erased at session end) comes back without events: Rasa's read stores nothing for it."""
        path = f"/conversations/{quote(conversation_id, safe='')}/tracker?include_events=AFTER_RESTART"
        tracker = self._call("get", path, conversation_id, headers=self._api_auth(conversation_id))
        if not isinstance(tracker, dict):
            raise RelayError("bad_reply")
        return tracker

    def _api_auth(self, conversation_id: str) -> Dict[str, str]:
        claims = {
            "user": {"username": conversation_id, "role": "user"},
            "exp": int(time.time()) + API_JWT_SECONDS,
        }
        return {"Authorization": "Bearer " + jwt.encode(claims, self.token, algorithm="HS256")}

    def _call(
        self, method: str, path: str, conversation_id: str, headers: Optional[Dict[str, str]] = None, **kwargs
    ) -> object:
        try:
            response = requests.request(
                method,
                self.rasa_url + path,
                timeout=self.timeout,
                headers={CONVERSATION_HEADER: conversation_id, **(headers or {})},
                **kwargs,
            )
        except requests.Timeout:
            raise RelayError("timeout") from None
        except requests.RequestException:
            raise RelayError("unreachable") from None
        if response.status_code != 200:
            raise RelayError("bad_reply")
        try:
            return response.json()
        except ValueError:
            raise RelayError("bad_reply") from None
