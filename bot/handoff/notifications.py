"""Telling organisations that a handoff waits: e-mail (SMTP) and signed webhooks, from an outbox.

The outbox rows are written in the same transaction as the handoff (`HandoffStore.store`), so a
handoff is never stored without its notifications, and the conversation never waits for a mail
server. A worker (`bot notifications run`) sends what is due and retries failures with growing
waits. Messages carry the reference, the urgency and a link (a mail also the conversation's language,
so the organisation can send someone who speaks it): never a name, contact detail or the resident's
own words.

Mail goes over TLS whose certificate is checked (the system's store or WEGWIJS_SMTP_CA_FILE), with
STARTTLS or implicit TLS; a server that does not offer STARTTLS gets nothing, and no password is
sent without TLS. Webhooks go to https:// only (http:// to a loopback address only when
WEGWIJS_WEBHOOK_ALLOW_LOOPBACK_HTTP says so), carry an event id, and are signed with a timestamp the
receiver checks against REPLAY_WINDOW_SECONDS (`verify_webhook`).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import smtplib
import ssl
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from email.message import EmailMessage
from typing import Any, List, MutableMapping, Optional, Tuple
from urllib.parse import urlsplit

import requests
from sqlalchemy import and_, select, update

from bot import catalogue
from bot.contract import DUTCH, EVENT_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, URGENCIES
from bot.handoff.store import add_event
from bot.municipality.social_map import Organisation, is_loopback
from bot.settings import Settings, SmtpSettings
from bot.storage.database import Database
from bot.storage.schema import handoffs, notifications

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
FIRST_RETRY_SECONDS = 30
LONGEST_WAIT_SECONDS = 3600
# A worker that claims a message owns it this long; a crashed worker's claim runs out.
CLAIM_SECONDS = 120
SEND_TIMEOUT_SECONDS = 10
# A receiver accepts a webhook whose timestamp is at most this far from its own clock, and each event
# id once within it: a message caught on the way cannot be sent again later.
REPLAY_WINDOW_SECONDS = 300
# One label per urgency code (and for "described", "unknown"), shared with the portal and the summary.
URGENCY_TEXT = catalogue.entry("handoff.urgency", DUTCH)  # for staff: in Dutch
# The Dutch name per language code, shared with the statistics and the portal.
LANGUAGE_NAMES = catalogue.entry("dashboard.languages", DUTCH)


def targets_for(organisation: Optional[Organisation]) -> Tuple[Tuple[str, str], ...]:
    if organisation is None:
        return ()
    notify = organisation.notify
    return tuple(
        (channel, target)
        for channel, target in (("email", notify.email), ("webhook", notify.webhook_url))
        if target
    )


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
    # The same for every attempt at one message, so a receiver that got it twice can tell.
    event_id: str = ""
    # A language says nothing about who the resident is; it tells whom to send.
    conversation_language: str = DUTCH

    def as_json(self) -> dict:
        return {
            "id": self.event_id,
            "event": "handoff.created",
            "reference": self.reference,
            "organisation_id": self.organisation_id,
            "urgency": self.urgency,
            "created_at": self.created_at.isoformat(),
            "url": self.link,
        }


def urgency_of(stored: Optional[str]) -> str:
    """The urgency as a category; a resident's own words about it stay in the portal."""
    if stored in URGENCIES:
        return stored
    return "described" if stored and stored != "overgeslagen" else "unknown"


def _email(notice: Notice, to: str, settings: Settings) -> None:
    message = EmailMessage()
    message["Subject"] = catalogue.text("handoff.mail.subject", reference=notice.reference)
    message["From"] = settings.smtp.sender
    message["To"] = to
    urgency = URGENCY_TEXT.get(notice.urgency, URGENCY_TEXT["unknown"])
    message.set_content(
        catalogue.text(
            "handoff.mail.body",
            reference=notice.reference,
            urgency=urgency,
            conversation_language=LANGUAGE_NAMES.get(notice.conversation_language, LANGUAGE_NAMES[DUTCH]),
            link=notice.link,
        )
    )
    smtp = settings.smtp
    with _smtp_connection(smtp) as server:
        if smtp.username:
            if not isinstance(server.sock, ssl.SSLSocket):
                raise RuntimeError("SMTP: no login without TLS")
            server.login(smtp.username, smtp.password)
        server.send_message(message)


