"""``workbench agreement --format text``: the agreement report in 80 columns.

Each table row takes two lines, the value over its 95% CI, and a theme's row names each
coder's prevalence under the theme; prose is wrapped. The Markdown form
(:func:`workbench.agreement.presentation.markdown`) keeps one wide row per layer for
pasting; this one is for reading in a terminal or a plain-text file.
"""

from __future__ import annotations

import textwrap

from workbench.agreement.results import AgreementReport, PairAgreement
from workbench.numerals import percent
from workbench.plain import WIDTH, grid
from workbench.plain import wrap as _wrap
from workbench.reports import agreement_tables as T


def pair_grid(
    report: AgreementReport, pair: PairAgreement, unit_set: str, layers: bool = True
) -> list[str]:
    a, b = pair.coders
    header = [
        ["Layer / theme"],
        ["n"],
        ["% agr."],
        ["Cohen's κ", "95% CI"],
        ["Kripp. α", "95% CI"],
        ["Gwet's AC1", "95% CI"],
    ]
    rows = []
    for row in T.pair_rows(report, pair, unit_set, layers):
        label = [row.label]
        if row.prevalence:
            shares = [p.value for p in row.prevalence]
            label.append(f"{a} {_share(shares[0])}, {b} {_share(shares[1])}")
        cells = [label, [str(row.n)], [T.value(row.percent, True)]]
        for key, _, _ in T.STATISTICS:
            estimate = row.estimates.get(key)
            cells.append([T.value(estimate), T.interval(estimate)] if estimate else [T.DASH])
        rows.append(cells)
    return grid(header, rows, right={1, 2})


def _share(x: float | None) -> str:
    return T.DASH if x is None else percent(x, 0)


def confusion_grid(report: AgreementReport, pair: PairAgreement) -> list[str]:
    a, b = pair.coders
    matrix = pair.category.confusion_matrix
    names = report.names.categories if report.names else {}
    numbers = [str(i) for i in range(1, len(matrix.labels) + 1)]
    header = [[f"{a} \\ {b}"], *([n] for n in numbers)]
    rows = [
        [[f"{n} {names.get(k, k)}"], *([str(c)] for c in counts)]
        for n, k, counts in zip(numbers, matrix.labels, matrix.matrix, strict=True)
    ]
    return grid(header, rows, right=set(range(1, len(numbers) + 1)))


def text(report: AgreementReport, heading: str = "Inter-coder agreement") -> str:
    """The whole report, in 80 columns."""
    units = report.units
    lines = [heading, "=" * len(heading), ""]
    lines += _wrap(
        f"Coders: {', '.join(report.coders)}. Comments coded: "
        + ", ".join(f"{c} {n}" for c, n in units.coded.items())
        + f"; by all coders: {units.coded_by_all}. A comment coded by one coder only is "
        "missing for the other, never agreement."
    )
    scope = report.scope
    if scope and scope.group:
        lines += _wrap(f"Focus group: {scope.group}.")
    if scope and scope.where:
        lines += _wrap(f"Only the comments where {scope.where}.")
    counted = (scope.suggestion_accepted if scope else None) or {}
    accepted = {c: n for c, n in counted.items() if n}
    if accepted and scope:
        which = {  # as the Markdown report says it
            "include": "included below",
            "exclude": "the comments they touch are left out below",
            "only": "only the comments they touch are compared below",
        }[scope.suggested or "include"]
        lines += _wrap(
            "Codings taken from a model's suggestion: "
            + ", ".join(f"{c} {n}" for c, n in accepted.items())
            + f" ({which})."
        )
    if len(report.coders) > 2:
        table = T.all_coders_table(report)
        lines += ["", f"All {len(report.coders)} coders", ""]
        row = table.rows[0]
        header = [
            ["Layer"],
            ["n"],
            ["% agr."],
            ["Fleiss' κ", "95% CI"],
            ["Kripp. α", "95% CI"],
            ["Gwet's AC1", "95% CI"],
        ]
        lines += grid(
            header, [[[row[0]], [row[1]], [row[2]], row[3:5], row[5:7], row[7:9]]], right={1, 2}
        )
        lines += ["", *_wrap(table.notes[0])]
    for pair in report.pairs:
        a, b = pair.coders
        title = f"{a} × {b}"
        lines += ["", title, "-" * len(title)]
        for unit_set, words in T.UNIT_SETS.items():
            layers = unit_set == "theme_taking"
            lines += [
                "",
                *_wrap(
                    (
                        "Category and effective vs ineffective over the comments both coded; "
                        if layers
                        else ""
                    )
                    + f"themes over {words} "
                    f"(n = {pair.themes[unit_set].n}):"
                ),
                "",
            ]
            lines += pair_grid(report, pair, unit_set, layers)
        lines += ["", f"Categories of {a} (rows) against {b} (columns):", ""]
        lines += confusion_grid(report, pair)
        notes = T.gaps(
            T.pair_rows(report, pair, "theme_taking")
            + T.pair_rows(report, pair, "all_coded", False)
        )
        if notes:
            lines += ["", "Missing values and intervals:"]
            for note in dict.fromkeys(notes):
                lines += textwrap.wrap(note, WIDTH, initial_indent="- ", subsequent_indent="  ")
    lines += ["", *_wrap(T.method_note(report))]
    lines += _wrap(
        "Kappa bands: Landis & Koch (1977). Alpha: .800 or more reliable, .667 or more "
        "tentative conclusions only, below unreliable (Krippendorff)."
    )
    return "\n".join(lines)
