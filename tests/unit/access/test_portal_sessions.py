"""Portal sessions and the second factor, over HTTP (Flask's test client) with the portal's clock moved
by the test: idle and absolute timeouts, codes used once, sessions ended by a password change, and
login counts shared by every worker through Redis."""

import re

import pytest
import redis
from sqlalchemy import select

from bot.settings import read_settings
from bot.storage.schema import audit_log
from tests.unit.portal_support import ORG_A, PASSWORD, Browser, code_for, make_account, portal_app

REDIS_URL = "redis://127.0.0.1:6379/7"  # the tests' own Redis database index


@pytest.fixture
def app(sqlite_url):
    app = portal_app(sqlite_url)
    yield app
    app.extensions["wegwijs_db"].close()


@pytest.fixture
def db(app):
    return app.extensions["wegwijs_db"]


def logged_in(app, db, role="supporter", organisation=ORG_A):
    account = make_account(db, role, organisation)
    browser = Browser(app)
    assert browser.login(account.email).status_code == 302
    return browser, account


def test_thirty_minutes_without_a_request_end_the_session(app, db):
    browser, _ = logged_in(app, db)
    clock = app.config["WEGWIJS_CLOCK"]
    clock.advance(minutes=29)
    assert browser.get("/portaal/aanmeldingen").status_code == 200  # activity: the idle time starts again
    clock.advance(minutes=29)
    assert browser.get("/portaal/aanmeldingen").status_code == 200
    clock.advance(minutes=31)
    answer = browser.get("/portaal/aanmeldingen")
    assert answer.status_code == 302 and "/portaal/inloggen" in answer.headers["Location"]


def test_eight_hours_after_the_login_the_session_ends_however_busy(app, db):
    browser, _ = logged_in(app, db)
    clock = app.config["WEGWIJS_CLOCK"]
    for _ in range(19):  # 7 h 55 min of work, never 30 minutes idle
        clock.advance(minutes=25)
        assert browser.get("/portaal/aanmeldingen").status_code == 200
    clock.advance(minutes=25)  # 8 h 20 min after the login
    assert browser.get("/portaal/aanmeldingen").status_code == 302


def test_the_password_alone_opens_nothing_and_the_code_step_runs_out(app, db):
    account = make_account(db, "coordinator", ORG_A)
    browser = Browser(app)
    answer = browser.password_step(account.email)
    assert answer.headers["Location"].endswith("/portaal/tweede-stap")
    assert browser.get("/portaal/logboek").status_code == 302
    app.config["WEGWIJS_CLOCK"].advance(minutes=6)
    late = browser.submit(
        "/portaal/inloggen",
        "/portaal/tweede-stap",
        {"code": code_for(account.email, app.config["WEGWIJS_CLOCK"]())},
    )
    assert late.status_code == 302 and late.headers["Location"].endswith("/portaal/inloggen")
    assert browser.get("/portaal/logboek").status_code == 302


def test_a_code_is_accepted_once(app, db):
    browser, account = logged_in(app, db)
    clock = app.config["WEGWIJS_CLOCK"]
    clock.advance(seconds=-30)  # back to the time step of the code just used
    other = Browser(app)
    other.password_step(account.email)
    reused = other.submit(
        "/portaal/tweede-stap", "/portaal/tweede-stap", {"code": code_for(account.email, clock())}
    )
    assert reused.status_code == 401 and other.get("/portaal/aanmeldingen").status_code == 302


def test_changing_the_password_ends_the_other_sessions_and_keeps_this_one(app, db):
    laptop, account = logged_in(app, db)
    phone = Browser(app)
    assert phone.login(account.email).status_code == 302
    changed = laptop.submit(
        "/portaal/wachtwoord",
        "/portaal/wachtwoord",
        {"current": PASSWORD, "new": "een nieuw lang wachtwoord", "repeat": "een nieuw lang wachtwoord"},
    )
    assert changed.status_code == 302
    assert laptop.get("/portaal/aanmeldingen").status_code == 200
    assert phone.get("/portaal/aanmeldingen").status_code == 302
    wrong = laptop.submit(
        "/portaal/wachtwoord",
        "/portaal/wachtwoord",
        {"current": PASSWORD, "new": "nog een lang wachtwoord", "repeat": "nog een lang wachtwoord"},
    )
    assert "Uw huidige wachtwoord klopt niet." in wrong.data.decode()
    assert Browser(app).login(account.email, "een nieuw lang wachtwoord").status_code == 302


