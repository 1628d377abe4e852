"""Server-side portal sessions, so a session can end for real: at logout, when an account is blocked,
after a time without activity and after a fixed lifetime (ASVS 3.3).

The browser's cookie carries a random token; the table keeps only its SHA-256, so a copy of the
database opens no session. A session is first "password given"; only after the second factor does it
open pages. Every login starts a new session (a token from before the login is never reused).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Optional

from sqlalchemy import delete, select, update

from bot.storage.database import Database
from bot.storage.schema import portal_sessions

# Between the password and the second factor: long enough to open an authenticator app.
SECOND_FACTOR_WINDOW = timedelta(minutes=5)


@dataclass(frozen=True)
class Limits:
    idle: timedelta
    lifetime: timedelta


@dataclass(frozen=True)
class PortalSession:
    token: str
    account_id: int
    complete: bool


def _key(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start(db: Database, account_id: int, now: datetime, limits: Limits) -> str:
    token = secrets.token_urlsafe(32)
    with db.transaction() as session:
        # Records of sessions that can no longer be open are of no use: the audit log keeps the logins.
        session.execute(
            delete(portal_sessions).where(portal_sessions.c.created_at < now - 2 * limits.lifetime)
        )
        session.execute(
            portal_sessions.insert().values(
                id=_key(token), account_id=account_id, created_at=now, last_seen_at=now
            )
        )
    return token


def _open(row, now: datetime, limits: Limits) -> bool:
    if row is None or row.ended_at is not None:
        return False
    if row.second_factor_at is None:
        return now - row.created_at <= SECOND_FACTOR_WINDOW
    return now - row.last_seen_at <= limits.idle and now - row.created_at <= limits.lifetime


def find(db: Database, token: Optional[str], now: datetime, limits: Limits) -> Optional[PortalSession]:
    """The session while it is open (its last activity moved to now), else None and it is ended."""
    if not token:
        return None
    with db.transaction() as session:
        row = session.execute(select(portal_sessions).where(portal_sessions.c.id == _key(token))).first()
        if row is None:
            return None
        if not _open(row, now, limits):
            if row.ended_at is None:
                session.execute(
                    update(portal_sessions).where(portal_sessions.c.id == row.id).values(ended_at=now)
                )
            return None
        session.execute(
            update(portal_sessions).where(portal_sessions.c.id == row.id).values(last_seen_at=now)
        )
    return PortalSession(token, row.account_id, row.second_factor_at is not None)


def complete(db: Database, token: str, now: datetime) -> None:
    """The second factor was given: from now on the session opens pages."""
    with db.transaction() as session:
        session.execute(
            update(portal_sessions)
            .where(portal_sessions.c.id == _key(token))
            .values(second_factor_at=now, last_seen_at=now)
        )


def end(db: Database, token: str, now: datetime) -> None:
    with db.transaction() as session:
        session.execute(
            update(portal_sessions)
            .where(portal_sessions.c.id == _key(token), portal_sessions.c.ended_at.is_(None))
            .values(ended_at=now)
        )


def end_all(session, account_id: int, now: datetime, keep: Optional[str] = None) -> None:
    """Ends every open session of an account (blocked, password changed), in the caller's transaction;
    `keep` is the token of the session that asked for it, when it stays open."""
    condition = [portal_sessions.c.account_id == account_id, portal_sessions.c.ended_at.is_(None)]
    if keep:
        condition.append(portal_sessions.c.id != _key(keep))
    session.execute(update(portal_sessions).where(*condition).values(ended_at=now))
