"""The statistics tables: replace a conversation's row, add de-identified free text, read a period."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date, datetime, time, timedelta
from typing import Dict, List, Sequence

from sqlalchemy import delete, exc, select
from zoneinfo import ZoneInfo

from bot.statistics.conversations import ConversationStats, FreeText
from bot.storage.database import Database
from bot.storage.schema import statistics_conversations, statistics_free_text
from bot.survey.questionnaire import SCALE_STEPS

# Periods are chosen in the municipality's time; the tables keep UTC.
LOCAL_TIME = ZoneInfo("Europe/Amsterdam")


def _row(stats: ConversationStats) -> Dict[str, object]:
    values = asdict(stats)
    satisfaction = values.pop("satisfaction")
    values["conversation_key"] = values.pop("key")
    values["dropped_off"] = values.pop("left")
    values.update({f"satisfaction_{step}": satisfaction.get(step) for step in SCALE_STEPS})
    return values


def local_bounds(start: date, end: date) -> tuple:
    """From the start of `start` to the end of `end`, local time, as aware datetimes."""
    return (
        datetime.combine(start, time(), LOCAL_TIME),
        datetime.combine(end + timedelta(days=1), time(), LOCAL_TIME),
    )


class StatisticsStore:
    def __init__(self, database: Database) -> None:
        self.database = database

    def save(self, stats: ConversationStats, free_text: Sequence[FreeText]) -> None:
        """Replaces the conversation's row (a re-run gives the same key) and adds new free text."""
        month = stats.started_hour.astimezone(LOCAL_TIME).date().replace(day=1)
        with self.database.transaction() as session:
            table = statistics_conversations
            session.execute(delete(table).where(table.c.conversation_key == stats.key))
            session.execute(table.insert().values(**_row(stats)))
            known = set(
                session.execute(
                    select(statistics_free_text.c.item_key).where(
                        statistics_free_text.c.item_key.in_([item.key for item in free_text])
                    )
                ).scalars()
            )
            for item in free_text:
                if item.key not in known:
                    session.execute(
                        statistics_free_text.insert().values(
                            item_key=item.key, kind=item.kind, month=month, text=item.text
                        )
                    )

    def save_once(self, stats: ConversationStats, free_text: Sequence[FreeText]) -> None:
        """`save`, tolerating another run of the job that saved the same conversation just now."""
        try:
            self.save(stats, free_text)
        except exc.IntegrityError:
            self.save(stats, free_text)

    def conversations(self, start: date, end: date) -> List[Dict[str, object]]:
        since, until = local_bounds(start, end)
        table = statistics_conversations
        query = select(table).where(table.c.started_hour >= since, table.c.started_hour < until)
        with self.database.transaction() as session:
            return [dict(row._mapping) for row in session.execute(query)]

    def free_text(self, start: date, end: date) -> List[Dict[str, object]]:
        """De-identified free text of the months the period touches, newest month first."""
        table = statistics_free_text
        query = (
            select(table.c.kind, table.c.month, table.c.text)
            .where(table.c.month >= start.replace(day=1), table.c.month <= end)
            .order_by(table.c.month.desc(), table.c.kind, table.c.id)
        )
        with self.database.transaction() as session:
            return [dict(row._mapping) for row in session.execute(query)]