def test_login_counts_are_shared_by_every_worker_through_redis(sqlite_url):
    """Two apps are two gunicorn workers: five wrong passwords spread over both lock the account in both."""
    store = redis.Redis.from_url(REDIS_URL)
    try:
        store.ping()
    except redis.ConnectionError as error:
        pytest.skip(f"Redis not reachable at {REDIS_URL}: {error}")
    store.flushdb()
    workers = [portal_app(sqlite_url, rate_limit_storage=REDIS_URL) for _ in range(2)]
    account = make_account(workers[0].extensions["wegwijs_db"], "supporter", ORG_A)
    browsers = [Browser(worker) for worker in workers]
    statuses = [browsers[n % 2].login(account.email, "wrong password!").status_code for n in range(6)]
    assert statuses == [401] * 5 + [429]
    assert [browser.login(account.email).status_code for browser in browsers] == [429, 429]
    store.flushdb()
    for worker in workers:
        worker.extensions["wegwijs_db"].close()


def _entries(db, action):
    with db.transaction() as session:
        return session.execute(
            select(audit_log.c.account_email, audit_log.c.subject_email).where(audit_log.c.action == action)
        ).all()


def test_an_administrator_clears_a_lost_second_factor_and_makes_a_new_link_each_once_in_the_log(app, db):
    admin, admin_account = logged_in(app, db, "administrator", None)
    supporter = make_account(db, "supporter", ORG_A, "lost-phone@portal.example")
    admin.submit("/portaal/beheer/accounts", f"/portaal/beheer/accounts/{supporter.id}/tweede-stap-wissen")
    answer = Browser(app).password_step(supporter.email)
    assert answer.headers["Location"].endswith("/portaal/tweede-stap/instellen")  # set up anew

    page = admin.submit(
        "/portaal/beheer/accounts", f"/portaal/beheer/accounts/{supporter.id}/link"
    ).data.decode()
    link = re.search(r"http://portal\.example(/portaal/wachtwoord-instellen/[^<\s]+)", page).group(1)
    assert Browser(app).password_step(supporter.email).status_code == 302  # the old password works until used
    owner = Browser(app)
    owner.submit(link, link, {"new": "een nieuw lang wachtwoord", "repeat": "een nieuw lang wachtwoord"})
    assert Browser(app).password_step(supporter.email).status_code == 401
    expected = [(admin_account.email, supporter.email)]
    assert _entries(db, "second_factor_reset") == _entries(db, "password_link") == expected
    own = [entry for entry in _entries(db, "password_set") if entry.subject_email == supporter.email]
    assert own == [(supporter.email, supporter.email)] * 2  # when the account was made, and now


@pytest.mark.parametrize(
    "environment, storage",
    [
        ({"WEGWIJS_PROFILE": "production"}, "redis://127.0.0.1:6379/1"),
        (
            {"WEGWIJS_PROFILE": "production", "WEGWIJS_REDIS_URL": "redis://redis.example:6379/2"},
            "redis://redis.example:6379/2",
        ),
        ({"WEGWIJS_PROFILE": "production", "WEGWIJS_RATE_LIMIT_STORAGE": "memory://"}, None),
        ({}, "memory://"),
    ],
)
def test_production_counts_logins_in_redis_never_per_process(monkeypatch, environment, storage):
    for name in ("WEGWIJS_PROFILE", "WEGWIJS_REDIS_URL", "WEGWIJS_RATE_LIMIT_STORAGE"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    if storage is None:
        with pytest.raises(ValueError, match="memory:// counts login attempts per process"):
            read_settings()
    else:
        assert read_settings().rate_limit_storage == storage


def test_a_cookie_from_before_the_login_opens_nothing_after_it(app, db):
    """Session fixation: someone who planted or copied the browser's cookie before the login gains nothing."""
    account = make_account(db, "supporter", ORG_A)
    browser = Browser(app)
    browser.get("/portaal/inloggen")
    before = browser.client.get_cookie("session").value
    assert browser.login(account.email).status_code == 302
    after = browser.client.get_cookie("session").value
    planted = Browser(app)
    planted.client.set_cookie("session", before)
    assert after != before and planted.get("/portaal/aanmeldingen").status_code == 302
    assert browser.get("/portaal/aanmeldingen").status_code == 200


def test_a_stored_secret_is_of_no_use_without_the_servers_secret_key(app, db, sqlite_url):
    account = make_account(db, "supporter", ORG_A)
    other_key = portal_app(sqlite_url)
    other_key.config["SECRET_KEY"] = "another secret key"
    browser = Browser(other_key)
    assert browser.login(account.email).status_code == 401  # the right code, unreadable secret: refused
    assert Browser(app).login(account.email).status_code == 302
    other_key.extensions["wegwijs_db"].close()
