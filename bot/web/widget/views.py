"""Routes: the demo pages of the fictional municipality, and the JSON API the widget calls."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Dict

from flask import Blueprint, current_app, jsonify, render_template, request, url_for

from bot import catalogue
from bot.contract import DUTCH, LANGUAGES
from bot.conversation.language import text_direction
from bot.conversation.service_replies import service_message
from bot.conversation.text import MESSAGE_ID, within_limit_at_the_door
from bot.web.rate_limiter import limiter
from bot.web.widget import summary as take_along
from bot.web.widget.limits import (
    Busy,
    conversation_key,
    per_address,
    per_conversation,
    relay_slot,
    tokens,
    too_many,
)
from bot.web.widget.relay import RasaRelay, RelayError
from bot.web.widget.tokens import SUMMARY_LINK_SECONDS, ExpiredLink, ExpiredToken, SummaryLinks

# The widget's script, served with its texts from the catalogue put in where the script marks them.
SCRIPT_FILE = Path(__file__).resolve().parent / "static" / "wegwijs.js"
TEXTS_SLOT = "/*@texts*/ {} /*@end*/"
API_PATHS = ("/widget/api/conversations", "/widget/api/messages", "/widget/api/summary-link")
# The printable summary (bot/web/widget/summary.py), opened from the widget with a short-lived link.
SUMMARY_PATH = "/widget/summary"
# The widget waits this much longer than the edge waits for Rasa, so it hears the edge's own answer.
CLIENT_MARGIN_SECONDS = 5

# The demo pages and the widget run without inline script or style, so the policy can be strict.
PAGE_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'self'"
)
API_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'"
# The printable summary: the pages' policy, never in a frame, no forms.
SUMMARY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'none'; object-src 'none'; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'none'"
)
RELAY_STATUS = {"timeout": 504, "unreachable": 502, "bad_reply": 502}
# A larger body is not read to its end: the connection is closed instead.
DRAINED_AT_MOST = 1024 * 1024

blueprint = Blueprint(
    "widget", __name__, static_folder="static", static_url_path="/widget", template_folder="templates"
)
blueprint.register_error_handler(429, too_many)


def _settings():
    return current_app.config["WEGWIJS_SETTINGS"]


def _municipality():
    return current_app.config["WEGWIJS_CONTEXT"].municipality


def _error(code: str, status: int):
    return jsonify(error=code), status


def _conversation_in(body: dict):
    """The conversation of the body's token, or the answer refusing it."""
    try:
        conversation = tokens().read(body.get("token"))
    except ExpiredToken:
        return None, _error("expired", 401)  # the widget offers to start again (text key `expired`)
    if conversation is None:
        return None, _error("invalid_token", 403)
    return conversation, None


@blueprint.before_request
def refuse_other_origins():
    """CORS only stops a browser from reading the answer; an API call from a page elsewhere is refused outright."""
    origin = request.headers.get("Origin")
    if request.path not in API_PATHS or request.method == "OPTIONS" or origin is None:
        return None
    settings = _settings()
    own = {settings.public_url, request.host_url.rstrip("/")}
    if origin not in own and origin not in settings.widget_origins:
        return _error("origin_not_allowed", 403)
    return None


def widget_texts(language: str) -> Dict[str, str]:
    """What the script shows in one language: its own texts, the language's name, the picker's label and
    the language's direction."""
    return {
        **catalogue.entry("widget.script", language),
        "languageName": catalogue.text("language.name", language),
        "languagePicker": catalogue.text("language.picker", language),
        # not a text: the direction the language is written in (the contract's, so the script keeps no list)
        "direction": text_direction(language),
    }


@lru_cache(maxsize=1)
def _script() -> str:
    """The shipped script with every language's texts (both are files of the package: read once)."""
    source = SCRIPT_FILE.read_text(encoding="utf-8")
    if TEXTS_SLOT not in source:
        raise RuntimeError(f"{SCRIPT_FILE} has no {TEXTS_SLOT} for its texts")
    texts = json.dumps({language: widget_texts(language) for language in LANGUAGES}, ensure_ascii=False)
    return source.replace(TEXTS_SLOT, texts, 1)


@blueprint.get("/widget/wegwijs.js")
def script():
    return current_app.response_class(_script(), mimetype="text/javascript")


@blueprint.get("/")
def home():
    return render_template("widget/home.html", town=_municipality())


@blueprint.get("/contact")
def contact():
    return render_template("widget/contact.html", town=_municipality())


@blueprint.get("/privacy")
def privacy():
    """What is kept, where, how long and why: from the settings retention runs with."""
    from bot.privacy.notice import page

    settings, town = _settings(), _municipality()
    return render_template("widget/privacy.html", town=town, notice=page(settings, town))


@blueprint.post(API_PATHS[0])
@limiter.shared_limit(per_address, scope="widget-address")
def start_conversation():
    settings = _settings()
    return jsonify(
        token=tokens().issue(),
        max_length=settings.widget_max_length,
        timeout_ms=int((settings.widget_relay_timeout + CLIENT_MARGIN_SECONDS) * 1000),
    )


