"""A reporting checklist (COREQ or SRQR) filled from the project: page-ready text for the items the
project can answer, partly drafted text where the authors must add to it, and the rest listed
for the authors with what to write. Markdown, Word and JSON, through the report exports.

Statuses: ``drafted`` (the project answers it; check the wording), ``partly drafted`` (the
project answers part; the to-do says what to add), ``for the authors`` (only they know).
"""

from __future__ import annotations

from datetime import date

from workbench.errors import WorkbenchError
from workbench.evidence import wording as W
from workbench.evidence.guidelines import GUIDELINES
from workbench.store import Store

DRAFTED, PARTIAL, AUTHORS = "drafted", "partly drafted", "for the authors"

# Item → (what it answers from the facts, or None; the to-do for the authors).
COREQ_FILL = {
    "1": (W.facilitators, "Name the author(s) who facilitated each focus group."),
    "2": (None, "Give the facilitators' credentials (e.g. PhD, MD, RN)."),
    "3": (None, "Give the facilitators' occupation at the time of the study."),
    "4": (None, "Give the facilitators' gender."),
    "5": (
        W.coder_training,
        "Describe the facilitators' experience and training in qualitative research.",
    ),
    "6": (None, "Say whether a relationship with participants existed before the study."),
    "7": (
        None,
        "Say what participants knew about the researchers (goals, reasons for the research).",
    ),
    "8": (None, "Report the facilitators' characteristics: assumptions, interests in the topic."),
    "9": (
        None,
        "Name the methodological orientation (e.g. content analysis with a predefined codebook).",
    ),
    "10": (None, "Say how participants were selected (purposive, convenience, ...)."),
    "11": (None, "Say how participants were approached (face to face, email, ...)."),
    "12": (W.sample_size, "Check the counts: a person who attended two groups is counted in each."),
    "13": (None, "Report how many people declined or dropped out, and why."),
    "14": (None, "Say where the groups were held (clinic, video conference, ...)."),
    "15": (W.non_participants, "Name anyone else present who did not speak."),
    "16": (W.sample, "Add the participants' demographic characteristics."),
    "17": (
        None,
        "Describe the focus group guide (the facilitating questions) and whether it was piloted.",
    ),
    "18": (W.repeat, "Confirm that no group was repeated."),
    "19": (W.recording, "Confirm how each group was recorded."),
    "20": (None, "Say whether field notes were made during or after the groups."),
    "21": (W.duration, "Give the duration of the groups without time stamps."),
    "22": (W.saturation, "Discuss whether and how data saturation was reached."),
    "23": (None, "Say whether transcripts were returned to participants."),
    "24": (W.coders, "State how many coders coded the data and how disagreements were settled."),
    "25": (
        W.coding_tree,
        "Attach the codebook with its definitions (`workbench codebook PROJECT --format toml`).",
    ),
    "26": (
        W.derivation,
        "Say where the themes came from: the literature, an earlier study, or the data.",
    ),
    "27": (W.software, "Name the software used to manage the data."),
    "28": (None, "Say whether participants gave feedback on the findings."),
    "29": (
        W.quotations,
        "Present quotations for each theme, each identified (e.g. by stakeholder role).",
    ),
    "30": (W.consistency, "Check that the findings in the text match the tables."),
    "31": (W.major_themes, "Present each major theme in the findings."),
    "32": (W.minor_themes, "Describe minor themes and diverse cases."),
}
SRQR_FILL = {
    "S1": (None, "Identify the study as qualitative and name the method (a focus group study)."),
    "S2": (None, "Summarise background, purpose, methods, results and conclusions."),
    "S3": (
        None,
        "Describe the problem studied and its significance, with the relevant literature.",
    ),
    "S4": (None, "State the purpose and the research questions."),
    "S5": (None, "Name the qualitative approach and paradigm, with the rationale."),
    "S6": (W.coder_training, "Describe the researchers' characteristics and reflexivity."),
    "S7": (None, "Describe the setting and its context."),
    "S8": (W.saturation, "Say how and why participants were selected."),
    "S9": (None, "Give the ethics approval and how consent was obtained."),
    "S10": (W.collection, "Describe the procedures and any changes during the study."),
    "S11": (W.recording, "Describe the focus group guide and the recording devices."),
    "S12": (W.units, "Check the participant counts: a person in two groups is counted in each."),
    "S13": (
        W.processing,
        "Name the transcription service and how the data were stored and secured.",
    ),
    "S14": (W.analysis, "Name the analytic approach and its rationale."),
    "S15": (W.trustworthiness, "Add any further techniques (member checking, triangulation)."),
    "S16": (W.major_themes, "Report the interpretation of the main findings."),
    "S17": (W.quotations, "Give quotations or excerpts that substantiate each finding."),
    "S18": (None, "Relate the findings to earlier work; discuss transferability and contribution."),
    "S19": (None, "Discuss the trustworthiness and limitations of the findings."),
    "S20": (None, "Declare conflicts of interest and how they were managed."),
    "S21": (None, "Name the funding and the funders' role."),
}
FILLS = {"coreq": COREQ_FILL, "srqr": SRQR_FILL}


