"""The period a page shows: `van` and `tot` (ISO dates, both included) from the query string."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Mapping, Optional

DEFAULT_DAYS = 28
# A longer period makes per-day charts unreadable and the query slow; a year is what reports need.
MAX_DAYS = 366


@dataclass(frozen=True)
class Period:
    start: date
    end: date
    error: Optional[str] = None

    def as_query(self) -> dict:
        return {"van": self.start.isoformat(), "tot": self.end.isoformat()}


def _default(today: date, error: Optional[str] = None) -> Period:
    return Period(today - timedelta(days=DEFAULT_DAYS - 1), today, error)


def period_from(args: Mapping[str, str], today: Optional[date] = None) -> Period:
    """The requested period, or the last four weeks with a message saying what was wrong."""
    today = today or datetime.now().date()
    if not args.get("van") and not args.get("tot"):
        return _default(today)
    try:
        start = date.fromisoformat(args.get("van") or "")
        end = date.fromisoformat(args.get("tot") or "")
    except ValueError:
        return _default(today, "Vul twee datums in (jjjj-mm-dd). U ziet nu de laatste vier weken.")
    if start > end:
        return _default(today, "De begindatum ligt na de einddatum. U ziet nu de laatste vier weken.")
    if (end - start).days >= MAX_DAYS:
        return _default(today, "Kies een periode van hoogstens een jaar. U ziet nu de laatste vier weken.")
    return Period(start, end)
