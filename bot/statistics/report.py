"""The dashboard's figures: counts per category over a period, suppressed before anyone sees them.

Every figure is a small table (rows x columns). Counts go through `suppression.shown` here, so the
pages, the charts and the CSV exports only ever receive numbers that may be shown.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Callable, Dict, Iterable, List, Optional, Sequence, Tuple

from bot import catalogue, contract
from bot.conversation.fallback import topic_titles
from bot.conversation.life_domains import life_domains
from bot.intake.summary import labels
from bot.statistics.store import LOCAL_TIME
from bot.statistics.suppression import Shown, secondary, share, shown

# The texts live in bot/catalogue/nl/dashboard.yml; statements and scale are the survey's own words.
TEXTS = catalogue.entry("dashboard")
WEEKDAYS = tuple(TEXTS["weekdays"])
SCALE_LABELS = tuple(catalogue.entry("satisfaction.scale")[str(score)] for score in range(1, 6))
STATEMENTS = {
    step: statement.rstrip(".") for step, statement in catalogue.entry("satisfaction.statements").items()
}
SURVEY_LABELS = {"improvement": TEXTS["improvement"], **STATEMENTS}
COLUMNS = (TEXTS["conversations"],)
LANGUAGE_LABELS: Dict[str, str] = TEXTS["languages"]

Rows = List[Dict[str, Any]]


@dataclass(frozen=True)
class Figure:
    slug: str
    title: str
    description: str
    columns: Tuple[str, ...]  # the header of the value columns
    rows: Tuple[Tuple[str, Tuple[Shown, ...]], ...]  # (label, suppressed values)
    chart: str  # "time" (vertical bars), "bars" (horizontal bars) or "grid" (heat map)
    total: Optional[Shown] = None
    shares: Tuple[Optional[str], ...] = ()


def _local(row: Dict[str, Any]) -> datetime:
    return row["started_hour"].astimezone(LOCAL_TIME)


def _days(start: date, end: date) -> List[date]:
    return [start + timedelta(days=n) for n in range((end - start).days + 1)]


def _about(figure: str) -> Tuple[str, str]:
    """A figure's title and description."""
    about = TEXTS["figures"][figure]
    return about["title"], about["description"]


def per_day(rows: Rows, start: date, end: date) -> Figure:
    counts = Counter(_local(row).date() for row in rows)
    values = secondary({day.isoformat(): counts[day] for day in _days(start, end)})
    return Figure(
        "per-dag",
        *_about("per_day"),
        COLUMNS,
        tuple((day, (value,)) for day, value in values.items()),
        "time",
        total=shown(len(rows)),
    )


def per_week(rows: Rows, start: date, end: date) -> Figure:
    def week(day: date) -> str:
        year, number, _ = day.isocalendar()
        return f"{year}-W{number:02d}"

    counts = Counter(week(_local(row).date()) for row in rows)
    values = secondary({label: counts[label] for label in sorted({week(day) for day in _days(start, end)})})
    return Figure(
        "per-week",
        *_about("per_week"),
        COLUMNS,
        tuple((label, (value,)) for label, value in values.items()),
        "time",
        total=shown(len(rows)),
    )


def _listed(rows: Rows, column: str, labels: Dict[str, str]) -> Tuple[Tuple[str, Tuple[Shown, ...]], ...]:
    """A category count where one conversation can name several (no total: shares overlap)."""
    counts = Counter(value for row in rows for value in row[column] or [])
    ordered = sorted(labels, key=lambda value: -counts[value])
    return tuple((labels[value], (shown(counts[value]),)) for value in ordered)


def areas_of_life(rows: Rows, start: date, end: date) -> Figure:
    labels = {value: domain.label for value, domain in life_domains().items()}
    return Figure(
        "levensgebieden", *_about("areas_of_life"), COLUMNS, _listed(rows, "life_domains", labels), "bars"
    )


def rights_topics(rows: Rows, start: date, end: date) -> Figure:
    titles = topic_titles()
    labels = {
        topic: titles.get(topic, topic.replace("ask_", "").replace("_", " "))
        for topic in contract.RIGHTS_TOPICS
    }
    return Figure("onderwerpen", *_about("rights_topics"), COLUMNS, _listed(rows, "topics", labels), "bars")


