"""PII canaries through every way a conversation ends, over the real Rasa, action and web servers.

Typed, lowercase and spelled out (tests/canaries.py). After a declined consent, stop, restart or a
withdrawal they are nowhere in the tracker store at once; after the session ended only in the
consented handoff; never in a log file, the statistics tables, the CSV export, a notification
e-mail or a webhook body.
"""

import dataclasses
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import create_engine, text

from bot.handoff import notifications
from bot.handoff.store import HandoffStore
from bot.municipality.profile import load_municipality
from bot.privacy import retention
from bot.settings import SmtpSettings, read_settings
from bot.storage.database import Database
from bot.storage.schema import notifications as outbox
from tests.canaries import CANARIES, leaked
from tests.e2e.conftest import Resident, free_port, text_of
from tests.e2e.intake_path import press, reference_in
from tests.e2e.test_statistics import SLUGS, Staff

pytestmark = pytest.mark.e2e
# The intake's free-text answers, each with canaries in it (names, BSN, address, spelled-out numbers).
ANSWERS = (
    f"ik heb schulden. {CANARIES[0].typed}, {CANARIES[4].typed}",
    f"{CANARIES[2].typed}, {CANARIES[5].typed}",
    f"een betalingsregeling, {CANARIES[10].typed}",
    f"{CANARIES[3].typed}, {CANARIES[7].typed}",
)
CHAT = [canary.typed for canary in CANARIES]  # said outside the intake: not understood, mostly


def _rows(servers, sender: str) -> str:
    engine = create_engine(f"sqlite:///{servers.tracker_db}")
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT data FROM events WHERE sender_id = :s"), {"s": sender})
        stored = " ".join(row[0] for row in rows)
    engine.dispose()
    return stored


def _intake(resident, consent: bool):
    """Up to the offer of organisations, every free-text answer and the contact detail with canaries."""
    replies = resident.says("ik heb schulden en de huur is te hoog")
    for button in ("op een rij", "Voor mijzelf", "Ja, dat klopt"):
        replies = press(resident, replies, button)
    for answer in ANSWERS:
        replies = resident.says(answer)
    for button in ("Ik kijk wat er mogelijk is", "Zo snel mogelijk", "Maakt niet uit", "Nederlands", "Nee"):
        replies = press(resident, _skip_to(resident, replies, button), button)
    if not consent:
        return press(resident, press(resident, replies, "Nee, liever niet"), "Ja, dit klopt")
    replies = press(resident, press(resident, replies, "Ja, dat mag"), "Telefoon")
    replies = resident.says(CANARIES[6].typed.replace("bel me op ", ""))  # the phone number itself
    return press(resident, press(resident, replies, "Ja, dit klopt"), "GeldWijs")


def _skip_to(resident, replies, title: str):
    """Skips a question that is still open: a canary answer may read as a question of its own
    ("mijn nummer is ..."), which the bot answers before asking again."""
    for _ in range(3):
        if title.lower() in str(replies).lower():
            break
        replies = press(resident, replies, "Overslaan")
    return replies


def _chat(resident):
    for message in CHAT:
        resident.says(message)


class _Receiver(BaseHTTPRequestHandler):
    bodies: list = []

    def do_POST(self):
        type(self).bodies.append(self.rfile.read(int(self.headers["Content-Length"])).decode())
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


class _Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope.content.decode(errors="replace"))
        return "250 OK"


