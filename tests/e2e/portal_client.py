"""A browser on the real portal over HTTP: a cookie session that fills in forms with their CSRF token
and logs in as people do, with the password and then the code from their authenticator app."""

import re
import secrets
from datetime import datetime, timezone
from typing import Optional

import pyotp
import requests

from bot.access import accounts
from bot.storage.database import Database
from tests.unit.portal_support import PASSWORD, SECRETS, enrol, set_password


def ready_account(
    database_url: str,
    secret_key: str,
    role: str,
    organisation: Optional[str] = None,
    email: Optional[str] = None,
) -> accounts.Account:
    """An account whose owner used their one-time link and set up the app (SECRETS has its secret)."""
    db = Database(database_url)
    db.migrate()
    email = email or f"{role}-{organisation or 'gemeente'}-{secrets.token_hex(3)}@e2e.example"
    account = accounts.create_account(
        db, email, f"{role.title()} {organisation or ''}".strip(), role, organisation
    )
    set_password(db, account, secret_key=secret_key)
    enrol(db, account, datetime.now(timezone.utc), secret_key)
    db.close()
    return account


class PortalClient:
    def __init__(self, base_url: str) -> None:
        self.base = base_url
        self.session = requests.Session()

    def get(self, path: str, **options) -> requests.Response:
        return self.session.get(self.base + path, timeout=60, **options)

    def submit(self, path: str, data: dict, form_page: Optional[str] = None, **options) -> requests.Response:
        page = self.get(form_page or path).text
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
        return self.session.post(self.base + path, data={**data, "csrf_token": token}, timeout=60, **options)

    def password_step(self, email: str, password: str = PASSWORD) -> requests.Response:
        return self.submit("/portaal/inloggen", {"email": email, "password": password}, allow_redirects=False)

    def login(self, email: str, password: str = PASSWORD) -> requests.Response:
        """Both steps; the page the portal lands on (or the refusal of the password)."""
        answer = self.password_step(email, password)
        if answer.status_code != 302:
            return answer
        return self.submit("/portaal/tweede-stap", {"code": pyotp.TOTP(SECRETS[email]).now()})
