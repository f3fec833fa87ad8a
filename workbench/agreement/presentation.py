"""An agreement report for people and spreadsheets: an estimate as text
(:func:`fmt_estimate`, :func:`short_estimate`), the report as Markdown tables
(:func:`markdown`) and flattened to one row per statistic (:func:`rows`, for CSV).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from workbench.agreement.estimate import Estimate
from workbench.agreement.results import AgreementReport, CategoryAgreement, Names, NominalAgreement
from workbench.numerals import coefficient
from workbench.numerals import percent as as_percent

STATS = [
    ("percent_agreement", "% agreement"),
    ("cohen_kappa", "Cohen's kappa"),
    ("fleiss_kappa", "Fleiss' kappa"),
    ("krippendorff_alpha", "Krippendorff's alpha"),
    ("gwet_ac1", "Gwet's AC1"),
]


def as_estimate(estimate: Estimate | Mapping[str, Any]) -> Estimate:
    """An estimate, or the JSON of one (as evidence and evaluation results keep them) read back."""
    return estimate if isinstance(estimate, Estimate) else Estimate.from_dict(estimate)


def fmt_estimate(estimate: Estimate | Mapping[str, Any] | None, percent: bool = False) -> str:
    """'.743 (SE .041, 95% CI .66-.82; substantial)' or 'undefined: <reason>'."""
    if estimate is None:
        return "-"
    estimate = as_estimate(estimate)
    if estimate.value is None:
        return f"undefined: {estimate.reason}"
    value = as_percent(estimate.value) if percent else _num(estimate.value)
    extra = []
    if estimate.se is not None:
        extra.append(f"SE {_num(estimate.se)}")
    boot = estimate.bootstrap
    if estimate.ci:
        low, high = estimate.ci
        kind = "bootstrap " if boot else ""
        extra.append(f"95% {kind}CI {_num(low)} to {_num(high)}")
    elif boot and boot.reason:
        extra.append(_no_interval(boot.reason))
    for minimum, p in (boot.p_below if boot else {}).items():
        extra.append(f"P(α<{f'{minimum:.3f}'.lstrip('0')}) = {p:.3f}")
    if estimate.interpretation:
        extra.append(estimate.interpretation)
    return value + (f" ({'; '.join(extra)})" if extra else "")


def short_estimate(estimate: Estimate | Mapping[str, Any]) -> str:
    """'.743, 95% CI .66 to .82' or 'undefined (<reason>)': the value as a sentence cites it."""
    estimate = as_estimate(estimate)
    if estimate.value is None:
        return f"undefined ({estimate.reason})"
    text = _num(estimate.value)
    if estimate.ci:
        kind = "bootstrap CI" if estimate.bootstrap else "CI"
        text += f", 95% {kind} {_num(estimate.ci[0])} to {_num(estimate.ci[1])}"
    elif estimate.bootstrap and estimate.bootstrap.reason:
        text += f" ({_no_interval(estimate.bootstrap.reason)})"
    return text


# What the report says of the codings taken from a suggestion, by ``--suggested``.
_SUGGESTED = {
    "include": "included below",
    "exclude": "the comments they touch are left out below",
    "only": "only the comments they touch are compared below",
}


def _no_interval(reason: str) -> str:
    """Why a bootstrap gave no interval, as said beside the value."""
    return reason if reason.startswith("no 95% CI") else f"no 95% CI: bootstrap {reason}"


def _num(x: float) -> str:
    return coefficient(x)


def _pct(estimate: Estimate) -> str:
    return "-" if estimate.value is None else as_percent(estimate.value, 0)


def _names(report: AgreementReport) -> Names:
    return report.names if report.names is not None else Names({}, {})


# A layer's row: (layer, unit set, theme, statistics by key, prevalence by coder).
Layer = tuple[str, str, str | None, dict[str, Estimate | None], dict[str, Estimate]]


def _nominal(layer: str, units: str, block: NominalAgreement | CategoryAgreement) -> Layer:
    stats = {key: getattr(block, key, None) for key, _ in STATS}
    return layer, units, None, stats, {}


def rows(report: AgreementReport) -> list[dict[str, Any]]:
    """The report flattened: one row per layer, unit set, theme and statistic (for CSV)."""
    out = []
    theme_names = _names(report).themes
    groups: list[tuple[str, list[Layer]]] = []
    if len(report.coders) > 2:  # the statistics over every coder at once come first
        groups.append(("all", [_nominal("category", "all coded by two or more", report.category)]))
    for pair in report.pairs:
        layers = [
            _nominal("category", "all coded by both", pair.category),
            _nominal("polarity", "behaviour comments", pair.polarity),
        ]
        for unit_set, block in pair.themes.items():
            for key, theme in block.themes.items():
                stats: dict[str, Estimate | None] = {k: getattr(theme, k, None) for k, _ in STATS}
                name = theme_names.get(key, key)
                layers.append(("theme", unit_set, name, stats, theme.prevalence))
            layers.append(
                (
                    "themes (summary)",
                    unit_set,
                    "pooled kappa",
                    {"cohen_kappa": block.pooled_kappa},
                    {},
                )
            )
            layers.append(
                (
                    "themes (summary)",
                    unit_set,
                    "MASI alpha",
                    {"krippendorff_alpha": block.masi_alpha},
                    {},
                )
            )
        groups.append((" x ".join(pair.coders), layers))
    for coders, layers in groups:
        for layer, unit_set, theme_name, found, prevalence in layers:
            for key, label in STATS:
                est = found.get(key)
                if est is None:
                    continue
                ci = est.ci or (None, None)
                out.append(
                    {
                        "coders": coders,
                        "layer": layer,
                        "units": unit_set,
                        "theme": theme_name or "",
                        "statistic": label,
                        "value": est.value,
                        "se": est.se,
                        "ci_low": ci[0],
                        "ci_high": ci[1],
                        "n": est.n,
                        "interpretation": est.interpretation or "",
                        "undefined_reason": est.reason or "",
                        "prevalence": "; ".join(f"{c} {_pct(p)}" for c, p in prevalence.items()),
                    }
                )
    return out


def markdown(report: AgreementReport, heading: str = "Inter-coder agreement") -> str:
    """The report for people: Markdown tables (also readable as plain text)."""
    lines = [f"# {heading}", ""]
    units, scope, names = report.units, report.scope, _names(report)
    lines.append(
        f"Coders: {', '.join(report.coders)}. Comments coded: "
        + ", ".join(f"{c} {n}" for c, n in units.coded.items())
        + f"; by all coders: {units.coded_by_all}. A comment coded by one coder only is "
        "missing for the other, never agreement."
    )
    boot = report.bootstrap
    lines.append(f"Bootstrap: {boot.resamples} resamples of comments, seed {boot.seed}.")
    if scope is not None and scope.group:
        lines.append(f"Focus group: {scope.group}.")
    if scope is not None and scope.where:
        lines.append(f"Only the comments where {scope.where}.")
    counted = (scope.suggestion_accepted if scope else None) or {}
    accepted = {c: n for c, n in counted.items() if n}
    if accepted and scope is not None:
        which = _SUGGESTED[scope.suggested or "include"]
        lines.append(
            "Codings taken from a model's suggestion: "
            + ", ".join(f"{c} {n}" for c, n in accepted.items())
            + f" ({which})."
        )
    if len(report.coders) > 2:
        cat = report.category
        fleiss = cat.fleiss_kappa
        lines += [
            "",
            f"## All {len(report.coders)} coders",
            "",
            "| layer | n | % agreement (mean of pairs) | Fleiss' kappa "
            "| Krippendorff's alpha | Gwet's AC1 |",
            "|---|---|---|---|---|---|",
            f"| Category | {cat.n} | {fmt_estimate(cat.percent_agreement, True)} | "
            f"{fmt_estimate(fleiss)} | {fmt_estimate(cat.krippendorff_alpha)} | "
            f"{fmt_estimate(cat.gwet_ac1)} |",
            "",
            f"n: comments coded by two or more coders; Fleiss' kappa is over the "
            f"{fleiss.n if fleiss else 0} coded by all of them. Each pair of coders "
            "follows.",
        ]
    for pair in report.pairs:
        a, b = pair.coders
        lines += ["", f"## {a} × {b}", ""]
        lines += [
            "| layer | n | % agreement | Cohen's kappa | Krippendorff's alpha | Gwet's AC1 |",
            "|---|---|---|---|---|---|",
        ]
        layers = (("Category", pair.category), ("Effective vs ineffective", pair.polarity))
        for name, block in layers:
            lines.append(
                f"| {name} | {block.n} | {fmt_estimate(block.percent_agreement, True)} | "
                f"{fmt_estimate(block.cohen_kappa)} | "
                f"{fmt_estimate(block.krippendorff_alpha)} | "
                f"{fmt_estimate(block.gwet_ac1)} |"
            )
        matrix, named = pair.category.confusion_matrix, names.categories
        lines += [
            "",
            f"Confusion matrix (rows {a}, columns {b}):",
            "",
            "| | " + " | ".join(named.get(k, k) for k in matrix.labels) + " |",
            "|---|" + "---|" * len(matrix.labels),
        ]
        for label, counts in zip(matrix.labels, matrix.matrix, strict=True):
            cells = " | ".join(str(c) for c in counts)
            lines.append(f"| {named.get(label, label)} | {cells} |")
        for themes in pair.themes.values():
            lines += [
                "",
                f"### Themes: {themes.definition} (n = {themes.n})",
                "",
                f"| theme | {a} | {b} | % agreement | Cohen's kappa | Krippendorff's alpha "
                "| Gwet's AC1 |",
                "|---|---|---|---|---|---|---|",
            ]
            for key, stats in themes.themes.items():
                prevalence = stats.prevalence
                lines.append(
                    f"| {names.themes.get(key, key)} | {_pct(prevalence[a])} | "
                    f"{_pct(prevalence[b])} | {fmt_estimate(stats.percent_agreement, True)} | "
                    f"{fmt_estimate(stats.cohen_kappa)} | {fmt_estimate(stats.krippendorff_alpha)} "
                    f"| {fmt_estimate(stats.gwet_ac1)} |"
                )
            lines += [
                "",
                f"Pooled kappa: {fmt_estimate(themes.pooled_kappa)}. "
                f"Krippendorff's alpha with MASI distance on the theme sets: "
                f"{fmt_estimate(themes.masi_alpha)}.",
            ]
    q = len(report.category.labels)
    lines += [
        "",
        "Kappa bands: Landis & Koch (1977). Alpha: ≥ .800 reliable, ≥ .667 "
        "tentative conclusions only, below unreliable (Krippendorff). The theme columns "
        "named after the coders give each coder's prevalence.",
        "",
        f"Gwet's AC1 takes q, the number of values a comment could get: q = {q} for the "
        f"category (the codebook's {q} categories), q = 2 for effective vs ineffective "
        "and for each theme (present or absent). Bootstrap CIs are bias-corrected "
        "percentile intervals (BC): where the resamples fall too far to one side of "
        "the estimate, no interval is given and the reason is stated.",
    ]
    return "\n".join(lines)
