"""The durable handoff store: a resident's intake, stored once, for a client supporter to pick up.

No Rasa imports; the database and its migrations are `bot.storage.database`, the tables `bot.storage.schema`.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, fields
from datetime import datetime, timedelta, timezone
from typing import Any, Dict, List, Optional, Tuple

from sqlalchemy import and_, delete, exc, or_, select, update
from sqlalchemy.orm import Session

from bot.contract import DUTCH, LANGUAGES, NEW, WITHDRAWN
from bot.intake.steps import CONTACT_STEPS, FREE_TEXT_STEPS, Intake
from bot.storage.database import Database, StoreUnavailable
from bot.storage.schema import audit_log, handoff_events, handoffs, notifications

__all__ = ["HandoffRecord", "HandoffStore", "StoredHandoff", "StoreUnavailable", "normalise_reference"]

ORGANISATION_CHOICES = ("chosen", "matched", "none")
# Erased on withdrawal: whatever the resident wrote in their own words, and how to reach them.
# The coded answers (relation, life domains, phase, supporter kind) stay, for counts only.
ERASED_ON_WITHDRAWAL = FREE_TEXT_STEPS + CONTACT_STEPS

# Read aloud over the phone: no 0/O, 1/I/L. 31^6 is about 887 million references.
REFERENCE_PREFIX = "WW-"
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
REFERENCE_LENGTH = 6
REFERENCE_ATTEMPTS = 5


def new_reference() -> str:
    return REFERENCE_PREFIX + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))


def normalise_reference(text: str) -> str:
    """A reference as an operator may type it ("ww abc234", "WWABC234", "abc234") in stored form."""
    compact = re.sub(r"[\s-]", "", text.upper())
    if compact.startswith("WW") and len(compact) == len("WW") + REFERENCE_LENGTH:
        compact = compact[len("WW") :]
    return REFERENCE_PREFIX + compact


INTAKE_FIELDS = tuple(f.name for f in fields(Intake))


@dataclass(frozen=True)
class HandoffRecord:
    """What is stored: the intake, the organisation it goes to, and the consent that allows it.

    idempotency_key: the same (conversation, key) stored twice is one handoff, so a retried action
    or a double click never sends a resident's question twice.
    """

    conversation_id: str
    idempotency_key: str
    organisation_id: Optional[str]
    organisation_choice: str
    intake: Intake
    consent_text: str
    consent_at: datetime
    # Where the receiving organisation wants to hear of it: (channel, target) pairs, sent by the
    # notification worker from the outbox that is written in the same transaction.
    notify: Tuple[Tuple[str, str], ...] = ()
    # The language the resident spoke with the bot (a code of LANGUAGES): the supporter sees it, and
    # knows the resident's own words are in it.
    conversation_language: str = DUTCH

    def __post_init__(self) -> None:
        if not self.conversation_id or not self.idempotency_key:
            raise ValueError("a handoff needs a conversation id and an idempotency key")
        if self.organisation_choice not in ORGANISATION_CHOICES:
            raise ValueError(f"organisation_choice must be one of {ORGANISATION_CHOICES}")
        if (self.organisation_choice == "none") != (self.organisation_id is None):
            raise ValueError("an organisation id goes with 'chosen' or 'matched', and only with those")
        if not self.consent_text.strip():
            raise ValueError("a handoff needs the consent text the resident agreed to")
        if self.consent_at.tzinfo is None:
            raise ValueError("consent_at must be an aware datetime")
        if self.conversation_language not in LANGUAGES:
            raise ValueError(f"conversation_language must be one of {LANGUAGES}")


@dataclass(frozen=True)
class StoredHandoff:
    """What is read back: the handoff as a supporter or operator sees it."""

    reference: str
    created_at: datetime
    status: str
    organisation_id: Optional[str]
    organisation_choice: str
    conversation_id: str
    consent_text: str
    consent_at: datetime
    intake: Intake
    withdrawn_at: Optional[datetime] = None
    conversation_language: str = DUTCH
    # The supporter's side; absent on a handoff just stored.
    id: Optional[int] = None
    assigned_account_id: Optional[int] = None
    picked_up_at: Optional[datetime] = None
    closed_at: Optional[datetime] = None
    outcome: Optional[str] = None


_HANDOFF_FIELDS = tuple(f.name for f in fields(StoredHandoff) if f.name != "intake")


def from_row(row: Dict[str, Any]) -> StoredHandoff:
    answers = {name: row[name] for name in INTAKE_FIELDS}
    answers["life_domains"] = list(answers["life_domains"] or [])
    stored: Dict[str, Any] = {name: row.get(name) for name in _HANDOFF_FIELDS}
    return StoredHandoff(intake=Intake(**answers), **stored)


def _first(session: Session, *conditions) -> Optional[StoredHandoff]:
    row = session.execute(select(handoffs).where(*conditions)).first()
    return from_row(dict(row._mapping)) if row else None


def add_event(
    session: Session,
    handoff_id: int,
    kind: str,
    account_id: Optional[int] = None,
    organisation_id: Optional[str] = None,
    text: Optional[str] = None,
) -> None:
    """One line on the handoff's timeline, in the caller's transaction."""
    session.execute(
        handoff_events.insert().values(
            handoff_id=handoff_id,
            at=datetime.now(timezone.utc),
            kind=kind,
            account_id=account_id,
            organisation_id=organisation_id,
            text=text,
        )
    )


class HandoffStore(Database):
    def store(self, record: HandoffRecord) -> StoredHandoff:
        """Stores a handoff exactly once per (conversation, idempotency key); returns the stored one.

        Storing the same pair again returns the handoff that is already there. A look first answers
        a plain retry; when two processes race past it, the unique constraint decides and the loser
        returns the winner's handoff.
        """
        for _ in range(REFERENCE_ATTEMPTS):
            try:
                with self.transaction() as session:
                    existing = self._find_pair(session, record)
                    if existing is not None:
                        return existing
                    row = self._row(record, new_reference())
                    row["id"] = session.execute(handoffs.insert().values(**row)).inserted_primary_key[0]
                    add_event(session, row["id"], "created", organisation_id=record.organisation_id)
                    self._enqueue(session, row, record.notify)
                return from_row(row)
            except exc.IntegrityError as error:
                # Rolled back. Either another process stored this pair first, or the reference
                # was taken (rare): return theirs, or try again with a new reference.
                with self.transaction() as session:
                    existing = self._find_pair(session, record)
                    reference_taken = self._find(session, row["reference"]) is not None
                if existing is not None:
                    return existing
                if not reference_taken:
                    raise
                last_error = error
        raise last_error

    def get(self, reference: str) -> Optional[StoredHandoff]:
        with self.transaction() as session:
            return self._find(session, normalise_reference(reference))

    def latest(self, limit: int = 20) -> List[StoredHandoff]:
        """The newest handoffs first."""
        if limit < 1:
            raise ValueError("limit must be at least 1")
        query = select(handoffs).order_by(handoffs.c.created_at.desc(), handoffs.c.id.desc()).limit(limit)
        with self.transaction() as session:
            return [from_row(dict(row._mapping)) for row in session.execute(query)]

    def withdraw(self, reference: str) -> bool:
        """The resident withdrew: mark the handoff withdrawn and erase their own words and contact
        detail. False for an unknown reference; withdrawing twice keeps the first withdrawal time."""
        reference = normalise_reference(reference)
        with self.transaction() as session:
            found = self._find(session, reference)
            if found is None:
                return False
            if found.status == WITHDRAWN:
                return True
            erased = {name: None for name in ERASED_ON_WITHDRAWAL}
            session.execute(
                update(handoffs)
                .where(handoffs.c.reference == reference)
                .values(status=WITHDRAWN, withdrawn_at=datetime.now(timezone.utc), **erased)
            )
            # Notes may repeat what the resident said: erased too; the timeline keeps the fact.
            session.execute(
                update(handoff_events).where(handoff_events.c.handoff_id == found.id).values(text=None)
            )
            assert found.id is not None  # read from the table
            add_event(session, found.id, "withdrawn")
        return True

    def purge_ended(
        self, days: int, now: Optional[datetime] = None, open_days: Optional[int] = None
    ) -> List[str]:
        """Deletes handoffs closed or withdrawn more than `days` ago, with their timeline and outbox, and
        with `open_days` those never closed that came in longer ago than that.
        The audit log keeps the reference and the fact of deletion. Returns the deleted references."""
        now = now or datetime.now(timezone.utc)
        before = now - timedelta(days=days)
        ended = or_(handoffs.c.closed_at < before, handoffs.c.withdrawn_at < before)
        if open_days is not None:
            never_closed = and_(
                handoffs.c.closed_at.is_(None),
                handoffs.c.withdrawn_at.is_(None),
                handoffs.c.created_at < now - timedelta(days=open_days),
            )
            ended = or_(ended, never_closed)
        with self.transaction() as session:
            rows = session.execute(
                select(handoffs.c.id, handoffs.c.reference, handoffs.c.organisation_id).where(ended)
            ).all()
            ids = [row.id for row in rows]
            for table in (handoff_events, notifications):
                session.execute(delete(table).where(table.c.handoff_id.in_(ids)))
            session.execute(delete(handoffs).where(handoffs.c.id.in_(ids)))
            for row in rows:
                session.execute(
                    audit_log.insert().values(
                        at=datetime.now(timezone.utc),
                        reference=row.reference,
                        organisation_id=row.organisation_id,
                        action="deleted",
                    )
                )
        return [row.reference for row in rows]

    @staticmethod
    def _enqueue(session: Session, row: Dict[str, Any], targets: Tuple[Tuple[str, str], ...]) -> None:
        for channel, target in targets:
            session.execute(
                notifications.insert().values(
                    handoff_id=row["id"],
                    channel=channel,
                    target=target,
                    status="pending",
                    attempts=0,
                    next_attempt_at=row["created_at"],
                    created_at=row["created_at"],
                )
            )

    @staticmethod
    def _find(session: Session, reference: str) -> Optional[StoredHandoff]:
        return _first(session, handoffs.c.reference == reference)

    @staticmethod
    def _find_pair(session: Session, record: HandoffRecord) -> Optional[StoredHandoff]:
        return _first(
            session,
            handoffs.c.conversation_id == record.conversation_id,
            handoffs.c.idempotency_key == record.idempotency_key,
        )

    @staticmethod
    def _row(record: HandoffRecord, reference: str) -> Dict[str, Any]:
        intake = {name: getattr(record.intake, name) for name in INTAKE_FIELDS}
        intake["life_domains"] = list(record.intake.life_domains or [])
        return {
            "reference": reference,
            "conversation_id": record.conversation_id,
            "idempotency_key": record.idempotency_key,
            "created_at": datetime.now(timezone.utc),
            "status": NEW,
            "withdrawn_at": None,
            "organisation_id": record.organisation_id,
            "organisation_choice": record.organisation_choice,
            "consent_text": record.consent_text,
            "consent_at": record.consent_at.astimezone(timezone.utc),
            "conversation_language": record.conversation_language,
            **intake,
        }
