"""The statistics pipeline: conversations recorded by Rasa's SQL tracker store, the job that turns
them into anonymised rows (SQLite and PostgreSQL), suppression, the figures and retention."""

import time
from dataclasses import asdict
from datetime import date, datetime, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.settings import PROJECT_ROOT
from bot.statistics import job, report
from bot.statistics.conversations import split_conversations, summarise
from bot.statistics.deidentify import deidentify
from bot.statistics.store import StatisticsStore
from bot.statistics.suppression import SUPPRESSED, secondary, share, shown
from bot.statistics.tracker_events import TrackerStoreConfigError, conversations_by_sender, tracker_store_url
from bot.storage.database import Database
from tests.unit.statistics_support import (
    MONDAY_EVENING,
    SECRET,
    conversation,
    did,
    identifying_parts,
    message_with,
    personal_data,
    record,
    said,
    slot,
)

NAME, PHONE = "Jantine Vermeulen", "06 98765432"
DAY = date(2026, 11, 23)


def full_conversation(start: float = MONDAY_EVENING):
    """Greets, names two areas, asks about cost, is not understood, asks for a person, completes an
    intake with a handoff, answers the survey."""
    t = start
    return conversation(
        said("greet", "hallo", t),
        did("utter_greet", t),
        said(
            "domain_geldzaken+domain_wonen",
            "schulden en mijn huur",
            t + 60,
            [{"entity": "life_domain", "value": "geldzaken"}],
        ),
        did("action_describe_situation", t + 60),
        said("ask_cost", "kost het geld?", t + 120),
        did("utter_answer_cost", t + 120),
        said("nlu_fallback", f"ik ben {NAME}, bel me op {PHONE}", t + 180),
        did("action_fallback", t + 180),
        said("request_human", "mens", t + 240),
        did("action_contact_human", t + 240),
        slot("intake_relation", "ouder", t + 300),
        slot("intake_phase", "orienting", t + 300),
        slot("intake_situation", f"{NAME} heeft schulden", t + 300),
        slot("handoff_reference", "WW-ABC234", t + 360),
        said("start_satisfaction", "/start_satisfaction", t + 420),
        slot("satisfaction_helped", "5", t + 430),
        slot("satisfaction_own_choices", "overgeslagen", t + 440),
        slot("satisfaction_recommend", "4", t + 450),
        slot("satisfaction_improvement", f"meer uitleg, groet {NAME}", t + 460),
        did("utter_satisfaction_thanks", t + 470),
        start=start,
    )


def event_dicts(events):
    return [event.as_dict() for event in events]


def test_a_conversation_becomes_categories_and_counts_only():
    stats, free_text = summarise(event_dicts(full_conversation()), SECRET, "sender-123")
    assert stats.started_hour == datetime(2026, 11, 23, 19, tzinfo=timezone.utc)
    assert stats.duration_minutes == 8 and stats.user_messages == 6 and stats.channel == "rest"
    assert stats.life_domains == ["geldzaken", "wonen"] and stats.topics == ["ask_cost"]
    assert (stats.relation, stats.phase) == ("ouder", "orienting")
    assert stats.handoff and stats.asked_human and stats.hit_fallback and not stats.crisis
    assert not stats.left and stats.last_step == "utter_satisfaction_thanks"
    assert stats.satisfaction == {"helped": 5, "recommend": 4} and stats.improvement_given
    assert "sender-123" not in stats.key and len(stats.key) == 64
    flat = str(asdict(stats))
    assert NAME not in flat and PHONE not in flat and "sender-123" not in flat
    assert sorted(item.kind for item in free_text) == ["improvement", "not_understood"]


def test_the_key_is_stable_but_depends_on_the_secret():
    events = event_dicts(full_conversation())
    assert summarise(events, SECRET, "s")[0].key == summarise(events, SECRET, "s")[0].key
    assert summarise(events, "another secret", "s")[0].key != summarise(events, SECRET, "s")[0].key


def test_a_resident_who_leaves_mid_intake_drops_off_at_that_question():
    events = conversation(
        said("start_intake"),
        did("utter_intake_start"),
        did("intake_form"),
        slot("requested_slot", "intake_situation"),
    )
    stats, _ = summarise(event_dicts(events), SECRET, "s")
    assert stats.left and stats.last_step == "intake_situation"
    assert report.step_label(stats.last_step) == "Vraag op een rij: Wat er speelt"


