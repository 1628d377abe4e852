"""Passwords: the owner sets one through their one-time link, and changes it when logged in."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import PasswordField
from wtforms.validators import DataRequired, EqualTo

from bot import catalogue
from bot.access import accounts
from bot.web.portal.auth import ADDRESS_LIMIT, current_account, limiter, too_many
from bot.web.portal.labels import MESSAGES, explain

blueprint = Blueprint("passwords", __name__, url_prefix="/portaal")
blueprint.register_error_handler(429, too_many)


class NewPasswordForm(FlaskForm):
    new = PasswordField(catalogue.text("portal.fields.new_password"), validators=[DataRequired()])
    repeat = PasswordField(
        catalogue.text("portal.fields.new_password_again"),
        validators=[DataRequired(), EqualTo("new", message=MESSAGES["password_different"])],
    )


class ChangePasswordForm(NewPasswordForm):
    current = PasswordField(catalogue.text("portal.fields.current_password"), validators=[DataRequired()])


def _db():
    return current_app.extensions["wegwijs_db"]


def _secret() -> str:
    return current_app.config["SECRET_KEY"]


@blueprint.route("/wachtwoord-instellen/<token>", methods=["GET", "POST"])
@limiter.limit(ADDRESS_LIMIT, methods=["POST"])
def set_password(token: str):
    account = accounts.account_for_link(_db(), token, _secret())
    form = NewPasswordForm()
    if account is not None and form.validate_on_submit():
        try:
            accounts.set_password_from_link(_db(), token, _secret(), form.new.data)
        except accounts.AccountError as error:
            flash(explain(error), "error")
        else:
            flash(MESSAGES["password_set"], "info")
            return redirect(url_for("auth.login"))
    status = 200 if account is not None else 404
    return render_template("portal/password_set.html", account=account, form=form), status


@blueprint.route("/wachtwoord", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            accounts.change_password(
                _db(), current_account(), form.current.data, form.new.data, current_user.token
            )
        except accounts.AccountError as error:
            flash(explain(error), "error")
        else:
            flash(MESSAGES["password_changed"], "info")
            return redirect(url_for("auth.own_account"))
    return render_template("portal/password_change.html", form=form), 200 if request.method == "GET" else 400
