"""The statistics dashboard over HTTP (Flask's test client), on SQLite and the local PostgreSQL server."""

import csv
import io
import re
from datetime import datetime, timezone

import pytest
from sqlalchemy import select

from bot.statistics.conversations import ConversationStats, FreeText
from bot.statistics.store import StatisticsStore
from bot.statistics.suppression import SUPPRESSED
from bot.storage.schema import audit_log
from tests.unit.portal_support import ORG_A, Browser, handoff_for, make_account, portal_app

PERIOD = "?maand=2026-11"
# The portal's clock in December 2026: November is over and counted (bot/web/dashboard/period.py).
TODAY = datetime(2026, 12, 15, 12, tzinfo=timezone.utc)
SLUGS = (
    "per-dag",
    "per-week",
    "levensgebieden",
    "onderwerpen",
    "talen",
    "afloop",
    "afhaakpunten",
    "crisis",
    "tevredenheid",
    "weekuren",
)


def stats(n: int, **changes) -> ConversationStats:
    values = dict(
        key=f"{n:064d}",
        started_hour=datetime(2026, 11, 23, 19, tzinfo=timezone.utc),
        duration_minutes=4,
        channel="rest",
        user_messages=3,
        relation="zelf",
        phase="orienting",
        life_domains=["wonen"],
        topics=["ask_cost"],
        handoff=n % 2 == 0,
        asked_human=True,
        hit_fallback=False,
        crisis=n == 0,
        left=n < 3,
        last_step="intake_situation" if n < 3 else "utter_goodbye",
        satisfaction={"helped": 5},
        improvement_given=n == 1,
    )
    values.update(changes)
    return ConversationStats(**values)


@pytest.fixture
def app(store_url):
    app = portal_app(store_url)
    app.config["WEGWIJS_CLOCK"].now = TODAY
    store = StatisticsStore(app.extensions["wegwijs_db"])
    for n in range(12):
        store.save(stats(n), [])
    store.save(
        stats(99, life_domains=["mantelzorg"]),
        [FreeText("improvement", "De knoppen zijn klein, [NAAM]", "k1")],
    )
    yield app
    app.extensions["wegwijs_db"].close()


def browser(app, role, organisation=None) -> Browser:
    client = Browser(app)
    account = make_account(app.extensions["wegwijs_db"], role, organisation)
    assert client.login(account.email).status_code == 302
    return client


def small_counts(page: str):
    """Numbers 0-4 shown as a count in a table cell."""
    return re.findall(r"<td>\s*([0-4])\s*</td>", page)


def test_staff_land_on_the_statistics_and_see_every_figure_with_a_table_and_csv(app):
    staff = Browser(app)
    account = make_account(app.extensions["wegwijs_db"], "staff")
    assert staff.login(account.email).headers["Location"].endswith("/portaal/statistiek")
    page = staff.get(f"/portaal/statistiek{PERIOD}").data.decode()
    for slug in SLUGS:
        assert f'id="{slug}"' in page and f"/portaal/statistiek/{slug}.svg" in page
        assert f"/portaal/statistiek/{slug}.csv" in page
    assert "<caption>" in page and "Totaal gesprekken" in page
    assert small_counts(page) == []
    assert "&lt;5" in page  # crisis: one conversation


def test_charts_are_svg_and_never_show_a_small_count(app):
    staff = browser(app, "staff")
    for slug in SLUGS:
        response = staff.get(f"/portaal/statistiek/{slug}.svg{PERIOD}")
        assert response.status_code == 200 and response.mimetype == "image/svg+xml"
        assert response.data.lstrip().startswith(b"<?xml") and b"<svg" in response.data
    crisis = staff.get(f"/portaal/statistiek/crisis.svg{PERIOD}").data.decode()
    assert "&lt;5" in crisis


def test_every_csv_export_is_suppressed(app):
    staff = browser(app, "staff")
    for slug in SLUGS:
        response = staff.get(f"/portaal/statistiek/{slug}.csv{PERIOD}")
        assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
        rows = list(csv.reader(io.StringIO(response.data.decode()), delimiter=";"))
        cells = [cell for row in rows[1:] for cell in row[1:]]
        assert not [cell for cell in cells if cell.isdigit() and int(cell) < 5], (slug, rows)
    outcomes = staff.get(f"/portaal/statistiek/afloop.csv{PERIOD}").data.decode()
    assert "Vroeg om een mens;13;100%" in outcomes
    crisis = staff.get(f"/portaal/statistiek/crisis.csv{PERIOD}").data.decode()
    assert f"Crisisgesprekken;{SUPPRESSED}" in crisis


def test_conversations_per_language_have_dutch_labels_and_small_counts_suppressed(app):
    store = StatisticsStore(app.extensions["wegwijs_db"])
    for n in range(6):
        store.save(stats(300 + n, language="tr"), [])
    store.save(stats(400, language="uk"), [])
    staff = browser(app, "staff")
    page = staff.get(f"/portaal/statistiek{PERIOD}").data.decode()
    assert 'id="talen"' in page and "Gesprekken per taal" in page and small_counts(page) == []
    rows = list(
        csv.reader(
            io.StringIO(staff.get(f"/portaal/statistiek/talen.csv{PERIOD}").data.decode()), delimiter=";"
        )
    )
    # The fixture's 13 conversations never switched: Dutch.
    assert rows[1:] == [
        ["Nederlands", "13"],
        ["Engels", SUPPRESSED],
        ["Turks", "6"],
        ["Arabisch", SUPPRESSED],
        ["Pools", SUPPRESSED],
        ["Oekraïens", SUPPRESSED],
        ["Totaal gesprekken", "20"],
    ]
    chart = staff.get(f"/portaal/statistiek/talen.svg{PERIOD}").data.decode()
    assert "Oekraïens" in chart and "&lt;5" in chart


