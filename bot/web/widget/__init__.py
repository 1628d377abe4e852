"""The municipal website channel: the embeddable chat widget, its demo page and the chat relay.

The browser talks only to this edge (JSON over HTTPS); the edge talks to Rasa's REST channel.
"""

from __future__ import annotations

from flask import Flask
from flask_cors import CORS

from bot.web.widget import limits
from bot.web.widget.views import API_PATHS, blueprint


def register(app: Flask) -> None:
    settings = app.config["WEGWIJS_SETTINGS"]
    limits.init_app(app, settings)
    app.register_blueprint(blueprint)
    # Only the JSON API is called from other origins; the script itself loads with a plain <script> tag.
    CORS(
        app,
        resources={path: {"origins": list(settings.widget_origins)} for path in API_PATHS},
        methods=["POST"],
        allow_headers=["Content-Type"],
        max_age=600,
    )
    # The API is authorised by the signed conversation token in the JSON body, never by a cookie,
    # so a forged cross-site request has nothing to ride on: no CSRF token needed.
    csrf = app.extensions.get("csrf")
    if csrf is not None:
        csrf.exempt(blueprint)
