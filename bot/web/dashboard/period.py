"""The period a page shows: one whole calendar month (`maand=jjjj-mm`), chosen from a fixed list.

Why whole months, and only these: counts below 5 are shown as "<5", but with free periods two
overlapping ones (1-30 November and 1-29 November) subtract to the exact count of one day. Months
never overlap, so any two allowed periods are the same or share no day, and no difference of their
figures is smaller than a figure that was shown itself. A month is offered only once it has ended
and the daily statistics job has counted its last conversations (SETTLE_DAYS later): a month that
still grows would give the same difference between today's and yesterday's view.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import List, Mapping

SETTLE_DAYS = 2
# Two years back: what yearly reports compare.
HISTORY_MONTHS = 24


@dataclass(frozen=True)
class Period:
    start: date
    end: date
    # The month asked for is not on offer (the page says so, and shows the newest).
    refused: bool = False

    def as_query(self) -> dict:
        return {"maand": self.start.strftime("%Y-%m")}


def _previous(month: date) -> date:
    return (month - timedelta(days=1)).replace(day=1)


def _month(start: date, refused: bool = False) -> Period:
    following = (start + timedelta(days=32)).replace(day=1)
    return Period(start, following - timedelta(days=1), refused)


def months(today: date, settled: bool = True) -> List[date]:
    """The first days of the months that may be chosen, newest first. `settled=False` adds the current
    month: for the free text, which has no counts to subtract."""
    newest = (
        today.replace(day=1)
        if not settled
        else _previous((today - timedelta(days=SETTLE_DAYS)).replace(day=1))
    )
    found = [newest]
    while len(found) < HISTORY_MONTHS:
        found.append(_previous(found[-1]))
    return found


def period_from(args: Mapping[str, str], today: date, settled: bool = True) -> Period:
    """The chosen month, or the newest one, refused, when the one asked for is not on offer."""
    allowed = months(today, settled)
    raw = args.get("maand")
    if not raw:
        return _month(allowed[0])
    try:
        year, month = (int(part) for part in raw.split("-"))
        chosen = date(year, month, 1)
    except ValueError:
        chosen = None
    if chosen not in allowed:
        return _month(allowed[0], refused=True)
    return _month(chosen)
