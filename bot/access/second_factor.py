"""The second factor of every portal account: a TOTP code from an authenticator app (pyotp), or one of
ten single-use recovery codes when the phone is lost.

Enrolment: a secret is made and shown once (QR code and text); it counts only after a first code
from the app confirms it, and then the recovery codes are shown, once. A code is accepted one time
step either side (clocks differ a little) and never twice.

The secret is kept encrypted (Fernet) with a key derived from the web server's secret key, so a copy
of the database alone gives nobody's codes. A new secret key makes every stored secret unreadable:
then administrators clear the second factors and everyone sets up their app again.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from datetime import datetime
from typing import List, Optional

import pyotp
import qrcode
import qrcode.image.svg
from cryptography.fernet import Fernet, InvalidToken
from sqlalchemy import delete, select, update

from bot.access import audit
from bot.access.accounts import Account
from bot.storage.database import Database
from bot.storage.schema import accounts, recovery_codes

ISSUER = "Wegwijs"
RECOVERY_CODES = 10
RECOVERY_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read from paper


class SecondFactorError(ValueError):
    """A code that does not fit; the message is a key of the portal's MESSAGES (bot/web/portal/labels.py)."""


def _normal(code: str) -> str:
    return "".join(code.split()).replace("-", "").upper()


def _hash(code: str, salt: Optional[str] = None) -> str:
    """Salted SHA-256: a recovery code has 80 random bits, so a slow password hash adds nothing."""
    salt = salt or secrets.token_hex(8)
    return f"{salt}${hashlib.sha256((salt + _normal(code)).encode()).hexdigest()}"


def _recovery_code() -> str:
    """Four groups of four: 80 random bits, easy to copy from paper."""
    return "-".join("".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(4)) for _ in range(4))


def _box(secret_key: str) -> Fernet:
    return Fernet(base64.urlsafe_b64encode(hashlib.sha256(f"wegwijs-totp:{secret_key}".encode()).digest()))


def _secret(stored: Optional[str], secret_key: str) -> Optional[str]:
    """The stored secret in clear; None when there is none, or it was kept under another secret key."""
    try:
        return _box(secret_key).decrypt(stored.encode()).decode() if stored else None
    except InvalidToken:
        return None


def secret_for_enrolment(db: Database, account: Account, secret_key: str) -> str:
    """The unconfirmed secret of this account, made now if there is none (or none readable)."""
    with db.transaction() as session:
        row = session.execute(
            select(accounts.c.totp_secret, accounts.c.totp_confirmed_at).where(accounts.c.id == account.id)
        ).one()
        if row.totp_confirmed_at is not None:
            raise SecondFactorError("second_factor_set")
        secret = _secret(row.totp_secret, secret_key)
        if secret:
            return secret
        secret = pyotp.random_base32()
        session.execute(
            update(accounts)
            .where(accounts.c.id == account.id)
            .values(totp_secret=_box(secret_key).encrypt(secret.encode()).decode())
        )
    return secret


def qr_svg(secret: str, account: Account) -> str:
    uri = pyotp.TOTP(secret).provisioning_uri(name=account.email, issuer_name=ISSUER)
    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    return image.to_string(encoding="unicode")


def is_enrolled(db: Database, account_id: int) -> bool:
    with db.transaction() as session:
        return (
            session.execute(
                select(accounts.c.totp_confirmed_at).where(accounts.c.id == account_id)
            ).scalar_one()
            is not None
        )


def _accepted_step(secret: str, code: str, now: datetime, last_step: Optional[int]) -> Optional[int]:
    totp = pyotp.TOTP(secret)
    current = totp.timecode(now)
    for offset in (-1, 0, 1):
        step = current + offset
        if (last_step is None or step > last_step) and hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def confirm(db: Database, account: Account, code: str, now: datetime, secret_key: str) -> List[str]:
    """Confirms the enrolment with a first code; returns the recovery codes, to be shown once."""
    with db.transaction() as session:
        row = session.execute(select(accounts).where(accounts.c.id == account.id)).one()
        secret = _secret(row.totp_secret, secret_key)
        step = _accepted_step(secret, _normal(code), now, None) if secret else None
        if row.totp_confirmed_at is not None or step is None:
            raise SecondFactorError("code_wrong")
        codes = [_recovery_code() for _ in range(RECOVERY_CODES)]
        session.execute(
            update(accounts)
            .where(accounts.c.id == account.id)
            .values(totp_confirmed_at=now, totp_last_step=step)
        )
        session.execute(delete(recovery_codes).where(recovery_codes.c.account_id == account.id))
        session.execute(
            recovery_codes.insert(), [{"account_id": account.id, "code_hash": _hash(c)} for c in codes]
        )
        audit.record(session, "second_factor_enrolled", account, subject=account)
    return codes


def verify(db: Database, account: Account, code: str, now: datetime, secret_key: str) -> Optional[str]:
    """ "totp" or "recovery_code" when the code is right (a recovery code is used up), else None."""
    code = _normal(code)
    with db.transaction() as session:
        row = session.execute(select(accounts).where(accounts.c.id == account.id)).one()
        if row.totp_confirmed_at is None:
            return None
        secret = _secret(row.totp_secret, secret_key)
        step = _accepted_step(secret, code, now, row.totp_last_step) if secret and code.isdigit() else None
        if step is not None:
            session.execute(update(accounts).where(accounts.c.id == account.id).values(totp_last_step=step))
            return "totp"
        for stored in session.execute(
            select(recovery_codes).where(
                recovery_codes.c.account_id == account.id, recovery_codes.c.used_at.is_(None)
            )
        ).all():
            if hmac.compare_digest(_hash(code, stored.code_hash.split("$")[0]), stored.code_hash):
                session.execute(
                    update(recovery_codes).where(recovery_codes.c.id == stored.id).values(used_at=now)
                )
                return "recovery_code"
    return None


def reset(
    db: Database, account: Account, by: Optional[Account] = None, by_label: Optional[str] = None
) -> None:
    """An administrator (or the operator, for the last administrator) removes a lost second factor: the
    owner sets up a new one at their next login."""
    with db.transaction() as session:
        session.execute(
            update(accounts)
            .where(accounts.c.id == account.id)
            .values(totp_secret=None, totp_confirmed_at=None, totp_last_step=None)
        )
        session.execute(delete(recovery_codes).where(recovery_codes.c.account_id == account.id))
        audit.record(session, "second_factor_reset", by, actor_label=by_label, subject=account)
