"""What keeps the widget API usable under attack: rate limits, and a bounded share of the web threads.

Rate limits (Flask-Limiter) count per client address, for both API routes together, and per
conversation, for messages. The address is the real one: bot/web sets it from X-Forwarded-For as far
as the trusted proxies reach (WEGWIJS_TRUSTED_PROXIES). Counts live in WEGWIJS_RATE_LIMIT_STORAGE:
per process with memory://, shared by every web worker with Redis (production).

Relay slots: a message holds a web thread for as long as Rasa takes (up to the relay timeout). The
portal is served by the same gunicorn threads, so without a bound a few slow or hung Rasa calls would
take every thread and the portal would stop answering. Each web process lets at most
WEGWIJS_WIDGET_RELAY_SLOTS messages wait for Rasa at once (fewer than its threads); another message
is refused at once with "busy", and the remaining threads always serve the portal and the pages.
Chosen over a second gunicorn for the API: it works the same in both profiles (the embedded one has
no proxy to route /widget/api elsewhere) and needs no second pool of processes.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager
from typing import Iterator

from flask import Flask, current_app, jsonify, request
from flask_limiter.util import get_remote_address

from bot.web.rate_limiter import init_limiter
from bot.web.widget.tokens import ConversationTokens, ExpiredToken

# A moving window: a fixed one lets a burst at the turn of the minute through twice.


class Busy(Exception):
    """Every relay slot of this web process is waiting for Rasa."""


def _settings():
    return current_app.config["WEGWIJS_SETTINGS"]


def per_address() -> str:
    return _settings().widget_limit_address


def per_conversation() -> str:
    return _settings().widget_limit_conversation


def conversation_key() -> str:
    """The conversation of the token in the body; a request without a valid one counts by its address."""
    body = request.get_json(silent=True)
    try:
        conversation = tokens().read(body.get("token") if isinstance(body, dict) else None)
    except ExpiredToken:
        conversation = None
    return conversation.id if conversation else f"address:{get_remote_address()}"


def tokens() -> ConversationTokens:
    settings = _settings()
    return ConversationTokens(
        settings.secret_key,
        idle_seconds=settings.widget_idle_minutes * 60,
        max_seconds=settings.widget_max_hours * 3600,
    )


@contextmanager
def relay_slot() -> Iterator[None]:
    slots: threading.BoundedSemaphore = current_app.extensions["wegwijs_relay_slots"]
    if not slots.acquire(blocking=False):
        raise Busy()
    try:
        yield
    finally:
        slots.release()


def init_app(app: Flask, settings) -> None:
    init_limiter(app, settings.rate_limit_storage)
    app.extensions["wegwijs_relay_slots"] = threading.BoundedSemaphore(settings.widget_relay_slots)


def too_many(_error):
    """A limit was reached: the widget says so in its own words (text key `tooMany`)."""
    return jsonify(error="rate_limited"), 429
