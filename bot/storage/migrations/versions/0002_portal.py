"""The supporter portal: accounts, the handoff's timeline, the audit log and the notification outbox.

Revision ID: 0002
Revises: 0001
Created: 2026-11-23
"""
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

OLD_STATUSES = "status IN ('new', 'withdrawn')"
NEW_STATUSES = "status IN ('new', 'picked_up', 'closed', 'withdrawn')"


def _time(name: str, **kwargs) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), **kwargs)


def upgrade() -> None:
    # Batch mode: SQLite cannot alter a constraint in place, so the table is copied.
    with op.batch_alter_table("handoffs") as batch:
        batch.add_column(sa.Column("assigned_account_id", sa.Integer))
        batch.add_column(_time("picked_up_at"))
        batch.add_column(_time("closed_at"))
        batch.add_column(sa.Column("outcome", sa.String(32)))
        batch.drop_constraint("ck_handoffs_status", type_="check")
        batch.create_check_constraint("ck_handoffs_status", NEW_STATUSES)
    op.create_table(
        "accounts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("email", sa.String(255), nullable=False),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("organisation_id", sa.String(255)),
        sa.Column("active", sa.Boolean, nullable=False),
        _time("created_at", nullable=False),
        _time("last_login_at"),
        sa.UniqueConstraint("email", name="uq_accounts_email"),
        sa.CheckConstraint("role IN ('supporter', 'coordinator', 'administrator', 'staff')", name="ck_accounts_role"),
    )
    op.create_table(
        "handoff_events",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("handoff_id", sa.Integer, sa.ForeignKey("handoffs.id", name="fk_handoff_events_handoff"),
                  nullable=False),
        _time("at", nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("account_id", sa.Integer),
        sa.Column("organisation_id", sa.String(255)),
        sa.Column("text", sa.Text),
    )
    op.create_index("ix_handoff_events_handoff_id", "handoff_events", ["handoff_id"])
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer, primary_key=True),
        _time("at", nullable=False),
        sa.Column("account_id", sa.Integer),
        sa.Column("account_email", sa.String(255)),
        sa.Column("organisation_id", sa.String(255)),
        sa.Column("reference", sa.String(16), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
    )
    op.create_index("ix_audit_log_at", "audit_log", ["at"])
    op.create_index("ix_audit_log_organisation_id", "audit_log", ["organisation_id"])
    op.create_table(
        "notifications",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("handoff_id", sa.Integer, sa.ForeignKey("handoffs.id", name="fk_notifications_handoff"),
                  nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("target", sa.String(1000), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        _time("next_attempt_at", nullable=False),
        sa.Column("last_error", sa.Text),
        _time("sent_at"),
        _time("created_at", nullable=False),
        sa.UniqueConstraint("handoff_id", "channel", "target", name="uq_notifications_target"),
        sa.CheckConstraint("channel IN ('email', 'webhook')", name="ck_notifications_channel"),
        sa.CheckConstraint("status IN ('pending', 'sent', 'failed')", name="ck_notifications_status"),
    )
    op.create_index("ix_notifications_next_attempt_at", "notifications", ["next_attempt_at"])


def downgrade() -> None:
    for table in ("notifications", "audit_log", "handoff_events", "accounts"):
        op.drop_table(table)
    with op.batch_alter_table("handoffs") as batch:
        batch.drop_constraint("ck_handoffs_status", type_="check")
        batch.create_check_constraint("ck_handoffs_status", OLD_STATUSES)
        for column in ("outcome", "closed_at", "picked_up_at", "assigned_account_id"):
            batch.drop_column(column)
