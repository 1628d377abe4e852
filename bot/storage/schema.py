"""Every table of the project's database, as SQLAlchemy Core tables.

Mirrors the migrations in `bot/storage/migrations/versions/`; a test checks the two do not drift apart.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Optional

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.types import TypeDecorator

from bot import contract


class UTCDateTime(TypeDecorator):
    """Aware datetimes in, aware UTC datetimes out, on SQLite (which keeps no zone) and PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: Optional[datetime], dialect) -> Optional[datetime]:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("store aware datetimes only; a naive one is ambiguous")
        return value.astimezone(timezone.utc)

    def process_result_value(self, value: Optional[datetime], dialect) -> Optional[datetime]:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)


def _in(column: str, values) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


metadata = MetaData()

handoffs = Table(
    "handoffs",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("reference", String(16), nullable=False),
    Column("conversation_id", String(255), nullable=False),
    Column("idempotency_key", String(255), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False, index=True),
    Column("status", String(16), nullable=False),
    Column("withdrawn_at", UTCDateTime()),
    Column("organisation_id", String(255)),
    Column("organisation_choice", String(16), nullable=False),
    Column("consent_text", Text, nullable=False),
    Column("consent_at", UTCDateTime(), nullable=False),
    Column("relation", String(64)),
    Column("life_domains", JSON, nullable=False),
    Column("situation", Text),
    Column("what_matters", Text),
    Column("goal", Text),
    Column("network", Text),
    Column("phase", String(64)),
    Column("urgency", Text),
    Column("supporter_kind", String(64)),
    Column("language", Text),
    Column("accessibility", Text),
    Column("contact_method", String(64)),
    Column("contact_detail", Text),
    # The supporter's side (0002): who picked it up, and how it ended.
    Column("assigned_account_id", Integer),
    Column("picked_up_at", UTCDateTime()),
    Column("closed_at", UTCDateTime()),
    Column("outcome", String(32)),
    # The language the conversation was in (0007): a code of contract.LANGUAGES; rows from before, Dutch.
    Column("conversation_language", String(8), nullable=False, server_default=contract.DUTCH),
    UniqueConstraint("reference", name="uq_handoffs_reference"),
    UniqueConstraint("conversation_id", "idempotency_key", name="uq_handoffs_conversation_key"),
    CheckConstraint(_in("status", contract.HANDOFF_STATUSES), name="ck_handoffs_status"),
    CheckConstraint(
        "organisation_choice IN ('chosen', 'matched', 'none')", name="ck_handoffs_organisation_choice"
    ),
)

accounts = Table(
    "accounts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("email", String(255), nullable=False),
    Column("name", String(255), nullable=False),
    # Empty until the account's owner sets a password through their one-time link (0004).
    Column("password_hash", String(255)),
    Column("role", String(16), nullable=False),
    # The organisation (a social map id) a supporter or coordinator works for.
    Column("organisation_id", String(255)),
    Column("active", Boolean, nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("last_login_at", UTCDateTime()),
    # The second factor (0004): a TOTP secret (encrypted), confirmed by a first code; the last accepted step.
    Column("totp_secret", String(255)),
    Column("totp_confirmed_at", UTCDateTime()),
    Column("totp_last_step", BigInteger),
    UniqueConstraint("email", name="uq_accounts_email"),
    CheckConstraint(_in("role", contract.ROLES), name="ck_accounts_role"),
)

# Single-use codes for when the phone with the authenticator app is lost; only their hashes are kept.
recovery_codes = Table(
    "recovery_codes",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "account_id",
        Integer,
        ForeignKey("accounts.id", name="fk_recovery_codes_account"),
        nullable=False,
        index=True,
    ),
    Column("code_hash", String(128), nullable=False),
    Column("used_at", UTCDateTime()),
)

# Server-side portal sessions: the cookie holds a random token, the table its hash. A session ends at
# logout, when the account is blocked, after 30 minutes idle or 8 hours in all.
portal_sessions = Table(
    "portal_sessions",
    metadata,
    Column("id", String(64), primary_key=True),
    Column(
        "account_id",
        Integer,
        ForeignKey("accounts.id", name="fk_portal_sessions_account"),
        nullable=False,
        index=True,
    ),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("last_seen_at", UTCDateTime(), nullable=False),
    # Empty while only the password was given: the session opens no page until the second factor.
    Column("second_factor_at", UTCDateTime()),
    Column("ended_at", UTCDateTime()),
)

