"""The agreement report (:class:`workbench.agreement.results.AgreementReport`) as report
tables: one row per layer and per theme, each with n, percent agreement and Cohen's kappa,
Krippendorff's alpha and Gwet's AC1 with their 95% CIs.

The same rows serve the agreement screen (``ui.agreement``: each row has a key, so ``enter``
lists that row's disagreements), the Word and Excel exports (through
:mod:`workbench.reports.exports`, like the report tables) and ``workbench agreement --format
text``, which fits 80 columns (:mod:`workbench.reports.agreement_text`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from workbench.agreement.estimate import Estimate
from workbench.agreement.results import AgreementReport, PairAgreement
from workbench.numerals import coefficient, percent

if (
    TYPE_CHECKING
):  # pandas loads with reports.tables: only where a table is built, not for the screen
    import pandas as pd

    from workbench.agreement.rounds import Round
    from workbench.reports.tables import Table

DASH = "–"  # as in the report tables (reports.tables.DASH)

#: The statistics of a row, in column order: (report key, column label, short label).
STATISTICS = (
    ("cohen_kappa", "Cohen's κ", "κ"),
    ("krippendorff_alpha", "Krippendorff's α", "α"),
    ("gwet_ac1", "Gwet's AC1", "AC1"),
)
COLUMNS = [
    "Layer / theme",
    "n",
    "% agreement",
    "Cohen's κ",
    "95% CI",
    "Krippendorff's α",
    "95% CI",
    "Gwet's AC1",
    "95% CI",
]
UNIT_SETS = {
    "theme_taking": "the comments both coders put in a behaviour category",
    "all_coded": "every comment both coders coded",
}


@dataclass(frozen=True)
class Row:
    """One line of agreement: a layer (category, polarity), a theme, or a summary of the themes."""

    key: str  # "category", "polarity", "theme:<key>", "pooled", "masi" (what enter lists)
    label: str
    n: int
    percent: Estimate | None  # the percent-agreement estimate, if any
    # statistic key -> estimate; absent: not computed for this row
    estimates: dict[str, Estimate]
    # a theme's (coder A's share, coder B's share)
    prevalence: tuple[Estimate, Estimate] | None = None


def pair_rows(
    report: AgreementReport,
    pair: PairAgreement,
    unit_set: str = "theme_taking",
    layers: bool = True,
) -> list[Row]:
    """Category and effective vs ineffective (``layers``), each theme over ``unit_set``, pooled
    kappa, MASI alpha."""
    names = report.names.themes if report.names else {}
    a, b = pair.coders
    rows = []
    for key, label in (("category", "Category"), ("polarity", "Effective vs ineffective"))[
        : 2 if layers else 0
    ]:
        block = pair.category if key == "category" else pair.polarity
        rows.append(
            Row(
                key,
                label,
                block.n,
                block.percent_agreement,
                {k: getattr(block, k) for k, _, _ in STATISTICS},
            )
        )
    themes = pair.themes[unit_set]
    for key, stats in themes.themes.items():
        rows.append(
            Row(
                f"theme:{key}",
                names.get(key, key),
                stats.n,
                stats.percent_agreement,
                {k: getattr(stats, k) for k, _, _ in STATISTICS},
                (stats.prevalence[a], stats.prevalence[b]),
            )
        )
    rows.append(
        Row(
            "pooled",
            "All themes: pooled κ",
            themes.n,
            None,
            {"cohen_kappa": themes.pooled_kappa},
        )
    )
    rows.append(
        Row(
            "masi",
            "All themes: MASI α",
            themes.n,
            None,
            {"krippendorff_alpha": themes.masi_alpha},
        )
    )
    return rows


def value(estimate: Estimate | None, as_percent: bool = False) -> str:
    """The value, "–" when undefined or not computed for the row."""
    if estimate is None or estimate.value is None:
        return DASH
    return percent(estimate.value) if as_percent else coefficient(estimate.value)


def interval(estimate: Estimate | None) -> str:
    """ ".660 to .820", or "–" (the notes say why)."""
    if estimate is None or not estimate.ci or estimate.value is None:
        return DASH
    low, high = estimate.ci
    return f"{coefficient(low)} to {coefficient(high)}"


def cells(row: Row) -> list[str]:
    out = [row.label, str(row.n), value(row.percent, True)]
    for key, _, _ in STATISTICS:
        estimate = row.estimates.get(key)
        out += [value(estimate), interval(estimate)]
    return out


def gaps(rows: list[Row]) -> list[str]:
    """Why a value or an interval is missing, row by row (nothing is left blank silently)."""
    out = []
    for row in rows:
        for key, label, _ in STATISTICS:
            estimate = row.estimates.get(key)
            if estimate is None:
                continue
            if estimate.value is None:
                out.append(f"{row.label}, {label}: undefined ({estimate.reason}).")
            elif not estimate.ci and estimate.bootstrap and estimate.bootstrap.reason:
                out.append(f"{row.label}, {label}: {estimate.bootstrap.reason}.")
    return out


def method_note(report: AgreementReport) -> str:
    boot = report.bootstrap
    q = len(report.category.labels)
    return (
        "n: comments both coders coded (for the themes, the unit set). κ: Cohen (1960), "
        "asymptotic 95% CI; α: Krippendorff (2011), nominal; AC1: Gwet (2008) with "
        f"q = {q} for the category (the codebook's {q} categories) and q = 2 for effective vs "
        "ineffective and for each "
        f"theme (present or absent). α and AC1 CIs: bias-corrected bootstrap percentile "
        f"intervals, {boot.resamples} resamples of comments, seed {boot.seed}. Pooled κ: De "
        "Vries et al. (2008); MASI α: Krippendorff's α on the theme sets with the MASI distance "
        "(Passonneau 2006)."
    )


def scope_notes(report: AgreementReport) -> list[str]:
    """What part of the data the report covers, when it is not all of it."""
    scope = report.scope
    return [
        *([f"Focus group: {scope.group}."] if scope and scope.group else []),
        *([f"Only the comments where {scope.where}."] if scope and scope.where else []),
    ]


def short_note(report: AgreementReport) -> str:
    """The method in one line, for the screen (:func:`method_note` in full in the exports)."""
    boot, q = report.bootstrap, len(report.category.labels)
    return (
        f"AC1's q: {q} for the category, 2 for polarity and each theme. α and AC1 CIs: "
        f"bias-corrected bootstrap, {boot.resamples:,} resamples (seed {boot.seed})."
    )


def _data(rows: list[Row]) -> pd.DataFrame:
    import pandas as pd

    records = []
    for row in rows:
        record = {
            "key": row.key,
            "label": row.label,
            "n": row.n,
            "percent_agreement": row.percent.value if row.percent else None,
        }
        for key, _, short in STATISTICS:
            estimate = row.estimates.get(key)
            ci = (estimate.ci if estimate else None) or (None, None)
            record.update(
                {
                    short: estimate.value if estimate else None,
                    f"{short}_ci_low": ci[0],
                    f"{short}_ci_high": ci[1],
                }
            )
        records.append(record)
    return pd.DataFrame(records)


def pair_table(
    report: AgreementReport, pair: PairAgreement, unit_set: str = "theme_taking"
) -> Table:
    """The layers and the themes over the theme-taking comments; the themes alone over all."""
    from workbench.reports.tables import Table

    a, b = pair.coders
    layers = unit_set == "theme_taking"
    rows = pair_rows(report, pair, unit_set, layers)
    themes = pair.themes[unit_set]
    title = (
        f"Inter-coder agreement of {a} and {b}: "
        + ("category, effective vs ineffective, and themes" if layers else "themes")
        + f" over {UNIT_SETS[unit_set]} (n = {themes.n})"
    )
    notes = [*scope_notes(report), method_note(report), *gaps(rows)]
    return Table(
        f"{a}_{b}_" + ("behaviour" if layers else "all_coded"),
        title,
        list(COLUMNS),
        [cells(r) for r in rows],
        _data(rows),
        notes,
    )


def confusion_table(report: AgreementReport, pair: PairAgreement) -> Table:
    import pandas as pd

    from workbench.reports.tables import Table

    a, b = pair.coders
    matrix = pair.category.confusion_matrix
    names = report.names.categories if report.names else {}
    labels = [names.get(k, k) for k in matrix.labels]
    rows = [
        [label, *(str(c) for c in counts)]
        for label, counts in zip(labels, matrix.matrix, strict=True)
    ]
    return Table(
        f"{a}_{b}_categories",
        f"Categories of {a} (rows) against {b} (columns)",
        [f"{a} \\ {b}", *labels],
        rows,
        pd.DataFrame(
            [list(r) for r in matrix.matrix], index=list(matrix.labels), columns=list(matrix.labels)
        ),
        ["The diagonal holds the comments both coders put in the same category."],
    )


def all_coders_table(report: AgreementReport) -> Table:
    import pandas as pd

    from workbench.reports.tables import Table

    cat = report.category
    row = ["Category", str(cat.n), value(cat.percent_agreement, True)]
    for estimate in (cat.fleiss_kappa, cat.krippendorff_alpha, cat.gwet_ac1):
        row += [value(estimate), interval(estimate)]
    coders = report.coders
    fleiss_n = cat.fleiss_kappa.n if cat.fleiss_kappa else 0
    notes = [
        f"Coders: {', '.join(coders)}. n: comments coded by two or more of them; Fleiss' κ is over "
        f"the {fleiss_n} coded by all; % agreement is the mean over pairs."
    ]
    return Table(
        "agreement_all",
        f"Inter-coder agreement of all {len(coders)} coders on the category",
        [
            "Layer",
            "n",
            "% agreement",
            "Fleiss' κ",
            "95% CI",
            "Krippendorff's α",
            "95% CI",
            "Gwet's AC1",
            "95% CI",
        ],
        [row],
        pd.DataFrame([{"n": cat.n}]),
        notes,
    )


def tables(report: AgreementReport) -> list[Table]:
    """Every table of a report, for Word and Excel: all coders (three or more), then per pair
    the agreement over the theme-taking comments, over all coded comments, and the confusion
    matrix."""
    out = [all_coders_table(report)] if len(report.coders) > 2 else []
    for pair in report.pairs:
        out += [
            pair_table(report, pair, "theme_taking"),
            pair_table(report, pair, "all_coded"),
            confusion_table(report, pair),
        ]
    return out


def rounds_tables(rounds: list[Round]) -> list[Table]:
    """The frozen rounds side by side (:func:`workbench.agreement.rounds.rounds_table`)."""
    import pandas as pd

    from workbench.agreement.rounds import rounds_table
    from workbench.reports.tables import Table

    header, body = rounds_table(rounds)
    return [
        Table(
            "agreement_rounds",
            "Agreement rounds side by side",
            header,
            body,
            pd.DataFrame(body, columns=header),
            ["Each round is a frozen agreement report (round 1: before reconciliation)."],
        )
    ]
