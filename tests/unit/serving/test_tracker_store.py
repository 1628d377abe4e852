"""The production tracker store (serving/tracker_store.py) keeps conversations in memory, and never
answers with anything other than what is stored: two replicas on one database (SQLite and PostgreSQL)."""

import asyncio
from pathlib import Path

import pytest
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bot.settings import PROJECT_ROOT
from serving.tracker_store import ReplicaCachedSQLTrackerStore

DOMAIN = Domain.load(PROJECT_ROOT / "domain.yml")


def _store_arguments(url: str) -> dict:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        return {"dialect": "sqlite", "db": parsed.database}
    return {
        "dialect": "postgresql",
        "host": parsed.host,
        "port": parsed.port,
        "db": parsed.database,
        "username": parsed.username,
        "password": parsed.password,
        "query": dict(parsed.query),
    }


@pytest.fixture
def database(store_url):
    arguments = _store_arguments(store_url)
    replicas = [ReplicaCachedSQLTrackerStore(DOMAIN, **arguments) for _ in range(2)]
    stock = SQLTrackerStore(DOMAIN, **arguments)
    yield replicas, stock
    for store in (*replicas, stock):
        store.engine.dispose()


def run(coroutine):
    return asyncio.run(coroutine)


def _start(store, sender: str) -> None:
    tracker = run(store.get_or_create_tracker(sender, append_action_listen=False))
    for event in (ActionExecuted("action_session_start"), SessionStarted(), ActionExecuted("action_listen")):
        tracker.update(event)
    run(store.save(tracker))


def _turn(store, sender: str, words: str, save: bool = True):
    tracker = run(store.retrieve(sender))
    tracker.update(UserUttered(words, {"name": "greet", "confidence": 1.0}))
    for event in (ActionExecuted("utter_greet"), BotUttered("Goedendag."), ActionExecuted("action_listen")):
        tracker.update(event)
    if save:
        run(store.save(tracker))
    return tracker


def _said(tracker) -> list:
    return [event.text for event in tracker.events if isinstance(event, UserUttered)]


def _events(tracker) -> list:
    return [event.as_dict() for event in tracker.events]


def test_a_conversation_reads_back_as_rasas_own_store_reads_it(database):
    (replica, _), stock = database
    _start(replica, "resident")
    for number in range(3):
        _turn(replica, "resident", f"bericht {number}")
        assert _events(run(replica.retrieve("resident"))) == _events(run(stock.retrieve("resident")))
    assert _said(run(replica.retrieve("resident"))) == ["bericht 0", "bericht 1", "bericht 2"]


def test_messages_another_replica_handled_are_never_missed(database):
    (first, second), _ = database
    _start(first, "resident")
    _turn(first, "resident", "via de eerste")
    _turn(second, "resident", "via de tweede")
    _turn(first, "resident", "weer de eerste")
    assert _said(run(first.retrieve("resident"))) == ["via de eerste", "via de tweede", "weer de eerste"]
    assert _said(run(second.retrieve("resident"))) == ["via de eerste", "via de tweede", "weer de eerste"]


def test_a_turn_that_was_not_saved_is_not_served(database):
    (replica, _), stock = database
    _start(replica, "resident")
    _turn(replica, "resident", "opgeslagen")
    _turn(replica, "resident", "mislukt", save=False)
    assert _said(run(replica.retrieve("resident"))) == ["opgeslagen"]
    _turn(replica, "resident", "opnieuw")
    assert _events(run(replica.retrieve("resident"))) == _events(run(stock.retrieve("resident")))


def test_a_deleted_conversation_is_gone_at_once(database, store_url):
    (replica, _), _ = database
    _start(replica, "resident")
    _turn(replica, "resident", "bewaar dit niet")
    engine = create_engine(store_url)
    with engine.begin() as connection:  # what `bot statistics purge-conversations` does
        connection.execute(text("DELETE FROM events WHERE sender_id = 'resident'"))
    engine.dispose()
    assert run(replica.retrieve("resident")) is None


def test_a_current_conversation_is_not_decoded_again(database, monkeypatch):
    (replica, _), _ = database
    decoded = []
    original = SQLTrackerStore._retrieve

    async def counting(self, sender_id, **kwargs):
        decoded.append(sender_id)
        return await original(self, sender_id, **kwargs)

    monkeypatch.setattr(SQLTrackerStore, "_retrieve", counting)
    _start(replica, "resident")
    for number in range(4):
        _turn(replica, "resident", f"bericht {number}")
    # a new conversation is kept from its first save, cut to its latest session as a read would be
    assert decoded == []


