"""The web server: one Flask application for everything a browser opens.

Each part is a blueprint in its own package (the supporter portal; more parts register here).
Rasa's own HTTP API is not part of it: it stays on localhost, behind this edge. Every template reads
its texts from the text catalogue (bot/catalogue) through the Jinja globals `text` and `entry`.
"""

from __future__ import annotations

from typing import Optional

from flask import Flask
from markupsafe import Markup
from werkzeug.middleware.proxy_fix import ProxyFix

from bot import catalogue
from bot.app_context import AppContext
from bot.settings import Settings
from bot.web import dashboard, portal
from bot.web.widget import register as register_widget


def _page_text(key: str, **values) -> Markup:
    """A catalogue text in a template: the text is ours and may hold an entity (&middot;); the values
    filled into it (names, addresses, e-mail addresses) are escaped."""
    return Markup(catalogue.text(key)).format(**values)


def create_app(settings: Optional[Settings] = None, context: Optional[AppContext] = None) -> Flask:
    """gunicorn calls `create_app()`: the worker's context is built here, from the environment and `.env`."""
    context = context or (AppContext(settings) if settings is not None else AppContext.from_environment())
    settings = context.settings
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=settings.secret_key,
        WEGWIJS_CONTEXT=context,
        WEGWIJS_SETTINGS=settings,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        # Secure cookies wherever the site is served over HTTPS (always, outside a developer's machine).
        SESSION_COOKIE_SECURE=settings.public_url.startswith("https://"),
        MAX_CONTENT_LENGTH=64 * 1024,
    )
    if settings.trusted_proxies:
        # request.remote_addr becomes the client's address as the trusted proxies saw it (rate limits
        # of the widget and the portal login); entries a client wrote itself are never believed.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=settings.trusted_proxies)  # type: ignore[method-assign]
    # Templates read the same text catalogue as the code: {{ text("portal.pages.inbox.aanmeldingen") }}.
    app.jinja_env.globals.update(text=_page_text, entry=catalogue.entry)
    app.add_url_rule("/health", "health", lambda: {"status": "ok"})
    portal.init_app(app)
    register_widget(app)  # the chat widget, its demo page at / and the relay to Rasa
    app.register_blueprint(dashboard.blueprint)
    return app
