"""The anonymised statistics tables. Mirrors migrations/versions/0003_statistics.py.

statistics_conversations: one row per conversation, categories and counts only (no sender id, no
text, the start coarsened to the hour). statistics_free_text: de-identified words meant for
improving the bot, not linked to any conversation row, dated by month only.
"""
from sqlalchemy import JSON, Boolean, Column, Date, Integer, SmallInteger, String, Table, Text, UniqueConstraint

from bot.handoff_store import UTCDateTime, metadata

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
