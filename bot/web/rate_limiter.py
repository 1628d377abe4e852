"""The web app's one rate limiter (Flask-Limiter), shared by the widget API and the portal login.

Two Limiter instances on one app share flask.g: each reads the other's limits when it writes its
response headers, and with different strategies that reads a counter of the wrong kind. One
instance, one storage (`WEGWIJS_RATE_LIMIT_STORAGE`: Redis in production, so every worker counts
the same), and moving windows for every limit.
"""

from __future__ import annotations

from flask import Flask
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

limiter = Limiter(key_func=get_remote_address, headers_enabled=True, strategy="moving-window")


def init_limiter(app: Flask, storage: str) -> None:
    """Attaches the limiter once, whichever part of the app asks first."""
    if app.extensions.get("wegwijs_limiter"):
        return
    app.config["RATELIMIT_STORAGE_URI"] = storage
    limiter.init_app(app)
    app.extensions["wegwijs_limiter"] = True
