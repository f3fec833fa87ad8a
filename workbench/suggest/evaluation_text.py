"""``workbench suggest evaluate --format text``: a model's evaluation in 80 columns.

The Markdown form (:func:`workbench.suggest.text.evaluation_markdown`) keeps one wide row per
bar or curve point for pasting; this one is for a terminal or a plain-text file: prose wrapped,
each estimate over its 95% CI, the coverage table in a category part and a theme part. The
agreement in full follows it, in the agreement report's own 80-column form, added by the
command (``reports`` is a sibling of ``suggest``).
"""

from __future__ import annotations

from workbench.plain import grid, wrap
from workbench.suggest.text import (
    bar_of,
    bar_sentence,
    chance_warning,
    headline_sentence,
    number,
    selection_sentence,
    too_few_lines,
)


def _heading(text: str, rule: str = "-") -> list[str]:
    return ["", text, rule * len(text)]


def _ci(estimate: dict | None) -> list[str]:
    """An estimate over its interval: [".795", "(.530 to 1.000)"], or ["-"]."""
    if not estimate or estimate.get("value") is None:
        return ["-"]
    ci = estimate.get("ci")
    return [number(estimate["value"]), *([f"({number(ci[0])} to {number(ci[1])})"] if ci else [])]


def evaluation_text(report: dict) -> str:
    """The evaluation without its full agreement report, every line at most 80 columns."""
    s = report["settings"]
    title = "Machine-assisted coding: cross-validated evaluation"
    lines = [title, "=" * len(title), ""]
    held = ", ".join("+".join(h) for h in s["held_out"])
    lines += wrap(
        f"Learnt from the {report['trained_on']} coding of {report['comments']} comments; "
        f"{s['folds']} folds by {s['by']}, each holding out {held}; tokens: {s['tokens']}; "
        f"seed {s['seed']}."
    )
    lines += ["", *wrap(report["method"]), ""]
    model = f"Model against the {report['trained_on']} coding"
    lines += wrap(headline_sentence(report["headline"], model))
    if report.get("people"):
        people = report["people"]
        who = f"The coders ({' × '.join(people['coders'])}, {people['source']})"
        lines += wrap(headline_sentence(people, who))
    warning = chance_warning(report["headline"], report["trained_on"])
    lines += wrap(warning) if warning else []
    lines += ["", *wrap(selection_sentence(report["selection"]))]
    lines += _beside(report.get("beside_each_coder"))
    for line in too_few_lines(report["too_few"]):
        lines += wrap(line) if line else [""]
    lines += _coverage(report["coverage"])
    lines += _classification(report)
    lines += _learning_curve(report)
    return "\n".join(lines)


def _beside(beside: dict | None) -> list[str]:
    """The model beside each coder as a list of pairs (a matrix of coders outgrows 80 columns)."""
    if not beside:
        return []
    coders = beside["coders"]
    rows = [[[f"model × {h}"], _ci((beside["model"][h] or {}).get("kappa"))] for h in coders]
    rows += [[[" × ".join(p["coders"])], _ci(p.get("kappa"))] for p in beside["people"]]
    lines = _heading("The model beside each coder") + [""]
    lines += wrap(
        "Category κ (95% CI) on the comments both coded, the model beside each coder and the "
        "coders beside each other; the model's coding is its held-out one."
    )
    return lines + [""] + grid([["pair"], ["category κ"]], rows)


def _coverage(coverage: dict) -> list[str]:
    lines = _heading("Coverage and agreement by confidence bar")
    lines += [""] + wrap(
        "The share of comments the model would code at each bar (its likeliest category at "
        "least that probable; for themes, every theme decision too), and its agreement with "
        "the coding on them (held-out predictions)."
    )
    lines += ["", *wrap(bar_sentence(coverage["chosen"])), "", "Categories:", ""]
    header = [["bar"], ["coded"], ["category κ"], ["α"], ["AC1"], ["accuracy"]]
    rows = []
    for row in coverage["bars"]:
        c = row["category"]
        coded = f"{number(c['share'], True)} ({c['n']})"
        rows.append(
            [
                [bar_of(row["bar"])],
                [coded],
                _ci(c["kappa"]),
                _ci(c["alpha"]),
                _ci(c["ac1"]),
                [number(c["accuracy"])],
            ]
        )
    lines += grid(header, rows, right={1, 5})
    lines += ["", "Themes (every theme decision at least that probable):", ""]
    header = [["bar"], ["coded"], ["pooled κ"], ["MASI α"], ["exact"]]
    rows = []
    for row in coverage["bars"]:
        t = row["themes"]
        coded = f"{number(t['share'], True)} ({t['n']})"
        rows.append(
            [
                [bar_of(row["bar"])],
                [coded],
                _ci(t["pooled_kappa"]),
                _ci(t["masi_alpha"]),
                [number(t["accuracy"])],
            ]
        )
    return lines + grid(header, rows, right={1, 4})


def _classification(report: dict) -> list[str]:
    numbers = [["coded"], ["suggested"], ["precision"], ["recall"], ["F1"]]
    lines = _heading("Precision, recall and F1") + [""]
    rows = [
        [
            [row["name"]],
            [str(row["support"])],
            [str(row["predicted"])],
            [number(row["precision"])],
            [number(row["recall"])],
            [number(row["f1"])],
        ]
        for row in report["classification"]["categories"]
    ]
    lines += grid([["category"], *numbers], rows, right={1, 2, 3, 4, 5})
    lines += (
        [""]
        + wrap(
            f"Themes, on the {report['classification']['theme_comments']} comments whose coded "
            "category takes themes (threshold: the probability above which the model gives the "
            "theme; none where too few comments carry it to learn):"
        )
        + [""]
    )
    rows = []
    for row in report["classification"]["themes"]:
        cut = report["thresholds"].get(row["key"])
        rows.append(
            [
                [row["name"]],
                [str(row["support"])],
                [str(row["predicted"])],
                [number(row["precision"])],
                [number(row["recall"])],
                [number(row["f1"])],
                [number(cut) if row["learned"] else "none"],
            ]
        )
    return lines + grid([["theme"], *numbers, ["threshold"]], rows, right={1, 2, 3, 4, 5, 6})


def _learning_curve(report: dict) -> list[str]:
    target = bar_of(report["coverage"]["target"])
    lines = _heading("Learning curve") + [""]
    lines += wrap(
        "The whole procedure (compare, choose, fit) with that many training comments per fold "
        "(held-out folds unchanged); κ, α and AC1 of the category, pooled κ and MASI α of the "
        f"themes; the share coded at the bar for category κ ≥ {target}, and κ there."
    ) + [""]
    header = [
        ["training", "comments"],
        ["chosen"],
        ["κ"],
        ["α"],
        ["AC1"],
        ["pooled", "κ"],
        ["MASI", "α"],
        ["coded at", f"κ ≥ {target}"],
        ["κ", "there"],
    ]
    rows = []
    for row in report["learning_curve"]:
        chosen = [f"{k} {n}" for k, n in row.get("chosen", {}).items() if n] or ["-"]
        rows.append(
            [
                [f"{row['training_comments']:g}"],
                chosen,
                *[
                    [number(row[k])]
                    for k in (
                        "category_kappa",
                        "category_alpha",
                        "category_ac1",
                        "themes_pooled_kappa",
                        "themes_masi_alpha",
                    )
                ],
                [number(row.get("coded_at_target"), True)],
                [number(row.get("kappa_at_target"))],
            ]
        )
    return lines + grid(header, rows, right={0, 2, 3, 4, 5, 6, 7, 8})
