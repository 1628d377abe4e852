"""Telling organisations that a handoff waits: e-mail (SMTP) and signed webhooks, from an outbox.

The outbox rows are written in the same transaction as the handoff (`HandoffStore.store`), so a
handoff is never stored without its notifications, and the conversation never waits for a mail
server. A worker (`bot notifications run`) sends what is due and retries failures with growing
waits. Messages carry the reference, the urgency and a link: never a name, contact detail or the
resident's own words.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import smtplib
import time
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from email.message import EmailMessage
from typing import List, Optional, Tuple

import requests
from sqlalchemy import and_, select, update

from bot.database import Database
from bot.handoff_store import add_event
from bot.intake import URGENCIES
from bot.schema import handoffs, notifications
from bot.settings import Settings
from bot.social_map import Organisation

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
FIRST_RETRY_SECONDS = 30
LONGEST_WAIT_SECONDS = 3600
# A worker that claims a message owns it this long; a crashed worker's claim runs out.
CLAIM_SECONDS = 120
SEND_TIMEOUT_SECONDS = 10
URGENCY_TEXT = {"urgent": "zo snel mogelijk", "soon": "binnen een paar weken", "no_rush": "geen haast"}


def targets_for(organisation: Optional[Organisation]) -> Tuple[Tuple[str, str], ...]:
    if organisation is None:
        return ()
    notify = organisation.notify
    return tuple((channel, target) for channel, target in
                 (("email", notify.email), ("webhook", notify.webhook_url)) if target)


def retry_wait(attempts: int) -> timedelta:
    """30 s, 1 min, 2 min, ... up to an hour between attempts."""
    return timedelta(seconds=min(FIRST_RETRY_SECONDS * 2 ** max(attempts - 1, 0), LONGEST_WAIT_SECONDS))


@dataclass(frozen=True)
class Notice:
    """Everything a notification may say: nothing that identifies the resident."""

    reference: str
    organisation_id: str
    urgency: str
    created_at: datetime
    link: str

    def as_json(self) -> dict:
        return {"event": "handoff.created", "reference": self.reference, "organisation_id": self.organisation_id,
                "urgency": self.urgency, "created_at": self.created_at.isoformat(), "url": self.link}


def urgency_of(stored: Optional[str]) -> str:
    """The urgency as a category; a resident's own words about it stay in the portal."""
    if stored in URGENCIES:
        return stored
    return "described" if stored and stored != "overgeslagen" else "unknown"


def _email(notice: Notice, to: str, settings: Settings) -> None:
    message = EmailMessage()
    message["Subject"] = f"Nieuwe aanmelding {notice.reference} in Wegwijs"
    message["From"] = settings.smtp.sender
    message["To"] = to
    urgency = URGENCY_TEXT.get(notice.urgency, "zie het portaal" if notice.urgency == "described" else "niet aangegeven")
    message.set_content(
        f"Er wacht een nieuwe aanmelding op uw organisatie in het Wegwijs-portaal.\n\n"
        f"Referentie: {notice.reference}\nUrgentie: {urgency}\n\nBekijk de aanmelding: {notice.link}\n\n"
        f"Dit bericht bevat bewust geen gegevens van de inwoner. Log in om de aanmelding te lezen.\n"
    )
    smtp = settings.smtp
    with smtplib.SMTP(smtp.host, smtp.port, timeout=SEND_TIMEOUT_SECONDS) as server:
        if smtp.starttls:
            server.starttls()
        if smtp.username:
            server.login(smtp.username, smtp.password)
        server.send_message(message)


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """HMAC-SHA256 over "<timestamp>.<body>": the receiver checks both, so an old message can't be replayed."""
    return "sha256=" + hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


def _webhook(notice: Notice, url: str, organisation: Organisation) -> None:
    secret = os.getenv(organisation.notify.webhook_secret_env or "", "")
    if not secret:
        raise RuntimeError(f"no webhook secret: set {organisation.notify.webhook_secret_env} in .env")
    body = json.dumps(notice.as_json(), sort_keys=True).encode()
    timestamp = str(int(time.time()))
    response = requests.post(url, data=body, timeout=SEND_TIMEOUT_SECONDS, headers={
        "Content-Type": "application/json", "X-Wegwijs-Timestamp": timestamp,
        "X-Wegwijs-Signature": signature(secret, timestamp, body)})
    response.raise_for_status()


