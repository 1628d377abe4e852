"""The supporter portal over HTTP (Flask's test client), on SQLite and on the local PostgreSQL server."""

import re

import pyotp
import pytest
from sqlalchemy import create_engine, select, text

from bot.access import accounts
from bot.storage.schema import accounts as accounts_table
from bot.storage.schema import audit_log
from tests.unit.portal_support import (
    ORG_A,
    ORG_B,
    PASSWORD,
    Browser,
    handoff_for,
    make_account,
    portal_app,
)

SITUATION = "Mijn moeder heeft schulden"
PHONE = "06 12345678"


@pytest.fixture
def app(store_url):
    app = portal_app(store_url)
    yield app
    app.extensions["wegwijs_db"].close()


@pytest.fixture
def db(app):
    return app.extensions["wegwijs_db"]


@pytest.fixture
def handoff(store_url, app):
    return handoff_for(store_url, ORG_A)


def browser_for(app, db, role, organisation=None, email=None) -> Browser:
    account = make_account(db, role, organisation, email)
    browser = Browser(app)
    assert browser.login(account.email).status_code == 302
    return browser


def test_pages_with_personal_data_need_a_login(app, handoff):
    anonymous = Browser(app)
    for path in (
        "/portaal/aanmeldingen",
        f"/portaal/aanmeldingen/{handoff.reference}",
        f"/portaal/aanmeldingen/{handoff.reference}/afdrukken",
        "/portaal/logboek",
        "/portaal/beheer/accounts",
    ):
        response = anonymous.get(path)
        assert response.status_code == 302 and "/portaal/inloggen" in response.headers["Location"]
        assert SITUATION.encode() not in response.data


def test_a_wrong_password_is_refused_without_saying_which_part_was_wrong(app, db):
    account = make_account(db, "supporter", ORG_A)
    browser = Browser(app)
    wrong = browser.login(account.email, "not the password at all")
    unknown = browser.login("nobody@portal.example", PASSWORD)
    assert wrong.status_code == unknown.status_code == 401
    assert b"horen niet bij elkaar" in wrong.data and b"horen niet bij elkaar" in unknown.data
    assert browser.get("/portaal/aanmeldingen").status_code == 302


def test_a_supporter_logs_in_sees_the_handoff_picks_it_up_and_closes_it(app, db, handoff):
    browser = browser_for(app, db, "supporter", ORG_A)
    inbox = browser.get("/portaal/aanmeldingen").data.decode()
    assert handoff.reference in inbox and SITUATION not in inbox  # the list shows no free text

    page = f"/portaal/aanmeldingen/{handoff.reference}"
    detail = browser.get(page).data.decode()
    assert SITUATION in detail and PHONE in detail and "voor uw vader of moeder" in detail
    assert "toestemming" in detail and "Ik geef toestemming" in detail

    assert browser.submit(page, f"{page}/oppakken").status_code == 302
    browser.submit(page, f"{page}/notitie", {"note": "Gebeld, voicemail ingesproken."})
    browser.submit(page, f"{page}/uitkomst", {"outcome": "closed", "reason": "Hulp via huisarts geregeld."})

    detail = browser.get(page).data.decode()
    assert "Afgesloten" in detail and "Gebeld, voicemail ingesproken." in detail
    assert "Hulp via huisarts geregeld." in detail and "Opgepakt" in detail
    assert handoff.reference in browser.get("/portaal/aanmeldingen?status=closed").data.decode()
    assert handoff.reference not in browser.get("/portaal/aanmeldingen").data.decode()


TURKISH_SITUATION = "Annemin borçları var ve anlamadığı mektuplar alıyor."
TURKISH_GOAL = "Faturalara genel bir bakış."


def turkish_handoff(store_url):
    """A handoff from a conversation in Turkish: the resident's own words as they typed them; the
    buttons they pressed stored as the intake stores them (codes, and "Turks" for the language step)."""
    from bot.handoff.store import HandoffStore
    from bot.intake.steps import SKIPPED, Intake
    from tests.unit.handoff.test_handoff_store import full_record

    intake = Intake(
        relation="ouder",
        life_domains=["geldzaken"],
        situation=TURKISH_SITUATION,
        goal=TURKISH_GOAL,
        network="geen",
        urgency="urgent",
        language="Turks",
        accessibility=SKIPPED,
        contact_method="phone",
        contact_detail=PHONE,
    )
    store = HandoffStore(store_url)
    stored = store.store(
        full_record(
            conversation_id="conv-tr",
            key="tr",
            organisation_id=ORG_A,
            intake=intake,
            conversation_language="tr",
        )
    )
    store.close()
    return stored


