"""Portal accounts over HTTP against the real web server (gunicorn, two workers) with PostgreSQL and a
redis-server of its own for the login counts: sessions that really end, the second factor for every
role, lockout per account, and exactly one audit entry for each audited action."""

import os
import subprocess
from contextlib import ExitStack
from datetime import datetime, timedelta, timezone

import pytest
import requests
from sqlalchemy import create_engine, select, update

from bot.storage.schema import accounts as accounts_table
from bot.storage.schema import audit_log, portal_sessions, recovery_codes
from tests.e2e.conftest import BIN, ROOT
from tests.e2e.portal_client import PortalClient, ready_account
from tests.unit.conftest import POSTGRES_URL
from tests.unit.portal_support import ORG_A, ORG_B, handoff_for
from tools.cluster import RedisServer, Unavailable, free_port, scratch_database, wait_for_start

pytestmark = pytest.mark.e2e
SECRET_KEY = "e2e-portal-security"
HOMES = {
    "supporter": "/portaal/aanmeldingen",
    "coordinator": "/portaal/aanmeldingen",
    "administrator": "/portaal/beheer/accounts",
    "staff": "/portaal/statistiek",
}


class Portal:
    """The web server as production runs it: two gunicorn workers sharing PostgreSQL and Redis."""

    def __init__(self, tmp, database_url: str, redis_url: str) -> None:
        self.database_url = database_url
        self.url = f"http://127.0.0.1:{free_port()}"
        env = {
            **os.environ,
            "WEGWIJS_DATABASE_URL": database_url,
            "WEGWIJS_SECRET_KEY": SECRET_KEY,
            "WEGWIJS_PUBLIC_URL": self.url,
            "WEGWIJS_RATE_LIMIT_STORAGE": redis_url,
        }
        self.process = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "--workers",
                "2",
                "--threads",
                "4",
                "--bind",
                self.url[len("http://") :],
                "bot.web.app:create_app()",
            ],
            cwd=ROOT,
            env=env,
            stdout=open(tmp / "web.log", "wb"),
            stderr=subprocess.STDOUT,
        )
        wait_for_start(
            lambda: requests.get(f"{self.url}/health", timeout=2).ok, self.process, "the web server"
        )

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(30)


