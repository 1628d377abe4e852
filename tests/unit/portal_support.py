"""A portal on a test database, with accounts, handoffs and a browser-like client that logs in."""
import dataclasses
import re
from typing import Optional

from bot import accounts
from bot.handoff_store import HandoffStore, StoredHandoff
from bot.settings import get_settings
from bot.web import create_app
from tests.unit.test_handoff_store import full_record

PASSWORD = "correct horse battery"
ORG_A = "meedenkers-voorbeeldstad"
ORG_B = "geldwijs-voorbeeldstad"


def portal_app(database_url: str):
    settings = dataclasses.replace(get_settings(), database_url=database_url, secret_key="unit-tests",
                                   public_url="http://portal.example")
    app = create_app(settings)
    app.config["TESTING"] = True
    return app


def _token(page: bytes) -> str:
    found = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', page) or \
        re.search(rb'value="([^"]+)"[^>]*name="csrf_token"', page)
    return found.group(1).decode()


class Browser:
    """A test client that fills in forms the way a supporter's browser does, CSRF token included."""

    def __init__(self, app) -> None:
        self.client = app.test_client()

    def login(self, email: str, password: str = PASSWORD):
        page = self.client.get("/portaal/inloggen").data
        return self.client.post("/portaal/inloggen", data={"email": email, "password": password,
                                                           "csrf_token": _token(page)})

    def get(self, path: str):
        return self.client.get(path)

    def submit(self, page_path: str, action: str, data: Optional[dict] = None):
        """Posts a form found on page_path, with the token that page carries."""
        token = _token(self.client.get(page_path).data)
        return self.client.post(action, data={**(data or {}), "csrf_token": token})


def make_account(db, role: str, organisation: Optional[str] = None, email: Optional[str] = None):
    email = email or f"{role}.{organisation or 'gemeente'}@portal.example"
    return accounts.create_account(db, email, f"{role.title()} {organisation or ''}".strip(), PASSWORD, role,
                                   organisation)


def handoff_for(database_url: str, organisation: str = ORG_A, key: str = "k1") -> StoredHandoff:
    store = HandoffStore(database_url)
    stored = store.store(full_record(conversation_id=f"conv-{key}", key=key, organisation_id=organisation))
    store.close()
    return stored
