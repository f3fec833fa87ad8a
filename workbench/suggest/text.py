"""Machine-assisted coding for people to read: the evaluation, a trained model, the review queue.

Markdown tables, also readable as plain text, in the forms of the agreement report
(:mod:`workbench.agreement.presentation`), so a model's figures read like a coder's.
"""

from __future__ import annotations

from workbench.agreement.presentation import markdown, short_estimate
from workbench.agreement.results import AgreementReport
from workbench.numerals import coefficient
from workbench.numerals import percent as as_percent


def number(x: float | None, percent: bool = False) -> str:
    if x is None:
        return "-"
    return as_percent(x, 0) if percent else coefficient(x)


def headline_sentence(line: dict, who: str) -> str:
    return (
        f"{who}: category Cohen's κ = {short_estimate(line['category_kappa'])}, Krippendorff's α = "
        f"{short_estimate(line['category_alpha'])}, "
        f"Gwet's AC1 = {short_estimate(line['category_ac1'])}; themes pooled "
        f"κ = {short_estimate(line['themes_pooled_kappa'])}, MASI α = {short_estimate(line['themes_masi_alpha'])} "
        f"(n = {line['n']})."
    )


def too_few_lines(entries: list[dict]) -> list[str]:
    if not entries:
        return []
    listed = ", ".join(f"{e['name']} ({e['coded']})" for e in entries)
    return [
        "",
        f"Too few coded comments to learn (each needs {entries[0]['minimum']}): {listed}. The model "
        "never suggests these; code more comments that carry them, or lower --min-per-class.",
    ]