@blueprint.post(API_PATHS[1])
@limiter.shared_limit(per_address, scope="widget-address")
@limiter.limit(per_conversation, key_func=conversation_key)
def send_message():
    settings = _settings()
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        return _error("invalid_message", 400)
    conversation, refused = _conversation_in(body)
    if refused:
        return refused
    text, message_id = body.get("text"), body.get("message_id")
    if (
        not isinstance(text, str)
        or not text.strip()
        or not isinstance(message_id, str)
        or not MESSAGE_ID.match(message_id)
    ):
        return _error("invalid_message", 400)
    text = within_limit_at_the_door(text, settings.widget_max_length)
    if text is None:
        return _error("too_long", 413)
    relay = RasaRelay(settings.rasa_url, settings.widget_relay_timeout, settings.rasa_token)
    try:
        with relay_slot():
            replies = relay.relay(conversation.id, message_id, text, retry=body.get("retry") is True)
    except Busy:
        return _error("busy", 503)
    except RelayError as error:
        current_app.logger.warning("widget relay failed: %s", error.kind)  # never the message itself
        return _error(error.kind, RELAY_STATUS[error.kind])
    # Never silence: a turn that showed nothing still tells the resident what to do. A new token,
    # "used now": the conversation's idle time starts again.
    answer = {
        "replies": replies or [{"text": service_message("no_reply")}],
        "token": tokens().issue(conversation),
    }
    # The intake summary was shown: a link to print it (no personal data in it, see summary_link()).
    language = take_along.summary_language(replies)
    if language is not None:
        answer.update(_summary_link(conversation.id, language))
    return jsonify(answer)


def summary_links() -> SummaryLinks:
    return SummaryLinks(_settings().secret_key)


def _summary_link(conversation_id: str, language: str) -> Dict[str, object]:
    """A path on this server (the widget puts its server in front) and how long it works."""
    token = summary_links().issue(conversation_id, language)
    return {
        "summary_url": url_for("widget.summary_page", t=token),
        "summary_expires_in": SUMMARY_LINK_SECONDS,
    }


@blueprint.post(API_PATHS[2])
@limiter.shared_limit(per_address, scope="widget-address")
@limiter.limit(per_conversation, key_func=conversation_key)
def summary_link():
    """A fresh link to the printable summary, for the conversation token in the body: the widget asks
    when the link it was given has expired. The link holds the conversation's random id, its language and
    the time; the page itself checks that the conversation still holds a summary."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        return _error("invalid_message", 400)
    conversation, refused = _conversation_in(body)
    if refused:
        return refused
    language = body.get("language")
    return jsonify(_summary_link(conversation.id, language if language in LANGUAGES else DUTCH))


def _summary_notice(reason: str, language: str, status: int):
    columns = take_along.notice_columns(reason, language)
    return render_template("widget/summary.html", columns=columns, first=columns[0], notice=True), status


@blueprint.get(SUMMARY_PATH)
@limiter.shared_limit(per_address, scope="widget-address")
def summary_page():
    """The resident's intake summary to print, in their language and in Dutch; read from Rasa each time,
    so an erased conversation (or an ended session) shows nothing, only that it is gone."""
    settings = _settings()
    try:
        link = summary_links().read(request.args.get("t"))
    except ExpiredLink as expired:
        return _summary_notice(
            take_along.EXPIRED, expired.language if expired.language in LANGUAGES else DUTCH, 404
        )
    if link is None:
        return _summary_notice(take_along.EXPIRED, DUTCH, 404)
    language = link.language if link.language in LANGUAGES else DUTCH
    relay = RasaRelay(settings.rasa_url, settings.widget_relay_timeout, settings.rasa_token)
    try:
        with relay_slot():
            tracker = relay.tracker(link.conversation_id)
    except Busy:
        return _summary_notice(take_along.UNREACHABLE, language, 503)
    except RelayError as error:
        current_app.logger.warning("widget summary: tracker read failed: %s", error.kind)
        return _summary_notice(take_along.UNREACHABLE, language, RELAY_STATUS[error.kind])
    found = take_along.take_along(tracker, settings.retention.session_minutes)
    if found is None:
        return _summary_notice(take_along.GONE, language, 404)
    columns = take_along.columns(found, _municipality().name)
    return render_template("widget/summary.html", columns=columns, first=columns[0], notice=False)


@blueprint.errorhandler(413)
def body_too_large(_exception):
    """A body over the web server's limit: the same answer as a message over the length limit. The
    unread rest of the body is read first: left on a kept-alive connection, it made gunicorn close
    that connection under the browser's next message (measured: 11 of 20 next requests failed)."""
    request.environ["wsgi.input"].read(min(request.content_length or 0, DRAINED_AT_MOST))
    return _error("too_long", 413)


@blueprint.after_request
def security_headers(response):
    response.headers["X-Content-Type-Options"] = "nosniff"
    if request.endpoint in ("widget.static", "widget.script"):
        return response
    if request.endpoint == "widget.summary_page":
        # A resident's own words: never cached, never indexed, and the link (in the address) never
        # passed on as a referrer.
        response.headers["Content-Security-Policy"] = SUMMARY_POLICY
        response.headers["Cache-Control"] = "no-store"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Robots-Tag"] = "noindex, nofollow"
        return response
    api = request.path in API_PATHS
    response.headers["Content-Security-Policy"] = API_POLICY if api else PAGE_POLICY
    response.headers["Referrer-Policy"] = "same-origin"
    if api:
        response.headers["Cache-Control"] = "no-store"
    return response