# The timeline of a handoff: created, routed, notified, picked up, notes, reassigned, outcome.
handoff_events = Table(
    "handoff_events",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "handoff_id",
        Integer,
        ForeignKey("handoffs.id", name="fk_handoff_events_handoff"),
        nullable=False,
        index=True,
    ),
    Column("at", UTCDateTime(), nullable=False),
    Column("kind", String(32), nullable=False),
    Column("account_id", Integer),
    Column("organisation_id", String(255)),
    # A supporter's note or the reason for an outcome: personal data, deleted with the handoff.
    Column("text", Text),
)

# Who saw or changed which handoff, and every account event (bot/access/audit.py). Keeps only the reference,
# so it outlives the handoff itself. Append-only: in PostgreSQL a trigger refuses UPDATE and DELETE.
audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("at", UTCDateTime(), nullable=False, index=True),
    Column("account_id", Integer),
    Column("account_email", String(255)),
    Column("organisation_id", String(255), index=True),
    Column("reference", String(16)),
    Column("action", String(32), nullable=False),
    # The account an account event is about (0004), and a coded detail: a role, a figure, never free text.
    Column("subject_account_id", Integer),
    Column("subject_email", String(255)),
    Column("detail", String(255)),
)

# The outbox: one row per message to an organisation about a handoff, sent and retried by a worker.
notifications = Table(
    "notifications",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("handoff_id", Integer, ForeignKey("handoffs.id", name="fk_notifications_handoff"), nullable=False),
    Column("channel", String(16), nullable=False),
    Column("target", String(1000), nullable=False),
    Column("status", String(16), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("next_attempt_at", UTCDateTime(), nullable=False, index=True),
    Column("last_error", Text),
    Column("sent_at", UTCDateTime()),
    Column("created_at", UTCDateTime(), nullable=False),
    UniqueConstraint("handoff_id", "channel", "target", name="uq_notifications_target"),
    CheckConstraint("channel IN ('email', 'webhook')", name="ck_notifications_channel"),
    CheckConstraint("status IN ('pending', 'sent', 'failed')", name="ck_notifications_status"),
)

# Anonymised statistics (bot/statistics/): categories and counts only, no sender id, no text; the
# start coarsened to the hour. Free text is de-identified, dated by month, linked to no conversation.
statistics_conversations = Table(
    "statistics_conversations",
    metadata,
    Column("id", Integer, primary_key=True),
    # keyed hash (HMAC) of sender id and session start: idempotent, not reversible without the key
    Column("conversation_key", String(64), nullable=False),
    Column("started_hour", UTCDateTime(), nullable=False, index=True),
    Column("duration_minutes", Integer, nullable=False),
    Column("channel", String(32)),
    Column("user_messages", Integer, nullable=False),
    Column("relation", String(16)),
    Column("phase", String(32)),
    Column("life_domains", JSON, nullable=False),
    Column("topics", JSON, nullable=False),
    Column("handoff", Boolean, nullable=False),
    Column("asked_human", Boolean, nullable=False),
    Column("hit_fallback", Boolean, nullable=False),
    Column("crisis", Boolean, nullable=False),
    Column("dropped_off", Boolean, nullable=False),
    Column("last_step", String(64)),
    Column("satisfaction_helped", SmallInteger),
    Column("satisfaction_own_choices", SmallInteger),
    Column("satisfaction_recommend", SmallInteger),
    Column("improvement_given", Boolean, nullable=False),
    # The language the conversation ended in (0006): a code of contract.LANGUAGES; rows from before, Dutch.
    Column("language", String(8), nullable=False, server_default=contract.DUTCH),
    UniqueConstraint("conversation_key", name="uq_statistics_conversations_key"),
)

statistics_free_text = Table(
    "statistics_free_text",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("item_key", String(64), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("month", Date, nullable=False, index=True),
    Column("text", Text, nullable=False),
    UniqueConstraint("item_key", name="uq_statistics_free_text_key"),
)

# The outcome of the last run of each part of retention (bot/privacy/retention.py), for the administrator's
# portal page: fixed texts and counts only, never what was deleted.
retention_status = Table(
    "retention_status",
    metadata,
    Column("part", String(32), primary_key=True),
    Column("at", UTCDateTime(), nullable=False),
    Column("ok", Boolean, nullable=False),
    Column("detail", String(500), nullable=False),
)