def test_made_up_intents_and_slot_values_are_not_counted():
    events = conversation(
        said("my_name_is_jantine", "/my_name_is_jantine"),
        slot("intake_relation", NAME),
        slot("intake_life_domains", ["geldzaken", NAME]),
        said("crisis", "help"),
    )
    stats, _ = summarise(event_dicts(events), SECRET, "s")
    assert (
        stats.topics == [] and stats.relation is None and stats.life_domains == ["geldzaken"] and stats.crisis
    )


def test_sessions_and_restarts_split_conversations_and_empty_ones_are_skipped():
    first, second = full_conversation(), full_conversation(MONDAY_EVENING + 7200)
    empty = conversation(start=MONDAY_EVENING + 9000)
    assert len(split_conversations(event_dicts(first + second + empty))) == 2


def test_suppression_hides_every_count_below_five():
    assert [shown(n) for n in (0, 1, 4, 5, 12)] == [SUPPRESSED] * 3 + [5, 12]
    assert share(3, 100) is None and share(50, 4) is None and share(25, 100) == "25%"


def test_a_lone_suppressed_cell_beside_a_total_takes_another_with_it():
    assert secondary({"a": 3, "b": 7, "c": 20}) == {"a": SUPPRESSED, "b": SUPPRESSED, "c": 20}
    assert secondary({"a": 3, "b": 2, "c": 20}) == {"a": SUPPRESSED, "b": SUPPRESSED, "c": 20}
    assert secondary({"a": 6, "b": 7}) == {"a": 6, "b": 7}


def test_the_tracker_store_location_comes_from_the_endpoints_file(tmp_path):
    endpoints = tmp_path / "endpoints.yml"
    for kind in ("SQL", "sql"):  # Rasa reads the type in any case
        endpoints.write_text(f"tracker_store:\n  type: {kind}\n  dialect: sqlite\n  db: var/tracker.db\n")
        assert tracker_store_url(endpoints).endswith("/var/tracker.db")
    endpoints.write_text(
        "tracker_store:\n  type: SQL\n  dialect: postgresql\n  url: ${DB_HOST}\n  port: 5432\n"
        "  db: rasa\n  username: ${DB_USER}\n  password: ${DB_PASSWORD}\n"
    )
    url = tracker_store_url(endpoints, {"DB_HOST": "db.example", "DB_USER": "rasa", "DB_PASSWORD": "p@ss"})
    assert url == "postgresql://rasa:p%40ss@db.example:5432/rasa"
    with pytest.raises(TrackerStoreConfigError, match="DB_USER"):
        tracker_store_url(endpoints, {"DB_HOST": "db.example"})
    production = PROJECT_ROOT / "deploy" / "endpoints.production.yml"
    environ = {
        f"WEGWIJS_TRACKER_{key}": value
        for key, value in {
            "HOST": "db.example",
            "PORT": "5432",
            "DB": "wegwijs",
            "USER": "rasa",
            "PASSWORD": "x",
        }.items()
    }
    assert tracker_store_url(production, environ) == "postgresql://rasa:x@db.example:5432/wegwijs"
    endpoints.write_text("action_endpoint:\n  url: http://localhost:5055/webhook\n")
    with pytest.raises(TrackerStoreConfigError, match="type SQL"):
        tracker_store_url(endpoints)


@pytest.fixture
def statistics(store_url):
    database = Database(store_url)
    database.migrate()
    yield StatisticsStore(database)
    database.close()


@pytest.fixture
def tracker(tmp_path):
    return tmp_path / "tracker.db"


def test_the_job_counts_each_conversation_once_and_keeps_no_personal_data(statistics, tracker):
    for n in range(6):
        record(tracker, f"resident-{n}", full_conversation(MONDAY_EVENING + n * 60))
    url = f"sqlite:///{tracker}"
    first = job.update(url, statistics, SECRET)
    again = job.update(url, statistics, SECRET)
    assert first.conversations == again.conversations == 6
    rows = statistics.conversations(DAY, DAY)
    assert len(rows) == 6
    assert all(row["handoff"] and row["satisfaction_helped"] == 5 for row in rows)
    texts = statistics.free_text(DAY, DAY)
    assert len(texts) == 12  # 6 not understood + 6 improvements: a re-run adds none
    everything = str(rows) + str(texts)
    assert NAME not in everything and "Jantine" not in everything and "98765432" not in everything
    assert "resident-" not in everything
    assert any("[PERSOON]" in item["text"] or "[NAAM]" in item["text"] for item in texts)


