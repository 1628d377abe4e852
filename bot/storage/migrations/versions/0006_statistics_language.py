"""The conversation's language in the statistics: one of the contract's codes, Dutch for earlier rows.

Revision ID: 0006
Revises: 0005
Created: 2026-12-07

Rows counted before there were languages were conversations in Dutch: they get "nl".
"""
import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # The server default fills the existing rows (and SQLite adds a NOT NULL column only with one).
    with op.batch_alter_table("statistics_conversations") as batch:
        batch.add_column(sa.Column("language", sa.String(8), nullable=False, server_default="nl"))


def downgrade() -> None:
    with op.batch_alter_table("statistics_conversations") as batch:
        batch.drop_column("language")
