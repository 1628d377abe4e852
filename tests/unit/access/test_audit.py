"""The audit log is append-only: nothing in the code changes an entry, PostgreSQL refuses it, and the
one purge function deletes what is older than the retention period."""

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import delete, exc, select, update

from bot.access import audit
from bot.storage.database import Database
from bot.storage.schema import audit_log


@pytest.fixture
def db(store_url):
    database = Database(store_url)
    database.migrate()
    yield database
    database.close()


def _actions(db):
    with db.transaction() as session:
        return session.execute(select(audit_log.c.action).order_by(audit_log.c.id)).scalars().all()


def test_postgresql_refuses_to_change_or_delete_an_entry(postgres_url):
    db = Database(postgres_url)
    db.migrate()
    audit.write(db, "login_failed", detail="unknown_account")
    for statement in (update(audit_log).values(action="login"), delete(audit_log)):
        with pytest.raises(exc.DatabaseError, match="append-only"):
            with db.transaction() as session:
                session.execute(statement)
    assert _actions(db) == ["login_failed"]
    db.close()


def test_the_purge_deletes_only_entries_older_than_the_cutoff_and_opens_nothing_after(db):
    audit.write(db, "login_failed", detail="unknown_account")
    with db.transaction() as session:
        session.execute(
            audit_log.insert().values(at=datetime.now(timezone.utc) - timedelta(days=400), action="logout")
        )
    assert audit.purge_before(db, datetime.now(timezone.utc) - timedelta(days=365)) == 1
    assert _actions(db) == ["login_failed"]
    if db.engine.dialect.name == "postgresql":  # the purge's permission ended with its transaction
        with pytest.raises(exc.DatabaseError, match="append-only"):
            with db.transaction() as session:
                session.execute(delete(audit_log))


def test_an_unknown_action_is_a_programming_error_not_an_entry(db):
    with pytest.raises(ValueError, match="unknown audit action"):
        audit.write(db, "looked_around")
    assert _actions(db) == []
