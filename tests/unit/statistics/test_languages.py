"""Conversations per language: the language slot's final value, Dutch when the resident never switched,
suppressed below 5 like every other count, and never anything a resident typed."""

from dataclasses import asdict
from datetime import date, datetime, timezone

from alembic import command
from alembic.config import Config

from bot import contract
from bot.statistics import job, report
from bot.statistics.conversations import ConversationStats, summarise
from bot.statistics.store import StatisticsStore, _row
from bot.statistics.suppression import SUPPRESSED
from bot.storage.database import MIGRATIONS_DIR, Database
from bot.storage.schema import statistics_conversations
from tests.unit.statistics.test_statistics import statistics  # noqa: F401  (the fixture: SQLite and PostgreSQL)
from tests.unit.statistics_support import MONDAY_EVENING, SECRET, conversation, did, record, said, slot

NAME = "Jantine Vermeulen"
DAY = date(2026, 11, 23)


def switched_to(*languages, start: float = MONDAY_EVENING):
    """Greets, then picks each language in turn, as the widget's picker or the offer does."""
    parts = [said("greet", "hallo", start), did("utter_greet", start)]
    for n, language in enumerate(languages, start=1):
        at = start + 60 * n
        parts += [
            said(contract.CHOOSE_LANGUAGE, f'/choose_language{{"language": "{language}"}}', at),
            did(contract.ACTION_SWITCH_LANGUAGE, at),
            slot(contract.LANGUAGE_SLOT, language, at),
        ]
    return conversation(*parts, start=start)


def language_of(events) -> str:
    return summarise([event.as_dict() for event in events], SECRET, "sender")[0].language


def test_a_switch_is_counted_and_the_language_the_conversation_ended_in_is_its_language():
    assert language_of(switched_to("tr")) == "tr"
    assert language_of(switched_to("tr", "uk")) == "uk"
    assert language_of(switched_to("ar", "nl")) == "nl"


def test_a_conversation_that_never_switched_is_dutch():
    assert language_of(conversation(said("greet", "hallo"), did("utter_greet"))) == contract.DUTCH
    assert language_of(conversation(said("greet", "hallo"), slot(contract.LANGUAGE_SLOT, None))) == "nl"


def test_nothing_typed_reaches_the_language():
    for typed in (NAME, "TR", "tr ", "turks", "", ["tr"], {"tr": 1}, 7):
        stats, _ = summarise(
            [event.as_dict() for event in conversation(said("greet"), slot(contract.LANGUAGE_SLOT, typed))],
            SECRET,
            "sender",
        )
        assert stats.language == "nl", typed
        assert NAME not in str(asdict(stats))


def test_every_language_of_the_contract_has_its_dutch_label():
    assert tuple(report.LANGUAGE_LABELS) == contract.LANGUAGES
    assert report.LANGUAGE_LABELS["nl"] == "Nederlands" and report.LANGUAGE_LABELS["uk"] == "Oekraïens"


def rows_in(**counts):
    return [{"language": code} for code, count in counts.items() for _ in range(count)]


def test_the_figure_counts_per_language_with_dutch_labels_and_suppresses_small_counts():
    figure = report.languages(rows_in(tr=6, nl=3, en=1), DAY, DAY)
    assert figure.slug == "talen" and figure.title == "Gesprekken per taal" and figure.chart == "bars"
    assert figure.rows == (
        ("Nederlands", (SUPPRESSED,)),
        ("Engels", (SUPPRESSED,)),
        ("Turks", (6,)),
        ("Arabisch", (SUPPRESSED,)),
        ("Pools", (SUPPRESSED,)),
        ("Oekraïens", (SUPPRESSED,)),
    )
    assert figure.total == 10
    # The contract's order, whatever the counts: the order tells nothing about the suppressed cells.
    assert [label for label, _ in report.languages(rows_in(uk=9, nl=5), DAY, DAY).rows] == list(
        report.LANGUAGE_LABELS.values()
    )


def test_a_lone_small_language_beside_the_total_takes_the_smallest_other_with_it():
    figure = report.languages(rows_in(nl=20, en=6, tr=7, ar=8, pl=9, uk=2), DAY, DAY)
    assert dict(figure.rows) == {
        "Nederlands": (20,),
        "Engels": (SUPPRESSED,),
        "Turks": (7,),
        "Arabisch": (8,),
        "Pools": (9,),
        "Oekraïens": (SUPPRESSED,),
    }
    assert figure.total == 52
    assert report.languages([], DAY, DAY).total == SUPPRESSED


def test_the_job_stores_the_language_and_the_figure_reads_it(statistics, tmp_path):  # noqa: F811
    tracker = tmp_path / "tracker.db"
    for n in range(6):
        record(tracker, f"turkish-{n}", switched_to("tr", start=MONDAY_EVENING + n * 600))
    for n in range(2):
        record(tracker, f"dutch-{n}", switched_to(start=MONDAY_EVENING + 7200 + n * 600))
    typed = conversation(said("greet", NAME), slot(contract.LANGUAGE_SLOT, NAME), start=MONDAY_EVENING + 9000)
    record(tracker, "typed", typed)
    assert job.update(f"sqlite:///{tracker}", statistics, SECRET).conversations == 9
    rows = statistics.conversations(DAY, DAY)
    assert sorted(row["language"] for row in rows) == ["nl"] * 3 + ["tr"] * 6
    assert NAME not in str(rows)
    figure = report.figures(rows, DAY, DAY, ["talen"])[0]
    assert dict(figure.rows)["Turks"] == (6,) and dict(figure.rows)["Nederlands"] == (SUPPRESSED,)
    assert figure.total == 9
    for row in report.csv_rows(figure)[1:]:
        assert not any(isinstance(cell, int) and cell < 5 for cell in row), row


def _stats() -> ConversationStats:
    return ConversationStats(
        key="0" * 64, started_hour=datetime(2026, 11, 23, 19, tzinfo=timezone.utc), duration_minutes=3
    )


def test_rows_counted_before_there_were_languages_become_dutch(store_url):
    database = Database(store_url)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", store_url.replace("%", "%%"))

    def migrate(step, revision: str) -> None:
        with database.engine.begin() as connection:
            config.attributes["connection"] = connection
            step(config, revision)

    try:
        migrate(command.upgrade, "0005")
        earlier = {name: value for name, value in _row(_stats()).items() if name != "language"}
        with database.transaction() as session:
            session.execute(statistics_conversations.insert().values(**earlier))
        database.migrate()
        store = StatisticsStore(database)
        assert [row["language"] for row in store.conversations(DAY, DAY)] == ["nl"]
        migrate(command.downgrade, "0005")  # and back: the column goes, the row stays
        migrate(command.upgrade, "head")
        assert [row["language"] for row in store.conversations(DAY, DAY)] == ["nl"]
    finally:
        database.close()
