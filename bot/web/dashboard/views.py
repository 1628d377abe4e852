"""The dashboard's pages, charts (SVG) and CSV exports. Figures come suppressed from bot.statistics."""

from __future__ import annotations

import csv
import io

from flask import Blueprint, Response, abort, render_template, request

from bot.access import audit
from bot.access.permissions import Permission
from bot.statistics.charts import svg
from bot.statistics.report import FIGURES, csv_rows, figures
from bot.statistics.store import LOCAL_TIME, StatisticsStore
from bot.web.dashboard.period import SETTLE_DAYS, months, period_from
from bot.web.portal import database
from bot.web.portal.auth import current_account, now, permission_required

blueprint = Blueprint("dashboard", __name__, url_prefix="/portaal/statistiek", template_folder="templates")

# Who sees figures, exports them or reads free text: bot.access.permissions. Staff see statistics only;
# handoffs stay in the portal. Even de-identified, residents' own words are for those who improve the bot.


def _store() -> StatisticsStore:
    """The statistics tables in the portal's database (migrated when the portal starts)."""
    return StatisticsStore(database())


def _today():
    return now().astimezone(LOCAL_TIME).date()


def _period(settled: bool = True):
    return period_from(request.args, _today(), settled)


def _figure(slug: str):
    if slug not in FIGURES:
        abort(404)
    period = _period()
    rows = _store().conversations(period.start, period.end)
    return period, figures(rows, period.start, period.end, [slug])[0]


def _audit(action: str, period, what: str = "") -> None:
    audit.write(database(), action, current_account(), detail=f"{what} {period.as_query()['maand']}".strip())


@blueprint.get("")
@permission_required(Permission.VIEW_STATISTICS)
def index():
    period = _period()
    rows = _store().conversations(period.start, period.end)
    _audit("statistics_viewed", period)
    return render_template(
        "dashboard/index.html",
        period=period,
        months=months(_today()),
        settle_days=SETTLE_DAYS,
        figures=figures(rows, period.start, period.end),
    )


@blueprint.get("/<slug>.svg")
@permission_required(Permission.VIEW_STATISTICS)
def chart(slug: str):
    _, figure = _figure(slug)
    return Response(svg(figure), mimetype="image/svg+xml")


@blueprint.get("/<slug>.csv")
@permission_required(Permission.EXPORT_STATISTICS)
def export(slug: str):
    period, figure = _figure(slug)
    _audit("statistics_exported", period, slug)
    buffer = io.StringIO()
    # Semicolons: what Dutch spreadsheet programs expect.
    csv.writer(buffer, delimiter=";").writerows(csv_rows(figure))
    filename = f"wegwijs-{slug}-{period.start.isoformat()}-{period.end.isoformat()}.csv"
    return Response(
        buffer.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@blueprint.get("/vrije-tekst")
@permission_required(Permission.VIEW_FREE_TEXT)
def free_text():
    period = _period(settled=False)
    _audit("free_text_viewed", period)
    return render_template(
        "dashboard/free_text.html",
        period=period,
        months=months(_today(), settled=False),
        items=_store().free_text(period.start, period.end),
    )
