"""Logging in and out, the current account, and role checks."""
from __future__ import annotations

from functools import wraps
from typing import Callable
from urllib.parse import urlsplit

from flask import Blueprint, Flask, abort, flash, redirect, render_template, request, url_for
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager, current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired

from bot import accounts

blueprint = Blueprint("auth", __name__, url_prefix="/portaal")
login_manager = LoginManager()
limiter = Limiter(key_func=get_remote_address)
LOGIN_LIMIT = "10 per minute;30 per hour"


class PortalUser:
    """Flask-Login's view of an account; read fresh on every request, so deactivation is immediate."""

    def __init__(self, account: accounts.Account) -> None:
        self.account = account
        self.is_authenticated = True
        self.is_active = account.active
        self.is_anonymous = False

    def get_id(self) -> str:
        return str(self.account.id)


def init_app(app: Flask, settings) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Log in om deze pagina te zien."
    login_manager.session_protection = "strong"
    # Per process by default; set WEGWIJS_RATE_LIMIT_STORAGE (redis://...) to share the count.
    app.config["RATELIMIT_STORAGE_URI"] = settings.rate_limit_storage
    limiter.init_app(app)


@login_manager.user_loader
def _load(account_id: str):
    from bot.portal import database

    account = accounts.get_account(database(), int(account_id))
    return PortalUser(account) if account and account.active else None


def current_account() -> accounts.Account:
    return current_user.account


def role_required(*roles: str) -> Callable:
    """Only logged-in accounts with one of these roles; others get 403 (or the login page)."""
    def decorate(view: Callable) -> Callable:
        @wraps(view)
        @login_required
        def guarded(*args, **kwargs):
            if current_account().role not in roles:
                abort(403)
            return view(*args, **kwargs)
        return guarded
    return decorate


class LoginForm(FlaskForm):
    email = EmailField("E-mailadres", validators=[DataRequired()])
    password = PasswordField("Wachtwoord", validators=[DataRequired()])


def _safe_next(target: str) -> str:
    """Only a path on this site: an open redirect would help phishing."""
    parts = urlsplit(target or "")
    return target if target.startswith("/") and not target.startswith("//") and not parts.netloc else ""


@blueprint.route("/inloggen", methods=["GET", "POST"])
@limiter.limit(LOGIN_LIMIT, methods=["POST"])
def login():
    from bot.portal import database

    form = LoginForm()
    if form.validate_on_submit():
        account = accounts.authenticate(database(), form.email.data, form.password.data)
        if account is not None:
            login_user(PortalUser(account))
            return redirect(_safe_next(request.args.get("next", "")) or _home(account))
        flash("Dit e-mailadres en wachtwoord horen niet bij elkaar. Probeer het opnieuw.", "error")
    return render_template("portal/login.html", form=form), 200 if request.method == "GET" else 401


def _home(account: accounts.Account) -> str:
    if account.role == "administrator":
        return url_for("admin.account_list")
    if account.role in ("supporter", "coordinator"):
        return url_for("cases.inbox")
    if account.role == "staff":
        return url_for("dashboard.index")
    return url_for("auth.own_account")


@blueprint.route("/account")
@login_required
def own_account():
    return render_template("portal/account.html", account=current_account())


@blueprint.route("/uitloggen", methods=["POST"])
@login_required
def logout():
    logout_user()
    flash("U bent uitgelogd.", "info")
    return redirect(url_for("auth.login"))