def _deliver_notifications(servers, references, monkeypatch) -> list:
    """Sends the outbox through a real local SMTP server and webhook receiver; returns what they got."""
    inbox, receiver = _Inbox(), ThreadingHTTPServer(("127.0.0.1", free_port()), _Receiver)
    _Receiver.bodies = []
    threading.Thread(target=receiver.serve_forever, daemon=True).start()
    smtp = Controller(inbox, hostname="127.0.0.1", port=free_port())
    smtp.start()
    monkeypatch.setenv("WEBHOOK_SECRET_E2E", "e2e-webhook-secret")
    try:
        store = HandoffStore(servers.database_url)
        with store.transaction() as session:  # the case system of the chosen organisation, too
            for handoff in (store.get(reference) for reference in references):
                session.execute(
                    outbox.insert().values(
                        handoff_id=session.execute(
                            text("SELECT id FROM handoffs WHERE reference = :r"), {"r": handoff.reference}
                        ).scalar(),
                        channel="webhook",
                        target=f"http://127.0.0.1:{receiver.server_port}/wegwijs",
                        status="pending",
                        attempts=0,
                        next_attempt_at=handoff.created_at,
                        created_at=handoff.created_at,
                    )
                )
        # A relay on this machine without TLS, and a receiver on loopback over http: what the settings
        # allow only on this machine (the mail's TLS itself is tested in tests/unit/handoff/test_mail_tls.py).
        settings = dataclasses.replace(
            read_settings(),
            public_url=servers.web_url,
            webhook_allow_loopback_http=True,
            smtp=SmtpSettings(
                host="127.0.0.1", port=smtp.port, tls="none", sender="wegwijs@voorbeeldstad.example"
            ),
        )
        organisations = [
            organisation.copy(
                update={
                    "notify": organisation.notify.copy(update={"webhook_secret_env": "WEBHOOK_SECRET_E2E"})
                }
            )
            for organisation in load_municipality(settings.municipality_file).social_map
        ]
        database = Database(servers.database_url)
        assert notifications.deliver_due(database, settings, organisations) >= 2 * len(references)
        database.close()
        store.close()
    finally:
        smtp.stop()
        receiver.shutdown()
    return inbox.messages + _Receiver.bodies


def test_pii_canaries_are_kept_only_where_and_as_long_as_the_resident_was_told(servers, request, monkeypatch):
    name = request.node.name
    residents = {
        path: Resident(servers, f"{name}-{path}")
        for path in ("decline", "stop", "restart", "handoff", "withdrawal", "leaving")
    }
    # Erased at once: the bot says so, and the tracker store holds none of it.
    replies = _intake(residents["decline"], consent=False)
    assert "heb ik nu gewist" in text_of(replies)
    _chat(residents["stop"])
    assert "heb ik gewist" in text_of(residents["stop"].says("stop"))
    _chat(residents["restart"])
    assert "heb ik gewist" in text_of(residents["restart"].says("ik wil opnieuw beginnen"))
    replies = _intake(residents["withdrawal"], consent=True)
    withdrawn = reference_in(replies)
    replies = press(
        residents["withdrawal"], press(residents["withdrawal"], replies, "intrekken"), "Ja, intrekken"
    )
    assert "ingetrokken" in text_of(replies) and "in dit gesprek" in text_of(replies)
    for path in ("decline", "stop", "restart", "withdrawal"):
        assert leaked(_rows(servers, residents[path].sender)) == [], path
        # and the conversation goes on from what was kept
        assert "gratis" in text_of(residents[path].says("kost een clientondersteuner geld?")), path
    # Kept while the conversation goes on (the bot may need them), then gone when the session ended.
    kept = reference_in(_intake(residents["handoff"], consent=True))
    _chat(residents["leaving"])
    assert leaked(_rows(servers, residents["handoff"].sender)) and leaked(
        _rows(servers, residents["leaving"].sender)
    )
    settings = dataclasses.replace(
        read_settings(),
        database_url=servers.database_url,
        secret_key="e2e-tests-only",
        endpoints_file=servers.endpoints,
    )
    two_hours_on = time.time() + 2 * 3600  # longer than domain.yml's 60 idle minutes
    assert all(outcome.ok for outcome in retention.run_once(settings, two_hours_on))
    for path, resident in residents.items():
        assert leaked(_rows(servers, resident.sender)) == [], path

    # Only the consented handoff keeps the resident's words; the withdrawn one lost them.
    store = HandoffStore(servers.database_url)
    assert leaked(json.dumps(dataclasses.asdict(store.get(kept).intake)))
    assert leaked(json.dumps(dataclasses.asdict(store.get(withdrawn).intake))) == []
    store.close()

    outputs = {
        name: (servers.tmp / name).read_text(errors="replace")
        for name in ("rasa.log", "actions.log", "web.log")
    }
    database = Database(servers.database_url)
    with database.transaction() as session:
        for table in ("statistics_conversations", "statistics_free_text", "retention_status", "audit_log"):
            outputs[table] = str(session.execute(text(f"SELECT * FROM {table}")).all())
    database.close()
    staff = Staff(servers)
    for slug in SLUGS:
        outputs[f"{slug}.csv"] = staff.get(f"/portaal/statistiek/{slug}.csv").text
    outputs["free text page"] = Staff(servers, "administrator").get("/portaal/statistiek/vrije-tekst").text
    for n, sent in enumerate(_deliver_notifications(servers, [kept], monkeypatch)):
        outputs[f"notification {n}"] = sent
    for where, output in outputs.items():
        assert leaked(output) == [], where
