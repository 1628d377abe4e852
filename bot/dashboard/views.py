"""The dashboard's pages, charts (SVG) and CSV exports. Figures come suppressed from bot.statistics."""
from __future__ import annotations

import csv
import io

from flask import Blueprint, Response, abort, render_template, request

from bot.dashboard.period import period_from
from bot.portal import database
from bot.portal.auth import role_required
from bot.statistics.charts import svg
from bot.statistics.report import FIGURES, csv_rows, figures
from bot.statistics.store import StatisticsStore

blueprint = Blueprint("dashboard", __name__, url_prefix="/portaal/statistiek", template_folder="templates")

# Staff see statistics only; coordinators and administrators may too. Handoffs stay in the portal.
FIGURE_ROLES = ("staff", "coordinator", "administrator")
# Even de-identified, residents' own words are for the people who improve the bot.
FREE_TEXT_ROLES = ("administrator",)


def _store() -> StatisticsStore:
    """The statistics tables in the portal's database (migrated when the portal starts)."""
    return StatisticsStore(database())


def _figure(slug: str):
    if slug not in FIGURES:
        abort(404)
    period = period_from(request.args)
    rows = _store().conversations(period.start, period.end)
    return period, figures(rows, period.start, period.end, [slug])[0]


@blueprint.get("")
@role_required(*FIGURE_ROLES)
def index():
    period = period_from(request.args)
    rows = _store().conversations(period.start, period.end)
    return render_template("dashboard/index.html", period=period,
                           figures=figures(rows, period.start, period.end))


@blueprint.get("/<slug>.svg")
@role_required(*FIGURE_ROLES)
def chart(slug: str):
    _, figure = _figure(slug)
    return Response(svg(figure), mimetype="image/svg+xml")


@blueprint.get("/<slug>.csv")
@role_required(*FIGURE_ROLES)
def export(slug: str):
    period, figure = _figure(slug)
    buffer = io.StringIO()
    # Semicolons: what Dutch spreadsheet programs expect.
    csv.writer(buffer, delimiter=";").writerows(csv_rows(figure))
    filename = f"wegwijs-{slug}-{period.start.isoformat()}-{period.end.isoformat()}.csv"
    return Response(buffer.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@blueprint.get("/vrije-tekst")
@role_required(*FREE_TEXT_ROLES)
def free_text():
    period = period_from(request.args)
    return render_template("dashboard/free_text.html", period=period,
                           items=_store().free_text(period.start, period.end))
