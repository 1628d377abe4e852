"""Portal security: server-side sessions, a second factor with recovery codes, one-time password links,
and an audit log for account events too, append-only in PostgreSQL.

Revision ID: 0004
Revises: 0003
Created: 2026-12-01
"""
import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

# Refuses to change or delete audit entries; only `bot.access.audit.purge_before` sets the flag that allows a
# DELETE, inside its own transaction (SET LOCAL), for the retention period.
APPEND_ONLY = """
CREATE FUNCTION audit_log_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' AND current_setting('wegwijs.audit_purge', true) = 'on' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'audit_log is append-only (% refused)', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
"""


def _time(name: str, **kwargs) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), **kwargs)


def upgrade() -> None:
    with op.batch_alter_table("accounts") as batch:
        # No password until the account's owner sets one through their one-time link.
        batch.alter_column("password_hash", existing_type=sa.String(255), nullable=True)
        # Encrypted (Fernet, with a key derived from the secret key): a database copy gives no codes.
        batch.add_column(sa.Column("totp_secret", sa.String(255)))
        batch.add_column(_time("totp_confirmed_at"))
        # The last time step a code was accepted for: the same code is not accepted twice.
        batch.add_column(sa.Column("totp_last_step", sa.BigInteger))
    op.create_table(
        "recovery_codes",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("account_id", sa.Integer, sa.ForeignKey("accounts.id", name="fk_recovery_codes_account"),
                  nullable=False),
        sa.Column("code_hash", sa.String(128), nullable=False),
        _time("used_at"),
    )
    op.create_index("ix_recovery_codes_account_id", "recovery_codes", ["account_id"])
    op.create_table(
        "portal_sessions",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("account_id", sa.Integer, sa.ForeignKey("accounts.id", name="fk_portal_sessions_account"),
                  nullable=False),
        _time("created_at", nullable=False),
        _time("last_seen_at", nullable=False),
        _time("second_factor_at"),
        _time("ended_at"),
    )
    op.create_index("ix_portal_sessions_account_id", "portal_sessions", ["account_id"])
    with op.batch_alter_table("audit_log") as batch:
        batch.alter_column("reference", existing_type=sa.String(16), nullable=True)
        batch.add_column(sa.Column("subject_account_id", sa.Integer))
        batch.add_column(sa.Column("subject_email", sa.String(255)))
        batch.add_column(sa.Column("detail", sa.String(255)))
    if op.get_bind().dialect.name == "postgresql":
        op.execute(APPEND_ONLY)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER audit_log_append_only ON audit_log; DROP FUNCTION audit_log_append_only();")
    with op.batch_alter_table("audit_log") as batch:
        for column in ("detail", "subject_email", "subject_account_id"):
            batch.drop_column(column)
        batch.alter_column("reference", existing_type=sa.String(16), nullable=False)
    op.drop_table("portal_sessions")
    op.drop_table("recovery_codes")
    with op.batch_alter_table("accounts") as batch:
        for column in ("totp_last_step", "totp_confirmed_at", "totp_secret"):
            batch.drop_column(column)
        batch.alter_column("password_hash", existing_type=sa.String(255), nullable=False)
