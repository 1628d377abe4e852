"""The conversation's language on a handoff, so the supporter knows it: one of the contract's codes.

Revision ID: 0007
Revises: 0006
Created: 2026-12-08

Handoffs stored before there were languages came from conversations in Dutch: they get "nl".
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # The server default fills the existing rows (and SQLite adds a NOT NULL column only with one).
    with op.batch_alter_table("handoffs") as batch:
        batch.add_column(
            sa.Column("conversation_language", sa.String(8), nullable=False, server_default="nl")
        )


def downgrade() -> None:
    with op.batch_alter_table("handoffs") as batch:
        batch.drop_column("conversation_language")
