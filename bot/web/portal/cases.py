"""The supporter's pages: inbox, one handoff (screen and print), its actions, and the audit log."""

from __future__ import annotations

from typing import List, NamedTuple, Optional

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_wtf import FlaskForm
from wtforms import SelectField, TextAreaField
from wtforms.validators import DataRequired, Length

from bot import catalogue
from bot.access.audit import entries_for
from bot.access.permissions import Permission
from bot.contract import NEW, URGENCIES
from bot.conversation.life_domains import life_domains
from bot.handoff import casework
from bot.intake.summary import in_own_words, readable
from bot.intake.summary import labels as summary_labels
from bot.web.portal.auth import current_account, permission_required
from bot.web.portal.labels import LABELS, MESSAGES

blueprint = Blueprint("cases", __name__, url_prefix="/portaal")
AGE_CHOICES = (1, 3, 7, 14)


class NoteForm(FlaskForm):
    note = TextAreaField(catalogue.text("portal.fields.note"), validators=[DataRequired(), Length(max=4000)])


class OutcomeForm(FlaskForm):
    outcome = SelectField(
        catalogue.text("portal.fields.outcome"),
        choices=[(o, LABELS["outcome"][o]) for o in casework.OUTCOMES],
    )
    reason = TextAreaField(catalogue.text("portal.fields.reason"), validators=[Length(max=4000)])


class ReassignForm(FlaskForm):
    organisation = SelectField(catalogue.text("portal.fields.reassign_to"), choices=[])


def _db():
    return current_app.extensions["wegwijs_db"]


def _organisations() -> dict:
    return {o.id: o.name for o in current_app.config["WEGWIJS_CONTEXT"].municipality.social_map}


def _filter() -> casework.InboxFilter:
    status = request.args.get("status", NEW)
    domain = request.args.get("onderwerp") or None
    urgency = request.args.get("urgentie") or None
    age = request.args.get("ouder_dan", type=int)
    return casework.InboxFilter(
        status=status if status in casework.INBOX_STATUSES else NEW,
        life_domain=domain if domain in life_domains() else None,
        urgency=urgency if urgency in URGENCIES else None,
        older_than_days=age if age in AGE_CHOICES else None,
    )


@blueprint.route("/aanmeldingen")
@permission_required(Permission.VIEW_CASES)
def inbox():
    account = current_account()
    wanted = _filter()
    return render_template(
        "portal/inbox.html",
        handoffs=casework.inbox(_db(), account, wanted),
        wanted=wanted,
        counts=casework.counts(_db(), account),
        domains=life_domains(),
        urgencies=URGENCIES,
        ages=AGE_CHOICES,
        organisation=_organisations().get(account.organisation_id, account.organisation_id),
    )


def _case_or_404(reference: str, purpose: str) -> casework.Case:
    case = casework.open_handoff(_db(), current_account(), reference, purpose)
    if case is None:
        abort(404)
    return case


class SummaryLine(NamedTuple):
    label: str
    value: str
    # The resident's own words: the language they wrote in (lang="..." on the page). None for the
    # Dutch wording of a coded answer.
    written_in: Optional[str] = None


def _summary(case: casework.Case) -> List[SummaryLine]:
    """The summary as the resident confirmed it: the labels in Dutch, coded answers in the bot's Dutch
    wording, the resident's own words as typed, in the conversation's language."""
    intake = case.handoff.intake
    language = case.handoff.conversation_language
    return [
        SummaryLine(label, readable(intake, step), language if in_own_words(intake, step) else None)
        for step, label in summary_labels().items()
    ]


@blueprint.route("/aanmeldingen/<reference>")
@permission_required(Permission.VIEW_CASES)
def show(reference: str):
    case = _case_or_404(reference, "viewed")
    reassign = ReassignForm()
    reassign.organisation.choices = sorted(_organisations().items(), key=lambda item: item[1])
    return render_template(
        "portal/handoff.html",
        case=case,
        summary=_summary(case),
        note_form=NoteForm(),
        outcome_form=OutcomeForm(),
        reassign_form=reassign,
        organisations=_organisations(),
    )


@blueprint.route("/aanmeldingen/<reference>/afdrukken")
@permission_required(Permission.VIEW_CASES)
def print_view(reference: str):
    case = _case_or_404(reference, "printed")
    return render_template(
        "portal/handoff_print.html", case=case, summary=_summary(case), organisations=_organisations()
    )


def _act(reference: str, step, *args):
    try:
        step(_db(), current_account(), reference, *args)
        flash(MESSAGES["saved"], "info")
    except casework.CaseworkError as error:
        flash(str(error), "error")
    return redirect(url_for("cases.show", reference=reference))


@blueprint.route("/aanmeldingen/<reference>/oppakken", methods=["POST"])
@permission_required(Permission.WORK_ON_CASES)
def pick_up(reference: str):
    return _act(reference, casework.pick_up)


@blueprint.route("/aanmeldingen/<reference>/notitie", methods=["POST"])
@permission_required(Permission.WORK_ON_CASES)
def add_note(reference: str):
    form = NoteForm()
    if not form.validate_on_submit():
        flash(catalogue.text("portal.casework.note_missing"), "error")
        return redirect(url_for("cases.show", reference=reference))
    return _act(reference, casework.add_note, form.note.data)


@blueprint.route("/aanmeldingen/<reference>/uitkomst", methods=["POST"])
@permission_required(Permission.WORK_ON_CASES)
def record_outcome(reference: str):
    form = OutcomeForm()
    if not form.validate_on_submit():
        flash(catalogue.text("portal.casework.choose_outcome"), "error")
        return redirect(url_for("cases.show", reference=reference))
    return _act(reference, casework.record_outcome, form.outcome.data, form.reason.data or "")


@blueprint.route("/aanmeldingen/<reference>/doorzetten", methods=["POST"])
@permission_required(Permission.REASSIGN)
def reassign(reference: str):
    form = ReassignForm()
    form.organisation.choices = list(_organisations().items())
    if not form.validate_on_submit():
        flash(catalogue.text("portal.casework.choose_organisation"), "error")
        return redirect(url_for("cases.show", reference=reference))
    try:
        casework.reassign(_db(), current_account(), reference, form.organisation.data, list(_organisations()))
    except casework.CaseworkError as error:
        flash(str(error), "error")
        return redirect(url_for("cases.show", reference=reference))
    flash(
        catalogue.text("portal.casework.reassigned", organisation=_organisations()[form.organisation.data]),
        "info",
    )
    return redirect(url_for("cases.inbox"))


@blueprint.route("/logboek")
@permission_required(Permission.READ_ORGANISATION_LOG)
def audit():
    return render_template("portal/audit.html", entries=entries_for(_db(), current_account()))
