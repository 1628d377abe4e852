"""A supporter's work on handoffs: who may see which, the inbox, picking up, notes, outcome, reassigning.

Every read of a handoff's personal data goes through `open_handoff`, which writes the audit log.
A handoff someone may not see is "not found", so guessing references or ids reveals nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any, Dict, List, Optional

from sqlalchemy import and_, false, func, select, update

from bot import catalogue
from bot.access import audit
from bot.access.accounts import Account
from bot.access.permissions import Permission, can
from bot.contract import CLOSED, HANDOFF_STATUSES, NEW, PICKED_UP, WITHDRAWN
from bot.handoff.store import StoredHandoff, add_event, from_row, normalise_reference
from bot.storage.database import Database
from bot.storage.schema import accounts, handoff_events, handoffs

OUTCOMES = ("contacted", "referred", "closed")
# Outcomes that end the supporter's work on the handoff.
CLOSING_OUTCOMES = ("referred", "closed")
INBOX_STATUSES = HANDOFF_STATUSES


class CaseworkError(ValueError):
    """A step that does not fit the handoff's state; the message is Dutch, for the portal."""


@dataclass(frozen=True)
class InboxFilter:
    status: str = NEW
    life_domain: Optional[str] = None
    urgency: Optional[str] = None
    older_than_days: Optional[int] = None


@dataclass(frozen=True)
class Event:
    at: datetime
    kind: str
    account_name: Optional[str]
    organisation_id: Optional[str]
    text: Optional[str]


@dataclass(frozen=True)
class Case:
    """A handoff as the portal shows it: the stored intake and its timeline."""

    handoff: StoredHandoff
    timeline: List[Event]
    assigned_name: Optional[str]


def visible_to(account: Account):
    """The handoffs an account may see: those routed to its own organisation, if its role may see cases."""
    if not can(account, Permission.VIEW_CASES) or not account.organisation_id:
        return false()
    return handoffs.c.organisation_id == account.organisation_id


def inbox(db: Database, account: Account, wanted: InboxFilter) -> List[StoredHandoff]:
    """The list view: no audit entry, the list shows no free text or contact details."""
    conditions = [visible_to(account), handoffs.c.status == wanted.status]
    if wanted.urgency:
        conditions.append(handoffs.c.urgency == wanted.urgency)
    if wanted.older_than_days:
        since = datetime.now(timezone.utc) - timedelta(days=wanted.older_than_days)
        conditions.append(handoffs.c.created_at < since)
    query = select(handoffs).where(and_(*conditions)).order_by(handoffs.c.created_at)
    with db.transaction() as session:
        found = [from_row(dict(row._mapping)) for row in session.execute(query)]
    # life_domains is a JSON list: filtered here, the same way on SQLite and PostgreSQL.
    return [h for h in found if not wanted.life_domain or wanted.life_domain in h.intake.life_domains]


def counts(db: Database, account: Account) -> dict:
    query = select(handoffs.c.status, func.count()).where(visible_to(account)).group_by(handoffs.c.status)
    with db.transaction() as session:
        return dict(session.execute(query).all())


def _find(session, account: Account, reference: str) -> Optional[StoredHandoff]:
    row = session.execute(
        select(handoffs).where(handoffs.c.reference == normalise_reference(reference), visible_to(account))
    ).first()
    return from_row(dict(row._mapping)) if row else None


def _audit(session, account: Account, handoff: StoredHandoff, action: str) -> None:
    audit.record(
        session, action, account, organisation_id=handoff.organisation_id, reference=handoff.reference
    )


def open_handoff(db: Database, account: Account, reference: str, purpose: str = "viewed") -> Optional[Case]:
    """The whole handoff for one who may see it, written to the audit log; None otherwise."""
    with db.transaction() as session:
        handoff = _find(session, account, reference)
        if handoff is None:
            return None
        _audit(session, account, handoff, purpose)
        names = dict(session.execute(select(accounts.c.id, accounts.c.name)).all())
        rows = session.execute(
            select(handoff_events)
            .where(handoff_events.c.handoff_id == handoff.id)
            .order_by(handoff_events.c.at, handoff_events.c.id)
        ).all()
    timeline = [Event(r.at, r.kind, names.get(r.account_id), r.organisation_id, r.text) for r in rows]
    return Case(handoff, timeline, names.get(handoff.assigned_account_id))


