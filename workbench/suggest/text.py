"""Machine-assisted coding for people to read: the evaluation, a trained model, the review queue.

Markdown tables, also readable as plain text, in the forms of the agreement report
(:mod:`workbench.agreement.reliability`), so a model's figures read like a coder's.
"""

from __future__ import annotations

from workbench.agreement.reliability import markdown, short_estimate
from workbench.numerals import coefficient
from workbench.numerals import percent as as_percent


def _num(x: float | None, percent: bool = False) -> str:
    if x is None:
        return "-"
    return as_percent(x, 0) if percent else coefficient(x)


def headline_sentence(line: dict, who: str) -> str:
    return (f"{who}: category Cohen's κ = {short_estimate(line['category_kappa'])}, Krippendorff's α = "
            f"{short_estimate(line['category_alpha'])}, Gwet's AC1 = {short_estimate(line['category_ac1'])}; themes pooled "
            f"κ = {short_estimate(line['themes_pooled_kappa'])}, MASI α = {short_estimate(line['themes_masi_alpha'])} "
            f"(n = {line['n']}).")


def too_few_lines(entries: list[dict]) -> list[str]:
    if not entries:
        return []
    listed = ", ".join(f"{e['name']} ({e['coded']})" for e in entries)
    return ["", f"Too few coded comments to learn (each needs {entries[0]['minimum']}): {listed}. The model "
                "never suggests these; code more comments that carry them, or lower --min-per-class."]


def evaluation_markdown(report: dict) -> str:
    s = report["settings"]
    lines = ["# Machine-assisted coding: cross-validated evaluation", "",
             f"Learnt from the {report['trained_on']} coding of {report['comments']} comments; "
             f"{s['folds']} folds by {s['by']}, each holding out {', '.join('+'.join(h) for h in s['held_out'])}; "
             f"tokens: {s['tokens']}; seed {s['seed']}.", "", report["method"], "",
             headline_sentence(report["headline"], "Model against the " + report["trained_on"] + " coding")]
    if report.get("people"):
        people = report["people"]
        lines.append(headline_sentence(people, f"The coders ({' × '.join(people['coders'])}, {people['source']})"))
    lines += too_few_lines(report["too_few"])
    lines += ["", "## Precision, recall and F1", "", "| category | coded | suggested | precision | recall | F1 |",
              "|---|---|---|---|---|---|"]
    for row in report["classification"]["categories"]:
        lines.append(f"| {row['name']} | {row['support']} | {row['predicted']} | {_num(row['precision'])} | "
                     f"{_num(row['recall'])} | {_num(row['f1'])} |")
    lines += ["", f"Themes, on the {report['classification']['theme_comments']} comments whose coded category "
                  "takes themes:", "", "| theme | coded | suggested | precision | recall | F1 | threshold |",
              "|---|---|---|---|---|---|---|"]
    for row in report["classification"]["themes"]:
        cut = report["thresholds"].get(row["key"])
        learned = _num(cut) if row["learned"] else "too few to learn"
        lines.append(f"| {row['name']} | {row['support']} | {row['predicted']} | {_num(row['precision'])} | "
                     f"{_num(row['recall'])} | {_num(row['f1'])} | {learned} |")
    lines += ["", "## Learning curve", "",
              "Agreement of models trained on a share of each training fold (held-out folds unchanged).", "",
              "| share | training comments | category κ | category α | category AC1 | themes pooled κ | "
              "themes MASI α |", "|---|---|---|---|---|---|---|"]
    for row in report["learning_curve"]:
        lines.append(f"| {row['share']:.0%} | {row['training_comments']:g} | {_num(row['category_kappa'])} | "
                     f"{_num(row['category_alpha'])} | {_num(row['category_ac1'])} | "
                     f"{_num(row['themes_pooled_kappa'])} | {_num(row['themes_masi_alpha'])} |")
    lines += ["", markdown(report["agreement"], "Agreement in full: the model × the " + report["trained_on"]
                           + " coding").replace("# ", "## ", 1)]
    return "\n".join(lines)


def model_summary(info: dict, model_id: int | None) -> str:
    line = info["cross_validated"]
    lines = [f"Model {model_id}: learnt the {info['trained_on']} coding of {info['comments']} comments "
             f"({info['features']:,} features, tokens: {info['tokens']}).",
             f"Learnt categories: {len(info['learned']['categories'])}; themes: {len(info['learned']['themes'])}.",
             headline_sentence(line, f"Cross-validated ({info['folds']} folds by {info['by']})")]
    too_few = [{"name": k, "coded": n, "minimum": info["min_per_class"]} for k, n in info["too_few"].items()]
    lines += [x for x in too_few_lines(too_few) if x]
    return "\n".join(lines)


def review_lines(model_id: int, items: list, names: dict[str, str]) -> str:
    if not items:
        return (f"Model {model_id} contradicts no agreed coding with that confidence; nothing to review.")
    lines = [f"{len(items)} agreed coding(s) that the cross-validated model {model_id} contradicts, most "
             "confident first:", ""]
    width = max(len(i.ref) for i in items)
    for rank, item in enumerate(items, start=1):
        agreed = item.suggestion["agreed"]
        themes = ", ".join(names.get(t, t) for t in agreed["themes"])
        lines.append(f"{rank:>3}. {item.ref:<{width}}  p = {item.confidence:.2f}  {item.detail}"
                     f"  [agreed: {names.get(agreed['category'], agreed['category'])}"
                     f"{': ' + themes if themes else ''}]")
    return "\n".join(lines)