def _smtp_connection(smtp: SmtpSettings) -> smtplib.SMTP:
    """A connection over TLS whose certificate and host name are checked; "none" only to a local relay
    (settings refuse it elsewhere). A server that offers no STARTTLS raises: nothing goes in the clear."""
    context = ssl.create_default_context(cafile=smtp.ca_file or None)
    if smtp.tls == "implicit":
        return smtplib.SMTP_SSL(smtp.host, smtp.port, timeout=SEND_TIMEOUT_SECONDS, context=context)
    server = smtplib.SMTP(smtp.host, smtp.port, timeout=SEND_TIMEOUT_SECONDS)
    if smtp.tls == "starttls":
        try:
            server.starttls(context=context)
        except Exception:
            server.close()
            raise
    return server


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """HMAC-SHA256 over "<timestamp>.<body>": the receiver checks both, so an old message can't be replayed."""
    return "sha256=" + hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


def verify_webhook(
    secret: str,
    headers: MutableMapping[str, str],
    body: bytes,
    seen: MutableMapping[str, float],
    now: Optional[float] = None,
) -> dict:
    """What a receiver does with a webhook (this is the reference the README describes): checks the
    signature and the timestamp window, refuses an event id it saw within the window, and returns the
    event. `seen` maps event ids to when they came; entries older than the window are dropped."""
    now = time.time() if now is None else now
    timestamp = headers.get(TIMESTAMP_HEADER, "")
    if not hmac.compare_digest(signature(secret, timestamp, body), headers.get(SIGNATURE_HEADER, "")):
        raise ValueError("webhook: wrong signature")
    if not timestamp.isdigit() or abs(now - int(timestamp)) > REPLAY_WINDOW_SECONDS:
        raise ValueError("webhook: timestamp outside the replay window")
    for old in [event for event, at in seen.items() if now - at > REPLAY_WINDOW_SECONDS]:
        del seen[old]
    event = json.loads(body)
    if event.get("id") in seen:
        raise ValueError("webhook: event already received")
    seen[event["id"]] = now
    return event


def check_webhook_url(url: str, allow_loopback_http: bool) -> None:
    """https only: a webhook crosses networks. Plain http only to this machine, and only when allowed."""
    parts = urlsplit(url)
    if parts.scheme == "https" and parts.hostname:
        return
    if parts.scheme == "http" and allow_loopback_http and is_loopback(parts.hostname):
        return
    raise ValueError(f"webhook {parts.scheme}://{parts.hostname}: only https:// is allowed")


def _webhook(notice: Notice, url: str, organisation: Organisation, settings: Settings) -> None:
    check_webhook_url(url, settings.webhook_allow_loopback_http)
    secret = os.getenv(organisation.notify.webhook_secret_env or "", "")
    if not secret:
        raise RuntimeError(f"no webhook secret: set {organisation.notify.webhook_secret_env} in .env")
    body = json.dumps(notice.as_json(), sort_keys=True).encode()
    timestamp = str(int(time.time()))
    # No redirects: a 30x could lead the message to http:// or elsewhere.
    response = requests.post(
        url,
        data=body,
        timeout=SEND_TIMEOUT_SECONDS,
        allow_redirects=False,
        headers={
            "Content-Type": "application/json",
            TIMESTAMP_HEADER: timestamp,
            EVENT_HEADER: notice.event_id,
            SIGNATURE_HEADER: signature(secret, timestamp, body),
        },
    )
    if response.status_code >= 300:
        raise RuntimeError(f"webhook answered HTTP {response.status_code}")


