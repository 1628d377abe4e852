"""The handoff store, against a temporary SQLite file and the local PostgreSQL server (tests/unit/conftest.py)."""

import re
import subprocess
import sys
import threading
from dataclasses import fields
from datetime import datetime, timedelta, timezone

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url
from zoneinfo import ZoneInfo

from bot.handoff.store import (
    ERASED_ON_WITHDRAWAL,
    HandoffRecord,
    HandoffStore,
    StoredHandoff,
    StoreUnavailable,
    handoffs,
)
from bot.intake.steps import SKIPPED, Intake
from bot.settings import PROJECT_ROOT
from bot.storage.database import MIGRATIONS_DIR, Database
from bot.storage.schema import metadata
from tests.unit.conftest import POSTGRES_URL, UNREACHABLE_URL

REFERENCE = re.compile(r"^WW-[2-9A-HJKMNP-Z]{6}$")


def full_record(conversation_id: str = "conv-1", key: str = "handoff-1", **changes) -> HandoffRecord:
    """A handoff with every intake field answered (one skipped), as the form would leave it."""
    intake = Intake(
        relation="ouder",
        life_domains=["geldzaken", "wonen"],
        situation="Mijn moeder heeft schulden en krijgt brieven die ze niet begrijpt.",
        what_matters="Dat ze in haar eigen huis kan blijven wonen.",
        goal="Overzicht over de rekeningen.",
        network="Mijn broer helpt soms.",
        phase="orienting",
        urgency="Er komt volgende week een deurwaarder.",
        supporter_kind="professional",
        language="Nederlands, graag eenvoudig",
        accessibility=SKIPPED,
        contact_method="phone",
        contact_detail="06 12345678",
    )
    values = dict(
        conversation_id=conversation_id,
        idempotency_key=key,
        organisation_id="wijkteam-noord",
        organisation_choice="chosen",
        intake=intake,
        consent_text="Ik geef toestemming dat Wegwijs mijn antwoorden doorgeeft aan een cliëntondersteuner.",
        consent_at=datetime(2025, 11, 23, 14, 30, 5, 123456, tzinfo=ZoneInfo("Europe/Amsterdam")),
    )
    values.update(changes)
    return HandoffRecord(**values)


def count_rows(url: str) -> int:
    engine = create_engine(url, future=True)
    try:
        with engine.connect() as connection:
            return connection.execute(text("SELECT count(*) FROM handoffs")).scalar_one()
    finally:
        engine.dispose()


def test_migrate_creates_the_table_and_can_run_again(store_url):
    handoff_store = HandoffStore(store_url)
    handoff_store.migrate()
    handoff_store.migrate()
    engine = create_engine(store_url, future=True)
    try:
        tables = inspect(engine).get_table_names()
        with engine.connect() as connection:
            version = connection.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
    finally:
        engine.dispose()
        handoff_store.close()
    assert {"handoffs", "accounts", "handoff_events", "audit_log", "notifications", "alembic_version"} <= set(
        tables
    )
    assert version == ScriptDirectory(str(MIGRATIONS_DIR)).get_current_head()


def test_processes_starting_at_once_migrate_once(postgres_url):
    # Several action-server processes starting together on a fresh database: none may crash.
    # Each child imports first and says so; then all are released at once, to make them collide.
    code = (
        "import sys; import alembic.command; from bot.handoff.store import HandoffStore; "
        "print('ready', flush=True); sys.stdin.readline(); HandoffStore(sys.argv[1]).migrate()"
    )
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", code, postgres_url],
            cwd=PROJECT_ROOT,
            text=True,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for _ in range(3)
    ]
    assert [process.stdout.readline().strip() for process in processes] == ["ready"] * 3
    for process in processes:
        process.stdin.write("go\n")
        process.stdin.flush()
    errors = [process.communicate(timeout=60)[1] for process in processes]
    assert [process.returncode for process in processes] == [0, 0, 0], errors
    assert count_rows(postgres_url) == 0


def test_the_model_matches_the_migrations(store):
    engine = create_engine(store.url, future=True)
    try:
        with engine.connect() as connection:
            differences = compare_metadata(MigrationContext.configure(connection), metadata)
    finally:
        engine.dispose()
    assert differences == []


def test_every_intake_field_has_a_column_and_is_read_back():
    intake_fields = {f.name for f in fields(Intake)}
    assert intake_fields <= set(handoffs.c.keys())
    # Read back as a whole Intake, so a new intake field cannot be forgotten on the way out.
    assert {f.name: f.type for f in fields(StoredHandoff)}["intake"] in (Intake, "Intake")