def test_figures_from_the_table_are_suppressed_and_exact(statistics, tracker):
    for n in range(7):
        record(tracker, f"resident-{n}", full_conversation(MONDAY_EVENING + n * 60))
    record(tracker, "crisis", conversation(said("crisis", "ik wil niet meer leven"), did("utter_crisis")))
    job.update(f"sqlite:///{tracker}", statistics, SECRET)
    rows = statistics.conversations(DAY, DAY)
    figures = {figure.slug: figure for figure in report.figures(rows, DAY, DAY)}
    assert figures["per-dag"].rows == (("2026-11-23", (8,)),) and figures["per-dag"].total == 8
    areas = dict(figures["levensgebieden"].rows)
    assert areas["geldzaken"] == areas["wonen"] == (7,) and areas["mantelzorg"] == (SUPPRESSED,)
    assert dict(figures["onderwerpen"].rows)["Kost het geld?"] == (7,)
    assert dict(figures["afloop"].rows)["Vroeg om een mens"] == (7,)
    assert figures["afloop"].shares == ("88%", "88%", "88%")
    assert figures["crisis"].rows == (("Crisisgesprekken", (SUPPRESSED,)),)
    monday = dict(figures["weekuren"].rows)["ma"]
    assert monday[20] == 8 and set(monday[:20] + monday[21:]) == {SUPPRESSED}
    helped = dict(figures["tevredenheid"].rows)["Dit gesprek heeft mij geholpen"]
    assert helped == (SUPPRESSED, SUPPRESSED, SUPPRESSED, SUPPRESSED, 7)
    for figure in figures.values():
        for row in report.csv_rows(figure)[1:]:
            assert not any(isinstance(cell, int) and cell < 5 for cell in row), (figure.slug, row)


def test_an_ended_sessions_words_are_gone_while_its_statistics_row_stays(statistics, tracker):
    record(tracker, "ended", full_conversation(MONDAY_EVENING))
    record(tracker, "going-on", full_conversation(MONDAY_EVENING + 40 * 86400))
    url = f"sqlite:///{tracker}"
    # 30 minutes after the second conversation's last event: the first session ended, the second did not
    purged = job.purge(
        url,
        statistics,
        SECRET,
        retention_days=0,
        session_minutes=60,
        now=MONDAY_EVENING + 40 * 86400 + 470 + 30 * 60,
    )
    assert purged.sessions_erased == 1
    assert [sender for sender, _ in conversations_by_sender(url)] == ["going-on"]
    assert len(statistics.conversations(DAY, date(2027, 1, 31))) == 2
    job.update(url, statistics, SECRET)  # the erased conversation's row stays
    assert len(statistics.conversations(DAY, date(2027, 1, 31))) == 2
    with pytest.raises(ValueError):
        job.purge(url, statistics, SECRET, retention_days=-1, session_minutes=60)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(min_value=0, max_value=10**9))
def test_generated_dutch_personal_data_never_survives_de_identification(seed):
    data = personal_data(seed)
    cleaned = deidentify(message_with(data))
    for part in identifying_parts(data):
        assert part not in cleaned, (part, cleaned)


def test_the_cli_counts_from_the_configured_tracker_store_and_purges(tmp_path, monkeypatch, capsys):
    from bot.ops.cli import main

    tracker = tmp_path / "tracker.db"
    ten_days_ago = time.time() - 10 * 86400
    record(
        tracker,
        "resident",
        conversation(
            said("greet", "hallo", ten_days_ago), did("utter_greet", ten_days_ago), start=ten_days_ago
        ),
    )
    endpoints = tmp_path / "endpoints.yml"
    endpoints.write_text(f"tracker_store:\n  type: SQL\n  dialect: sqlite\n  db: {tracker}\n")
    monkeypatch.setenv("WEGWIJS_ENDPOINTS_FILE", str(endpoints))
    monkeypatch.setenv("WEGWIJS_DATABASE_URL", f"sqlite:///{tmp_path / 'app.db'}")
    assert main(["statistics", "update"]) == 0  # each command reads the settings afresh, as its own process
    assert main(["statistics", "purge-conversations"]) == 0
    endpoints.write_text("action_endpoint:\n  url: http://localhost:5055/webhook\n")
    monkeypatch.setenv("WEGWIJS_ENDPOINTS_FILE", str(endpoints))
    assert main(["statistics", "update"]) == 2
    output = capsys.readouterr()
    assert "1 gesprekken verwerkt" in output.out and "sessies gewist: 1" in output.out
    assert "type SQL" in output.err
    assert list(conversations_by_sender(f"sqlite:///{tracker}")) == []