def test_the_case_page_shows_the_language_and_marks_the_residents_words_with_it(app, db, store_url):
    handoff = turkish_handoff(store_url)
    browser = browser_for(app, db, "supporter", ORG_A)
    page = f"/portaal/aanmeldingen/{handoff.reference}"
    for path in (page, f"{page}/afdrukken"):
        detail = browser.get(path).data.decode()
        assert "Gesprekstaal: Turks" in detail
        # Shown as typed, marked with their language, followed by a note in Dutch.
        for words in (TURKISH_SITUATION, TURKISH_GOAL):
            assert (
                f'<span lang="tr" dir="auto">{words}</span> <small class="written-in">in het Turks geschreven</small>'
                in detail
            )
        assert detail.count('lang="tr"') == detail.count("in het Turks geschreven") == 2
        # The labels, and the Dutch wording of what the resident chose by button, stay Dutch and unmarked.
        assert "<dt>Wat er speelt</dt>" in detail and "<dt>Taal</dt><dd>Turks</dd>" in detail
        assert "<dd>voor uw vader of moeder</dd>" in detail and "<dd>zo snel mogelijk</dd>" in detail
        assert "<dd>geen</dd>" in detail and "<dd>niet ingevuld</dd>" in detail


def test_a_dutch_conversation_is_marked_dutch_without_a_note(app, db, handoff):
    browser = browser_for(app, db, "supporter", ORG_A)
    detail = browser.get(f"/portaal/aanmeldingen/{handoff.reference}").data.decode()
    assert "Gesprekstaal: Nederlands" in detail
    assert f'<span lang="nl" dir="auto">{SITUATION}' in detail and "geschreven" not in detail


def test_a_withdrawn_handoff_keeps_its_language_but_has_no_words_to_mark(app, db, store_url):
    from bot.handoff.store import HandoffStore

    handoff = turkish_handoff(store_url)
    store = HandoffStore(store_url)
    store.withdraw(handoff.reference)
    store.close()
    detail = (
        browser_for(app, db, "supporter", ORG_A)
        .get(f"/portaal/aanmeldingen/{handoff.reference}")
        .data.decode()
    )
    assert "Gesprekstaal: Turks" in detail and TURKISH_SITUATION not in detail
    assert 'lang="tr"' not in detail and "geschreven" not in detail


def test_closing_without_a_reason_is_refused(app, db, handoff):
    browser = browser_for(app, db, "supporter", ORG_A)
    page = f"/portaal/aanmeldingen/{handoff.reference}"
    browser.submit(page, f"{page}/oppakken")
    browser.submit(page, f"{page}/uitkomst", {"outcome": "closed", "reason": ""})
    detail = browser.get(page).data.decode()
    assert "Geef een reden om af te sluiten." in detail and "Status: <strong>Opgepakt" in detail


def test_another_organisation_cannot_list_open_print_or_change_a_handoff(app, db, handoff):
    other = browser_for(app, db, "supporter", ORG_B)
    assert handoff.reference not in other.get("/portaal/aanmeldingen").data.decode()
    assert handoff.reference not in other.get("/portaal/aanmeldingen?status=new&ouder_dan=1").data.decode()
    page = f"/portaal/aanmeldingen/{handoff.reference}"
    assert other.get(page).status_code == 404
    assert other.get(f"{page}/afdrukken").status_code == 404
    other.submit("/portaal/aanmeldingen", f"{page}/oppakken")
    own = browser_for(app, db, "supporter", ORG_A)
    assert "Status: <strong>Nieuw" in own.get(page).data.decode()


def test_administrators_and_staff_never_see_handoff_content(app, db, handoff):
    for role in ("administrator", "staff"):
        browser = browser_for(app, db, role)
        assert browser.get("/portaal/aanmeldingen").status_code == 403
        response = browser.get(f"/portaal/aanmeldingen/{handoff.reference}")
        assert response.status_code == 403 and SITUATION.encode() not in response.data


