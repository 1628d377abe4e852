"""Conversation ids for the widget: issued by the edge, carried by the browser as a signed token.

The id is random and unguessable, and the signature means a page cannot pick an id of its own, so
it cannot write into someone else's conversation. Nothing is stored: the token is the proof.

A token also says when its conversation began and when it was last used; every answer carries a new
token with "last used" set to now. A token not used for the idle time, or older than the longest
conversation, is expired: a token copied from a shared computer stops working, and the widget tells
the resident to start again.
"""

from __future__ import annotations

import secrets
import time
from typing import NamedTuple, Optional

from itsdangerous import BadSignature, URLSafeSerializer

# Keeps these signatures apart from every other use of the secret key (sessions, CSRF).
SALT = "wegwijs-widget-conversation-v2"
PREFIX = "web-"


class Conversation(NamedTuple):
    id: str
    started: float  # seconds since the epoch


class ExpiredToken(Exception):
    """A token this edge signed, for a conversation that has ended (idle too long or too old)."""


class ConversationTokens:
    def __init__(self, secret_key: str, idle_seconds: float = 3600, max_seconds: float = 8 * 3600) -> None:
        self._serializer = URLSafeSerializer(secret_key, salt=SALT)
        self.idle_seconds = idle_seconds
        self.max_seconds = max_seconds

    def issue(self, conversation: Optional[Conversation] = None, now: Optional[float] = None) -> str:
        """A token for a new conversation, or a fresh one ("used now") for a running conversation."""
        now = time.time() if now is None else now
        conversation = conversation or Conversation(PREFIX + secrets.token_urlsafe(18), now)
        return self._serializer.dumps([conversation.id, int(conversation.started), int(now)])

    def read(self, token: object) -> Optional[Conversation]:
        """The conversation of a token this edge signed; None for anything else; ExpiredToken when it ended."""
        if not isinstance(token, str) or len(token) > 200:
            return None
        try:
            value = self._serializer.loads(token)
        except BadSignature:
            return None
        if not (
            isinstance(value, list)
            and len(value) == 3
            and isinstance(value[0], str)
            and value[0].startswith(PREFIX)
            and all(isinstance(t, int) for t in value[1:])
        ):
            return None
        conversation_id, started, used = value
        now = time.time()
        if now - used > self.idle_seconds or now - started > self.max_seconds:
            raise ExpiredToken()
        return Conversation(conversation_id, started)

    def conversation_id(self, token: object) -> Optional[str]:
        """The id inside a token this edge signed that has not expired, or None."""
        try:
            conversation = self.read(token)
        except ExpiredToken:
            return None
        return conversation.id if conversation else None


# --- Links to the printable summary (bot/web/widget/summary.py) ---------------------------------------
# A link is a URL: it can end up in the browser's history, a proxy's log or a printout's footer. So it
# is signed apart from the conversation token (a link can never be used to write into the conversation,
# nor a conversation token as a link), it holds only the conversation's random id, its language (for
# the page that says a link expired) and when it was made, and it works for a quarter of an hour.
SUMMARY_SALT = "wegwijs-widget-summary-link-v1"
SUMMARY_LINK_SECONDS = 15 * 60
# Web servers' clocks may differ a little: a link made "in the future" by this much is still good.
CLOCK_SKEW_SECONDS = 60


class SummaryLink(NamedTuple):
    conversation_id: str
    language: str


class ExpiredLink(Exception):
    """A link this edge signed, made longer ago than its lifetime."""

    def __init__(self, language: str) -> None:
        super().__init__(language)
        self.language = language


class SummaryLinks:
    def __init__(self, secret_key: str, seconds: float = SUMMARY_LINK_SECONDS) -> None:
        self._serializer = URLSafeSerializer(secret_key, salt=SUMMARY_SALT)
        self.seconds = seconds

    def issue(self, conversation_id: str, language: str, now: Optional[float] = None) -> str:
        now = time.time() if now is None else now
        return self._serializer.dumps([conversation_id, language, int(now)])

    def read(self, token: object, now: Optional[float] = None) -> Optional[SummaryLink]:
        """The link's conversation and language; None for anything this edge did not sign; ExpiredLink
        when it is too old (or dated further in the future than clocks differ)."""
        if not isinstance(token, str) or len(token) > 300:
            return None
        try:
            value = self._serializer.loads(token)
        except BadSignature:
            return None
        if not (
            isinstance(value, list)
            and len(value) == 3
            and isinstance(value[0], str)
            and value[0].startswith(PREFIX)
            and isinstance(value[1], str)
            and isinstance(value[2], int)
        ):
            return None
        conversation_id, language, made = value
        now = time.time() if now is None else now
        if not -CLOCK_SKEW_SECONDS <= now - made <= self.seconds:
            raise ExpiredLink(language)
        return SummaryLink(conversation_id, language)
