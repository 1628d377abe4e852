"""Conversation ids for the widget: issued by the edge, carried by the browser as a signed token.

The id is random and unguessable, and the signature means a page cannot pick an id of its own, so
it cannot write into someone else's conversation. Nothing is stored: the token is the proof.
"""
from __future__ import annotations

import secrets
from typing import Optional

from itsdangerous import BadSignature, URLSafeSerializer

# Keeps these signatures apart from every other use of the secret key (sessions, CSRF).
SALT = "wegwijs-widget-conversation"
PREFIX = "web-"


class ConversationTokens:
    def __init__(self, secret_key: str) -> None:
        self._serializer = URLSafeSerializer(secret_key, salt=SALT)

    def issue(self) -> str:
        return self._serializer.dumps(PREFIX + secrets.token_urlsafe(18))

    def conversation_id(self, token: object) -> Optional[str]:
        """The id inside a token this edge signed, or None for anything else."""
        if not isinstance(token, str) or len(token) > 200:
            return None
        try:
            value = self._serializer.loads(token)
        except BadSignature:
            return None
        return value if isinstance(value, str) and value.startswith(PREFIX) else None