def languages(rows: Rows, start: date, end: date) -> Figure:
    """One language per conversation and a total shown, like the drop-off steps; the rows keep the
    contract's order whatever the counts, so the order never tells two suppressed cells apart."""
    counts = Counter(row["language"] for row in rows)
    values = secondary({code: counts[code] for code in contract.LANGUAGES})
    return Figure(
        "talen",
        *_about("languages"),
        COLUMNS,
        tuple((LANGUAGE_LABELS[code], (value,)) for code, value in values.items()),
        "bars",
        total=shown(len(rows)),
    )


OUTCOMES = tuple(TEXTS["outcomes"].items())


def outcomes(rows: Rows, start: date, end: date) -> Figure:
    counts = [sum(1 for row in rows if row[column]) for column, _ in OUTCOMES]
    return Figure(
        "afloop",
        *_about("outcomes"),
        COLUMNS,
        tuple((label, (shown(count),)) for (_, label), count in zip(OUTCOMES, counts)),
        "bars",
        total=shown(len(rows)),
        shares=tuple(share(count, len(rows)) for count in counts),
    )


def step_label(step: Optional[str]) -> str:
    if not step:
        return TEXTS["unknown_step"]
    for prefix, part in (
        ("intake_", TEXTS["step_parts"]["intake"]),
        ("satisfaction_", TEXTS["step_parts"]["satisfaction"]),
    ):
        if step.startswith(prefix):
            name = step[len(prefix) :]
            return f"{part}: {labels().get(name) or SURVEY_LABELS.get(name, name)}"
    return step


def drop_off(rows: Rows, start: date, end: date) -> Figure:
    left = [row for row in rows if row["dropped_off"]]
    counts: Counter = Counter(step_label(row["last_step"]) for row in left)
    # One step per conversation and a total shown: a lone suppressed cell would be derivable.
    values = secondary(dict(counts.most_common()))
    return Figure(
        "afhaakpunten",
        *_about("drop_off"),
        COLUMNS,
        tuple((label, (value,)) for label, value in values.items()),
        "bars",
        total=shown(len(left)),
    )


def crisis(rows: Rows, start: date, end: date) -> Figure:
    count = sum(1 for row in rows if row["crisis"])
    return Figure(
        "crisis",
        *_about("crisis"),
        COLUMNS,
        ((TEXTS["figures"]["crisis"]["row"], (shown(count),)),),
        "bars",
        total=shown(len(rows)),
    )


def satisfaction(rows: Rows, start: date, end: date) -> Figure:
    figure_rows = []
    for step, statement in STATEMENTS.items():
        counts = Counter(row[f"satisfaction_{step}"] for row in rows if row[f"satisfaction_{step}"])
        values = secondary({label: counts[score] for score, label in enumerate(SCALE_LABELS, start=1)})
        figure_rows.append((statement, tuple(values.values())))
    return Figure("tevredenheid", *_about("satisfaction"), SCALE_LABELS, tuple(figure_rows), "grid")


def hour_of_week(rows: Rows, start: date, end: date) -> Figure:
    counts = Counter((_local(row).weekday(), _local(row).hour) for row in rows)
    values = secondary({(day, hour): counts[(day, hour)] for day in range(7) for hour in range(24)})
    return Figure(
        "weekuren",
        *_about("hour_of_week"),
        tuple(f"{hour:02d}" for hour in range(24)),
        tuple(
            (label, tuple(values[(day, hour)] for hour in range(24))) for day, label in enumerate(WEEKDAYS)
        ),
        "grid",
        total=shown(len(rows)),
    )


FIGURES: Dict[str, Callable[[Rows, date, date], Figure]] = {
    "per-dag": per_day,
    "per-week": per_week,
    "levensgebieden": areas_of_life,
    "onderwerpen": rights_topics,
    "talen": languages,
    "afloop": outcomes,
    "afhaakpunten": drop_off,
    "crisis": crisis,
    "tevredenheid": satisfaction,
    "weekuren": hour_of_week,
}


def figures(rows: Rows, start: date, end: date, slugs: Iterable[str] = FIGURES) -> List[Figure]:
    return [FIGURES[slug](rows, start, end) for slug in slugs]


def csv_rows(figure: Figure) -> Sequence[Sequence[object]]:
    """The figure as CSV rows: a header, one row per label, and the total when there is one."""
    header = ["", *figure.columns] + ([TEXTS["share"]] if figure.shares else [])
    body = [
        [label, *values] + ([figure.shares[n] or ""] if figure.shares else [])
        for n, (label, values) in enumerate(figure.rows)
    ]
    footer = [[TEXTS["total"], figure.total]] if figure.total is not None else []
    return [header, *body, *footer]