def test_staff_cannot_open_handoffs_or_free_text(app, store_url):
    handoff = handoff_for(store_url, ORG_A)
    staff = browser(app, "staff")
    for path in (
        "/portaal/aanmeldingen",
        f"/portaal/aanmeldingen/{handoff.reference}",
        f"/portaal/aanmeldingen/{handoff.reference}/afdrukken",
        "/portaal/statistiek/vrije-tekst",
    ):
        response = staff.get(path)
        assert response.status_code in (403, 404), path
        assert handoff.intake.situation.encode() not in response.data


def test_administrators_see_de_identified_free_text_and_supporters_no_statistics(app):
    admin = browser(app, "administrator")
    page = admin.get(f"/portaal/statistiek/vrije-tekst{PERIOD}").data.decode()
    assert "De knoppen zijn klein, [NAAM]" in page and "2026-11" in page
    supporter = browser(app, "supporter", ORG_A)
    assert supporter.get("/portaal/statistiek").status_code == 403
    assert supporter.get("/portaal/statistiek/per-dag.csv").status_code == 403


def test_the_statistics_need_a_login(app):
    anonymous = Browser(app)
    for path in (
        "/portaal/statistiek",
        "/portaal/statistiek/per-dag.svg",
        "/portaal/statistiek/per-dag.csv",
        "/portaal/statistiek/vrije-tekst",
    ):
        response = anonymous.get(path)
        assert response.status_code == 302 and "/portaal/inloggen" in response.headers["Location"]


def test_a_month_not_in_the_list_says_so_and_shows_the_newest(app):
    staff = browser(app, "staff")
    for wrong in ("2026-12", "2024-11", "november", "2026-13"):  # still growing, too old, not a month
        page = staff.get(f"/portaal/statistiek?maand={wrong}").data.decode()
        assert "Kies een maand uit de lijst" in page and "2026-11-01 tot en met 2026-11-30" in page
    assert staff.get("/portaal/statistiek/onbekend.csv").status_code == 404


def _total(staff, query: str) -> str:
    rows = list(
        csv.reader(
            io.StringIO(staff.get(f"/portaal/statistiek/crisis.csv{query}").data.decode()), delimiter=";"
        )
    )
    return dict((row[0], row[1]) for row in rows[1:])["Totaal gesprekken"]


def test_no_two_allowed_periods_subtract_to_a_suppressed_count(app):
    """13 conversations on 23 November, 3 more on 2 November: with free periods, 1-30 minus 3-30
    November would give the 3 of one day, which is shown as "<5"."""
    store = StatisticsStore(app.extensions["wegwijs_db"])
    for n in range(3):
        store.save(stats(200 + n, started_hour=datetime(2026, 11, 2, 10, tzinfo=timezone.utc)), [])
    staff = browser(app, "staff")
    assert "<td>&lt;5</td>" in staff.get(f"/portaal/statistiek{PERIOD}").data.decode()  # the day itself
    # What an attacker asks for: the old period parameters are not periods any more.
    assert (
        _total(staff, "?van=2026-11-01&tot=2026-11-30&maand=2026-11")
        == _total(staff, "?van=2026-11-03&tot=2026-11-30&maand=2026-11")
        == "16"
    )
    # Every pair of months on offer: the same days, or none in common, so a difference is whole months.
    page = staff.get("/portaal/statistiek").data.decode()
    offered = re.findall(r'<option value="(\d{4}-\d{2})"', page)
    assert offered[0] == "2026-11" and len(offered) == len(set(offered)) == 24
    days = {}
    for month in offered:
        listed = list(
            csv.reader(
                io.StringIO(staff.get(f"/portaal/statistiek/per-dag.csv?maand={month}").data.decode()),
                delimiter=";",
            )
        )
        days[month] = {row[0] for row in listed[1:] if row[0] != "Totaal gesprekken"}
    for first in offered:
        for second in offered:
            assert first == second or not days[first] & days[second]
    assert all(days[month] for month in offered)


def test_each_statistics_page_and_export_is_one_audit_entry(app):
    staff = browser(app, "staff")
    staff.get(f"/portaal/statistiek{PERIOD}")
    staff.get(f"/portaal/statistiek/crisis.svg{PERIOD}")  # part of the page: not an entry of its own
    staff.get(f"/portaal/statistiek/crisis.csv{PERIOD}")
    admin = browser(app, "administrator")
    admin.get(f"/portaal/statistiek/vrije-tekst{PERIOD}")
    with app.extensions["wegwijs_db"].transaction() as session:
        entries = session.execute(
            select(audit_log.c.account_email, audit_log.c.action, audit_log.c.detail)
            .where(audit_log.c.action.like("%_viewed") | audit_log.c.action.like("%_exported"))
            .order_by(audit_log.c.id)
        ).all()
    assert [tuple(e) for e in entries] == [
        ("staff.gemeente@portal.example", "statistics_viewed", "2026-11"),
        ("staff.gemeente@portal.example", "statistics_exported", "crisis 2026-11"),
        ("administrator.gemeente@portal.example", "free_text_viewed", "2026-11"),
    ]


def test_a_month_is_offered_once_it_has_ended_and_been_counted():
    from datetime import date

    from bot.web.dashboard.period import SETTLE_DAYS, months

    assert SETTLE_DAYS == 2
    assert months(date(2026, 12, 1))[0] == months(date(2026, 12, 2))[0] == date(2026, 10, 1)
    assert months(date(2026, 12, 3))[:2] == [date(2026, 11, 1), date(2026, 10, 1)]
    assert months(date(2026, 12, 1), settled=False)[0] == date(2026, 12, 1)  # free text: no counts
    assert months(date(2026, 1, 10))[0] == date(2025, 12, 1)
