"""The administrator's pages: accounts and organisations (with their notification status).

Administrators manage people and settings; they never see handoff content.
"""

from __future__ import annotations

from typing import Optional

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_wtf import FlaskForm
from wtforms import EmailField, SelectField, StringField
from wtforms.validators import DataRequired, Email, Length

from bot import catalogue
from bot.access import accounts, audit, second_factor
from bot.access.permissions import Permission, can
from bot.contract import ROLES
from bot.handoff import notifications
from bot.web.portal.auth import current_account, permission_required
from bot.web.portal.labels import LABELS, MESSAGES

blueprint = Blueprint("admin", __name__, url_prefix="/portaal/beheer")


class AccountForm(FlaskForm):
    email = EmailField(
        catalogue.text("portal.fields.email"),
        validators=[
            DataRequired(),
            Email(message=catalogue.text("portal.accounts.email_invalid"), check_deliverability=False),
        ],
    )
    name = StringField(catalogue.text("portal.fields.name"), validators=[DataRequired(), Length(max=255)])
    role = SelectField(catalogue.text("portal.fields.role"), choices=[(r, LABELS["role"][r]) for r in ROLES])
    organisation = SelectField(catalogue.text("portal.fields.organisation"), choices=[])


def _db():
    return current_app.extensions["wegwijs_db"]


def _municipality():
    return current_app.config["WEGWIJS_CONTEXT"].municipality


def _account_form() -> AccountForm:
    form = AccountForm()
    form.organisation.choices = [("", "geen")] + [(o.id, o.name) for o in _municipality().social_map]
    return form


def _one_time_link(account: accounts.Account, fresh: bool) -> str:
    settings = current_app.config["WEGWIJS_SETTINGS"]
    if fresh:
        return accounts.new_password_link(
            _db(), account, settings.secret_key, settings.public_url, current_account()
        )
    return accounts.password_link(_db(), account, settings.secret_key, settings.public_url)


def _accounts_page(
    form: AccountForm, link: Optional[str] = None, link_for: Optional[accounts.Account] = None
):
    """The list; with the one-time link of a new account or a new link, shown here once and never stored."""
    organisations = {o.id: o.name for o in _municipality().social_map}
    return render_template(
        "portal/accounts.html",
        accounts=accounts.list_accounts(_db()),
        form=form,
        organisations=organisations,
        me=current_account(),
        link=link,
        link_for=link_for,
        link_days=accounts.PASSWORD_LINK_HOURS // 24,
    )


@blueprint.route("/accounts", methods=["GET", "POST"])
@permission_required(Permission.MANAGE_ACCOUNTS)
def account_list():
    form = _account_form()
    if form.validate_on_submit():
        try:
            created = accounts.create_account(
                _db(),
                form.email.data,
                form.name.data,
                form.role.data,
                form.organisation.data or None,
                by=current_account(),
            )
        except accounts.AccountError as error:
            flash(str(error), "error")
        else:
            return _accounts_page(_account_form(), _one_time_link(created, fresh=False), created)
    return _accounts_page(form)


def _other_account(account_id: int) -> accounts.Account:
    account = accounts.get_account(_db(), account_id)
    if account is None:
        abort(404)
    return account


@blueprint.route("/accounts/<int:account_id>/<any(activeren, blokkeren):change>", methods=["POST"])
@permission_required(Permission.MANAGE_ACCOUNTS)
def change_account(account_id: int, change: str):
    if account_id == current_account().id:
        flash(MESSAGES["own_account"], "error")
    else:
        accounts.set_active(_db(), _other_account(account_id), change == "activeren", current_account())
        flash(MESSAGES["saved"], "info")
    return redirect(url_for("admin.account_list"))


@blueprint.route("/accounts/<int:account_id>/link", methods=["POST"])
@permission_required(Permission.MANAGE_ACCOUNTS)
def new_link(account_id: int):
    account = _other_account(account_id)
    return _accounts_page(_account_form(), _one_time_link(account, fresh=True), account)


@blueprint.route("/accounts/<int:account_id>/tweede-stap-wissen", methods=["POST"])
@permission_required(Permission.MANAGE_ACCOUNTS)
def reset_second_factor(account_id: int):
    if account_id == current_account().id:
        flash(MESSAGES["own_account"], "error")
    else:
        second_factor.reset(_db(), _other_account(account_id), current_account())
        flash(MESSAGES["second_factor_reset"], "info")
    return redirect(url_for("admin.account_list"))


@blueprint.route("/logboek")
@permission_required(Permission.READ_ACCOUNT_LOG)
def audit_log():
    return render_template("portal/audit.html", entries=audit.entries_for(_db(), current_account()))


@blueprint.route("/organisaties")
@permission_required(Permission.VIEW_ORGANISATIONS)
def organisation_list():
    from bot.privacy import retention

    retention_visible = can(current_account(), Permission.VIEW_RETENTION)
    return render_template(
        "portal/organisations.html",
        organisations=_municipality().social_map,
        problems=notifications.problems(_db()),
        retention=retention.status(_db()) if retention_visible else None,
        retention_texts=retention.texts(),
    )
