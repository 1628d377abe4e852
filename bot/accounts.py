"""Portal accounts: supporters, coordinators, administrators and staff, with argon2 password hashes."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import List, Optional

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import exc, select, update

from bot.database import Database
from bot.schema import ROLES, accounts

MIN_PASSWORD_LENGTH = 12
# Roles that work for one organisation and see its handoffs.
ORGANISATION_ROLES = ("supporter", "coordinator")

_hasher = PasswordHasher()
# Verified when the e-mail address is unknown, so a login takes as long either way.
_DUMMY_HASH = _hasher.hash("no account has this password")


class AccountError(ValueError):
    """An account request that cannot be carried out; the message says why, in Dutch for the portal."""


@dataclass(frozen=True)
class Account:
    id: int
    email: str
    name: str
    role: str
    organisation_id: Optional[str]
    active: bool


def _account(row) -> Account:
    values = row._mapping
    return Account(**{name: values[name] for name in Account.__dataclass_fields__})


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"Het wachtwoord moet minstens {MIN_PASSWORD_LENGTH} tekens hebben.")


def create_account(db: Database, email: str, name: str, password: str, role: str,
                   organisation_id: Optional[str] = None) -> Account:
    email = email.strip().lower()
    if "@" not in email:
        raise AccountError("Vul een geldig e-mailadres in.")
    if role not in ROLES:
        raise AccountError(f"Onbekende rol: {role}. Kies uit {', '.join(ROLES)}.")
    if (role in ORGANISATION_ROLES) != bool(organisation_id):
        raise AccountError("Een ondersteuner of coördinator hoort bij een organisatie; andere rollen niet.")
    check_password(password)
    values = dict(email=email, name=name.strip() or email, password_hash=_hasher.hash(password), role=role,
                  organisation_id=organisation_id or None, active=True, created_at=datetime.now(timezone.utc))
    try:
        with db.transaction() as session:
            values["id"] = session.execute(accounts.insert().values(**values)).inserted_primary_key[0]
    except exc.IntegrityError as error:
        raise AccountError(f"Er is al een account met het e-mailadres {email}.") from error
    return Account(**{name: values[name] for name in Account.__dataclass_fields__})


def authenticate(db: Database, email: str, password: str) -> Optional[Account]:
    """The active account with this e-mail address and password, or None (never says which was wrong)."""
    with db.transaction() as session:
        row = session.execute(select(accounts).where(accounts.c.email == email.strip().lower())).first()
        stored_hash = row.password_hash if row is not None else _DUMMY_HASH
        try:
            _hasher.verify(stored_hash, password)
        except (VerificationError, InvalidHashError):
            return None
        if row is None or not row.active:
            return None
        changes = {"last_login_at": datetime.now(timezone.utc)}
        if _hasher.check_needs_rehash(stored_hash):
            changes["password_hash"] = _hasher.hash(password)
        session.execute(update(accounts).where(accounts.c.id == row.id).values(**changes))
        return _account(row)


def get_account(db: Database, account_id: int) -> Optional[Account]:
    with db.transaction() as session:
        row = session.execute(select(accounts).where(accounts.c.id == account_id)).first()
    return _account(row) if row is not None else None


def list_accounts(db: Database) -> List[Account]:
    with db.transaction() as session:
        rows = session.execute(select(accounts).order_by(accounts.c.organisation_id, accounts.c.email)).all()
    return [_account(row) for row in rows]


def set_active(db: Database, account_id: int, active: bool) -> None:
    with db.transaction() as session:
        session.execute(update(accounts).where(accounts.c.id == account_id).values(active=active))
