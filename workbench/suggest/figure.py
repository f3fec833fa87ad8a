"""The coverage-agreement figure: the share of comments the model would code (x) against its
category kappa on them (y), one point per confidence bar, with the team's target drawn.

Like the report and saturation figures: a bare matplotlib ``Figure`` on the Agg backend
(never pyplot), greys that print in black and white, no dates in the file's metadata and
a fixed SVG hash salt, so the same evaluation always gives the same bytes.
"""

from __future__ import annotations

from pathlib import Path

_METADATA = {
    "png": {"Software": "Workbench"},
    "svg": {"Date": None, "Creator": "Workbench"},
    "pdf": {"CreationDate": None, "ModDate": None, "Creator": "Workbench"},
}


def coverage_chart(
    report: dict, path: str | Path, fmt: str | None = None, dpi: int = 300, width: float = 6.0
) -> Path:
    """Coverage on x, category kappa with its 95% CI on y, each bar labelled; the target kappa
    as a dashed line and the bar chosen for it (on the training folds) ringed."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    path = Path(path)
    fmt = (fmt or path.suffix.lstrip(".") or "png").lower()
    if fmt not in _METADATA:
        raise ValueError(f"{path}: figure format must be png, svg or pdf, not {fmt!r}")
    coverage = report["coverage"]
    points = [
        (row["category"]["share"], row["category"]["kappa"], row["bar"])
        for row in coverage["bars"]
        if row["category"]["kappa"] and row["category"]["kappa"]["value"] is not None
    ]
    with matplotlib.rc_context(
        {  # in the call, so mypy checks the keys against matplotlib's
            "svg.hashsalt": "workbench",
            "svg.fonttype": "none",
            "font.size": 9,
            "font.family": "DejaVu Sans",
            "pdf.fonttype": 42,
        }
    ):
        fig = Figure(figsize=(width, 3.8), dpi=dpi, layout="constrained")
        ax = fig.add_subplot()
        xs = [100 * share for share, _, _ in points]
        ys = [k["value"] for _, k, _ in points]
        low = [k["value"] - k["ci"][0] if k.get("ci") else 0 for _, k, _ in points]
        high = [k["ci"][1] - k["value"] if k.get("ci") else 0 for _, k, _ in points]
        ax.errorbar(
            xs,
            ys,
            yerr=[low, high],
            color="black",
            marker="o",
            markersize=3.5,
            linewidth=1.1,
            elinewidth=0.6,
            capsize=2,
            label="Category κ at each bar (95% CI)",
        )
        for x, y, (_, _, bar) in zip(xs, ys, points, strict=True):
            ax.annotate(
                f"{bar:.2f}".lstrip("0"),
                (x, y),
                textcoords="offset points",
                xytext=(4, 4),
                fontsize=7,
                color="#404040",
            )
        target = coverage["target"]
        ax.axhline(
            target,
            color="#707070",
            linestyle="--",
            linewidth=0.9,
            label=f"Target κ = {target:.2f}".replace("0.", ".", 1),
        )
        chosen = coverage["chosen"]
        if chosen["bar"] is not None and chosen["kappa"] is not None:
            ax.plot(
                [100 * chosen["share"]],
                [chosen["kappa"]],
                marker="o",
                markersize=9,
                fillstyle="none",
                color="black",
                linestyle="none",
                label=f"Bar chosen on the training folds: {100 * chosen['share']:.0f}% coded, "
                f"κ = {chosen['kappa']:.3f}".replace("0.", ".", 1),
            )
        ax.set_xlim(0, 100)
        ax.set_ylim(min([-0.05, *[y - d for y, d in zip(ys, low, strict=True)]]), 1.05)
        ax.set_xlabel("Comments the model would code (%)")
        ax.set_ylabel("Category Cohen's κ on them")
        ax.spines[["top", "right"]].set_visible(False)
        ax.legend(frameon=False, fontsize=7, loc="lower left")
        fig.savefig(path, format=fmt, dpi=dpi, metadata=_METADATA[fmt])
    return path
