"""Logging in (password, then the second factor) and out, the current account, and role checks.

Sessions are records on the server (`bot.access.sessions`); the signed cookie only carries their
token, so logging out, blocking an account, 30 minutes idle or 8 hours in all end a session for
every copy of the cookie. Failed attempts are counted per account and per address, in Redis in
production (Flask-Limiter, `WEGWIJS_RATE_LIMIT_STORAGE`), so every worker sees the same count.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta, timezone
from functools import wraps
from typing import Callable, Optional
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Flask,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_limiter.util import get_remote_address
from flask_login import LoginManager, current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm
from markupsafe import Markup
from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import DataRequired

from bot import catalogue
from bot.access import accounts, audit, second_factor, sessions
from bot.access.permissions import Permission, can
from bot.web.portal.labels import MESSAGES, explain
from bot.web.rate_limiter import init_limiter, limiter

blueprint = Blueprint("auth", __name__, url_prefix="/portaal")
login_manager = LoginManager()
# Failed attempts only (a correct login costs nothing). Per account: a guesser is stopped whatever
# address they use; per address: one address cannot try many accounts. The account limit is lower,
# so one locked account leaves the others, at the same office address, able to log in.
ACCOUNT_LIMIT = "5 per 15 minutes"
ADDRESS_LIMIT = "20 per minute;100 per hour"
PENDING = "pending_session"


class PortalUser:
    """Flask-Login's view of an open session; read fresh on every request, so blocking is immediate."""

    def __init__(self, account: accounts.Account, token: str) -> None:
        self.account = account
        self.token = token
        self.is_authenticated = True
        self.is_active = account.active
        self.is_anonymous = False

    def get_id(self) -> str:
        return self.token


def init_app(app: Flask, settings) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = MESSAGES["login_needed"]
    login_manager.session_protection = "strong"
    app.config.setdefault("WEGWIJS_CLOCK", lambda: datetime.now(timezone.utc))
    app.config["WEGWIJS_SESSION_LIMITS"] = sessions.Limits(
        idle=timedelta(minutes=settings.portal_idle_minutes),
        lifetime=timedelta(hours=settings.portal_session_hours),
    )
    # The signed cookie is never accepted longer than a session may last (Flask's default: 31 days).
    app.config["PERMANENT_SESSION_LIFETIME"] = timedelta(hours=settings.portal_session_hours)
    # Per process by default; set WEGWIJS_RATE_LIMIT_STORAGE (redis://...) to share the count.
    init_limiter(app, settings.rate_limit_storage)


def now() -> datetime:
    """The time of day, from the app so tests can move it (idle timeout, codes) without sleeping."""
    return current_app.config["WEGWIJS_CLOCK"]()


def _limits() -> sessions.Limits:
    return current_app.config["WEGWIJS_SESSION_LIMITS"]


def _db():
    return current_app.extensions["wegwijs_db"]


@login_manager.user_loader
def _load(token: str):
    found = sessions.find(_db(), token, now(), _limits())
    if found is None or not found.complete:
        return None
    account = accounts.get_account(_db(), found.account_id)
    return PortalUser(account, token) if account and account.active else None


def current_account() -> accounts.Account:
    return current_user.account


def permission_required(permission: Permission) -> Callable:
    """Only logged-in accounts whose role has this permission (bot.access.permissions); others get 403
    (or the login page)."""

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        @login_required
        def guarded(*args, **kwargs):
            if not can(current_account(), permission):
                abort(403)
            return view(*args, **kwargs)

        return guarded

    return decorate


class LoginForm(FlaskForm):
    email = EmailField(catalogue.text("portal.fields.email"), validators=[DataRequired()])
    password = PasswordField(catalogue.text("portal.fields.password"), validators=[DataRequired()])


class CodeForm(FlaskForm):
    code = StringField(catalogue.text("portal.fields.code"), validators=[DataRequired()])


def _safe_next(target: str) -> str:
    """Only a path on this site: an open redirect would help phishing."""
    parts = urlsplit(target or "")
    return target if target.startswith("/") and not target.startswith("//") and not parts.netloc else ""


def _refused(response) -> bool:
    return response.status_code == 401


def _typed_account() -> str:
    """The account a login form names, hashed: the limiter's store needs no e-mail addresses."""
    return (
        "account:" + hashlib.sha256(request.form.get("email", "").strip().lower().encode()).hexdigest()[:32]
    )


def _pending() -> Optional[sessions.PortalSession]:
    found = sessions.find(_db(), session.get(PENDING), now(), _limits())
    return found if found is not None and not found.complete else None