def _change(
    db: Database,
    account: Account,
    reference: str,
    action: str,
    check,
    values: dict,
    event_text: Optional[str] = None,
    organisation_id: Optional[str] = None,
) -> StoredHandoff:
    """One step on a visible handoff: checks its state, updates it, adds timeline and audit lines."""
    with db.transaction() as session:
        handoff = _find(session, account, reference)
        if handoff is None:
            raise CaseworkError(catalogue.text("portal.casework.not_visible"))
        check(handoff)
        assert handoff.id is not None  # read from the table
        if values:
            session.execute(update(handoffs).where(handoffs.c.id == handoff.id).values(**values))
        add_event(
            session,
            handoff.id,
            action,
            account_id=account.id,
            organisation_id=organisation_id,
            text=event_text,
        )
        _audit(session, account, handoff, action)
    return handoff


def _open(handoff: StoredHandoff) -> None:
    if handoff.status == WITHDRAWN:
        raise CaseworkError(catalogue.text("portal.casework.withdrawn"))
    if handoff.status == CLOSED:
        raise CaseworkError(catalogue.text("portal.casework.closed"))


def pick_up(db: Database, account: Account, reference: str) -> None:
    def check(handoff: StoredHandoff) -> None:
        _open(handoff)
        if handoff.status == PICKED_UP:
            raise CaseworkError(catalogue.text("portal.casework.picked_up"))

    now = datetime.now(timezone.utc)
    _change(
        db,
        account,
        reference,
        "picked_up",
        check,
        {"status": PICKED_UP, "assigned_account_id": account.id, "picked_up_at": now},
    )


def add_note(db: Database, account: Account, reference: str, note: str) -> None:
    note = note.strip()
    if not note:
        raise CaseworkError(catalogue.text("portal.casework.note_empty"))

    def check(handoff: StoredHandoff) -> None:
        if handoff.status == WITHDRAWN:
            raise CaseworkError(catalogue.text("portal.casework.withdrawn"))

    _change(db, account, reference, "note", check, {}, event_text=note[:4000])


def record_outcome(db: Database, account: Account, reference: str, outcome: str, reason: str = "") -> None:
    if outcome not in OUTCOMES:
        raise CaseworkError(catalogue.text("portal.casework.choose_outcome"))
    if outcome == "closed" and not reason.strip():
        raise CaseworkError(catalogue.text("portal.casework.reason_needed"))

    def check(handoff: StoredHandoff) -> None:
        _open(handoff)
        if handoff.status != PICKED_UP:
            raise CaseworkError(catalogue.text("portal.casework.pick_up_first"))

    values: Dict[str, Any] = {"outcome": outcome}
    if outcome in CLOSING_OUTCOMES:
        values.update(status=CLOSED, closed_at=datetime.now(timezone.utc))
    _change(db, account, reference, outcome, check, values, event_text=reason.strip()[:4000] or None)


def reassign(
    db: Database, account: Account, reference: str, organisation_id: str, known_organisations: List[str]
) -> None:
    """A coordinator hands a handoff to another organisation (or back to their own inbox as new)."""
    if not can(account, Permission.REASSIGN):
        raise CaseworkError(catalogue.text("portal.casework.coordinator_only"))
    if organisation_id not in known_organisations:
        raise CaseworkError(catalogue.text("portal.casework.choose_mapped_organisation"))
    values = {
        "organisation_id": organisation_id,
        "organisation_choice": "matched",
        "status": NEW,
        "assigned_account_id": None,
        "picked_up_at": None,
    }
    _change(db, account, reference, "reassigned", _open, values, organisation_id=organisation_id)
