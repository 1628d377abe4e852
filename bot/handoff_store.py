"""The durable handoff store: a resident's intake, stored once, for a client supporter to pick up.

SQLite for a single machine, PostgreSQL in production; the schema comes from the Alembic migrations
in `bot/migrations/` (`HandoffStore.migrate()`), never from `create_all`, so both stay in step.
No Rasa imports and no engine at import time: the engine is created when the store is first used.
"""
from __future__ import annotations

import re
import secrets
import threading
from contextlib import contextmanager
from dataclasses import dataclass, fields
from datetime import datetime, timezone
from pathlib import Path
from typing import Dict, Iterator, List, Optional

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Column,
    DateTime,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    create_engine,
    select,
    text,
    update,
)
from sqlalchemy import exc
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import Session
from sqlalchemy.types import TypeDecorator

from bot.intake import CONTACT_STEPS, FREE_TEXT_STEPS, Intake

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"

ORGANISATION_CHOICES = ("chosen", "matched", "none")
# Erased on withdrawal: whatever the resident wrote in their own words, and how to reach them.
# The coded answers (relation, life domains, phase, supporter kind) stay, for counts only.
ERASED_ON_WITHDRAWAL = FREE_TEXT_STEPS + CONTACT_STEPS

# Read aloud over the phone: no 0/O, 1/I/L. 31^6 is about 887 million references.
REFERENCE_PREFIX = "WW-"
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
REFERENCE_LENGTH = 6
REFERENCE_ATTEMPTS = 5

# A resident waits for the answer: give up on an unreachable PostgreSQL server after a few seconds.
CONNECT_TIMEOUT_SECONDS = 5

# Processes starting at once must not migrate at once: the others wait on this PostgreSQL advisory
# lock, then find the schema up to date. Alembic's context is process-global, hence the thread lock.
MIGRATION_LOCK_KEY = 0x5765677769  # "Wegwi"
_MIGRATING = threading.Lock()


class StoreUnavailable(Exception):
    """The database cannot be reached (down, restarting, locked). Nothing was stored: every write
    is one transaction. The caller asks the resident to try again a little later."""


def new_reference() -> str:
    return REFERENCE_PREFIX + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))


def normalise_reference(text: str) -> str:
    """A reference as an operator may type it ("ww abc234", "WWABC234", "abc234") in stored form."""
    compact = re.sub(r"[\s-]", "", text.upper())
    if compact.startswith("WW") and len(compact) == len("WW") + REFERENCE_LENGTH:
        compact = compact[len("WW"):]
    return REFERENCE_PREFIX + compact