def test_a_handoff_is_stored_and_read_back_with_every_field(store):
    record = full_record()
    before = datetime.now(timezone.utc)
    stored = store.store(record)

    assert REFERENCE.match(stored.reference)
    assert stored.status == "new" and stored.withdrawn_at is None
    assert before - timedelta(seconds=1) <= stored.created_at <= datetime.now(timezone.utc)
    assert stored.created_at.tzinfo is not None
    assert stored.conversation_id == record.conversation_id
    assert (stored.organisation_id, stored.organisation_choice) == ("wijkteam-noord", "chosen")
    assert stored.consent_text == record.consent_text
    assert stored.consent_at == record.consent_at and stored.consent_at.utcoffset() == timedelta(0)
    assert stored.intake == record.intake

    read = store.get(stored.reference)
    assert read == stored
    assert read.intake.life_domains == ["geldzaken", "wonen"]
    assert read.intake.accessibility == SKIPPED


def test_the_conversations_language_is_stored_and_read_back(store):
    turkish = store.store(full_record(key="tr", conversation_language="tr"))
    assert turkish.conversation_language == "tr"
    assert store.get(turkish.reference) == turkish
    assert store.get(turkish.reference).conversation_language == "tr"
    # A record that names none was a conversation in Dutch.
    dutch = store.store(full_record(key="nl"))
    assert store.get(dutch.reference).conversation_language == "nl"
    assert {h.reference: h.conversation_language for h in store.latest()} == {
        turkish.reference: "tr",
        dutch.reference: "nl",
    }


def test_handoffs_stored_before_there_were_languages_become_dutch(store_url):
    database = Database(store_url)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", store_url.replace("%", "%%"))

    def migrate(step, revision: str) -> None:
        with database.engine.begin() as connection:
            config.attributes["connection"] = connection
            step(config, revision)

    handoff_store = HandoffStore(store_url)
    try:
        migrate(command.upgrade, "0006")
        earlier = HandoffStore._row(full_record(), "WW-ABC234")
        del earlier["conversation_language"]
        with database.transaction() as session:
            session.execute(handoffs.insert().values(**earlier))
        handoff_store.migrate()
        assert handoff_store.get("WW-ABC234").conversation_language == "nl"
        migrate(command.downgrade, "0006")  # and back: the column goes, the handoff stays
        migrate(command.upgrade, "head")
        found = handoff_store.get("WW-ABC234")
        assert found.conversation_language == "nl" and found.intake == full_record().intake
    finally:
        handoff_store.close()
        database.close()


def test_a_handoff_without_organisation_or_answers_is_stored(store):
    record = full_record(organisation_id=None, organisation_choice="none", intake=Intake())
    stored = store.store(record)
    assert store.get(stored.reference) == stored
    assert (
        stored.organisation_id is None
        and stored.intake.life_domains == []
        and stored.intake.situation is None
    )


def test_storing_the_same_conversation_and_key_twice_gives_one_handoff(store):
    first = store.store(full_record())
    again = store.store(full_record(intake=Intake(situation="Een tweede klik met andere tekst.")))
    assert again == first
    assert count_rows(store.url) == 1


def test_two_keys_in_one_conversation_give_two_handoffs(store):
    first = store.store(full_record(key="handoff-1"))
    second = store.store(full_record(key="handoff-2"))
    assert first.reference != second.reference
    assert count_rows(store.url) == 2


def test_a_race_lost_to_another_process_returns_the_winners_handoff(store, monkeypatch):
    # The other process stores the same handoff between our check and our insert: our insert then
    # hits the unique constraint, and we must answer with their handoff, not an error or a second row.
    other = HandoffStore(store.url)
    winner = {}

    def find_pair(session, record):
        if not winner:  # our first look: nothing yet, and right then the other process stores it
            winner["handoff"] = other.store(record)
            return None
        return HandoffStore._find_pair(session, record)

    monkeypatch.setattr(store, "_find_pair", find_pair)
    try:
        result = store.store(full_record())
    finally:
        other.close()
    assert result == winner["handoff"]
    assert count_rows(store.url) == 1


def test_concurrent_stores_of_one_handoff_keep_one_row(store_url, store):
    record = full_record()
    stores = [HandoffStore(store_url) for _ in range(6)]
    start = threading.Barrier(len(stores))
    results, errors = [], []

    def store_at_once(handoff_store):
        start.wait()
        try:
            results.append(handoff_store.store(record).reference)
        except Exception as error:  # collected, so the assertion shows it
            errors.append(error)

    threads = [threading.Thread(target=store_at_once, args=(s,)) for s in stores]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    for handoff_store in stores:
        handoff_store.close()
    assert errors == []
    assert len(results) == len(stores) and len(set(results)) == 1
    assert count_rows(store_url) == 1


