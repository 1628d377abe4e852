"""Anonymised conversation statistics and de-identified free text for improving the bot.

Revision ID: 0003
Revises: 0002
Created: 2026-11-23

A snapshot, like the others: the columns are spelled out, not imported from the model.
"""
import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "statistics_conversations",
        sa.Column("id", sa.Integer, primary_key=True),
        # HMAC of sender id and session start with the secret key: re-runs replace, nobody reverses it.
        sa.Column("conversation_key", sa.String(64), nullable=False),
        sa.Column("started_hour", sa.DateTime(timezone=True), nullable=False),
        sa.Column("duration_minutes", sa.Integer, nullable=False),
        sa.Column("channel", sa.String(32)),
        sa.Column("user_messages", sa.Integer, nullable=False),
        sa.Column("relation", sa.String(16)),
        sa.Column("phase", sa.String(32)),
        sa.Column("life_domains", sa.JSON, nullable=False),
        sa.Column("topics", sa.JSON, nullable=False),
        sa.Column("handoff", sa.Boolean, nullable=False),
        sa.Column("asked_human", sa.Boolean, nullable=False),
        sa.Column("hit_fallback", sa.Boolean, nullable=False),
        sa.Column("crisis", sa.Boolean, nullable=False),
        sa.Column("dropped_off", sa.Boolean, nullable=False),
        sa.Column("last_step", sa.String(64)),
        sa.Column("satisfaction_helped", sa.SmallInteger),
        sa.Column("satisfaction_own_choices", sa.SmallInteger),
        sa.Column("satisfaction_recommend", sa.SmallInteger),
        sa.Column("improvement_given", sa.Boolean, nullable=False),
        sa.UniqueConstraint("conversation_key", name="uq_statistics_conversations_key"),
    )
    op.create_index("ix_statistics_conversations_started_hour", "statistics_conversations", ["started_hour"])
    op.create_table(
        "statistics_free_text",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("item_key", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("month", sa.Date, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.UniqueConstraint("item_key", name="uq_statistics_free_text_key"),
    )
    op.create_index("ix_statistics_free_text_month", "statistics_free_text", ["month"])


def downgrade() -> None:
    op.drop_index("ix_statistics_free_text_month", table_name="statistics_free_text")
    op.drop_table("statistics_free_text")
    op.drop_index("ix_statistics_conversations_started_hour", table_name="statistics_conversations")
    op.drop_table("statistics_conversations")
