"""Who may do what (bot/access/permissions.py): the table, the pages as each role meets them, the README."""

import re

import pytest

from bot import contract
from bot.access.accounts import Account
from bot.access.permissions import PERMISSIONS, Permission, can, roles_that_can
from bot.handoff import casework
from bot.settings import PROJECT_ROOT
from bot.statistics.report import FIGURES
from tests.unit.portal_support import ORG_A, ORG_B, Browser, handoff_for, make_account, portal_app

P = Permission
# One page per permission, as a person finds it in the portal (GET; 403 for those without it).
PAGES = {
    P.VIEW_CASES: "/portaal/aanmeldingen",
    P.READ_ORGANISATION_LOG: "/portaal/logboek",
    P.VIEW_ORGANISATIONS: "/portaal/beheer/organisaties",
    P.MANAGE_ACCOUNTS: "/portaal/beheer/accounts",
    P.READ_ACCOUNT_LOG: "/portaal/beheer/logboek",
    P.VIEW_STATISTICS: "/portaal/statistiek",
    P.EXPORT_STATISTICS: f"/portaal/statistiek/{next(iter(FIGURES))}.csv",
    P.VIEW_FREE_TEXT: "/portaal/statistiek/vrije-tekst",
}


def account(role: str, organisation=None) -> Account:
    return Account(
        id=1, email=f"{role}@portal.example", name=role, role=role, organisation_id=organisation, active=True
    )


def test_staff_see_statistics_but_no_case_no_account_and_no_free_text():
    assert can("staff", P.VIEW_STATISTICS) and can("staff", P.EXPORT_STATISTICS)
    for refused in (
        P.VIEW_CASES,
        P.WORK_ON_CASES,
        P.REASSIGN,
        P.MANAGE_ACCOUNTS,
        P.VIEW_FREE_TEXT,
        P.READ_ORGANISATION_LOG,
        P.READ_ACCOUNT_LOG,
        P.VIEW_ORGANISATIONS,
    ):
        assert not can("staff", refused), refused


def test_a_supporter_works_on_cases_but_reassigns_nothing_and_sees_no_statistics():
    assert can("supporter", P.VIEW_CASES) and can("supporter", P.WORK_ON_CASES)
    for refused in (
        P.REASSIGN,
        P.READ_ORGANISATION_LOG,
        P.VIEW_STATISTICS,
        P.MANAGE_ACCOUNTS,
        P.VIEW_ORGANISATIONS,
    ):
        assert not can("supporter", refused), refused


def test_a_coordinator_also_reassigns_and_reads_their_organisations_log_but_manages_no_accounts():
    assert PERMISSIONS["supporter"] < PERMISSIONS["coordinator"]
    for allowed in (P.REASSIGN, P.READ_ORGANISATION_LOG, P.VIEW_ORGANISATIONS, P.VIEW_STATISTICS):
        assert can("coordinator", allowed), allowed
    for refused in (P.MANAGE_ACCOUNTS, P.READ_ACCOUNT_LOG, P.VIEW_FREE_TEXT, P.VIEW_RETENTION):
        assert not can("coordinator", refused), refused


def test_an_administrator_manages_accounts_and_reads_free_text_but_never_sees_a_case():
    for allowed in (
        P.MANAGE_ACCOUNTS,
        P.READ_ACCOUNT_LOG,
        P.VIEW_ORGANISATIONS,
        P.VIEW_RETENTION,
        P.VIEW_STATISTICS,
        P.VIEW_FREE_TEXT,
    ):
        assert can("administrator", allowed), allowed
    for refused in (P.VIEW_CASES, P.WORK_ON_CASES, P.REASSIGN, P.READ_ORGANISATION_LOG):
        assert not can("administrator", refused), refused


def test_can_takes_an_account_or_a_role_name_and_refuses_the_unknown():
    assert can(account("coordinator", ORG_A), P.REASSIGN) and can(account("coordinator", ORG_A), "reassign")
    assert not can(account("caretaker"), P.VIEW_STATISTICS) and not can(None, P.VIEW_STATISTICS)
    with pytest.raises(ValueError):
        can("administrator", "delete_everything")
    assert roles_that_can(P.VIEW_STATISTICS) == ("coordinator", "administrator", "staff")


def test_every_role_has_a_row_every_permission_a_role_and_cases_go_to_organisation_roles_only():
    assert set(PERMISSIONS) == set(contract.ROLES)
    assert set(P) == set().union(*PERMISSIONS.values())
    assert set(roles_that_can(P.VIEW_CASES)) == set(contract.ORGANISATION_ROLES)
    # Working on, reassigning or logging cases needs seeing them.
    for permission in (P.WORK_ON_CASES, P.REASSIGN):
        assert set(roles_that_can(permission)) <= set(roles_that_can(P.VIEW_CASES))


def test_a_supporter_sees_only_their_own_organisations_cases(sqlite_url):
    app = portal_app(sqlite_url)
    db = app.extensions["wegwijs_db"]
    own, other = handoff_for(sqlite_url, ORG_A, "k1"), handoff_for(sqlite_url, ORG_B, "k2")
    for role in contract.ORGANISATION_ROLES:
        seen = {h.reference for h in casework.inbox(db, account(role, ORG_A), casework.InboxFilter())}
        assert seen == {own.reference}
        assert casework.open_handoff(db, account(role, ORG_A), other.reference) is None
    # Without an organisation, or without the permission, nothing is visible.
    for who in (account("supporter"), account("administrator"), account("staff")):
        assert casework.inbox(db, who, casework.InboxFilter()) == []
    with pytest.raises(casework.CaseworkError):
        casework.reassign(db, account("supporter", ORG_A), own.reference, ORG_B, [ORG_A, ORG_B])
    db.close()


@pytest.mark.parametrize("role", contract.ROLES)
def test_each_role_opens_exactly_the_pages_and_menu_links_its_permissions_allow(sqlite_url, role):
    app = portal_app(sqlite_url)
    db = app.extensions["wegwijs_db"]
    organisation = ORG_A if role in contract.ORGANISATION_ROLES else None
    user = make_account(db, role, organisation)
    browser = Browser(app)
    assert browser.login(user.email).status_code == 302
    menu = browser.get("/portaal/account").data.decode()
    for permission, path in PAGES.items():
        expected = 200 if can(role, permission) else 403
        assert browser.get(path).status_code == expected, (role, permission, path)
        if permission != P.EXPORT_STATISTICS:
            assert (f'href="{path}"' in menu) == can(role, permission), (role, permission)
    db.close()


def _readme_table() -> dict:
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Who may do what\n", 1)[1].split("\n## ", 1)[0]
    lines = [line for line in section.splitlines() if line.startswith("|")]
    header = [cell.strip() for cell in lines[0].strip("|").split("|")]
    roles = header[2:]
    table = {role: set() for role in roles}
    for line in lines[2:]:
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        name = re.fullmatch(r"`([a-z_]+)`", cells[0]).group(1)
        for role, mark in zip(roles, cells[2:]):
            assert mark in ("yes", "—"), line
            if mark == "yes":
                table[role].add(Permission(name))
    assert [r for r in roles] == list(contract.ROLES)
    assert len(lines) - 2 == len(Permission)
    return table


def test_the_readme_shows_the_table_that_is_in_the_code():
    assert _readme_table() == {role: set(allowed) for role, allowed in PERMISSIONS.items()}
