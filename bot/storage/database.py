"""The project's database: one engine per process, transactions, and the Alembic migrations.

SQLite for a single machine, PostgreSQL in production; the schema comes from the migrations in
`bot/storage/migrations/` (`Database.migrate()`), never from `create_all`, so both stay in step.
No engine at import time: it is created when the database is first used.
"""

from __future__ import annotations

import fcntl
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Optional

from sqlalchemy import create_engine, exc, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import Session

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"

# A resident or supporter waits for the answer: give up on an unreachable PostgreSQL server after a
# few seconds.
CONNECT_TIMEOUT_SECONDS = 5

# Processes starting at once must not migrate at once: the others wait on this PostgreSQL advisory
# lock, then find the schema up to date. Alembic's context is process-global, hence the thread lock.
MIGRATION_LOCK_KEY = 0x5765677769  # "Wegwi"
_MIGRATING = threading.Lock()

# Errors that mean "the database is not there right now", as opposed to a bug or a constraint.
_UNAVAILABLE = (exc.OperationalError, exc.InterfaceError, exc.DisconnectionError, exc.TimeoutError)


class StoreUnavailable(Exception):
    """The database cannot be reached (down, restarting, locked). Nothing was written: every write
    is one transaction. The caller asks the user to try again a little later."""


def _unavailable(error: Exception) -> StoreUnavailable:
    return StoreUnavailable(f"database unavailable: {getattr(error, 'orig', None) or error}")


class Database:
    def __init__(self, url: str) -> None:
        self.url = url
        self._engine: Optional[Engine] = None

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            url = make_url(self.url)
            connect_args = {}
            if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
                Path(url.database).parent.mkdir(parents=True, exist_ok=True)
                # The portal's threads and the action server share the file: wait for a lock, don't fail.
                connect_args["timeout"] = 15
            if url.get_backend_name() == "postgresql" and "connect_timeout" not in url.query:
                connect_args["connect_timeout"] = CONNECT_TIMEOUT_SECONDS
            # pre_ping: a connection that died with a database restart is replaced, not used.
            self._engine = create_engine(url, pool_pre_ping=True, future=True, connect_args=connect_args)
        return self._engine

    def close(self) -> None:
        """Closes the pooled connections; the database reconnects when used again."""
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One transaction: committed when the block ends, rolled back on any error."""
        try:
            with Session(self.engine, future=True) as session, session.begin():
                yield session
        except _UNAVAILABLE as error:
            raise _unavailable(error) from error

    @contextmanager
    def _sqlite_file_lock(self) -> Iterator[None]:
        """SQLite has no advisory locks: processes migrating one file take turns on a lock file."""
        url = make_url(self.url)
        if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
            yield
            return
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        with open(f"{url.database}.migrate-lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            yield

    def migrate(self) -> None:
        """Brings the schema to the newest migration (Alembic `upgrade head`); safe to repeat."""
        from alembic import command
        from alembic.config import Config

        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS_DIR))
        # Config values are %-interpolated; a percent-encoded URL must survive that.
        config.set_main_option("sqlalchemy.url", self.url.replace("%", "%%"))
        try:
            with _MIGRATING, self._sqlite_file_lock(), self.engine.begin() as connection:
                if connection.dialect.name == "postgresql":
                    connection.execute(
                        text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK_KEY}
                    )
                config.attributes["connection"] = connection
                command.upgrade(config, "head")
        except _UNAVAILABLE as error:
            raise _unavailable(error) from error
