"""Real conversations over REST, recorded by Rasa's SQL tracker store, counted by the statistics job,
shown to staff by the real web server: exact aggregates, suppression, and no personal data anywhere."""

import csv
import io
import time
from collections import Counter

import pytest

from bot.statistics import job
from bot.statistics.store import StatisticsStore
from bot.statistics.tracker_events import conversations_by_sender, tracker_store_url
from bot.storage.database import Database
from tests.e2e.conftest import Resident, payloads
from tests.e2e.portal_client import PortalClient, ready_account
from tests.unit.statistics_support import identifying_parts, message_with, personal_data

pytestmark = pytest.mark.e2e
SECRET = "e2e-tests-only"  # the servers' WEGWIJS_SECRET_KEY
SLUGS = (
    "per-dag",
    "per-week",
    "levensgebieden",
    "onderwerpen",
    "afloop",
    "afhaakpunten",
    "crisis",
    "tevredenheid",
    "weekuren",
)
SATISFIED = 5  # residents who answer the survey: exactly the suppression threshold


class Staff(PortalClient):
    def __init__(self, servers, role: str = "staff") -> None:
        super().__init__(servers.web_url)
        self.landed = self.login(ready_account(servers.database_url, SECRET, role).email)


def satisfied_resident(resident: Resident, data: dict) -> None:
    for message in ("hallo", "kost het geld?", "ik wil met een medewerker praten", "doei"):
        replies = resident.says(message)
    # Typed "/..." is only words: the survey's answers are its buttons.
    for payload in ("/start_satisfaction", '/choose{"choice": "5"}', '/choose{"choice": "4"}', "/skip"):
        assert payload in payloads(replies), (payload, replies)
        replies = resident.says(payload)
    resident.says(f"Het was duidelijk. Groet, {data['name']} ({data['phone']})")


def run_job(servers):
    database = Database(servers.database_url)
    database.migrate()
    store = StatisticsStore(database)
    return database, store, tracker_store_url(servers.endpoints)


def all_rows(store):
    from datetime import date

    return store.conversations(date(2000, 1, 1), date(2100, 1, 1))


def test_real_conversations_give_exact_suppressed_statistics_without_personal_data(servers, request):
    database, store, tracker_url = run_job(servers)
    job.update(tracker_url, store, SECRET)
    before = {row["conversation_key"] for row in all_rows(store)}

    people = [personal_data(seed) for seed in range(SATISFIED + 3)]
    for n, data in enumerate(people[:SATISFIED]):
        satisfied_resident(Resident(servers, f"{request.node.name}-satisfied-{n}"), data)
    for n, data in enumerate(people[SATISFIED:]):
        leaver = Resident(servers, f"{request.node.name}-leaver-{n}")
        leaver.says("hallo")
        leaver.says(message_with(data))
        leaver.says("/start_intake")

    result = job.update(tracker_url, store, SECRET)
    assert result.conversations >= SATISFIED + 3
    new = [row for row in all_rows(store) if row["conversation_key"] not in before]
    assert len(new) == SATISFIED + 3
    satisfied = [row for row in new if row["satisfaction_helped"]]
    assert len(satisfied) == SATISFIED
    assert Counter(row["satisfaction_helped"] for row in satisfied) == {5: SATISFIED}
    assert Counter(row["satisfaction_own_choices"] for row in satisfied) == {4: SATISFIED}
    assert all(row["satisfaction_recommend"] is None and row["improvement_given"] for row in satisfied)
    assert all(
        row["topics"] == ["ask_cost"] and row["asked_human"] and not row["dropped_off"] for row in satisfied
    )
    leavers = [row for row in new if not row["satisfaction_helped"]]
    assert all(row["dropped_off"] and row["last_step"].startswith("intake_") for row in leavers)
    assert all(row["channel"] == "rest" and row["started_hour"].minute == 0 for row in new)

    staff = Staff(servers)
    assert staff.landed.url.endswith("/portaal/statistiek")
    outputs = [staff.landed.text]
    for slug in SLUGS:
        for kind in ("svg", "csv"):
            response = staff.get(f"/portaal/statistiek/{slug}.{kind}")
            assert response.status_code == 200
            outputs.append(response.text)
            if kind == "csv":
                cells = [
                    cell
                    for row in list(csv.reader(io.StringIO(response.text), delimiter=";"))[1:]
                    for cell in row[1:]
                ]
                assert not [cell for cell in cells if cell.isdigit() and int(cell) < 5], (slug, cells)
    admin = Staff(servers, "administrator")
    free_text = admin.get("/portaal/statistiek/vrije-tekst").text
    assert "Het was duidelijk" in free_text
    outputs.append(free_text)

    logs = "".join(
        (servers.tmp / name).read_text(errors="replace") for name in ("rasa.log", "actions.log", "web.log")
    )
    table = str(new) + str(store.free_text(new[0]["started_hour"].date(), new[-1]["started_hour"].date()))
    for data in people:
        for part in identifying_parts(data):
            for name, output in (
                ("table", table),
                ("logs", logs),
                *((f"page {n}", o) for n, o in enumerate(outputs)),
            ):
                assert part not in output, f"{part!r} found in {name}"
    assert staff.get("/portaal/aanmeldingen").status_code == 403
    assert staff.get("/portaal/statistiek/vrije-tekst").status_code == 403
    database.close()


def test_retention_erases_ended_sessions_and_keeps_the_statistics(servers, request):
    database, store, tracker_url = run_job(servers)
    Resident(servers, f"{request.node.name}-old").says("/greet")
    job.update(tracker_url, store, SECRET)
    counted = len(all_rows(store))
    assert any(True for _ in conversations_by_sender(tracker_url))
    # two hours on, every session has been idle longer than domain.yml's 60 minutes
    purged = job.purge(
        tracker_url, store, SECRET, retention_days=0, session_minutes=60, now=time.time() + 2 * 3600
    )
    assert purged.sessions_erased >= 1
    assert list(conversations_by_sender(tracker_url)) == []
    assert len(all_rows(store)) == counted
    database.close()