def _claim_due(db: Database, now: datetime, limit: int) -> List[Any]:
    """Due messages, each claimed by moving its next attempt forward; another worker skips it."""
    due = (
        select(
            notifications,
            handoffs.c.reference,
            handoffs.c.organisation_id,
            handoffs.c.urgency,
            handoffs.c.conversation_language,
            handoffs.c.created_at.label("handoff_created_at"),
        )
        .join(handoffs, handoffs.c.id == notifications.c.handoff_id)
        .where(notifications.c.status == "pending", notifications.c.next_attempt_at <= now)
        .order_by(notifications.c.next_attempt_at)
        .limit(limit)
    )
    claimed = []
    with db.transaction() as session:
        for row in session.execute(due).all():
            taken = session.execute(
                update(notifications)
                .where(
                    and_(
                        notifications.c.id == row.id,
                        notifications.c.next_attempt_at == row.next_attempt_at,
                    )
                )
                .values(next_attempt_at=now + timedelta(seconds=CLAIM_SECONDS))
            ).rowcount
            if taken:
                claimed.append(row)
    return claimed


def deliver_due(db: Database, settings: Settings, organisations: List[Organisation], limit: int = 20) -> int:
    """Sends every message that is due; returns how many were sent."""
    now = datetime.now(timezone.utc)
    by_id = {o.id: o for o in organisations}
    sent = 0
    for row in _claim_due(db, now, limit):
        notice = Notice(
            row.reference,
            row.organisation_id,
            urgency_of(row.urgency),
            row.handoff_created_at,
            f"{settings.public_url}/portaal/aanmeldingen/{row.reference}",
            str(uuid.uuid5(uuid.NAMESPACE_URL, f"{settings.public_url}/notifications/{row.id}")),
            row.conversation_language,
        )
        try:
            if row.channel == "email":
                _email(notice, row.target, settings)
            else:
                _webhook(notice, row.target, by_id[row.organisation_id], settings)
        except Exception as error:  # any failure is retried; the reason is shown to administrators
            _failed(db, row, error)
            continue
        _sent(db, row)
        sent += 1
    return sent


def _sent(db: Database, row) -> None:
    with db.transaction() as session:
        session.execute(
            update(notifications)
            .where(notifications.c.id == row.id)
            .values(
                status="sent", sent_at=datetime.now(timezone.utc), attempts=row.attempts + 1, last_error=None
            )
        )
        add_event(session, row.handoff_id, "notified", organisation_id=row.organisation_id, text=None)
    log.info("notification %s sent by %s for %s", row.id, row.channel, row.reference)


def _failed(db: Database, row, error: Exception) -> None:
    attempts = row.attempts + 1
    # The error names the server or HTTP status, never message content (which has no personal data anyway).
    reason = f"{type(error).__name__}: {error}"[:500]
    values = dict(
        attempts=attempts,
        last_error=reason,
        next_attempt_at=datetime.now(timezone.utc) + retry_wait(attempts),
    )
    if attempts >= MAX_ATTEMPTS:
        values["status"] = "failed"
    with db.transaction() as session:
        session.execute(update(notifications).where(notifications.c.id == row.id).values(**values))
    log.warning(
        "notification %s by %s for %s failed (attempt %s): %s",
        row.id,
        row.channel,
        row.reference,
        attempts,
        reason,
    )


def problems(db: Database) -> list:
    """Messages that failed at least once and are not sent: for the portal's organisations page."""
    query = (
        select(notifications, handoffs.c.reference, handoffs.c.organisation_id)
        .join(handoffs, handoffs.c.id == notifications.c.handoff_id)
        .where(notifications.c.status != "sent", notifications.c.attempts > 0)
        .order_by(notifications.c.created_at.desc())
    )
    with db.transaction() as session:
        return session.execute(query).all()


def run(db: Database, settings: Settings, organisations: List[Organisation], interval: float = 5.0) -> None:
    """The worker: sends what is due, then waits; a database outage is logged and waited out."""
    from bot.storage.database import StoreUnavailable

    log.info("notification worker started")
    while True:
        try:
            deliver_due(db, settings, organisations)
        except StoreUnavailable as error:
            log.warning("notification worker: %s; trying again", error)
        time.sleep(interval)
