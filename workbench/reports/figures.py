"""Theme frequency charts: a print-quality figure for manuscripts and a text one for the app.

Both draw the theme table (:func:`workbench.reports.tables.theme_table`): one bar per theme, in the
table's order (largest first, at the top), split into effective and ineffective comments.
The figure is built on a bare matplotlib ``Figure`` with the Agg backend, never pyplot, so
it works headless, leaks no global figure state, and the same data always gives the same
bytes (fixed SVG hash salt, no dates in metadata) — figures can be checked into a repo.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from workbench.reports.tables import Table, percent

if TYPE_CHECKING:
    from workbench.output import Output

EFFECTIVE, INEFFECTIVE = "█", "░"
_COLOURS = ("#3b3b3b", "#c8c8c8")  # dark/light grey: survives black-and-white printing
_METADATA = {
    "png": {"Software": "Workbench"},
    "svg": {"Date": None, "Creator": "Workbench"},
    "pdf": {"CreationDate": None, "ModDate": None, "Creator": "Workbench"},
}


def _counts(source: Table | pd.DataFrame) -> pd.DataFrame:
    """theme, effective, ineffective (table order) from a theme Table or its data frame."""
    data = source.data if isinstance(source, Table) else source
    missing = {"theme", "effective", "ineffective"} - set(data.columns)
    if missing:
        raise ValueError(f"not a theme table: no column(s) {', '.join(sorted(missing))}")
    out = data[["theme", "effective", "ineffective"]].reset_index(drop=True)
    return out.astype({"effective": int, "ineffective": int})


def theme_chart(
    source: Table | pd.DataFrame,
    path: str | Path,
    fmt: str | None = None,
    dpi: int = 300,
    width: float = 6.5,
    title: str | None = None,
    output: Output | None = None,
) -> Path:
    """Stacked horizontal bars (effective + ineffective) per theme, saved as PNG/SVG/PDF by the
    rule of :mod:`workbench.output` (``output``: the command's; without one, an existing file is
    refused).

    ``width`` is in inches (6.5 = a journal text column); the height follows the number of
    themes. PNG is rendered at ``dpi`` (300 = print); SVG keeps text as text so it stays
    editable and searchable.
    """
    from workbench.output import Output

    return (output or Output()).write(
        path, chart_writer(source, path, fmt, dpi, width, title), "--figure"
    )


def chart_writer(
    source: Table | pd.DataFrame,
    path: str | Path,
    fmt: str | None = None,
    dpi: int = 300,
    width: float = 6.5,
    title: str | None = None,
) -> Callable[[Path], None]:
    """``write(file)`` for :class:`workbench.output.Output`: the chart in ``fmt`` (default: ``path``'s suffix)."""
    path = Path(path)
    fmt = (fmt or path.suffix.lstrip(".") or "png").lower()
    if fmt not in _METADATA:
        raise ValueError(f"{path}: figure format must be png, svg or pdf, not {fmt!r}")
    data = _counts(source)
    return lambda target: _draw(data, Path(target), fmt, dpi, width, title)


def _draw(
    data: pd.DataFrame, path: Path, fmt: str, dpi: int, width: float, title: str | None
) -> None:
    import matplotlib

    matplotlib.use("Agg")  # headless; the Figure below is never shown
    from matplotlib.figure import Figure

    y = list(range(len(data)))
    with matplotlib.rc_context(
        {
            "svg.hashsalt": "workbench",
            "svg.fonttype": "none",
            "font.size": 9,
            "font.family": "DejaVu Sans",
            "pdf.fonttype": 42,
        }
    ):
        fig = Figure(figsize=(width, 0.28 * len(data) + 1.1), dpi=dpi, layout="constrained")
        ax = fig.add_subplot()
        ax.barh(
            y,
            data["effective"],
            color=_COLOURS[0],
            edgecolor="black",
            linewidth=0.4,
            label="Effective",
        )
        ax.barh(
            y,
            data["ineffective"],
            left=data["effective"],
            color=_COLOURS[1],
            edgecolor="black",
            linewidth=0.4,
            label="Ineffective",
        )
        for i, n in enumerate(data["effective"] + data["ineffective"]):
            ax.text(n, i, f" {n}", va="center", fontsize=8)  # the count at the bar's end
        ax.set_yticks(y, data["theme"])
        ax.invert_yaxis()  # table order: largest at the top
        ax.set_xlabel("Behaviour comments carrying the theme")
        ax.set_xlim(0, max(1, int((data["effective"] + data["ineffective"]).max())) * 1.1)
        ax.spines[["top", "right"]].set_visible(False)
        ax.legend(frameon=False, loc="lower right")
        if title:
            ax.set_title(title)
        fig.savefig(path, format=fmt, dpi=dpi, metadata=_METADATA[fmt])


def _half_up(num: int, den: int) -> int:
    """num/den rounded half up, exactly (den > 0)."""
    return (2 * num + den) // (2 * den)


def terminal_chart(source: Table | pd.DataFrame, width: int = 72) -> str:
    """A plain-text stacked bar chart (█ effective, ░ ineffective), at most ``width`` wide.

    For the app's report screen: themes in table order with 'count (% effective)'.
    """
    data = _counts(source)
    if data.empty:
        return "(no themes)"
    totals = data["effective"] + data["ineffective"]
    label_w = max(len(t) for t in data["theme"])
    tail = [
        f" {n} ({percent(e, n)}%)" if n else " 0"
        for e, n in zip(data["effective"], totals, strict=True)
    ]
    bar_w = max(10, width - label_w - 1 - max(len(t) for t in tail))
    top = max(1, int(totals.max()))
    lines = []
    for theme, e, n, t in zip(data["theme"], data["effective"], totals, tail, strict=True):
        full, dark = _half_up(int(n) * bar_w, top), _half_up(int(e) * bar_w, top)
        if n and not full:  # a theme that occurs must be visible
            full = 1
        dark = min(dark, full)
        lines.append(f"{theme:<{label_w}} {EFFECTIVE * dark}{INEFFECTIVE * (full - dark)}{t}")
    lines.append(f"{'':<{label_w}} {EFFECTIVE} effective  {INEFFECTIVE} ineffective")
    return "\n".join(lines)