@pytest.fixture(scope="module")
def portal(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("portal-security")
    with ExitStack() as cleanup:
        try:
            redis = RedisServer(tmp)
            database = cleanup.enter_context(scratch_database(POSTGRES_URL))
        except Unavailable as error:
            pytest.skip(str(error))
        redis.start()
        cleanup.callback(redis.stop)
        served = Portal(
            tmp, database.render_as_string(hide_password=False), f"redis://127.0.0.1:{redis.port}/0"
        )
        cleanup.callback(served.stop)
        yield served


def account(portal, role, organisation=None):
    return ready_account(portal.database_url, SECRET_KEY, role, organisation)


def logged_in(portal, role, organisation=None):
    client = PortalClient(portal.url)
    owner = account(portal, role, organisation)
    assert client.login(owner.email).url.endswith(HOMES[role])
    return client, owner


def _sql(portal, statement):
    engine = create_engine(portal.database_url)
    try:
        with engine.begin() as connection:
            return (
                connection.execute(statement).all() if statement.is_select else connection.execute(statement)
            )
    finally:
        engine.dispose()


def thief_with_cookies_of(client: PortalClient) -> PortalClient:
    thief = PortalClient(client.base)
    thief.session.cookies.update(client.session.cookies)
    thief.session.headers["User-Agent"] = client.session.headers["User-Agent"]
    return thief


def test_a_session_cookie_copied_before_logout_is_refused_after_it(portal):
    client, _ = logged_in(portal, "supporter", ORG_A)
    thief = thief_with_cookies_of(client)
    assert (
        thief.get("/portaal/aanmeldingen").status_code == 200
    )  # a copied cookie works while the session does
    client.submit("/portaal/uitloggen", {}, form_page="/portaal/account")
    refused = thief.get("/portaal/aanmeldingen", allow_redirects=False)
    assert refused.status_code == 302 and "/portaal/inloggen" in refused.headers["Location"]


@pytest.mark.parametrize(
    "column, age", [("last_seen_at", timedelta(minutes=31)), ("created_at", timedelta(hours=8, minutes=1))]
)
def test_a_session_ends_after_30_minutes_idle_and_8_hours_in_all(portal, column, age):
    client, owner = logged_in(portal, "coordinator", ORG_A)
    assert client.get("/portaal/logboek").status_code == 200
    # The clock moved on: the session's record says it was last used (or started) that long ago.
    _sql(
        portal,
        update(portal_sessions)
        .where(portal_sessions.c.account_id == owner.id)
        .values(**{column: datetime.now(timezone.utc) - age}),
    )
    answer = client.get("/portaal/logboek", allow_redirects=False)
    assert answer.status_code == 302 and "/portaal/inloggen" in answer.headers["Location"]
    assert client.get("/portaal/logboek", allow_redirects=False).status_code == 302  # and it stays ended


@pytest.mark.parametrize(
    "role, organisation",
    [("supporter", ORG_A), ("coordinator", ORG_A), ("administrator", None), ("staff", None)],
)
def test_every_role_needs_the_second_factor(portal, role, organisation):
    owner = account(portal, role, organisation)
    client = PortalClient(portal.url)
    assert client.password_step(owner.email).headers["Location"].endswith("/portaal/tweede-stap")
    for page in set(HOMES.values()) | {"/portaal/account"}:
        answer = client.get(page, allow_redirects=False)
        assert answer.status_code == 302 and "/portaal/inloggen" in answer.headers["Location"], page
    wrong = client.submit("/portaal/tweede-stap", {"code": "000000"})
    assert wrong.status_code == 401 and "klopt niet" in wrong.text
    assert client.login(owner.email).url.endswith(HOMES[role])


def test_a_new_account_sets_its_own_password_and_app_through_a_one_time_link(portal):
    import re

    import pyotp

    admin, _ = logged_in(portal, "administrator")
    page = admin.submit(
        "/portaal/beheer/accounts",
        {"email": "nieuw-e2e@portal.example", "name": "Nieuw", "role": "supporter", "organisation": ORG_B},
    ).text
    link = re.search(rf"{re.escape(portal.url)}(/portaal/wachtwoord-instellen/[^<\s]+)", page).group(1)
    new = PortalClient(portal.url)
    assert new.submit(
        link, {"new": "een zin als wachtwoord", "repeat": "een zin als wachtwoord"}
    ).url.endswith("/portaal/inloggen")
    assert new.get(link).status_code == 404 and "werkt niet meer" in new.get(link).text  # used: dead
    enrol = new.get(
        new.password_step("nieuw-e2e@portal.example", "een zin als wachtwoord").headers["Location"]
    ).text
    assert "<svg" in enrol  # the QR code
    secret = re.search(r"Sleutel: <code>([A-Z2-7 ]+)</code>", enrol).group(1).replace(" ", "")
    codes = new.submit("/portaal/tweede-stap/instellen", {"code": pyotp.TOTP(secret).now()}).text
    recovery = re.findall(r"<code>([A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4})</code>", codes)
    assert len(recovery) == 10 and new.get("/portaal/aanmeldingen").status_code == 200
    stored = _sql(
        portal,
        select(accounts_table.c.totp_secret, recovery_codes.c.code_hash)
        .join(recovery_codes, recovery_codes.c.account_id == accounts_table.c.id)
        .where(accounts_table.c.email == "nieuw-e2e@portal.example"),
    )
    assert len(stored) == 10 and secret not in str(stored)  # the secret encrypted, the codes hashed
    assert not [code for code in recovery if code in str(stored) or code.replace("-", "") in str(stored)]
    # A lost phone: a recovery code works once.
    new.submit("/portaal/uitloggen", {}, form_page="/portaal/account")
    again = PortalClient(portal.url)
    again.password_step("nieuw-e2e@portal.example", "een zin als wachtwoord")
    assert again.submit("/portaal/tweede-stap", {"code": recovery[0]}).url.endswith("/portaal/aanmeldingen")
    third = PortalClient(portal.url)
    third.password_step("nieuw-e2e@portal.example", "een zin als wachtwoord")
    assert third.submit("/portaal/tweede-stap", {"code": recovery[0]}).status_code == 401


def test_wrong_passwords_lock_that_account_in_every_worker_and_no_other(portal):
    target, colleague = account(portal, "supporter", ORG_A), account(portal, "supporter", ORG_A)
    attacker = PortalClient(portal.url)
    # Each attempt is a new connection, so both gunicorn workers take some: the count is in Redis.
    statuses = [
        PortalClient(portal.url).password_step(target.email, "geraden wachtwoord").status_code
        for _ in range(6)
    ]
    assert statuses == [401] * 5 + [429]
    assert attacker.login(target.email).status_code == 429  # the right password too, for now
    assert "Wacht een kwartier" in attacker.login(target.email).text
    assert PortalClient(portal.url).login(colleague.email).url.endswith("/portaal/aanmeldingen")


def test_each_audited_action_leaves_exactly_one_entry(portal):
    handoff = handoff_for(portal.database_url, ORG_A, key=f"audit-{free_port()}")
    since = datetime.now(timezone.utc)
    client, owner = logged_in(portal, "supporter", ORG_A)
    page = f"/portaal/aanmeldingen/{handoff.reference}"
    client.get(page)
    client.get(f"{page}/afdrukken")
    client.submit(f"{page}/oppakken", {}, form_page="/portaal/account")  # a token from a page that is no view
    client.submit(
        "/portaal/wachtwoord",
        {
            "current": "correct horse battery",
            "new": "een nieuw lang wachtwoord",
            "repeat": "een nieuw lang wachtwoord",
        },
    )
    client.submit("/portaal/uitloggen", {}, form_page="/portaal/account")
    PortalClient(portal.url).password_step(owner.email, "het oude wachtwoord niet")
    admin, admin_account = logged_in(portal, "administrator")
    admin.submit(f"/portaal/beheer/accounts/{owner.id}/blokkeren", {}, form_page="/portaal/beheer/accounts")
    new_coordinator = f"coordinator-{free_port()}@portal.example"
    admin.submit(
        "/portaal/beheer/accounts",
        {"email": new_coordinator, "name": "Nieuw", "role": "coordinator", "organisation": ORG_B},
    )

    entries = _sql(
        portal,
        select(
            audit_log.c.account_email,
            audit_log.c.action,
            audit_log.c.reference,
            audit_log.c.subject_email,
            audit_log.c.organisation_id,
            audit_log.c.detail,
        )
        .where(audit_log.c.at >= since)
        .order_by(audit_log.c.id),
    )
    mine = [(e.action, e.reference) for e in entries if owner.email in (e.account_email, e.subject_email)]
    assert mine == [
        ("account_created", None),
        ("password_set", None),
        ("second_factor_enrolled", None),
        ("login", None),
        ("viewed", handoff.reference),
        ("printed", handoff.reference),
        ("picked_up", handoff.reference),
        ("viewed", handoff.reference),  # shown again after it
        ("password_changed", None),
        ("logout", None),
        ("login_failed", None),
        ("account_blocked", None),
    ]
    [created] = [e for e in entries if e.subject_email == new_coordinator]
    # An administrator making a coordinator for any organisation: the trace names both, and the role.
    assert (created.account_email, created.organisation_id, created.detail) == (
        admin_account.email,
        ORG_B,
        "coordinator",
    )
    # The organisation's coordinator reads it in their log; the administrator reads no handoff entries.
    coordinator, _ = logged_in(portal, "coordinator", ORG_B)
    assert created.subject_email in coordinator.get("/portaal/logboek").text
    assert handoff.reference not in admin.get("/portaal/beheer/logboek").text
    assert owner.email in admin.get("/portaal/beheer/logboek").text