def test_a_form_without_its_csrf_token_is_refused(app, db, handoff):
    browser = browser_for(app, db, "supporter", ORG_A)
    page = f"/portaal/aanmeldingen/{handoff.reference}"
    assert browser.client.post(f"{page}/oppakken").status_code == 400
    assert browser.client.post(f"{page}/oppakken", data={"csrf_token": "forged"}).status_code == 400
    assert "Status: <strong>Nieuw" in browser.get(page).data.decode()
    assert (
        Browser(app).client.post("/portaal/inloggen", data={"email": "x@y.z", "password": "x"}).status_code
        == 400
    )


def test_every_view_is_in_the_audit_log_which_the_coordinator_reads(app, db, handoff):
    supporter = browser_for(app, db, "supporter", ORG_A)
    supporter.get(f"/portaal/aanmeldingen/{handoff.reference}")
    supporter.get(f"/portaal/aanmeldingen/{handoff.reference}/afdrukken")
    with db.transaction() as session:
        actions = session.execute(
            select(audit_log.c.account_email, audit_log.c.action, audit_log.c.reference).where(
                audit_log.c.reference.is_not(None)
            )
        ).all()
    assert [tuple(a) for a in actions] == [
        ("supporter.meedenkers-voorbeeldstad@portal.example", "viewed", handoff.reference),
        ("supporter.meedenkers-voorbeeldstad@portal.example", "printed", handoff.reference),
    ]
    assert supporter.get("/portaal/logboek").status_code == 403
    coordinator = browser_for(app, db, "coordinator", ORG_A)
    log = coordinator.get("/portaal/logboek").data.decode()
    assert "supporter.meedenkers-voorbeeldstad@portal.example" in log and "afgedrukt" in log
    assert (
        handoff.reference
        not in browser_for(app, db, "coordinator", ORG_B).get("/portaal/logboek").data.decode()
    )


def test_a_coordinator_reassigns_to_another_organisation(app, db, handoff):
    coordinator = browser_for(app, db, "coordinator", ORG_A)
    page = f"/portaal/aanmeldingen/{handoff.reference}"
    coordinator.submit(page, f"{page}/doorzetten", {"organisation": ORG_B})
    assert coordinator.get(page).status_code == 404
    receiving = browser_for(app, db, "supporter", ORG_B)
    assert handoff.reference in receiving.get("/portaal/aanmeldingen").data.decode()
    detail = receiving.get(page).data.decode()
    assert "Doorgezet naar" in detail and "Oppakken" in detail
    assert "Doorzetten" not in detail  # only coordinators reassign


def test_a_withdrawal_shows_at_once_without_the_residents_words(app, db, store_url, handoff):
    from bot.handoff.store import HandoffStore

    browser = browser_for(app, db, "supporter", ORG_A)
    page = f"/portaal/aanmeldingen/{handoff.reference}"
    browser.submit(page, f"{page}/notitie", {"note": "Moeder belt morgen terug op 06 12345678."})
    store = HandoffStore(store_url)
    store.withdraw(handoff.reference)
    store.close()
    detail = browser.get(page).data.decode()
    assert "ingetrokken" in detail and SITUATION not in detail and PHONE not in detail
    assert "Oppakken" not in detail


def test_password_hashes_are_argon2_never_the_password(app, db):
    make_account(db, "supporter", ORG_A)
    with db.transaction() as session:
        stored = session.execute(select(accounts_table.c.password_hash)).scalar_one()
    assert stored.startswith("$argon2id$") and PASSWORD not in stored