class UTCDateTime(TypeDecorator):
    """Aware datetimes in, aware UTC datetimes out, on SQLite (which keeps no zone) and PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: Optional[datetime], dialect) -> Optional[datetime]:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("store aware datetimes only; a naive one is ambiguous")
        return value.astimezone(timezone.utc)

    def process_result_value(self, value: Optional[datetime], dialect) -> Optional[datetime]:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)


metadata = MetaData()

# Mirrors migrations/versions/0001_handoffs.py; a test checks the two do not drift apart.
handoffs = Table(
    "handoffs",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("reference", String(16), nullable=False),
    Column("conversation_id", String(255), nullable=False),
    Column("idempotency_key", String(255), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False, index=True),
    Column("status", String(16), nullable=False),
    Column("withdrawn_at", UTCDateTime()),
    Column("organisation_id", String(255)),
    Column("organisation_choice", String(16), nullable=False),
    Column("consent_text", Text, nullable=False),
    Column("consent_at", UTCDateTime(), nullable=False),
    Column("relation", String(64)),
    Column("life_domains", JSON, nullable=False),
    Column("situation", Text),
    Column("what_matters", Text),
    Column("goal", Text),
    Column("network", Text),
    Column("phase", String(64)),
    Column("urgency", Text),
    Column("supporter_kind", String(64)),
    Column("language", Text),
    Column("accessibility", Text),
    Column("contact_method", String(64)),
    Column("contact_detail", Text),
    UniqueConstraint("reference", name="uq_handoffs_reference"),
    UniqueConstraint("conversation_id", "idempotency_key", name="uq_handoffs_conversation_key"),
    CheckConstraint("status IN ('new', 'withdrawn')", name="ck_handoffs_status"),
    CheckConstraint(
        "organisation_choice IN ('chosen', 'matched', 'none')", name="ck_handoffs_organisation_choice"
    ),
)

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


_HANDOFF_FIELDS = tuple(f.name for f in fields(StoredHandoff) if f.name != "intake")


def _stored(row: Dict[str, object]) -> StoredHandoff:
    answers = {name: row[name] for name in INTAKE_FIELDS}
    answers["life_domains"] = list(answers["life_domains"] or [])
    return StoredHandoff(intake=Intake(**answers), **{name: row[name] for name in _HANDOFF_FIELDS})


def _first(session: Session, *conditions) -> Optional[StoredHandoff]:
    row = session.execute(select(handoffs).where(*conditions)).first()
    return _stored(dict(row._mapping)) if row else None


# Errors that mean "the database is not there right now", as opposed to a bug or a constraint.
_UNAVAILABLE = (exc.OperationalError, exc.InterfaceError, exc.DisconnectionError, exc.TimeoutError)


def _unavailable(error: Exception) -> StoreUnavailable:
    return StoreUnavailable(f"handoff database unavailable: {getattr(error, 'orig', None) or error}")


class HandoffStore:
    def __init__(self, url: str) -> None:
        self.url = url
        self._engine: Optional[Engine] = None

    def _get_engine(self) -> Engine:
        if self._engine is None:
            url = make_url(self.url)
            connect_args = {}
            if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
                Path(url.database).parent.mkdir(parents=True, exist_ok=True)
            if url.get_backend_name() == "postgresql" and "connect_timeout" not in url.query:
                connect_args["connect_timeout"] = CONNECT_TIMEOUT_SECONDS
            # pre_ping: a connection that died with a database restart is replaced, not used.
            self._engine = create_engine(url, pool_pre_ping=True, future=True, connect_args=connect_args)
        return self._engine

    def close(self) -> None:
        """Closes the pooled connections; the store reconnects when used again."""
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None

    @contextmanager
    def _transaction(self) -> Iterator[Session]:
        """One transaction: committed when the block ends, rolled back on any error."""
        try:
            with Session(self._get_engine(), future=True) as session, session.begin():
                yield session
        except _UNAVAILABLE as error:
            raise _unavailable(error) from error

    def migrate(self) -> None:
        """Brings the schema to the newest migration (Alembic `upgrade head`); safe to repeat."""
        from alembic import command
        from alembic.config import Config

        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS_DIR))
        # Config values are %-interpolated; a percent-encoded URL must survive that.
        config.set_main_option("sqlalchemy.url", self.url.replace("%", "%%"))
        try:
            with _MIGRATING, self._get_engine().begin() as connection:
                if connection.dialect.name == "postgresql":
                    connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
                config.attributes["connection"] = connection
                command.upgrade(config, "head")
        except _UNAVAILABLE as error:
            raise _unavailable(error) from error

    def store(self, record: HandoffRecord) -> StoredHandoff:
        """Stores a handoff exactly once per (conversation, idempotency key); returns the stored one.

        Storing the same pair again returns the handoff that is already there. A look first answers
        a plain retry; when two processes race past it, the unique constraint decides and the loser
        returns the winner's handoff.
        """
        for _ in range(REFERENCE_ATTEMPTS):
            try:
                with self._transaction() as session:
                    existing = self._find_pair(session, record)
                    if existing is not None:
                        return existing
                    row = self._row(record, new_reference())
                    session.execute(handoffs.insert().values(**row))
                return _stored(row)
            except exc.IntegrityError as error:
                # Rolled back. Either another process stored this pair first, or the reference
                # was taken (rare): return theirs, or try again with a new reference.
                with self._transaction() as session:
                    existing = self._find_pair(session, record)
                    reference_taken = self._find(session, row["reference"]) is not None
                if existing is not None:
                    return existing
                if not reference_taken:
                    raise
                last_error = error
        raise last_error

    def get(self, reference: str) -> Optional[StoredHandoff]:
        with self._transaction() as session:
            return self._find(session, normalise_reference(reference))

    def latest(self, limit: int = 20) -> List[StoredHandoff]:
        """The newest handoffs first."""
        if limit < 1:
            raise ValueError("limit must be at least 1")
        query = select(handoffs).order_by(handoffs.c.created_at.desc(), handoffs.c.id.desc()).limit(limit)
        with self._transaction() as session:
            return [_stored(dict(row._mapping)) for row in session.execute(query)]

    def withdraw(self, reference: str) -> bool:
        """The resident withdrew: mark the handoff withdrawn and erase their own words and contact
        detail. False for an unknown reference; withdrawing twice keeps the first withdrawal time."""
        reference = normalise_reference(reference)
        with self._transaction() as session:
            found = self._find(session, reference)
            if found is None:
                return False
            if found.status == "withdrawn":
                return True
            erased = {name: None for name in ERASED_ON_WITHDRAWAL}
            session.execute(
                update(handoffs)
                .where(handoffs.c.reference == reference)
                .values(status="withdrawn", withdrawn_at=datetime.now(timezone.utc), **erased)
            )
        return True

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
    def _row(record: HandoffRecord, reference: str) -> Dict[str, object]:
        intake = {name: getattr(record.intake, name) for name in INTAKE_FIELDS}
        intake["life_domains"] = list(record.intake.life_domains or [])
        return {
            "reference": reference,
            "conversation_id": record.conversation_id,
            "idempotency_key": record.idempotency_key,
            "created_at": datetime.now(timezone.utc),
            "status": "new",
            "withdrawn_at": None,
            "organisation_id": record.organisation_id,
            "organisation_choice": record.organisation_choice,
            "consent_text": record.consent_text,
            "consent_at": record.consent_at.astimezone(timezone.utc),
            **intake,
        }
