"""Small-cell suppression: the one place where a count becomes something a person may see.

Any count below THRESHOLD is shown as "<5", in every output (pages, charts, tables, CSV), so no
resident can be singled out. Zero is suppressed too: "nobody from this group" can also identify.
Every output goes through `shown()`; charts draw a suppressed bar at height zero, labelled "<5".
"""

from __future__ import annotations

from typing import Dict, Hashable, Optional, TypeVar, Union

THRESHOLD = 5
SUPPRESSED = f"<{THRESHOLD}"

Shown = Union[int, str]
Key = TypeVar("Key", bound=Hashable)


def is_suppressed(count: int) -> bool:
    return count < THRESHOLD


def shown(count: int) -> Shown:
    """A count as it may be shown: the number from THRESHOLD up, else "<5"."""
    return SUPPRESSED if is_suppressed(count) else count


def share(count: int, total: int) -> Optional[str]:
    """A percentage, only when both counts may be shown (a share of a small count reveals it)."""
    if is_suppressed(count) or is_suppressed(total):
        return None
    return f"{round(100 * count / total)}%"


def secondary(counts: Dict[Key, int]) -> Dict[Key, Shown]:
    """Suppresses a distribution whose total is shown next to it (one category per conversation).

    With exactly one cell suppressed, total minus the others would reveal it: then the smallest
    shown cell is suppressed as well.
    """
    result: Dict[Key, Shown] = {label: shown(count) for label, count in counts.items()}
    hidden = [label for label, value in result.items() if value == SUPPRESSED]
    if len(hidden) == 1:
        visible = [label for label in counts if label not in hidden]
        if visible:
            result[min(visible, key=lambda label: counts[label])] = SUPPRESSED
    return result
