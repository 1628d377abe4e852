"""Portal accounts: supporters, coordinators, administrators and staff, with argon2 password hashes.

Nobody sets another person's password: a new account gets a one-time link (signed with
itsdangerous, valid PASSWORD_LINK_HOURS, dead once a password is set) and its owner chooses one.
Every change is written to the audit log in the same transaction.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Dict, List, Optional

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from itsdangerous import BadData, URLSafeTimedSerializer
from sqlalchemy import exc, select, update

from bot import catalogue, contract
from bot.access import audit, sessions
from bot.storage.database import Database
from bot.storage.schema import accounts

MIN_PASSWORD_LENGTH = 12
# Long enough to reach someone over a weekend; the owner can ask for a new one.
PASSWORD_LINK_HOURS = 72
PASSWORD_LINK_PATH = "/portaal/wachtwoord-instellen/"
# Roles that work for one organisation and see its handoffs.

_hasher = PasswordHasher()
# Verified when the e-mail address is unknown, so a login takes as long either way.
_DUMMY_HASH = _hasher.hash("no account has this password")


class AccountError(ValueError):
    """An account request that cannot be carried out: the Dutch text, or a key of the portal's MESSAGES
    (bot/web/portal/labels.py) for the steps only the portal takes."""


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
        raise AccountError(catalogue.text("portal.accounts.password_short", length=MIN_PASSWORD_LENGTH))


def create_account(
    db: Database,
    email: str,
    name: str,
    role: str,
    organisation_id: Optional[str] = None,
    by: Optional[Account] = None,
    by_label: Optional[str] = None,
) -> Account:
    """A new account without a password; `password_link` gives the link its owner sets one with."""
    email = email.strip().lower()
    if "@" not in email:
        raise AccountError(catalogue.text("portal.accounts.email_invalid"))
    if role not in contract.ROLES:
        raise AccountError(
            catalogue.text("portal.accounts.role_unknown", role=role, roles=", ".join(contract.ROLES))
        )
    if (role in contract.ORGANISATION_ROLES) != bool(organisation_id):
        raise AccountError(catalogue.text("portal.accounts.organisation_roles"))
    values: Dict[str, Any] = dict(
        email=email,
        name=name.strip() or email,
        password_hash=None,
        role=role,
        organisation_id=organisation_id or None,
        active=True,
        created_at=datetime.now(timezone.utc),
    )
    try:
        with db.transaction() as session:
            values["id"] = session.execute(accounts.insert().values(**values)).inserted_primary_key[0]
            created = Account(**{name: values[name] for name in Account.__dataclass_fields__})
            audit.record(session, "account_created", by, actor_label=by_label, subject=created, detail=role)
    except exc.IntegrityError as error:
        raise AccountError(catalogue.text("portal.accounts.email_taken", email=email)) from error
    return created


def _fingerprint(account_id: int, password_hash: Optional[str]) -> str:
    """Changes with the password, so a link stops working once it has been used."""
    return hashlib.sha256(f"{account_id}:{password_hash or ''}".encode()).hexdigest()[:32]


def _links(secret_key: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt="wegwijs-password-link")


def password_link(db: Database, account: Account, secret_key: str, public_url: str) -> str:
    """The one-time link with which the owner of `account` sets their password."""
    with db.transaction() as session:
        stored = session.execute(
            select(accounts.c.password_hash).where(accounts.c.id == account.id)
        ).scalar_one()
    token = _links(secret_key).dumps({"account": account.id, "fingerprint": _fingerprint(account.id, stored)})
    return f"{public_url}{PASSWORD_LINK_PATH}{token}"


def new_password_link(
    db: Database,
    account: Account,
    secret_key: str,
    public_url: str,
    by: Optional[Account] = None,
    by_label: Optional[str] = None,
) -> str:
    """A fresh link for an account whose link ran out or whose owner forgot the password."""
    audit.write(db, "password_link", by, actor_label=by_label, subject=account)
    return password_link(db, account, secret_key, public_url)


def _linked_row(session, token: str, secret_key: str):
    try:
        claim = _links(secret_key).loads(token, max_age=PASSWORD_LINK_HOURS * 3600)
        row = session.execute(select(accounts).where(accounts.c.id == int(claim["account"]))).first()
    except (BadData, KeyError, TypeError, ValueError):
        return None
    if row is None or not row.active or _fingerprint(row.id, row.password_hash) != claim.get("fingerprint"):
        return None
    return row


def account_for_link(db: Database, token: str, secret_key: str) -> Optional[Account]:
    """The account a link is for, while the link still works."""
    with db.transaction() as session:
        row = _linked_row(session, token, secret_key)
    return _account(row) if row is not None else None


def _store_password(session, row, password: str, now: datetime, keep_session: Optional[str] = None) -> bool:
    """Sets the password if it is still the one read (a link used twice at once works once); ends the
    account's other sessions, which the old password opened."""
    changed = session.execute(
        update(accounts)
        .where(
            accounts.c.id == row.id,
            accounts.c.password_hash.is_(None)
            if row.password_hash is None
            else accounts.c.password_hash == row.password_hash,
        )
        .values(password_hash=_hasher.hash(password))
    ).rowcount
    if changed:
        sessions.end_all(session, row.id, now, keep=keep_session)
    return bool(changed)


def set_password_from_link(db: Database, token: str, secret_key: str, password: str) -> Account:
    check_password(password)
    now = datetime.now(timezone.utc)
    with db.transaction() as session:
        row = _linked_row(session, token, secret_key)
        if row is None or not _store_password(session, row, password, now):
            raise AccountError("link_dead")
        account = _account(row)
        audit.record(session, "password_set", account, subject=account)
    return account


def change_password(db: Database, account: Account, current: str, new: str, session_token: str) -> None:
    """The owner changes their password; their other sessions end, this one stays open."""
    check_password(new)
    with db.transaction() as session:
        row = session.execute(select(accounts).where(accounts.c.id == account.id)).one()
        if not _verifies(row.password_hash, current):
            raise AccountError("password_wrong")
        if not _store_password(session, row, new, datetime.now(timezone.utc), keep_session=session_token):
            raise AccountError("password_raced")
        audit.record(session, "password_changed", account, subject=account)


def _verifies(stored_hash: Optional[str], password: str) -> bool:
    try:
        return _hasher.verify(stored_hash or _DUMMY_HASH, password) and stored_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def authenticate(db: Database, email: str, password: str) -> Optional[Account]:
    """The active account with this e-mail address and password, or None (never says which was wrong).

    A failed attempt is written to the audit log under the account it names, if there is one (what was
    typed is never kept: it may be a password typed into the wrong field)."""
    with db.transaction() as session:
        row = session.execute(select(accounts).where(accounts.c.email == email.strip().lower())).first()
        verified = _verifies(row.password_hash if row is not None else None, password)
        if not verified or not row.active:
            reason = "unknown_account" if row is None else "password" if not verified else "blocked"
            audit.record(
                session, "login_failed", subject=_account(row) if row is not None else None, detail=reason
            )
            return None
        stored_hash = row.password_hash
        changes: Dict[str, Any] = {"last_login_at": datetime.now(timezone.utc)}
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


def set_active(db: Database, account: Account, active: bool, by: Account) -> None:
    """Blocks or unblocks an account; blocking ends its sessions at once."""
    with db.transaction() as session:
        session.execute(update(accounts).where(accounts.c.id == account.id).values(active=active))
        if not active:
            sessions.end_all(session, account.id, datetime.now(timezone.utc))
        audit.record(session, "account_activated" if active else "account_blocked", by, subject=account)
