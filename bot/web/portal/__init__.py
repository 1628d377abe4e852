"""The supporter portal: plain server-side pages (no JavaScript needed) under /portaal.

Blueprints: `auth` (log in with a second factor, log out), `passwords` (one-time link, change),
`cases` (inbox, handoff, print, audit log), `admin` (accounts, organisations, account audit log).
The logic lives in `bot.access.accounts`, `bot.access.second_factor`, `bot.access.sessions`, `bot.access.audit` and
`bot.handoff.casework`; this package is the web edge.
"""

from __future__ import annotations

from flask import Blueprint, Flask, current_app, redirect, url_for
from flask_wtf.csrf import CSRFProtect
from zoneinfo import ZoneInfo

from bot.access.permissions import Permission, can
from bot.handoff.notifications import URGENCY_TEXT, urgency_of
from bot.storage.database import Database
from bot.web.portal import admin, auth, cases, passwords
from bot.web.portal.labels import LABELS

csrf = CSRFProtect()
assets = Blueprint(
    "portal_assets",
    __name__,
    static_folder="static",
    static_url_path="/portaal/static",
    template_folder="templates",
)
# The database keeps UTC; supporters read the time of day where they and the residents live.
LOCAL_TIME = ZoneInfo("Europe/Amsterdam")


def database() -> Database:
    return current_app.extensions["wegwijs_db"]


def init_app(app: Flask) -> None:
    settings = app.config["WEGWIJS_SETTINGS"]
    db = app.config["WEGWIJS_CONTEXT"].handoff_store  # migrated when the context opens it
    app.extensions["wegwijs_db"] = db
    csrf.init_app(app)
    auth.init_app(app, settings)
    for blueprint in (assets, auth.blueprint, passwords.blueprint, cases.blueprint, admin.blueprint):
        app.register_blueprint(blueprint)
    app.jinja_env.globals["labels"] = LABELS
    app.jinja_env.globals["can"] = can
    app.jinja_env.globals["Permission"] = Permission
    app.jinja_env.filters["local_time"] = lambda moment: (
        moment.astimezone(LOCAL_TIME).strftime("%d-%m-%Y %H:%M") if moment else "—"
    )
    app.jinja_env.filters["urgency"] = _urgency
    app.add_url_rule("/portaal/", "portal_home", lambda: redirect(url_for("cases.inbox")))
    app.after_request(_security_headers)


def _urgency(stored) -> str:
    category = urgency_of(stored)
    return stored if category == "described" else URGENCY_TEXT[category]


def _security_headers(response):
    """Portal pages hold personal data: never cached, never framed, no third-party anything."""
    if response.mimetype == "text/html":
        response.headers.setdefault(
            "Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'; form-action 'self'"
        )
        response.headers.setdefault("Cache-Control", "no-store")
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    response.headers.setdefault("X-Frame-Options", "DENY")
    return response