def _claim_due(db: Database, now: datetime, limit: int) -> List[tuple]:
    """Due messages, each claimed by moving its next attempt forward; another worker skips it."""
    due = (select(notifications, handoffs.c.reference, handoffs.c.organisation_id, handoffs.c.urgency,
                  handoffs.c.created_at.label("handoff_created_at"))
           .join(handoffs, handoffs.c.id == notifications.c.handoff_id)
           .where(notifications.c.status == "pending", notifications.c.next_attempt_at <= now)
           .order_by(notifications.c.next_attempt_at).limit(limit))
    claimed = []
    with db.transaction() as session:
        for row in session.execute(due).all():
            taken = session.execute(update(notifications).where(and_(
                notifications.c.id == row.id, notifications.c.next_attempt_at == row.next_attempt_at,
            )).values(next_attempt_at=now + timedelta(seconds=CLAIM_SECONDS))).rowcount
            if taken:
                claimed.append(row)
    return claimed


def deliver_due(db: Database, settings: Settings, organisations: List[Organisation], limit: int = 20) -> int:
    """Sends every message that is due; returns how many were sent."""
    now = datetime.now(timezone.utc)
    by_id = {o.id: o for o in organisations}
    sent = 0
    for row in _claim_due(db, now, limit):
        notice = Notice(row.reference, row.organisation_id, urgency_of(row.urgency), row.handoff_created_at,
                        f"{settings.public_url}/portaal/aanmeldingen/{row.reference}")
        try:
            if row.channel == "email":
                _email(notice, row.target, settings)
            else:
                _webhook(notice, row.target, by_id[row.organisation_id])
        except Exception as error:  # any failure is retried; the reason is shown to administrators
            _failed(db, row, error)
            continue
        _sent(db, row)
        sent += 1
    return sent


def _sent(db: Database, row) -> None:
    with db.transaction() as session:
        session.execute(update(notifications).where(notifications.c.id == row.id).values(
            status="sent", sent_at=datetime.now(timezone.utc), attempts=row.attempts + 1, last_error=None))
        add_event(session, row.handoff_id, "notified", organisation_id=row.organisation_id,
                  text=None)
    log.info("notification %s sent by %s for %s", row.id, row.channel, row.reference)


def _failed(db: Database, row, error: Exception) -> None:
    attempts = row.attempts + 1
    # The error names the server or HTTP status, never message content (which has no personal data anyway).
    reason = f"{type(error).__name__}: {error}"[:500]
    values = dict(attempts=attempts, last_error=reason,
                  next_attempt_at=datetime.now(timezone.utc) + retry_wait(attempts))
    if attempts >= MAX_ATTEMPTS:
        values["status"] = "failed"
    with db.transaction() as session:
        session.execute(update(notifications).where(notifications.c.id == row.id).values(**values))
    log.warning("notification %s by %s for %s failed (attempt %s): %s", row.id, row.channel, row.reference,
                attempts, reason)


def problems(db: Database) -> list:
    """Messages that failed at least once and are not sent: for the portal's organisations page."""
    query = (select(notifications, handoffs.c.reference, handoffs.c.organisation_id)
             .join(handoffs, handoffs.c.id == notifications.c.handoff_id)
             .where(notifications.c.status != "sent", notifications.c.attempts > 0)
             .order_by(notifications.c.created_at.desc()))
    with db.transaction() as session:
        return session.execute(query).all()


def run(db: Database, settings: Settings, organisations: List[Organisation], interval: float = 5.0) -> None:
    """The worker: sends what is due, then waits; a database outage is logged and waited out."""
    from bot.database import StoreUnavailable

    log.info("notification worker started")
    while True:
        try:
            deliver_due(db, settings, organisations)
        except StoreUnavailable as error:
            log.warning("notification worker: %s; trying again", error)
        time.sleep(interval)
