"""Databases for the unit tests: a temporary SQLite file always, the local PostgreSQL server when reachable.

Each PostgreSQL test gets its own schema (via search_path), so tests share no state with each other
or with anyone else using the same database. Set WEGWIJS_TEST_POSTGRES_URL (or DATABASE_URL, when it
names a PostgreSQL server) to use another server than the local one.
"""

import os
import uuid
from contextlib import contextmanager

import pytest
from sqlalchemy import create_engine, exc, text
from sqlalchemy.engine import make_url


def _postgres_url() -> str:
    given = os.getenv("DATABASE_URL", "")
    default = given if given.startswith("postgresql") else "postgresql://postgres@127.0.0.1:5432/test"
    return os.getenv("WEGWIJS_TEST_POSTGRES_URL", default)


POSTGRES_URL = _postgres_url()
UNREACHABLE_URL = "postgresql://postgres@127.0.0.1:1/none"


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'var' / 'handoffs.db'}"


@pytest.fixture
def postgres_url():
    admin = create_engine(POSTGRES_URL, connect_args={"connect_timeout": 3}, future=True)
    try:
        with admin.connect():
            pass
    except exc.OperationalError as error:
        admin.dispose()
        pytest.skip(
            f"PostgreSQL not reachable at {POSTGRES_URL} (set WEGWIJS_TEST_POSTGRES_URL): {error.orig}"
        )
    schema = f"wegwijs_test_{uuid.uuid4().hex[:12]}"
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    # The schema name doubles as application_name, so a test can find its own connections.
    url = make_url(POSTGRES_URL).update_query_dict(
        {"options": f"-csearch_path={schema}", "application_name": schema}
    )
    yield url.render_as_string(hide_password=False)
    with admin.begin() as connection:
        connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


@pytest.fixture(params=["sqlite", "postgres"])
def store_url(request) -> str:
    return request.getfixturevalue(f"{request.param}_url")


@pytest.fixture
def store(store_url):
    from bot.handoff.store import HandoffStore

    handoff_store = HandoffStore(store_url)
    handoff_store.migrate()
    yield handoff_store
    handoff_store.close()


@contextmanager
def installed_context(settings=None):
    """A context of the test's own, installed for what reads this process's context (the actions,
    the REST channel); the one it replaces comes back afterwards."""
    from bot.app_context import AppContext, use
    from bot.settings import read_settings

    context = AppContext(settings or read_settings())
    previous = use(context)
    try:
        yield context
    finally:
        use(previous)
        context.close()


@pytest.fixture(autouse=True)
def app_context():
    """Every test gets a context from the settings as they are when it starts (the environment, `.env`)."""
    with installed_context() as context:
        yield context


@pytest.fixture
def configured_store(tmp_path, monkeypatch, app_context):
    """Points the settings at a fresh SQLite database; yields a store on it to arrange and check handoffs."""
    from bot.handoff.store import HandoffStore

    url = f"sqlite:///{tmp_path / 'wegwijs.db'}"
    monkeypatch.setenv("WEGWIJS_DATABASE_URL", url)  # also for the CLI, which reads its settings itself
    with installed_context():
        handoff_store = HandoffStore(url)
        handoff_store.migrate()
        yield handoff_store
        handoff_store.close()


@pytest.fixture
def unreachable_database(monkeypatch, app_context):
    """Points the settings at a PostgreSQL server that is not there."""
    monkeypatch.setenv("WEGWIJS_DATABASE_URL", UNREACHABLE_URL)
    with installed_context():
        yield UNREACHABLE_URL
