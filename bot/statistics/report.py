"""The dashboard's figures: counts per category over a period, suppressed before anyone sees them.

Every figure is a small table (rows x columns). Counts go through `suppression.shown` here, so the
pages, the charts and the CSV exports only ever receive numbers that may be shown.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Callable, Dict, Iterable, List, Optional, Sequence, Tuple

from bot.conversation.fallback import topic_titles
from bot.conversation.life_domains import life_domains
from bot.statistics.store import LOCAL_TIME
from bot.statistics.suppression import Shown, secondary, share, shown
from bot.intake.summary import LABELS

WEEKDAYS = ("ma", "di", "wo", "do", "vr", "za", "zo")
SCALE_LABELS = ("Helemaal niet mee eens", "Niet mee eens", "Neutraal", "Mee eens", "Helemaal mee eens")
STATEMENTS = {
    "helped": "Dit gesprek heeft mij geholpen",
    "own_choices": "Ik kon zelf kiezen wat ik wilde",
    "recommend": "Ik raad Wegwijs aan bij mensen om mij heen",
}
SURVEY_LABELS = {"improvement": "Wat kan er beter", **STATEMENTS}

Rows = List[Dict[str, object]]


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


def _local(row: Dict[str, object]):
    return row["started_hour"].astimezone(LOCAL_TIME)


def _days(start: date, end: date) -> List[date]:
    return [start + timedelta(days=n) for n in range((end - start).days + 1)]


def per_day(rows: Rows, start: date, end: date) -> Figure:
    counts = Counter(_local(row).date() for row in rows)
    values = secondary({day.isoformat(): counts[day] for day in _days(start, end)})
    return Figure("per-dag", "Gesprekken per dag", "Aantal gesprekken dat op die dag begon.", ("Gesprekken",),
                  tuple((day, (value,)) for day, value in values.items()), "time", total=shown(len(rows)))


def per_week(rows: Rows, start: date, end: date) -> Figure:
    def week(day: date) -> str:
        year, number, _ = day.isocalendar()
        return f"{year}-W{number:02d}"

    counts = Counter(week(_local(row).date()) for row in rows)
    values = secondary({label: counts[label] for label in sorted({week(day) for day in _days(start, end)})})
    return Figure("per-week", "Gesprekken per week", "Aantal gesprekken per kalenderweek (ISO).", ("Gesprekken",),
                  tuple((label, (value,)) for label, value in values.items()), "time", total=shown(len(rows)))


def _listed(rows: Rows, column: str, labels: Dict[str, str]) -> Tuple[Tuple[str, Tuple[Shown, ...]], ...]:
    """A category count where one conversation can name several (no total: shares overlap)."""
    counts = Counter(value for row in rows for value in row[column] or [])
    ordered = sorted(labels, key=lambda value: -counts[value])
    return tuple((labels[value], (shown(counts[value]),)) for value in ordered)


def areas_of_life(rows: Rows, start: date, end: date) -> Figure:
    labels = {value: domain.label for value, domain in life_domains().items()}
    return Figure("levensgebieden", "Levensgebieden", "In hoeveel gesprekken elk levensgebied ter sprake kwam. "
                  "Eén gesprek kan over meer gebieden gaan.", ("Gesprekken",), _listed(rows, "life_domains", labels),
                  "bars")


def rights_topics(rows: Rows, start: date, end: date) -> Figure:
    from bot.statistics.conversations import RIGHTS_TOPICS

    titles = topic_titles()
    labels = {topic: titles.get(topic, topic.replace("ask_", "").replace("_", " ")) for topic in RIGHTS_TOPICS}
    return Figure("onderwerpen", "Gestelde vragen", "In hoeveel gesprekken elke vraag over cliëntondersteuning "
                  "werd gesteld.", ("Gesprekken",), _listed(rows, "topics", labels), "bars")


OUTCOMES = (("handoff", "Doorgegeven aan een cliëntondersteuner"), ("asked_human", "Vroeg om een mens"),
            ("hit_fallback", "Bot begreep een bericht niet"))


def outcomes(rows: Rows, start: date, end: date) -> Figure:
    counts = [sum(1 for row in rows if row[column]) for column, _ in OUTCOMES]
    return Figure("afloop", "Afloop van gesprekken", "Aandeel van alle gesprekken; één gesprek kan in meer "
                  "rijen vallen.", ("Gesprekken",), tuple((label, (shown(count),)) for (_, label), count
                                                         in zip(OUTCOMES, counts)),
                  "bars", total=shown(len(rows)), shares=tuple(share(count, len(rows)) for count in counts))


def step_label(step: Optional[str]) -> str:
    if not step:
        return "Onbekend"
    for prefix, part in (("intake_", "Vraag op een rij"), ("satisfaction_", "Tevredenheidsvragen")):
        if step.startswith(prefix):
            name = step[len(prefix):]
            return f"{part}: {LABELS.get(name) or SURVEY_LABELS.get(name, name)}"
    return step


def drop_off(rows: Rows, start: date, end: date) -> Figure:
    left = [row for row in rows if row["dropped_off"]]
    counts: Dict[str, int] = Counter(step_label(row["last_step"]) for row in left)
    # One step per conversation and a total shown: a lone suppressed cell would be derivable.
    values = secondary(dict(counts.most_common()))
    return Figure("afhaakpunten", "Afhaakpunten", "De laatste stap voordat inwoners wegging zonder af te "
                  "sluiten.", ("Gesprekken",), tuple((label, (value,)) for label, value in values.items()),
                  "bars", total=shown(len(left)))


def crisis(rows: Rows, start: date, end: date) -> Figure:
    count = sum(1 for row in rows if row["crisis"])
    return Figure("crisis", "Crisisgesprekken", "Gesprekken waarin de bot de noodnummers gaf. Alleen het aantal.",
                  ("Gesprekken",), (("Crisisgesprekken", (shown(count),)),), "bars", total=shown(len(rows)))


def satisfaction(rows: Rows, start: date, end: date) -> Figure:
    figure_rows = []
    for step, statement in STATEMENTS.items():
        counts = Counter(row[f"satisfaction_{step}"] for row in rows if row[f"satisfaction_{step}"])
        values = secondary({label: counts[score] for score, label in enumerate(SCALE_LABELS, start=1)})
        figure_rows.append((statement, tuple(values.values())))
    return Figure("tevredenheid", "Tevredenheid per stelling", "Antwoorden op de vragen aan het eind van het "
                  "gesprek. Overgeslagen antwoorden tellen niet mee.", SCALE_LABELS, tuple(figure_rows), "grid")


def hour_of_week(rows: Rows, start: date, end: date) -> Figure:
    counts = Counter((_local(row).weekday(), _local(row).hour) for row in rows)
    values = secondary({(day, hour): counts[(day, hour)] for day in range(7) for hour in range(24)})
    return Figure("weekuren", "Gesprekken per uur van de week", "Wanneer gesprekken beginnen; kantoortijd is "
                  "ma-vr 9-17 uur.", tuple(f"{hour:02d}" for hour in range(24)),
                  tuple((label, tuple(values[(day, hour)] for hour in range(24)))
                        for day, label in enumerate(WEEKDAYS)), "grid", total=shown(len(rows)))


FIGURES: Dict[str, Callable[[Rows, date, date], Figure]] = {
    "per-dag": per_day, "per-week": per_week, "levensgebieden": areas_of_life, "onderwerpen": rights_topics,
    "afloop": outcomes, "afhaakpunten": drop_off, "crisis": crisis, "tevredenheid": satisfaction,
    "weekuren": hour_of_week,
}


def figures(rows: Rows, start: date, end: date, slugs: Iterable[str] = FIGURES) -> List[Figure]:
    return [FIGURES[slug](rows, start, end) for slug in slugs]


def csv_rows(figure: Figure) -> Sequence[Sequence[object]]:
    """The figure as CSV rows: a header, one row per label, and the total when there is one."""
    header = ["", *figure.columns] + (["Aandeel"] if figure.shares else [])
    body = [[label, *values] + ([figure.shares[n] or ""] if figure.shares else [])
            for n, (label, values) in enumerate(figure.rows)]
    footer = [["Totaal gesprekken", figure.total]] if figure.total is not None else []
    return [header, *body, *footer]
