"""The audit log: logins, account changes, and every view, print, change and export of what residents told.

Append-only: `record` is the one way in, `purge_before` the one way out (the retention period);
nothing updates an entry, and in PostgreSQL a trigger refuses any other UPDATE or DELETE
(migration 0004). Entries hold codes, references and account e-mail addresses: never what a
resident wrote, and never what someone typed into the login form.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import TYPE_CHECKING, Optional

from sqlalchemy import delete, select, text

from bot.access.permissions import Permission, can
from bot.storage.database import Database
from bot.storage.schema import audit_log

if TYPE_CHECKING:
    from bot.access.accounts import Account

HANDOFF_ACTIONS = (
    "viewed",
    "printed",
    "picked_up",
    "note",
    "contacted",
    "referred",
    "closed",
    "reassigned",
    "deleted",
)
ACCOUNT_ACTIONS = (
    "login",
    "login_failed",
    "logout",
    "account_created",
    "account_blocked",
    "account_activated",
    "password_link",
    "password_set",
    "password_changed",
    "second_factor_enrolled",
    "second_factor_reset",
)
STATISTICS_ACTIONS = ("statistics_viewed", "statistics_exported", "free_text_viewed")
# Who reads what: coordinators their own organisation's entries, administrators everything but handoffs.
ADMINISTRATOR_ACTIONS = ACCOUNT_ACTIONS + STATISTICS_ACTIONS


def record(
    session,
    action: str,
    actor: Optional["Account"] = None,
    *,
    actor_label: Optional[str] = None,
    subject: Optional["Account"] = None,
    organisation_id: Optional[str] = None,
    reference: Optional[str] = None,
    detail: Optional[str] = None,
) -> None:
    """Adds one entry in the caller's transaction, so the entry and what it records stand or fall together.

    The organisation is the handoff's (given), else the account's the event is about, else the actor's:
    that organisation's coordinator reads the entry.
    """
    if action not in HANDOFF_ACTIONS + ADMINISTRATOR_ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    if organisation_id is None:
        whose = subject or actor
        organisation_id = whose.organisation_id if whose else None
    session.execute(
        audit_log.insert().values(
            at=datetime.now(timezone.utc),
            action=action,
            reference=reference,
            detail=detail,
            account_id=actor.id if actor else None,
            account_email=actor.email if actor else actor_label,
            organisation_id=organisation_id,
            subject_account_id=subject.id if subject else None,
            subject_email=subject.email if subject else None,
        )
    )


def write(db: Database, action: str, actor: Optional["Account"] = None, **details) -> None:
    """`record` in a transaction of its own, for events that change nothing else (a view, an export)."""
    with db.transaction() as session:
        record(session, action, actor, **details)


def entries_for(db: Database, account: "Account", limit: int = 200) -> list:
    """The entries this account may read, newest first; none for supporters and staff."""
    if can(account, Permission.READ_ORGANISATION_LOG):
        condition = audit_log.c.organisation_id == account.organisation_id
    elif can(account, Permission.READ_ACCOUNT_LOG):
        condition = audit_log.c.action.in_(ADMINISTRATOR_ACTIONS)
    else:
        return []
    query = (
        select(audit_log).where(condition).order_by(audit_log.c.at.desc(), audit_log.c.id.desc()).limit(limit)
    )
    with db.transaction() as session:
        return session.execute(query).all()


def purge_before(db: Database, cutoff: datetime) -> int:
    """Deletes entries older than `cutoff` (the retention period); the only delete there is."""
    with db.transaction() as session:
        if session.bind.dialect.name == "postgresql":
            # Lets the append-only trigger pass this transaction's DELETE, and nothing after it.
            session.execute(text("SET LOCAL wegwijs.audit_purge = 'on'"))
        return session.execute(delete(audit_log).where(audit_log.c.at < cutoff)).rowcount
