"""A portal on a test database, with accounts, handoffs and a browser-like client that logs in."""

import dataclasses
import re
from datetime import datetime, timedelta, timezone
from typing import Dict, Optional

import pyotp

from bot.access import accounts, second_factor
from bot.handoff.store import HandoffStore, StoredHandoff
from bot.settings import read_settings
from bot.web.app import create_app
from tests.unit.handoff.test_handoff_store import full_record

PASSWORD = "correct horse battery"
ORG_A = "meedenkers-voorbeeldstad"
ORG_B = "geldwijs-voorbeeldstad"


# The authenticator app of every test account: its TOTP secret, by e-mail address.
SECRETS: Dict[str, str] = {}


class Clock:
    """The portal's clock in unit tests: moved on by the test, so timeouts need no sleeping."""

    def __init__(self) -> None:
        self.now = datetime.now(timezone.utc)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta) -> None:
        self.now += timedelta(**delta)


def portal_app(database_url: str, **changes):
    settings = dataclasses.replace(
        read_settings(),
        database_url=database_url,
        secret_key="unit-tests",
        public_url="http://portal.example",
        **changes,
    )
    app = create_app(settings)
    app.config["TESTING"] = True
    app.config["WEGWIJS_CLOCK"] = app.extensions["wegwijs_db"].test_clock = Clock()
    return app


def code_for(email: str, moment: datetime) -> str:
    return pyotp.TOTP(SECRETS[email]).at(moment)


def set_password(db, account, password: str = PASSWORD, secret_key: str = "unit-tests") -> None:
    """What the owner does with their one-time link."""
    link = accounts.password_link(db, account, secret_key, "http://portal.example")
    accounts.set_password_from_link(db, link.rsplit("/", 1)[1], secret_key, password)


def enrol(db, account, moment: datetime, secret_key: str = "unit-tests") -> None:
    """Sets up the account's authenticator app, confirmed with the code of the time step before
    `moment`, so a login at `moment` has a code that was not used yet."""
    SECRETS[account.email] = second_factor.secret_for_enrolment(db, account, secret_key)
    second_factor.confirm(
        db, account, code_for(account.email, moment - timedelta(seconds=30)), moment, secret_key
    )


def _token(page: bytes) -> str:
    found = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', page) or re.search(
        rb'value="([^"]+)"[^>]*name="csrf_token"', page
    )
    return found.group(1).decode()


class Browser:
    """A test client that fills in forms the way a supporter's browser does, CSRF token included."""

    def __init__(self, app) -> None:
        self.client = app.test_client()
        self.clock = app.config["WEGWIJS_CLOCK"]

    def password_step(self, email: str, password: str = PASSWORD):
        return self.submit("/portaal/inloggen", "/portaal/inloggen", {"email": email, "password": password})

    def login(self, email: str, password: str = PASSWORD):
        """Password, then the code from the account's app; the answer to the last step."""
        response = self.password_step(email, password)
        if response.status_code != 302 or not response.headers["Location"].endswith("/portaal/tweede-stap"):
            return response
        response = self.submit(
            "/portaal/tweede-stap", "/portaal/tweede-stap", {"code": code_for(email, self.clock())}
        )
        self.clock.advance(seconds=30)  # the next login gets a new code: a used one is refused
        return response

    def get(self, path: str):
        return self.client.get(path)

    def submit(self, page_path: str, action: str, data: Optional[dict] = None):
        """Posts a form found on page_path, with the token that page carries."""
        token = _token(self.client.get(page_path).data)
        return self.client.post(action, data={**(data or {}), "csrf_token": token})


def make_account(db, role: str, organisation: Optional[str] = None, email: Optional[str] = None):
    """An account whose owner has set PASSWORD and their second factor, as after their first login
    (at the time of the portal's clock, when the database is a test portal's)."""
    clock = getattr(db, "test_clock", None)
    email = email or f"{role}.{organisation or 'gemeente'}@portal.example"
    account = accounts.create_account(
        db, email, f"{role.title()} {organisation or ''}".strip(), role, organisation
    )
    set_password(db, account)
    enrol(db, account, clock() if clock else datetime.now(timezone.utc))
    return account


def handoff_for(database_url: str, organisation: str = ORG_A, key: str = "k1") -> StoredHandoff:
    store = HandoffStore(database_url)
    stored = store.store(full_record(conversation_id=f"conv-{key}", key=key, organisation_id=organisation))
    store.close()
    return stored
