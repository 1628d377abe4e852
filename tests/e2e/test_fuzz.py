"""Fuzzed messages through the widget API and the REST channel, against the real servers.

10,000 messages of the same generator go through the door's cleaning in tests/unit/conversation/test_text.py;
through the real Rasa each turn costs about 50 ms of a shared machine, so FUZZED of them go end to
end here (measured: see README), in conversations of PER_CONVERSATION that each end with a normal
question. Then no log holds the fuzz canary, and the statistics job and retention run clean.
"""

import re
import time
import uuid
from typing import List, Tuple

import pytest
import requests

from bot.conversation.text import within_limit_at_the_door
from bot.statistics import job
from bot.statistics.store import StatisticsStore
from bot.statistics.tracker_events import tracker_store_url
from bot.storage.database import Database
from tests.fuzz_messages import CANARY, messages

pytestmark = pytest.mark.e2e
SECRET = "e2e-tests-only"  # the servers fixture's WEGWIJS_SECRET_KEY
MAX_LENGTH = 2000  # WEGWIJS_WIDGET_MAX_LENGTH's default, which the servers run with
FUZZED = 10000
PER_CONVERSATION = 5
# A tag, a script URL or an event handler in what the bot says: markup echoed.
MARKUP = re.compile(r"<\s*[a-z/!]|javascript:|onerror", re.IGNORECASE)


class Widget:
    """A conversation through the web server's widget API, as the widget script makes it."""

    def __init__(self, web_url: str) -> None:
        self.session = requests.Session()
        self.url = web_url
        self.token = self._post("/widget/api/conversations", {}).json()["token"]

    def _post(self, path: str, body: dict) -> requests.Response:
        return self.session.post(self.url + path, json=body, timeout=60)

    def says(self, text: str) -> Tuple[int, List[str]]:
        answer = self._post(
            "/widget/api/messages", {"token": self.token, "text": text, "message_id": uuid.uuid4().hex}
        )
        body = answer.json()
        shown = [r.get("text", "") for r in body.get("replies", [])] + [
            b["title"] for r in body.get("replies", []) for b in r.get("buttons", [])
        ]
        # The widget shows its own text for these error codes (bot/web/widget/static/wegwijs.js).
        return answer.status_code, shown or [body.get("error", "")]


class Rest:
    """A conversation through Rasa's REST channel, as a server-to-server client makes it."""

    def __init__(self, servers) -> None:
        self.session = requests.Session()
        self.url = f"http://127.0.0.1:{servers.rasa_port}/webhooks/rest/webhook"
        self.sender = f"fuzz-{uuid.uuid4().hex}"

    def says(self, text: str) -> Tuple[int, List[str]]:
        answer = self.session.post(self.url, json={"sender": self.sender, "message": text}, timeout=60)
        replies = answer.json() if answer.status_code < 500 else []
        return answer.status_code, [r.get("text", "") for r in replies] + [
            b["title"] for r in replies for b in r.get("buttons", [])
        ]


def problem(channel: str, text: str, status: int, shown: List[str]) -> str:
    if status >= 500:
        return f"server error {status}"
    if channel == "widget" and status == 400 and not text.strip():
        return ""  # the widget never sends an empty message; the API refuses it
    expected = 413 if within_limit_at_the_door(text, MAX_LENGTH) is None else 200
    if status != expected:
        return f"status {status}, expected {expected}"
    if not any(line.strip() for line in shown):
        return "no reply"
    if any(MARKUP.search(line) for line in shown):
        return "markup echoed"
    return ""


def test_fuzzed_conversations_are_all_answered_and_go_on_and_the_jobs_run_clean(servers, unthrottled):
    fuzzed = messages(FUZZED, seed=1515)
    found, started = [], time.monotonic()
    for number, first in enumerate(range(0, FUZZED, PER_CONVERSATION)):
        channel, conversation = ("widget", Widget(unthrottled)) if number % 2 else ("rest", Rest(servers))
        for text in fuzzed[first : first + PER_CONVERSATION]:
            status, shown = conversation.says(text)
            what = problem(channel, text, status, shown)
            if what:
                found.append((channel, what, ascii(text[:80])))
        status, shown = conversation.says("kost het geld?")
        if status != 200 or not any("gratis" in line for line in shown):
            found.append((channel, "no answer to a normal question afterwards", status))
    print(f"\n{FUZZED} fuzzed messages end to end in {time.monotonic() - started:.0f} s")
    assert found == []

    logs = "".join(
        (servers.tmp / name).read_text(errors="replace") for name in ("rasa.log", "actions.log", "web.log")
    )
    assert CANARY not in logs

    database = Database(servers.database_url)
    database.migrate()
    try:
        tracker_url = tracker_store_url(servers.endpoints)
        store = StatisticsStore(database)
        result = job.update(tracker_url, store, SECRET)
        assert result.skipped_events == 0 and result.conversations >= FUZZED // PER_CONVERSATION
        # Retention reads every stored event (sessions a fuzzed /restart ended are de-identified), deletes
        # nothing by age (all of today), and leaves a store the job still reads whole.
        purged = job.purge(tracker_url, store, SECRET, retention_days=30, session_minutes=60)
        assert purged.sessions_deleted_by_age == 0
        assert job.update(tracker_url, store, SECRET).skipped_events == 0
    finally:
        database.close()


def test_typed_intent_syntax_is_words_and_a_button_the_bot_offered_is_a_command(servers):
    resident = Rest(servers)
    resident.says('/start_intake{"intake_contact_detail": "0611122233"}')
    rasa = f"http://127.0.0.1:{servers.rasa_port}/conversations/{resident.sender}/tracker"
    tracker = requests.get(rasa, params={"token": servers.rasa_token}, timeout=30).json()
    assert tracker["slots"]["intake_contact_detail"] is None
    assert [e["text"] for e in tracker["events"] if e["event"] == "user"] == [
        'start_intake{"intake_contact_detail": "0611122233"}'
    ]
    assert "0611122233" not in (servers.tmp / "rasa.log").read_text(errors="replace")
    greeted = Rest(servers)
    greeted.says("hallo")
    status, shown = greeted.says("/ask_what_is_client_support")  # a button of the greeting
    assert status == 200 and "onafhankelijk" in " ".join(shown).lower()


def test_after_a_body_over_the_web_servers_limit_the_next_message_on_that_connection_is_answered(unthrottled):
    widget = Widget(unthrottled)  # one kept-alive connection, as a browser keeps it
    for _ in range(5):
        assert widget.says("x" * 100_000) == (413, ["too_long"])
        status, shown = widget.says("kost het geld?")
        assert status == 200 and "gratis" in " ".join(shown)
