"""Who may do what in the portal: one table, asked through `can(account_or_role, permission)`.

The portal's views, its menu, casework and the audit log ask `can` instead of comparing roles.
Seeing a case needs the permission *and* an organisation: a supporter or coordinator sees only the
handoffs routed to their own organisation (`bot.handoff.casework.visible_to`). README.md's section
"Who may do what" shows this table; a test keeps the two equal.
"""

from __future__ import annotations

from enum import Enum
from typing import Dict, FrozenSet, Union

from bot.contract import ADMINISTRATOR, COORDINATOR, ROLES, STAFF, SUPPORTER


class Permission(Enum):
    VIEW_CASES = "view_cases"  # the inbox, one handoff, its print view
    WORK_ON_CASES = "work_on_cases"  # pick up, add a note, record the outcome
    REASSIGN = "reassign"  # hand a handoff to another organisation
    READ_ORGANISATION_LOG = "read_organisation_log"  # the audit log of one's own organisation
    VIEW_ORGANISATIONS = "view_organisations"  # the organisations and their notification problems
    VIEW_RETENTION = "view_retention"  # how the last retention run went
    MANAGE_ACCOUNTS = "manage_accounts"  # create, block, unblock; new password link; reset the second factor
    READ_ACCOUNT_LOG = "read_account_log"  # the audit log of accounts and statistics
    VIEW_STATISTICS = "view_statistics"  # the dashboard and its charts
    EXPORT_STATISTICS = "export_statistics"  # a figure as CSV
    VIEW_FREE_TEXT = "view_free_text"  # residents' de-identified own words


P = Permission
PERMISSIONS: Dict[str, FrozenSet[Permission]] = {
    SUPPORTER: frozenset({P.VIEW_CASES, P.WORK_ON_CASES}),
    COORDINATOR: frozenset(
        {
            P.VIEW_CASES,
            P.WORK_ON_CASES,
            P.REASSIGN,
            P.READ_ORGANISATION_LOG,
            P.VIEW_ORGANISATIONS,
            P.VIEW_STATISTICS,
            P.EXPORT_STATISTICS,
        }
    ),
    ADMINISTRATOR: frozenset(
        {
            P.VIEW_ORGANISATIONS,
            P.VIEW_RETENTION,
            P.MANAGE_ACCOUNTS,
            P.READ_ACCOUNT_LOG,
            P.VIEW_STATISTICS,
            P.EXPORT_STATISTICS,
            P.VIEW_FREE_TEXT,
        }
    ),
    STAFF: frozenset({P.VIEW_STATISTICS, P.EXPORT_STATISTICS}),
}
assert set(PERMISSIONS) == set(ROLES), "every role of the contract has a row"


def can(account_or_role: Union[str, object], permission: Union[Permission, str]) -> bool:
    """True when the role (a role name, or anything with a `role`, such as an Account) has the permission.

    An unknown role may do nothing; an unknown permission name is a mistake and raises ValueError.
    """
    role = account_or_role if isinstance(account_or_role, str) else getattr(account_or_role, "role", None)
    wanted = Permission(permission)
    return isinstance(role, str) and wanted in PERMISSIONS.get(role, frozenset())


def roles_that_can(permission: Union[Permission, str]) -> tuple:
    """The roles with this permission, in the contract's order."""
    return tuple(role for role in ROLES if can(role, permission))
