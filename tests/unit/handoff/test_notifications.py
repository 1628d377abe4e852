"""Notifications to organisations: a real local SMTP server (aiosmtpd) and a real local HTTP receiver."""

import dataclasses
import hashlib
import hmac
import json
import threading
from datetime import datetime, timedelta, timezone
from email import message_from_bytes
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import List

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import update

from bot.handoff import notifications
from bot.handoff.store import HandoffStore
from bot.municipality.social_map import Notify
from bot.settings import SmtpSettings, read_settings
from bot.storage.database import Database
from bot.storage.schema import notifications as outbox
from tests.unit.handoff.test_handoff_store import full_record
from tools.cluster import free_port

SECRET = "webhook-secret-for-tests"
# What the resident told (full_record): none of it may leave in a notification.
PERSONAL = (
    "Mijn moeder",
    "schulden",
    "deurwaarder",
    "06 12345678",
    "0612345678",
    "eigen huis",
    "broer",
    "Overzicht over de rekeningen",
)


class Inbox:
    def __init__(self) -> None:
        self.messages: List[bytes] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope.content)
        return "250 OK"


@pytest.fixture
def smtp_server():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller, inbox
    controller.stop()


class Receiver(BaseHTTPRequestHandler):
    """A case system: answers with the next status in `statuses` and keeps what it received."""

    statuses: List[int] = []
    received: List[tuple] = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        type(self).received.append((dict(self.headers), body))
        self.send_response(type(self).statuses.pop(0) if type(self).statuses else 200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def webhook_server():
    Receiver.statuses, Receiver.received = [], []
    server = ThreadingHTTPServer(("127.0.0.1", free_port()), Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/wegwijs", Receiver
    server.shutdown()


def settings_for(controller, **smtp):
    """A plain local server is a relay on this machine: no TLS, as the settings allow only there."""
    smtp = {"tls": "none", **smtp}
    return dataclasses.replace(
        read_settings(),
        public_url="https://wegwijs.example",
        webhook_allow_loopback_http=True,
        smtp=SmtpSettings(
            host="127.0.0.1", port=controller.port, sender="wegwijs@voorbeeldstad.example", **smtp
        ),
    )


def organisation(municipality, webhook_url=None):
    first = municipality.social_map[0]
    notify = Notify(
        email="aanmeldingen@meedenkers.example",
        webhook_url=webhook_url,
        webhook_secret_env="WEBHOOK_SECRET_TEST" if webhook_url else None,
    )
    return first.copy(update={"notify": notify})


def stored_with_targets(store, org, key="k1", **changes):
    return store.store(
        full_record(key=key, organisation_id=org.id, notify=notifications.targets_for(org), **changes)
    )


def test_an_email_with_the_reference_and_no_personal_data_reaches_the_smtp_server(
    store, smtp_server, municipality
):
    controller, inbox = smtp_server
    org = organisation(municipality)
    handoff = stored_with_targets(store, org)

    assert notifications.deliver_due(store, settings_for(controller), [org]) == 1

    [raw] = inbox.messages
    mail = message_from_bytes(raw)
    body = mail.get_payload(decode=True).decode()
    assert mail["To"] == "aanmeldingen@meedenkers.example" and handoff.reference in mail["Subject"]
    assert f"https://wegwijs.example/portaal/aanmeldingen/{handoff.reference}" in body
    assert "Urgentie: zie het portaal" in body  # the resident described it in their own words
    assert "Taal van het gesprek: Nederlands" in body
    for detail in PERSONAL:
        assert detail not in raw.decode()
    assert notifications.deliver_due(store, settings_for(controller), [org]) == 0  # sent once


def test_the_mail_names_the_conversations_language_and_still_no_personal_data(
    store, smtp_server, municipality
):
    controller, inbox = smtp_server
    org = organisation(municipality)
    stored_with_targets(store, org, conversation_language="tr")

    assert notifications.deliver_due(store, settings_for(controller), [org]) == 1

    [raw] = inbox.messages
    body = message_from_bytes(raw).get_payload(decode=True).decode()
    # By its Dutch name, the one the portal and the statistics show.
    assert "Taal van het gesprek: Turks" in body and "Taal van het gesprek: tr" not in body
    for detail in PERSONAL:
        assert detail not in raw.decode()


def test_a_signed_webhook_is_retried_after_a_failure_and_the_failure_is_visible(
    store, smtp_server, webhook_server, municipality, monkeypatch
):
    controller, _ = smtp_server
    url, receiver = webhook_server
    receiver.statuses = [503]
    monkeypatch.setenv("WEBHOOK_SECRET_TEST", SECRET)
    org = organisation(municipality, webhook_url=url)
    handoff = stored_with_targets(store, org)
    settings = settings_for(controller)

    assert notifications.deliver_due(store, settings, [org]) == 1  # the e-mail; the webhook got a 503
    [problem] = notifications.problems(store)
    assert (problem.channel, problem.attempts, problem.status) == ("webhook", 1, "pending")
    assert "503" in problem.last_error
    assert notifications.deliver_due(store, settings, [org]) == 0  # not due yet: it waits before retrying

    with store.transaction() as session:  # the wait has passed
        session.execute(
            update(outbox).values(next_attempt_at=datetime.now(timezone.utc) - timedelta(seconds=1))
        )
    assert notifications.deliver_due(store, settings, [org]) == 1
    assert notifications.problems(store) == []

    headers, body = receiver.received[-1]
    expected = hmac.new(
        SECRET.encode(), headers["X-Wegwijs-Timestamp"].encode() + b"." + body, hashlib.sha256
    ).hexdigest()
    assert headers["X-Wegwijs-Signature"] == f"sha256={expected}"
    payload = json.loads(body)
    assert payload["reference"] == handoff.reference and payload["urgency"] == "described"
    for detail in PERSONAL:
        assert detail not in body.decode()
    # The failed first attempt and the retry are one event: the same id, so a receiver can tell.
    first_headers, first_body = receiver.received[0]
    assert json.loads(first_body)["id"] == payload["id"] == headers["X-Wegwijs-Event"] != ""


def test_a_receiver_accepts_a_webhook_once_and_only_within_the_replay_window(
    store, smtp_server, webhook_server, municipality, monkeypatch
):
    controller, _ = smtp_server
    url, receiver = webhook_server
    monkeypatch.setenv("WEBHOOK_SECRET_TEST", SECRET)
    org = organisation(municipality, webhook_url=url)
    stored_with_targets(store, org)
    notifications.deliver_due(store, settings_for(controller), [org])
    [(headers, body)] = receiver.received
    sent_at = int(headers["X-Wegwijs-Timestamp"])

    seen = {}
    event = notifications.verify_webhook(SECRET, headers, body, seen, now=sent_at + 1)
    assert event["id"] == headers["X-Wegwijs-Event"]
    with pytest.raises(ValueError, match="already received"):  # the same message again: a replay
        notifications.verify_webhook(SECRET, headers, body, seen, now=sent_at + 2)
    late = sent_at + notifications.REPLAY_WINDOW_SECONDS + 1
    with pytest.raises(ValueError, match="replay window"):  # kept and sent later, when its id is forgotten
        notifications.verify_webhook(SECRET, headers, body, {}, now=late)
    with pytest.raises(ValueError, match="signature"):
        notifications.verify_webhook(
            SECRET, {**headers, "X-Wegwijs-Timestamp": str(late)}, body, {}, now=late
        )


@pytest.mark.parametrize(
    "url, allowed",
    [
        ("http://case-system.example/wegwijs", False),
        ("http://10.0.0.7/wegwijs", False),
        ("http://127.0.0.1:8080/wegwijs", True),
        ("https://case-system.example/wegwijs", True),
    ],
)
def test_webhooks_go_over_https_and_plain_http_only_to_this_machine_when_allowed(url, allowed):
    check = notifications.check_webhook_url
    if allowed:
        check(url, allow_loopback_http=True)
    else:
        with pytest.raises(ValueError, match="only https"):
            check(url, allow_loopback_http=True)
    if url.startswith("http://"):
        with pytest.raises(ValueError, match="only https"):  # loopback http too, unless allowed
            check(url, allow_loopback_http=False)
        with pytest.raises(ValueError, match="https"):  # and the municipality file refuses it at start
            Notify(webhook_url=url.replace("127.0.0.1", "case-system.example"), webhook_secret_env="X")


def test_a_webhook_to_plain_http_elsewhere_is_not_sent_and_the_reason_is_shown(
    store, smtp_server, municipality, monkeypatch
):
    controller, _ = smtp_server
    monkeypatch.setenv("WEBHOOK_SECRET_TEST", SECRET)
    # As if the file had been checked before the rule: the worker refuses it all the same.
    org = organisation(municipality, webhook_url="https://case-system.example/wegwijs")
    org = org.copy(update={"notify": org.notify.copy(update={"webhook_url": "http://case-system.example/w"})})
    stored_with_targets(store, org)
    notifications.deliver_due(store, settings_for(controller), [org])
    [problem] = notifications.problems(store)
    assert problem.channel == "webhook" and "only https" in problem.last_error


def test_an_unreachable_mail_server_is_retried_with_growing_waits_then_given_up(store, municipality):
    org = organisation(municipality)
    stored_with_targets(store, org)
    closed = dataclasses.replace(
        read_settings(),
        smtp=SmtpSettings(host="127.0.0.1", port=free_port(), sender="x@y.example", tls="none"),
    )
    waits = []
    for _ in range(notifications.MAX_ATTEMPTS):
        with store.transaction() as session:
            session.execute(update(outbox).values(next_attempt_at=datetime.now(timezone.utc)))
        assert notifications.deliver_due(store, closed, [org]) == 0
        [problem] = notifications.problems(store)
        waits.append(problem.next_attempt_at - datetime.now(timezone.utc))
    assert problem.status == "failed" and problem.attempts == notifications.MAX_ATTEMPTS
    assert waits[1] > waits[0] and waits[-2] <= timedelta(seconds=notifications.LONGEST_WAIT_SECONDS)


def test_two_workers_never_send_the_same_message(store_url, smtp_server, municipality):
    controller, inbox = smtp_server
    org = organisation(municipality)
    store = HandoffStore(store_url)
    store.migrate()
    for key in ("a", "b", "c"):
        stored_with_targets(store, org, key)
    workers = [Database(store_url) for _ in range(2)]
    threads = [
        threading.Thread(target=notifications.deliver_due, args=(db, settings_for(controller), [org]))
        for db in workers
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(inbox.messages) == 3
    for db in (*workers, store):
        db.close()


def test_a_handoff_without_an_organisation_sends_nothing(municipality):
    assert notifications.targets_for(None) == ()
    assert notifications.targets_for(organisation(municipality)) == (
        ("email", "aanmeldingen@meedenkers.example"),
    )
