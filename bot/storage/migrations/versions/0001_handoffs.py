"""The handoffs table: one row per intake handed to a client supporter.

Revision ID: 0001
Revises:
Created: 2025-11-23

A migration is a snapshot: it spells out its columns instead of importing the model, so it still
describes this step when the model has moved on.
"""
import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "handoffs",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("reference", sa.String(16), nullable=False),
        sa.Column("conversation_id", sa.String(255), nullable=False),
        sa.Column("idempotency_key", sa.String(255), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True)),
        sa.Column("organisation_id", sa.String(255)),
        sa.Column("organisation_choice", sa.String(16), nullable=False),
        sa.Column("consent_text", sa.Text, nullable=False),
        sa.Column("consent_at", sa.DateTime(timezone=True), nullable=False),
        # The intake, one column per step; free text as Text, the life domains as a JSON list.
        sa.Column("relation", sa.String(64)),
        sa.Column("life_domains", sa.JSON, nullable=False),
        sa.Column("situation", sa.Text),
        sa.Column("what_matters", sa.Text),
        sa.Column("goal", sa.Text),
        sa.Column("network", sa.Text),
        sa.Column("phase", sa.String(64)),
        sa.Column("urgency", sa.Text),
        sa.Column("supporter_kind", sa.String(64)),
        sa.Column("language", sa.Text),
        sa.Column("accessibility", sa.Text),
        sa.Column("contact_method", sa.String(64)),
        sa.Column("contact_detail", sa.Text),
        sa.UniqueConstraint("reference", name="uq_handoffs_reference"),
        # Exactly once: a retried store for the same conversation and key hits this constraint.
        sa.UniqueConstraint("conversation_id", "idempotency_key", name="uq_handoffs_conversation_key"),
        sa.CheckConstraint("status IN ('new', 'withdrawn')", name="ck_handoffs_status"),
        sa.CheckConstraint(
            "organisation_choice IN ('chosen', 'matched', 'none')", name="ck_handoffs_organisation_choice"
        ),
    )
    op.create_index("ix_handoffs_created_at", "handoffs", ["created_at"])


def downgrade() -> None:
    op.drop_index("ix_handoffs_created_at", table_name="handoffs")
    op.drop_table("handoffs")
