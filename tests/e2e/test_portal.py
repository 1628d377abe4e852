"""A real conversation ends in a handoff that the right supporter handles in the portal, over HTTP."""

import secrets

import pytest
import requests

from bot.handoff.store import REFERENCE_ALPHABET, REFERENCE_PREFIX
from tests.e2e.conftest import text_of
from tests.e2e.intake_path import complete_intake, press, reference_in
from tests.e2e.portal_client import PortalClient, ready_account

pytestmark = pytest.mark.e2e
SECRET_KEY = "e2e-tests-only"  # the servers' WEGWIJS_SECRET_KEY


class Supporter(PortalClient):
    """A supporter's browser, logged in with password and code."""

    def __init__(self, servers, organisation: str) -> None:
        super().__init__(servers.web_url)
        self.email = ready_account(servers.database_url, SECRET_KEY, "supporter", organisation).email
        assert self.login(self.email).url.endswith("/portaal/aanmeldingen")


def test_the_chosen_organisation_handles_the_handoff_and_no_other_can_reach_it(resident, servers):
    reference = reference_in(complete_intake(resident, organisation="GeldWijs"))
    supporter = Supporter(servers, "geldwijs-voorbeeldstad")

    assert reference in supporter.get("/portaal/aanmeldingen").text
    page = f"/portaal/aanmeldingen/{reference}"
    detail = supporter.get(page).text
    for told in (
        "een betalingsregeling",
        "dat ik in mijn huis kan blijven wonen",
        "06 12345678",
        "zo snel mogelijk",
        "voor uzelf",
        "Wilt u dat",
    ):
        assert told in detail
    supporter.submit(f"{page}/oppakken", {}, form_page=page)
    supporter.submit(f"{page}/uitkomst", {"outcome": "contacted", "reason": ""}, form_page=page)
    supporter.submit(
        f"{page}/uitkomst", {"outcome": "closed", "reason": "Betalingsregeling getroffen"}, form_page=page
    )
    assert "Afgesloten" in supporter.get(page).text
    assert reference in supporter.get("/portaal/aanmeldingen?status=closed").text

    other = Supporter(servers, "meedenkers-voorbeeldstad")
    assert reference not in other.get("/portaal/aanmeldingen?status=closed").text
    assert other.get(page).status_code == 404 and other.get(f"{page}/afdrukken").status_code == 404
    guesses = [
        REFERENCE_PREFIX + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(6)) for _ in range(20)
    ]
    assert {other.get(f"/portaal/aanmeldingen/{guess}").status_code for guess in guesses} == {404}
    assert "betalingsregeling" not in other.get(page).text


def test_a_withdrawal_in_the_conversation_shows_in_the_portal_at_once(resident, servers):
    replies = complete_intake(resident, organisation="GeldWijs")
    reference = reference_in(replies)
    replies = press(resident, replies, "Aanvraag intrekken")
    assert reference in text_of(replies)
    replies = press(resident, replies, "Ja, intrekken")
    assert "is ingetrokken" in text_of(replies)

    supporter = Supporter(servers, "geldwijs-voorbeeldstad")
    detail = supporter.get(f"/portaal/aanmeldingen/{reference}").text
    assert "ingetrokken" in detail and "06 12345678" not in detail and "betalingsregeling" not in detail
    assert reference in supporter.get("/portaal/aanmeldingen?status=withdrawn").text


def test_the_portal_needs_a_login_over_http(servers):
    response = requests.get(f"{servers.web_url}/portaal/aanmeldingen", allow_redirects=False, timeout=10)
    assert response.status_code == 302 and "/portaal/inloggen" in response.headers["Location"]
    assert (
        requests.post(
            f"{servers.web_url}/portaal/inloggen", data={"email": "a@b.example", "password": "x"}, timeout=10
        ).status_code
        == 400
    )  # no CSRF token
