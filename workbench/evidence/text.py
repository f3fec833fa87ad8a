"""Training and retest results for people: the sentence a methods section cites, the Markdown
report (the agreement tables of :mod:`workbench.agreement.presentation` plus the comments on
which the codings differ), and the CSV rows of the statistics."""

from __future__ import annotations

import csv
import io
import json

from workbench.evidence import compare
from workbench.numerals import coefficient


def _stats(h: dict) -> str:
    from workbench.agreement.presentation import short_estimate

    return (
        f"category Cohen's κ = {short_estimate(h['category_kappa'])} (Krippendorff's α = "
        f"{short_estimate(h['category_alpha'])}; Gwet's AC1 = {short_estimate(h['category_ac1'])}; "
        f"n = {h['n']}); themes pooled κ = {short_estimate(h['pooled_kappa'])} and Krippendorff's α with "
        f"MASI distance = {short_estimate(h['masi_alpha'])} (n = {h['theme_n']} behaviour comments)"
    )


def training_sentence(result: dict) -> str:
    cov, target = result["coverage"], result["target"]
    goal = f"κ ≥ {coefficient(target['kappa'], 2)}"
    verdict = (
        "met"
        if target["all"]
        else "not met ("
        + ", ".join(
            name
            for key, name in (("category_kappa", "categories"), ("pooled_kappa", "themes"))
            if not target["met"][key]
        )
        + " below it)"
    )
    return (
        f"{result['person']} coded {cov['coded']} of the {cov['of']} comments of the training set blind to "
        f"its gold (agreed) coding; agreement with the gold coding: {_stats(result['headline'])}. "
        f"Calibration target {goal}: {verdict}."
    )


def retest_sentence(result: dict) -> str:
    cov, delay = result["coverage"], result["delay_days"]
    return (
        f"{result['person']} recoded {cov['coded']} randomly drawn comments of their own (of a sample of "
        f"{cov['of']}) a median of {delay['median']:.0f} days (range {delay['min']:.0f} to {delay['max']:.0f}) "
        f"after first coding them, blind to the first coding; intra-coder agreement: {_stats(result['headline'])}."
    )


def markdown(result: dict) -> str:
    from workbench.agreement.presentation import markdown as agreement_markdown
    from workbench.agreement.results import AgreementReport

    if result["kind"] == "training":
        title = f"Coder training: {result['person']} against the gold coding"
        sentence, expected, given = training_sentence(result), "gold", result["person"]
        heading = "Disagreements with the gold coding, with its rationale"
    else:
        title = f"Test-retest: {result['person']}'s first coding against their recoding"
        sentence, expected, given = retest_sentence(result), "first", "retest"
        heading = "Comments coded differently the second time"
    lines = [f"# {title}", "", sentence]
    cov = result["coverage"]
    if cov["not_coded"]:
        shown = ", ".join(cov["not_coded"][:10]) + (", ..." if len(cov["not_coded"]) > 10 else "")
        lines += ["", f"Not coded yet ({len(cov['not_coded'])}): {shown}."]
    if result["kind"] == "retest":
        s = result["sample"]
        lines += [
            "",
            f"Sample: {s['size']} comments drawn {s['drawn_at'][:10]} by {s['drawn_by']} (seed {s['seed']}"
            + (f", first coded at least {s['min_days']:g} days before" if s["min_days"] else "")
            + ").",
        ]
        if result["first_changed_since_draw"]:
            changed = result["first_changed_since_draw"]
            lines.append(
                f"{len(changed)} first coding(s) were edited after the sample was drawn "
                f"({', '.join(changed[:10])}); the coding as it was at the draw is compared."
            )
    # the result keeps the report's JSON (as written out): read back for the tables
    body = agreement_markdown(AgreementReport.from_dict(result["report"]), "Agreement").splitlines()
    lines += ["", *("#" + line if line.startswith("#") else line for line in body)]  # a level down
    lines += compare.markdown_differences(result["disagreements"], expected, given, heading)
    return "\n".join(lines).rstrip() + "\n"


def csv_text(result: dict) -> str:
    from workbench.agreement.presentation import rows
    from workbench.agreement.results import AgreementReport

    data = rows(AgreementReport.from_dict(result["report"]))
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(data[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(data)
    return buffer.getvalue()


def render(result: dict, fmt: str) -> str:
    if fmt == "json":
        return json.dumps(result, indent=2, ensure_ascii=False)
    if fmt == "csv":
        return csv_text(result)
    if fmt == "sentence":
        return (
            training_sentence(result) if result["kind"] == "training" else retest_sentence(result)
        )
    return markdown(result)