def test_an_administrator_creates_and_blocks_an_account(app, db):
    admin = browser_for(app, db, "administrator")
    created = admin.submit(
        "/portaal/beheer/accounts",
        "/portaal/beheer/accounts",
        {
            "email": "nieuw@portal.example",
            "name": "Nieuwe Ondersteuner",
            "role": "supporter",
            "organisation": ORG_B,
        },
    ).data.decode()
    new = Browser(app)
    link = re.search(r"http://portal\.example(/portaal/wachtwoord-instellen/[^<\s]+)", created).group(1)
    new.submit(link, link, {"new": "een lang wachtwoord", "repeat": "een lang wachtwoord"})
    assert new.login("nieuw@portal.example", "een lang wachtwoord").headers["Location"].endswith("/instellen")
    enrol_page = new.get("/portaal/tweede-stap/instellen").data.decode()
    secret = re.search(r"Sleutel: <code>([A-Z2-7 ]+)</code>", enrol_page).group(1).replace(" ", "")
    codes = new.submit(
        "/portaal/tweede-stap/instellen",
        "/portaal/tweede-stap/instellen",
        {"code": pyotp.TOTP(secret).at(new.clock())},
    ).data.decode()
    assert "Uw herstelcodes" in codes
    assert new.get("/portaal/aanmeldingen").status_code == 200
    account_id = [a for a in accounts.list_accounts(db) if a.email == "nieuw@portal.example"][0].id
    admin.submit("/portaal/beheer/accounts", f"/portaal/beheer/accounts/{account_id}/blokkeren")
    assert new.get("/portaal/aanmeldingen").status_code == 302  # blocked: logged out at once


def test_logins_are_rate_limited(app, db):
    account = make_account(db, "supporter", ORG_A)
    browser = Browser(app)
    statuses = [browser.login(account.email, "wrong password!").status_code for _ in range(6)]
    assert statuses[:5] == [401] * 5 and statuses[5] == 429
    assert browser.login(account.email).status_code == 429


def test_logout_ends_the_session(app, db):
    browser = browser_for(app, db, "supporter", ORG_A)
    browser.submit("/portaal/aanmeldingen", "/portaal/uitloggen")
    assert browser.get("/portaal/aanmeldingen").status_code == 302


def test_retention_deletes_ended_handoffs_and_keeps_the_audit_trail(app, db, store_url):
    from datetime import datetime, timedelta, timezone

    from bot.handoff.store import HandoffStore

    closed = handoff_for(store_url, ORG_A, key="closed")
    withdrawn = handoff_for(store_url, ORG_A, key="withdrawn")
    kept = handoff_for(store_url, ORG_A, key="open")
    browser = browser_for(app, db, "supporter", ORG_A)
    page = f"/portaal/aanmeldingen/{closed.reference}"
    browser.submit(page, f"{page}/oppakken")
    browser.submit(page, f"{page}/notitie", {"note": "Notitie met 06 12345678"})
    browser.submit(page, f"{page}/uitkomst", {"outcome": "referred", "reason": "Naar schuldhulp"})
    store = HandoffStore(store_url)
    store.withdraw(withdrawn.reference)

    assert store.purge_ended(days=30) == []  # ended today: kept
    later = datetime.now(timezone.utc) + timedelta(days=31)
    assert sorted(store.purge_ended(days=30, now=later)) == sorted([closed.reference, withdrawn.reference])
    assert store.get(closed.reference) is None and store.get(kept.reference) is not None
    store.close()

    engine = create_engine(store_url, future=True)
    with engine.connect() as connection:
        dump = " ".join(
            str(row)
            for table in ("handoffs", "handoff_events", "notifications", "audit_log")
            for row in connection.execute(text(f"SELECT * FROM {table}"))
        )
        remaining = connection.execute(text("SELECT reference FROM handoffs")).scalars().all()
        deleted = (
            connection.execute(select(audit_log.c.reference).where(audit_log.c.action == "deleted"))
            .scalars()
            .all()
        )
    engine.dispose()
    assert sorted(deleted) == sorted([closed.reference, withdrawn.reference])
    assert remaining == [kept.reference]
    assert "Notitie met" not in dump and "Naar schuldhulp" not in dump


def test_the_administrator_sees_when_retention_failed_and_a_coordinator_does_not(app, db):
    from bot.privacy import retention

    retention._record(
        db, retention.Outcome("conversations", False, "OperationalError: connection refused"), 0.0
    )
    page = browser_for(app, db, "administrator").get("/portaal/beheer/organisaties").get_data(as_text=True)
    assert "Bewaren en wissen" in page and "MISLUKT: OperationalError: connection refused" in page
    assert "Nog niet gedraaid" in page  # the parts that never ran say so
    coordinator = browser_for(app, db, "coordinator", ORG_A, email="c@a.example")
    assert "Bewaren en wissen" not in coordinator.get("/portaal/beheer/organisaties").get_data(as_text=True)
