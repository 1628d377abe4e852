"""The administrator's pages: accounts and organisations (with their notification status).

Administrators manage people and settings; they never see handoff content.
"""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Email, Length

from bot import accounts, notifications
from bot.municipality import current_municipality
from bot.portal.auth import current_account, role_required
from bot.portal.labels import LABELS
from bot.schema import ROLES

blueprint = Blueprint("admin", __name__, url_prefix="/portaal/beheer")


class AccountForm(FlaskForm):
    email = EmailField("E-mailadres", validators=[DataRequired(), Email(message="Vul een geldig e-mailadres in.", check_deliverability=False)])
    name = StringField("Naam", validators=[DataRequired(), Length(max=255)])
    role = SelectField("Rol", choices=[(r, LABELS["role"][r]) for r in ROLES])
    organisation = SelectField("Organisatie (voor ondersteuner en coördinator)", choices=[])
    password = PasswordField("Eerste wachtwoord (minstens 12 tekens)", validators=[DataRequired()])


def _db():
    from bot.portal import database

    return database()


def _account_form() -> AccountForm:
    form = AccountForm()
    form.organisation.choices = [("", "geen")] + [(o.id, o.name) for o in current_municipality().social_map]
    return form


@blueprint.route("/accounts", methods=["GET", "POST"])
@role_required("administrator")
def account_list():
    form = _account_form()
    if form.validate_on_submit():
        try:
            created = accounts.create_account(_db(), form.email.data, form.name.data, form.password.data,
                                              form.role.data, form.organisation.data or None)
        except accounts.AccountError as error:
            flash(str(error), "error")
        else:
            flash(f"Account voor {created.email} gemaakt.", "info")
            return redirect(url_for("admin.account_list"))
    organisations = {o.id: o.name for o in current_municipality().social_map}
    return render_template("portal/accounts.html", accounts=accounts.list_accounts(_db()), form=form,
                           organisations=organisations, me=current_account())


@blueprint.route("/accounts/<int:account_id>/<any(activeren, blokkeren):change>", methods=["POST"])
@role_required("administrator")
def change_account(account_id: int, change: str):
    if account_id == current_account().id:
        flash("U kunt uw eigen account niet blokkeren.", "error")
    else:
        accounts.set_active(_db(), account_id, change == "activeren")
        flash("Opgeslagen.", "info")
    return redirect(url_for("admin.account_list"))


@blueprint.route("/organisaties")
@role_required("administrator", "coordinator")
def organisation_list():
    from bot import retention

    administrator = current_account().role == "administrator"
    return render_template("portal/organisations.html", organisations=current_municipality().social_map,
                           problems=notifications.problems(_db()),
                           retention=retention.status(_db()) if administrator else None,
                           retention_texts=retention.texts())