def _pending_account() -> str:
    found = _pending()
    return f"account-id:{found.account_id}" if found else get_remote_address()


@blueprint.errorhandler(429)
def too_many(_):
    """A Dutch page for the limits, with the login form to try again later."""
    flash(MESSAGES["too_many"], "error")
    return render_template("portal/login.html", form=LoginForm()), 429


@blueprint.route("/inloggen", methods=["GET", "POST"])
@limiter.limit(ADDRESS_LIMIT, methods=["POST"], deduct_when=_refused)
@limiter.limit(ACCOUNT_LIMIT, key_func=_typed_account, methods=["POST"], deduct_when=_refused)
def login():
    form = LoginForm()
    if form.validate_on_submit():
        account = accounts.authenticate(_db(), form.email.data, form.password.data)
        if account is not None:
            # A new session for every login: whatever token the browser had before is never reused.
            session.clear()
            session[PENDING] = sessions.start(_db(), account.id, now(), _limits())
            session["next"] = _safe_next(request.args.get("next", ""))
            enrolled = second_factor.is_enrolled(_db(), account.id)
            return redirect(url_for("auth.second_step" if enrolled else "auth.enrol"))
        flash(MESSAGES["login_failed"], "error")
    return render_template("portal/login.html", form=form), 200 if request.method == "GET" else 401


def _open_session(pending: sessions.PortalSession, account: accounts.Account, how: str):
    sessions.complete(_db(), pending.token, now())
    session.pop(PENDING, None)
    login_user(PortalUser(account, pending.token))
    audit.write(_db(), "login", account, detail=how)
    return session.pop("next", "") or _home(account)


def _half_done_login():
    """The session that has the password but not yet the second factor, and its account; else None."""
    pending = _pending()
    if pending is None:
        flash(MESSAGES["second_step_expired"], "error")
        return None
    return pending, accounts.get_account(_db(), pending.account_id)


@blueprint.route("/tweede-stap", methods=["GET", "POST"])
@limiter.limit(ACCOUNT_LIMIT, key_func=_pending_account, methods=["POST"], deduct_when=_refused)
def second_step():
    if not (login := _half_done_login()):
        return redirect(url_for("auth.login"))
    pending, account = login
    form = CodeForm()
    if form.validate_on_submit():
        how = second_factor.verify(_db(), account, form.code.data, now(), current_app.secret_key)
        if how:
            return redirect(_open_session(pending, account, how))
        audit.write(_db(), "login_failed", subject=account, detail="second_factor")
        flash(MESSAGES["code_wrong"], "error")
    return render_template("portal/second_step.html", form=form), 200 if request.method == "GET" else 401


@blueprint.route("/tweede-stap/instellen", methods=["GET", "POST"])
@limiter.limit(ACCOUNT_LIMIT, key_func=_pending_account, methods=["POST"], deduct_when=_refused)
def enrol():
    if not (login := _half_done_login()):
        return redirect(url_for("auth.login"))
    pending, account = login
    if second_factor.is_enrolled(_db(), account.id):
        return redirect(url_for("auth.second_step"))
    secret = second_factor.secret_for_enrolment(_db(), account, current_app.secret_key)
    form = CodeForm()
    if form.validate_on_submit():
        try:
            codes = second_factor.confirm(_db(), account, form.code.data, now(), current_app.secret_key)
        except second_factor.SecondFactorError as error:
            flash(explain(error), "error")
        else:
            return render_template(
                "portal/recovery_codes.html", codes=codes, next=_open_session(pending, account, "enrolled")
            )
    return render_template(
        "portal/enrol.html",
        form=form,
        qr=Markup(second_factor.qr_svg(secret, account)),
        secret=" ".join(secret[n : n + 4] for n in range(0, len(secret), 4)),
    ), 200 if request.method == "GET" else 401


def _home(account: accounts.Account) -> str:
    if can(account, Permission.MANAGE_ACCOUNTS):
        return url_for("admin.account_list")
    if can(account, Permission.VIEW_CASES):
        return url_for("cases.inbox")
    if can(account, Permission.VIEW_STATISTICS):
        return url_for("dashboard.index")
    return url_for("auth.own_account")


@blueprint.route("/account")
@login_required
def own_account():
    return render_template("portal/account.html", account=current_account())


@blueprint.route("/uitloggen", methods=["POST"])
@login_required
def logout():
    sessions.end(_db(), current_user.token, now())
    audit.write(_db(), "logout", current_account())
    logout_user()
    session.clear()
    flash(MESSAGES["logged_out"], "info")
    return redirect(url_for("auth.login"))
