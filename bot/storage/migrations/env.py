"""Alembic environment for the handoff store, run from code by `HandoffStore.migrate()`.

There is no alembic.ini: the store sets `script_location` and `sqlalchemy.url`, and passes its own
connection so the migration uses the same engine settings (pre-ping, timeouts) as the store.
"""

from alembic import context
from sqlalchemy import engine_from_config, pool

from bot.storage.schema import metadata

config = context.config
target_metadata = metadata


def run_offline() -> None:
    """`alembic upgrade --sql`: writes the SQL instead of running it, for a DBA to review."""
    context.configure(
        url=config.get_main_option("sqlalchemy.url"), target_metadata=target_metadata, literal_binds=True
    )
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        context.configure(connection=connection, target_metadata=target_metadata)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = engine_from_config(
        config.get_section(config.config_ini_section, {}),
        prefix="sqlalchemy.",
        poolclass=pool.NullPool,
        future=True,
    )
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=target_metadata)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