def evaluation_markdown(report: dict) -> str:
    s = report["settings"]
    lines = [
        "# Machine-assisted coding: cross-validated evaluation",
        "",
        f"Learnt from the {report['trained_on']} coding of {report['comments']} comments; "
        f"{s['folds']} folds by {s['by']}, each holding out {', '.join('+'.join(h) for h in s['held_out'])}; "
        f"tokens: {s['tokens']}; seed {s['seed']}.",
        "",
        report["method"],
        "",
        headline_sentence(
            report["headline"], "Model against the " + report["trained_on"] + " coding"
        ),
    ]
    if report.get("people"):
        people = report["people"]
        lines.append(
            headline_sentence(
                people, f"The coders ({' × '.join(people['coders'])}, {people['source']})"
            )
        )
    lines += [x for x in [chance_warning(report["headline"], report["trained_on"])] if x]
    lines += ["", selection_sentence(report["selection"])]
    lines += beside_lines(report.get("beside_each_coder"))
    lines += too_few_lines(report["too_few"])
    lines += coverage_lines(report["coverage"])
    lines += [
        "",
        "## Precision, recall and F1",
        "",
        "| category | coded | suggested | precision | recall | F1 |",
        "|---|---|---|---|---|---|",
    ]
    for row in report["classification"]["categories"]:
        lines.append(
            f"| {row['name']} | {row['support']} | {row['predicted']} | {number(row['precision'])} | "
            f"{number(row['recall'])} | {number(row['f1'])} |"
        )
    lines += [
        "",
        f"Themes, on the {report['classification']['theme_comments']} comments whose coded category "
        "takes themes:",
        "",
        "| theme | coded | suggested | precision | recall | F1 | threshold |",
        "|---|---|---|---|---|---|---|",
    ]
    for row in report["classification"]["themes"]:
        cut = report["thresholds"].get(row["key"])
        learned = number(cut) if row["learned"] else "too few to learn"
        lines.append(
            f"| {row['name']} | {row['support']} | {row['predicted']} | {number(row['precision'])} | "
            f"{number(row['recall'])} | {number(row['f1'])} | {learned} |"
        )
    target = bar_of(report["coverage"]["target"])
    lines += [
        "",
        "## Learning curve",
        "",
        "The whole procedure (compare, choose, fit) with that many training comments per fold "
        "(held-out folds unchanged).",
        "",
        f"| training comments | chosen | category κ | category α | category AC1 | themes pooled κ | "
        f"themes MASI α | coded at κ ≥ {target} | κ there |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for row in report["learning_curve"]:
        chosen = ", ".join(f"{k} {n}" for k, n in row.get("chosen", {}).items() if n)
        lines.append(
            f"| {row['training_comments']:g} | {chosen} | {number(row['category_kappa'])} | "
            f"{number(row['category_alpha'])} | {number(row['category_ac1'])} | "
            f"{number(row['themes_pooled_kappa'])} | {number(row['themes_masi_alpha'])} | "
            f"{number(row.get('coded_at_target'), True)} | {number(row.get('kappa_at_target'))} |"
        )
    full = AgreementReport.from_dict(report["agreement"])  # as the model's summary keeps it
    lines += [
        "",
        markdown(
            full, "Agreement in full: the model × the " + report["trained_on"] + " coding"
        ).replace("# ", "## ", 1),
    ]
    return "\n".join(lines)


def model_summary(info: dict, model_id: int | None) -> str:
    line = info["cross_validated"]
    lines = [
        f"Model {model_id}: learnt the {info['trained_on']} coding of {info['comments']} comments "
        f"({info['features']:,} features, tokens: {info['tokens']}).",
        f"Learnt categories: {len(info['learned']['categories'])}; themes: {len(info['learned']['themes'])}.",
        headline_sentence(line, f"Cross-validated ({info['folds']} folds by {info['by']})"),
    ]
    lines += [x for x in [chance_warning(line, info["trained_on"])] if x]
    if info.get("selection"):
        lines.append(selection_sentence(info["selection"]))
    bar = (info.get("bars") or {}).get("0.80")
    if bar:
        lines.append(bar_sentence(bar))
    too_few = [
        {"name": k, "coded": n, "minimum": info["min_per_class"]}
        for k, n in info["too_few"].items()
    ]
    lines += [x for x in too_few_lines(too_few) if x]
    return "\n".join(lines)


def review_lines(model_id: int, items: list, names: dict[str, str]) -> str:
    if not items:
        return f"Model {model_id} contradicts no agreed coding with that confidence; nothing to review."
    lines = [
        f"{len(items)} agreed coding(s) that the cross-validated model {model_id} contradicts, most "
        "confident first:",
        "",
    ]
    width = max(len(i.ref) for i in items)
    for rank, item in enumerate(items, start=1):
        agreed = item.suggestion["agreed"]
        themes = ", ".join(names.get(t, t) for t in agreed["themes"])
        lines.append(
            f"{rank:>3}. {item.ref:<{width}}  p = {item.confidence:.2f}  {item.detail}"
            f"  [agreed: {names.get(agreed['category'], agreed['category'])}"
            f"{': ' + themes if themes else ''}]"
        )
    return "\n".join(lines)


def chance_warning(line: dict, trained_on: str) -> str:
    """Issue 21: a model no better than chance says so, in words (empty when it is better)."""
    kappa = line.get("category_kappa") or {}
    value, ci = kappa.get("value"), kappa.get("ci")
    if value is None:
        return ""
    said = f"category κ = {short_estimate(kappa)}"
    if value < 0:
        return (
            f"Warning: this model agrees with the {trained_on} coding less often than chance would "
            f"({said}). Its suggestions are worse than guessing from how often each category occurs: "
            "do not use them; code more comments and train again."
        )
    if ci and ci[0] <= 0 <= ci[1]:
        return (
            f"Warning: this model's agreement with the {trained_on} coding cannot be told apart from "
            f"chance ({said}; the interval includes 0). Treat its suggestions as guesses until more "
            "coded comments give it a clearer result."
        )
    return ""


def selection_sentence(sel: dict) -> str:
    """Which model the nested comparison kept, and by how much."""
    others = [c for c in sel["candidates"] if c["key"] != sel["winner"]]
    mine = next(c for c in sel["candidates"] if c["key"] == sel["winner"])
    folds = sum(1 for k in sel["chosen_per_fold"] if k == sel["winner"])
    against = (
        "; ".join(
            f"{number(c['mean_kappa'])} for {c['key']} ({c['name']})"
            for c in others
            if c["mean_kappa"] is not None
        )
        or "no other kind"
    )
    skipped = [c["key"] for c in others if c["mean_kappa"] is None]
    margin = f", ahead by {number(sel['margin'])}" if sel.get("margin") is not None else ""
    return (
        f"Model chosen by the data: {sel['winner']} ({sel['name']}), mean inner category κ "
        f"{number(mine['mean_kappa'])} against {against}{margin}; chosen inside the training folds of "
        f"{folds} of {len(sel['chosen_per_fold'])} folds."
        + (
            f" Not compared on this many training comments: {', '.join(skipped)}."
            if skipped
            else ""
        )
    )


def bar_sentence(bar: dict) -> str:
    """The bar for a target kappa: chosen on the training folds, judged on the held-out ones."""
    target = bar_of(bar["target"])
    if bar["bar"] is None:
        return (
            f"No confidence bar reaches category κ ≥ {target} on this project's held-out predictions: "
            "the model cannot pre-code for that target."
        )
    folds = ", ".join(bar_of(b) for b in bar["fold_bars"])
    return (
        f"For a target category κ ≥ {target}, the bar chosen on each fold's training folds ({folds}) coded "
        f"{number(bar['share'], True)} of the held-out comments ({bar['coded']}) at κ = {number(bar['kappa'])}; "
        f"the model keeps the bar p ≥ {bar_of(bar['bar'])}."
    )


def coverage_lines(coverage: dict) -> list[str]:
    lines = [
        "",
        "## Coverage and agreement by confidence bar",
        "",
        "The share of comments the model would code at each bar (its likeliest category at least that "
        "probable; for themes, every theme decision too), and its agreement with the coding on them "
        "(held-out predictions).",
        "",
        bar_sentence(coverage["chosen"]),
        "",
        "| bar | coded | category κ | α | AC1 | accuracy | themes coded | pooled κ | MASI α | exact |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for row in coverage["bars"]:
        c, t = row["category"], row["themes"]
        lines.append(
            f"| {bar_of(row['bar'])} | {number(c['share'], True)} ({c['n']}) | {_estimate(c['kappa'])} | "
            f"{_estimate(c['alpha'])} | {_estimate(c['ac1'])} | {number(c['accuracy'])} | "
            f"{number(t['share'], True)} ({t['n']}) | {_estimate(t['pooled_kappa'])} | "
            f"{_estimate(t['masi_alpha'])} | {number(t['accuracy'])} |"
        )
    return lines


def beside_lines(beside: dict | None) -> list[str]:
    """The model as a further coder beside each person (more than two people coded)."""
    if not beside:
        return []
    lines = [
        "",
        "## The model beside each coder",
        "",
        "Category κ on the comments both coded; the model's coding is its held-out one.",
        "",
        "| | " + " | ".join(beside["coders"]) + " |",
        "|---" * (len(beside["coders"]) + 1) + "|",
    ]
    lines.append(
        "| model | "
        + " | ".join(_estimate((beside["model"][h] or {}).get("kappa")) for h in beside["coders"])
        + " |"
    )
    people = {tuple(p["coders"]): p for p in beside["people"]}
    for a in beside["coders"]:
        cells = []
        for b in beside["coders"]:
            found = people.get((a, b)) or people.get((b, a))
            cells.append(_estimate(found.get("kappa")) if found else "")
        lines.append(f"| {a} | " + " | ".join(cells) + " |")
    return lines


def _estimate(estimate: dict | None) -> str:
    if not estimate or estimate.get("value") is None:
        return "-"
    ci = estimate.get("ci")
    return number(estimate["value"]) + (f" ({number(ci[0])} to {number(ci[1])})" if ci else "")


def bar_of(x: float | None) -> str:
    return "none" if x is None else f"{x:.2f}".replace("0.", ".", 1)