def test_a_new_session_reads_back_as_rasas_own_store_reads_it(database):
    (replica, _), stock = database
    _start(replica, "resident")
    assert _events(run(replica.retrieve("resident"))) == _events(run(stock.retrieve("resident")))
    _turn(replica, "resident", "eerste sessie")
    _start(replica, "resident")  # the session expired: a new one starts in the same conversation
    assert _events(run(replica.retrieve("resident"))) == _events(run(stock.retrieve("resident")))
    _turn(replica, "resident", "tweede sessie")
    assert _said(run(replica.retrieve("resident"))) == ["tweede sessie"]
    assert _events(run(replica.retrieve("resident"))) == _events(run(stock.retrieve("resident")))


def test_rows_are_the_rows_rasas_own_store_writes(database, store_url):
    (replica, _), stock = database
    _start(replica, "ours")
    for number in range(2):
        _turn(replica, "ours", f"bericht {number}")
    same = DialogueStateTracker.from_events("stock", list(run(replica.retrieve("ours")).events), DOMAIN.slots)
    run(stock.save(same))
    engine = create_engine(store_url)
    with engine.connect() as connection:
        rows = {
            sender: connection.execute(
                text(
                    "SELECT type_name, timestamp, intent_name, action_name, data FROM events "
                    "WHERE sender_id = :sender ORDER BY id"
                ),
                {"sender": sender},
            ).fetchall()
            for sender in ("ours", "stock")
        }
    engine.dispose()
    assert rows["ours"][-8:] == rows["stock"][-8:]  # the last two turns, which only our store wrote


def _stored_text(store_url: str, sender: str) -> str:
    engine = create_engine(store_url)
    with engine.connect() as connection:
        rows = connection.execute(
            text("SELECT data FROM events WHERE sender_id = :sender"), {"sender": sender}
        )
        stored = " ".join(row[0] for row in rows)
    engine.dispose()
    return stored


def _typed_then(store, sender: str, closing: list):
    """A resident types their contact detail into the intake; then a turn with the `closing` events."""
    from rasa.shared.core.events import SlotSet

    _start(store, sender)
    tracker = run(store.retrieve(sender))
    tracker.update(UserUttered("bel mij op 0612345678, ik ben ecrin", {"name": "inform", "confidence": 1.0}))
    for event in (
        SlotSet("intake_contact_detail", "0612345678"),
        BotUttered("U bent bereikbaar op 0612345678."),
        ActionExecuted("action_listen"),
    ):
        tracker.update(event)
    run(store.save(tracker))
    tracker = run(store.retrieve(sender))
    tracker.update(UserUttered("stop", {"name": "stop", "confidence": 1.0}, metadata={"message_id": "m-1"}))
    for event in closing:
        tracker.update(event)
    run(store.save(tracker))


@pytest.mark.parametrize(
    "closing",
    [
        [
            ActionExecuted("utter_stop"),
            BotUttered("Wat u typte, heb ik gewist."),
            ActionExecuted("action_listen"),
        ],
        [
            ActionExecuted("action_offer_organisations"),
            BotUttered("Er is niets bewaard.", metadata={"erases_conversation": True}),
            ActionExecuted("action_listen"),
        ],
    ],
    ids=["stop", "marked message"],
)
def test_an_erasing_turn_leaves_no_typed_word_in_the_store_or_in_either_replica(database, store_url, closing):
    (first, second), stock = database
    run(second.retrieve("resident"))  # the other replica knew the conversation too
    _typed_then(first, "resident", closing)
    stored = _stored_text(store_url, "resident")
    assert "0612345678" not in stored and "ecrin" not in stored
    assert closing[1].text in stored  # what the bot said about it stays, for a resent message
    for replica in (first, second, stock):
        tracker = run(replica.retrieve("resident"))
        assert tracker.get_slot("intake_contact_detail") is None
        assert "0612345678" not in str(_events(tracker)) and "ecrin" not in str(_events(tracker))
    intents = [
        event.intent_name
        for event in run(first.retrieve("resident")).events
        if isinstance(event, UserUttered)
    ]
    assert intents == ["inform", "stop"]  # what the statistics count stays


def test_an_ordinary_turn_keeps_the_words_while_the_conversation_goes_on(database, store_url):
    (replica, _), _ = database
    _typed_then(
        replica,
        "resident",
        [ActionExecuted("utter_greet"), BotUttered("Goedendag."), ActionExecuted("action_listen")],
    )
    assert "0612345678" in _stored_text(store_url, "resident")
