"""The saturation figure: cumulative themes by focus group, for manuscripts and for the app.

Like :mod:`workbench.reports.figures`: a bare matplotlib ``Figure`` on the Agg backend
(never pyplot), greys that survive black-and-white printing, and no dates in the file's
metadata with a fixed SVG hash salt, so the same result always gives the same bytes.
"""

from __future__ import annotations

from pathlib import Path

_METADATA = {
    "png": {"Software": "Workbench"},
    "svg": {"Date": None, "Creator": "Workbench"},
    "pdf": {"CreationDate": None, "ModDate": None, "Creator": "Workbench"},
}
BLOCK, NEW = "█", "▒"


def saturation_chart(
    result: dict, path: str | Path, fmt: str | None = None, dpi: int = 300, width: float = 6.5
) -> Path:
    """Bars of new themes per group and the running total (line), in the order of collection,
    over the range of running totals across the other orders (band); the base shaded and
    the saturation point(s) marked. PNG at ``dpi``, SVG with text kept as text."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    path = Path(path)
    fmt = (fmt or path.suffix.lstrip(".") or "png").lower()
    if fmt not in _METADATA:
        raise ValueError(f"{path}: figure format must be png, svg or pdf, not {fmt!r}")
    obs, ind, p = result["observed"], result["order_independent"], result["parameters"]
    units = obs["units"]
    x = list(range(1, len(units) + 1))
    cumulative = [u["cumulative"] for u in units]
    new = [len(u["new"]) for u in units]
    band = ind["cumulative"]
    with matplotlib.rc_context(
        {
            "svg.hashsalt": "workbench",
            "svg.fonttype": "none",
            "font.size": 9,
            "font.family": "DejaVu Sans",
            "pdf.fonttype": 42,
        }
    ):
        fig = Figure(figsize=(width, 3.4), dpi=dpi, layout="constrained")
        ax = fig.add_subplot()
        ax.axvspan(
            0.5, p["base"] + 0.5, color="#eeeeee", zorder=0, label=f"Base ({p['base']} groups)"
        )
        ax.fill_between(
            x,
            band["low"],
            band["high"],
            step=None,
            color="#d0d0d0",
            alpha=0.6,
            zorder=1,
            label="95% range over orders",
        )
        ax.bar(
            x,
            new,
            width=0.55,
            color="#9a9a9a",
            edgecolor="black",
            linewidth=0.4,
            zorder=2,
            label="New themes",
        )
        ax.plot(
            x,
            cumulative,
            color="black",
            marker="o",
            markersize=3.5,
            linewidth=1.2,
            zorder=3,
            label="Cumulative themes",
        )
        marks: dict[str, list[str]] = {}  # one line per saturation point, naming its thresholds
        for th in p["thresholds"]:
            s = obs["saturation"][str(th)]
            if s["reached"]:
                marks.setdefault(s["label"], []).append(
                    "no new themes" if th == 0 else f"≤{th}% new"
                )
        for (label, names), style in zip(marks.items(), ("--", ":", "-."), strict=False):
            ax.axvline(
                int(label.split("+")[0]) + 0.5,
                color="black",
                linestyle=style,
                linewidth=0.9,
                zorder=3,
                label=f"Saturation {label} ({', '.join(names)})",
            )
        ax.axhline(
            result["themes"]["in_codebook"],
            color="#707070",
            linewidth=0.6,
            linestyle="-.",
            zorder=1,
            label=f"Themes in the codebook ({result['themes']['in_codebook']})",
        )
        ax.set_xticks(
            x,
            [u["code"] for u in units],
            rotation=90 if len(units) > 20 else 0,
            fontsize=9 if len(units) <= 20 else 6,
        )
        ax.set_xlim(0.5, len(units) + 0.5)
        ax.set_ylim(
            0, max(result["themes"]["in_codebook"], max(cumulative, default=0)) * 1.12 + 0.5
        )
        ax.set_xlabel("Focus groups, " + result["order"]["how"])
        ax.set_ylabel("Themes")
        ax.spines[["top", "right"]].set_visible(False)
        ax.legend(frameon=False, fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0))
        fig.savefig(path, format=fmt, dpi=dpi, metadata=_METADATA[fmt])
    return path


def terminal_chart(result: dict, width: int = 72) -> str:
    """The running total of themes as text bars (█ found before, ▒ new in the group), with the
    base marked and the saturation points named; for the app's report screen."""
    obs, p = result["observed"], result["parameters"]
    units = obs["units"]
    if not units:
        return "(no focus groups)"
    top = max(result["themes"]["in_codebook"], max(u["cumulative"] for u in units), 1)
    label_w = max(len(u["code"]) for u in units) + 4
    bar_w = max(10, width - label_w - 14)
    lines = []
    for u in units:
        total, added = u["cumulative"], len(u["new"])
        full = (2 * total * bar_w + top) // (2 * top)
        fresh = min(full, (2 * added * bar_w + top) // (2 * top) or (1 if added else 0))
        tag = "base" if u["position"] <= p["base"] else ""
        label = f"{u['position']:>2} {u['code']}"
        lines.append(
            f"{label:<{label_w}}{BLOCK * (full - fresh)}{NEW * fresh} {total} (+{added}) {tag}".rstrip()
        )
    marks = [
        f"{'no new' if th == 0 else f'≤{th}%'}: {obs['saturation'][str(th)]['label']}"
        if obs["saturation"][str(th)]["reached"]
        else f"{'no new' if th == 0 else f'≤{th}%'}: not reached"
        for th in p["thresholds"]
    ]
    lines.append(
        f"{'':<{label_w}}{BLOCK} themes so far  {NEW} new  ·  saturation " + ", ".join(marks)
    )
    return "\n".join(lines)