def checklist(store: Store, guideline: str, **saturation_options) -> dict:
    """Every item of the guideline with its status, draft text and to-do."""
    from workbench.evidence.facts import gather

    key = guideline.lower()
    if key not in GUIDELINES:
        raise WorkbenchError(f"--guideline {guideline!r}: choose coreq or srqr")
    title, citation, items = GUIDELINES[key]
    facts = gather(store, **saturation_options)
    out = []
    for item in items:
        fill, todo = FILLS[key][item.number]
        text, complete, *why = fill(facts) if fill else (None, False)
        status = AUTHORS if not text else DRAFTED if complete else PARTIAL
        out.append(
            {
                **item._asdict(),
                "status": status,
                "text": text or "",
                "todo": "" if status == DRAFTED else " ".join([todo, *why]),
            }
        )
    counts = {s: sum(1 for i in out if i["status"] == s) for s in (DRAFTED, PARTIAL, AUTHORS)}
    return {
        "guideline": key,
        "title": title,
        "citation": citation,
        "project": facts["project"],
        "date": date.today().isoformat(),
        "version": facts["version"],
        "items": out,
        "counts": counts,
        "sources": {
            "agreement": facts["agreement_source"],
            "saturation": facts["saturation_source"],
        },
    }


def tables(result: dict) -> list:
    """One table per domain (item, guide, draft text, status) and the list for the authors."""
    import pandas as pd

    from workbench.reports.tables import Table

    out: list[Table] = []
    domains = list(dict.fromkeys(i["domain"].split(" — ")[0] for i in result["items"]))
    short = result["title"].split(" (")[0]
    for domain in domains:
        items = [i for i in result["items"] if i["domain"].split(" — ")[0] == domain]
        rows = [
            [
                i["number"],
                i["topic"]
                + (f" ({i['domain'].split(' — ')[1].lower()})" if " — " in i["domain"] else ""),
                i["guide"],
                i["text"],
                i["status"],
                "",
            ]
            for i in items
        ]
        out.append(
            Table(
                f"{result['guideline']}_{len(out) + 1}",
                f"{short} — {domain}",
                [
                    "No.",
                    "Item",
                    "Guide question",
                    "Draft text for the manuscript",
                    "Status",
                    "Page",
                ],
                rows,
                pd.DataFrame(items),
            )
        )
    todo = [i for i in result["items"] if i["status"] != DRAFTED]
    out.append(
        Table(
            f"{result['guideline']}_authors",
            f"{short} — what the authors still need to write",
            ["No.", "Item", "What to write"],
            [[i["number"], i["topic"], i["todo"]] for i in todo],
            pd.DataFrame(todo),
            [f"Checklist: {result['citation']}"],
        )
    )
    return out


def markdown(result: dict) -> str:
    from workbench.reports.exports import to_markdown

    c = result["counts"]
    head = [
        f"# {result['title']}: {result['project']}",
        "",
        f"Filled from the project by Workbench {result['version']} on {result['date']}: {c[DRAFTED]} items "
        f"drafted, {c[PARTIAL]} partly drafted, {c[AUTHORS]} for the authors, of {len(result['items'])}. "
        "Drafted text is written to be pasted into the manuscript; check every number against the "
        "manuscript's tables, then fill in the page numbers.",
        "",
    ]
    return (
        "\n".join(head)
        + "\n"
        + "\n".join(to_markdown(t, i) for i, t in enumerate(tables(result), start=1))
    )


def write(result: dict, path, fmt: str | None = None):
    """Write the checklist as Markdown, Word (.docx) or JSON; the format from ``fmt`` or the suffix."""
    import json
    from pathlib import Path

    from workbench.reports.exports import writer

    path = Path(path)
    fmt = (fmt or path.suffix.lstrip(".")).lower()
    if fmt in ("md", "markdown"):
        path.write_text(markdown(result), encoding="utf-8")
    elif fmt == "json":
        path.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    elif fmt in ("docx", "word"):
        writer(tables(result), path, "docx")(path)  # the caller applies the output rule
    else:
        raise WorkbenchError(f"{path}: write the checklist as .md, .docx or .json")
    return path
