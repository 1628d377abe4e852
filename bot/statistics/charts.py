"""Server-side SVG charts (matplotlib, Agg backend) of a suppressed figure.

A suppressed count ("<5") is drawn at zero and labelled "<5": the picture never shows more than the
table next to it. Colours come from one colour-blind-safe palette.
"""

from __future__ import annotations

import io
import threading
from typing import List, Sequence, Union

import matplotlib

matplotlib.use("Agg")  # no display on a server; must precede pyplot
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.colors import LinearSegmentedColormap  # noqa: E402

from bot.statistics.report import Figure  # noqa: E402
from bot.statistics.suppression import SUPPRESSED  # noqa: E402

BAR_COLOUR = "#1f5f8b"
SUPPRESSED_COLOUR = "#d9d9d9"
HEAT = LinearSegmentedColormap.from_list("wegwijs", ["#f7fbff", "#08306b"])
# pyplot keeps global state; gunicorn threads draw one chart at a time.
_DRAWING = threading.Lock()
matplotlib.rcParams.update({"svg.fonttype": "none", "font.size": 9, "svg.hashsalt": "wegwijs"})


def _numbers(values: Sequence[Union[int, float, str]]) -> List[float]:
    return [0.0 if value == SUPPRESSED else float(value) for value in values]


def _bars(axes, figure: Figure) -> None:
    labels = [label for label, _ in figure.rows]
    raw = [values[0] for _, values in figure.rows]
    heights = _numbers(raw)
    vertical = figure.chart == "time"
    positions = range(len(labels))
    draw = axes.bar if vertical else axes.barh
    bars = draw(positions, heights, color=BAR_COLOUR)
    axes.bar_label(bars, labels=[str(value) for value in raw], fontsize=7, padding=2)
    if vertical:
        axes.set_xticks(list(positions))
        axes.set_xticklabels(labels, rotation=90 if len(labels) > 8 else 0)
    else:
        axes.set_yticks(list(positions))
        axes.set_yticklabels(labels)
        axes.invert_yaxis()
    axes.spines[["top", "right"]].set_visible(False)


def _grid(axes, figure: Figure) -> None:
    values = [_numbers(list(values)) for _, values in figure.rows]
    axes.imshow(values, cmap=HEAT, aspect="auto")
    for row, (_, shown_values) in enumerate(figure.rows):
        for column, value in enumerate(shown_values):
            dark = values[row][column] > max(max(line) for line in values) / 2
            axes.text(
                column,
                row,
                str(value),
                ha="center",
                va="center",
                fontsize=6,
                color="white" if dark else "black",
            )
    axes.set_xticks(range(len(figure.columns)))
    axes.set_xticklabels(figure.columns, rotation=0 if len(figure.columns) > 6 else 20, fontsize=7)
    axes.set_yticks(range(len(figure.rows)))
    axes.set_yticklabels([label for label, _ in figure.rows])


def svg(figure: Figure) -> str:
    """The figure's chart as an SVG document (text)."""
    height = 2.2 + 0.28 * len(figure.rows) if figure.chart == "bars" else 3.6
    with _DRAWING:
        drawing, axes = plt.subplots(figsize=(9, height))
        try:
            (_grid if figure.chart == "grid" else _bars)(axes, figure)
            axes.set_title(figure.title, loc="left")
            drawing.tight_layout()
            buffer = io.StringIO()
            drawing.savefig(buffer, format="svg", metadata={"Date": None})
        finally:
            plt.close(drawing)
    return buffer.getvalue()