def test_a_reference_that_is_taken_is_replaced(store, monkeypatch):
    references = iter(["WW-AAAAAA", "WW-AAAAAA", "WW-BBBBBB"])
    monkeypatch.setattr("bot.handoff.store.new_reference", lambda: next(references))
    assert store.store(full_record(key="one")).reference == "WW-AAAAAA"
    assert store.store(full_record(key="two")).reference == "WW-BBBBBB"


def test_withdraw_erases_free_text_and_contact_and_keeps_the_reference(store):
    stored = store.store(full_record())
    assert store.withdraw(stored.reference) is True

    withdrawn = store.get(stored.reference)
    assert withdrawn.reference == stored.reference
    assert withdrawn.status == "withdrawn"
    assert withdrawn.withdrawn_at is not None and withdrawn.withdrawn_at >= stored.created_at
    assert {name: getattr(withdrawn.intake, name) for name in ERASED_ON_WITHDRAWAL} == dict.fromkeys(
        ERASED_ON_WITHDRAWAL
    )
    assert {"situation", "what_matters", "goal", "contact_method", "contact_detail"} <= set(
        ERASED_ON_WITHDRAWAL
    )
    # Coded answers stay for counts; the consent stays as the record of what was agreed.
    assert (withdrawn.intake.relation, withdrawn.intake.life_domains, withdrawn.intake.phase) == (
        "ouder",
        ["geldzaken", "wonen"],
        "orienting",
    )
    assert withdrawn.consent_text == stored.consent_text

    assert store.withdraw(stored.reference) is True
    assert store.get(stored.reference).withdrawn_at == withdrawn.withdrawn_at


def test_an_unknown_reference_is_none_and_cannot_be_withdrawn(store):
    store.store(full_record())
    assert store.get("WW-ZZZZZZ") is None
    assert store.withdraw("WW-ZZZZZZ") is False


def test_a_reference_is_found_as_typed_over_the_phone(store):
    reference = store.store(full_record()).reference
    code = reference[len("WW-") :]
    assert store.get(f"ww {code.lower()}").reference == reference
    assert store.get(code).reference == reference


def test_latest_lists_the_newest_first(store):
    references = [store.store(full_record(key=f"handoff-{n}")).reference for n in range(3)]
    assert [h.reference for h in store.latest()] == references[::-1]
    assert [h.reference for h in store.latest(limit=2)] == references[:0:-1]
    with pytest.raises(ValueError):
        store.latest(limit=0)


def test_an_unreachable_database_raises_store_unavailable():
    handoff_store = HandoffStore(UNREACHABLE_URL)
    with pytest.raises(StoreUnavailable, match="unavailable"):
        handoff_store.migrate()
    with pytest.raises(StoreUnavailable):
        handoff_store.store(full_record())
    with pytest.raises(StoreUnavailable):
        handoff_store.get("WW-AAAAAA")
    with pytest.raises(StoreUnavailable):
        handoff_store.latest()
    with pytest.raises(StoreUnavailable):
        handoff_store.withdraw("WW-AAAAAA")


def test_a_restarted_database_server_is_reconnected(postgres_url):
    handoff_store = HandoffStore(postgres_url)
    handoff_store.migrate()
    reference = handoff_store.store(full_record()).reference
    # What a server restart does to the pooled connections: the server ends them.
    application = make_url(postgres_url).query["application_name"]
    admin = create_engine(POSTGRES_URL, future=True)
    with admin.begin() as connection:
        ended = connection.execute(
            text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = :name"
            ),
            {"name": application},
        ).scalar_one()
    admin.dispose()
    try:
        assert ended >= 1
        assert handoff_store.get(reference).reference == reference
    finally:
        handoff_store.close()


def test_a_record_must_be_complete_and_consistent():
    with pytest.raises(ValueError, match="aware"):
        full_record(consent_at=datetime(2025, 11, 23, 14, 30))
    with pytest.raises(ValueError, match="organisation"):
        full_record(organisation_choice="none")
    with pytest.raises(ValueError, match="organisation"):
        full_record(organisation_id=None, organisation_choice="matched")
    with pytest.raises(ValueError, match="organisation_choice"):
        full_record(organisation_choice="random")
    with pytest.raises(ValueError, match="consent"):
        full_record(consent_text="  ")
    with pytest.raises(ValueError, match="idempotency"):
        full_record(key="")
    with pytest.raises(ValueError, match="conversation_language"):
        full_record(conversation_language="Turks")  # a code of the contract, not a name
